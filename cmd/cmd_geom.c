/* dftpost geom: distances, coordination, adsorbed X–X units, metal–metal distances. */
#include "common.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost geom FILE [options]\n"
    "\n"
    "Geometry of a structure (POSCAR/CONTCAR, vasprun.xml, OUTCAR): periodic\n"
    "minimum-image distances in Å. One table per call:\n"
    "  (default)     neighbour table: step, i, j, element_i, element_j, distance\n"
    "                for pairs closer than --cutoff\n"
    "  --cn          coordination numbers: step, atom, element, cn, neighbours; two\n"
    "                atoms are bonded when d < tolerance × (r_i + r_j), r the covalent\n"
    "                radii of Cordero et al., Dalton Trans. 2008, 2832 (C sp3; Mn, Fe,\n"
    "                Co low-spin; ASE's table)\n"
    "  --adsorbate O2|N2|auto\n"
    "                adsorbed X–X units (auto: every O–O and N–N pair shorter than\n"
    "                --max-length): step, pair, i, j, length, ref, elongation,\n"
    "                elongation_pct, mode, metals, metal_distances. mode: end-on (one\n"
    "                X bound to a metal), side-on (one metal binds both X), bridge (the\n"
    "                two X on different metals, μ-1,2), free. ref: the X–X length in\n"
    "                --gas FILE (a relaxed gas-phase run with the same settings, as\n"
    "                papers use), or --ref, or the default O2 1.21 Å, N2 1.10 Å\n"
    "                (experimental gas-phase bond lengths)\n"
    "  --metals      metal–metal distances: step, i, j, element_i, element_j, distance\n"
    "                for metal pairs closer than --cutoff (default 5 Å here)\n"
    "Atoms are numbered from 1 in file order. step: the ionic step (0 = the input\n"
    "structure, e.g. a POSCAR or vasprun.xml's initial positions).\n"
    "\n"
    "  -c, --cutoff R         distance cutoff in Å (default 3.0; 5.0 with --metals)\n"
    "  -P, --pairs A-B,...    only these element pairs, e.g. Fe-N,Co-N\n"
    "  -t, --tolerance T      bonding tolerance on the sum of covalent radii (default 1.2)\n"
    "      --cn               coordination-number table\n"
    "      --adsorbate X      O2, N2 or auto\n"
    "      --gas FILE         gas-phase run giving the reference X–X length\n"
    "      --ref LENGTH       reference X–X length in Å\n"
    "      --max-length L     longest X–X pair counted as a unit (default 1.7 Å)\n"
    "      --metals           metal–metal distance table\n"
    "      --step N|all       ionic step N (1-based), or every step (default: last)\n"
    "      --species LIST     element symbols for a VASP 4 POSCAR, e.g. \"Fe Co N\"\n"
    OUTPUT_HELP
    "\n"
    "Exit status: 0 ok, 1 bad or incomplete input, 2 usage error.\n";

typedef enum { MODE_NEIGHBOURS, MODE_CN, MODE_ADSORBATE, MODE_METALS } geom_mode;

typedef struct {
    geom_mode mode;
    double cutoff, tolerance, max_length, ref;
    const char *pairs, *adsorbate, *gas;
    double gas_ref[2]; /* from --gas: O–O, N–N (NaN if none) */
} geom_opts;

static const char *sym(const dp_run *run, int a) { return run->species[run->atom_type[a]].symbol; }

static bool pair_wanted(const char *pairs, const char *a, const char *b)
{
    if (!pairs)
        return true;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", pairs);
    for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        char *dash = strchr(t, '-');
        if (!dash)
            continue;
        *dash = '\0';
        if ((!strcmp(t, a) && !strcmp(dash + 1, b)) || (!strcmp(t, b) && !strcmp(dash + 1, a)))
            return true;
    }
    return false;
}

static int pairs_table(table *t, const dp_run *run, const dp_frame *f, int step,
                       const geom_opts *o, bool metals_only)
{
    dp_pair *p;
    int n;
    dp_error err;
    if (dp_neighbours(f, run->natoms, o->cutoff, &p, &n, &err)) {
        complain("geom", "%s", err.msg);
        return EXIT_BAD_INPUT;
    }
    for (int k = 0; k < n; k++) {
        const char *a = sym(run, p[k].i), *b = sym(run, p[k].j);
        if (metals_only && !(dp_element_is_metal(a) && dp_element_is_metal(b)))
            continue;
        if (!pair_wanted(o->pairs, a, b))
            continue;
        table_int(t, step);
        table_int(t, p[k].i + 1);
        table_int(t, p[k].j + 1);
        table_str(t, a);
        table_str(t, b);
        table_fixed(t, p[k].distance, 6);
    }
    free(p);
    return EXIT_OK;
}

static int cn_table(table *t, const dp_run *run, const dp_frame *f, int step, const geom_opts *o)
{
    double rmax = 0;
    for (int s = 0; s < run->ntypes; s++)
        rmax = fmax(rmax, dp_covalent_radius(run->species[s].symbol));
    dp_pair *p;
    int n;
    dp_error err;
    if (dp_neighbours(f, run->natoms, o->tolerance * 2 * rmax, &p, &n, &err)) {
        complain("geom", "%s", err.msg);
        return EXIT_BAD_INPUT;
    }
    for (int a = 0; a < run->natoms; a++) {
        char list[1024] = "";
        int cn = 0;
        size_t used = 0;
        for (int k = 0; k < n; k++) {
            if (p[k].i != a && p[k].j != a)
                continue;
            int other = p[k].i == a ? p[k].j : p[k].i;
            if (!dp_bonded(run, a, other, p[k].distance, o->tolerance))
                continue;
            cn++;
            int w = snprintf(list + used, sizeof list - used, "%s%s%d", used ? " " : "",
                             sym(run, other), other + 1);
            if (w > 0 && (size_t)w < sizeof list - used)
                used += (size_t)w;
        }
        table_int(t, step);
        table_int(t, a + 1);
        table_str(t, sym(run, a));
        table_int(t, cn);
        table_str(t, list);
    }
    free(p);
    return EXIT_OK;
}

/* Shortest O–O and N–N in a gas-phase run: the reference lengths. */
static int gas_reference(geom_opts *o, const char *species)
{
    dp_read_opts ro = {.skip_dos = true, .species = species};
    dp_run *gas = load_run(o->gas, &ro);
    if (!gas)
        return EXIT_BAD_INPUT;
    const dp_frame *f = &gas->frames[gas->nframes - 1];
    const char *els[2] = {"O", "N"};
    for (int e = 0; e < 2; e++) {
        o->gas_ref[e] = NAN;
        for (int i = 0; i < gas->natoms; i++)
            for (int j = i + 1; j < gas->natoms; j++)
                if (!strcmp(sym(gas, i), els[e]) && !strcmp(sym(gas, j), els[e])) {
                    double d = dp_mic_distance(f->lattice, f->frac[i], f->frac[j]);
                    if (isnan(o->gas_ref[e]) || d < o->gas_ref[e])
                        o->gas_ref[e] = d;
                }
    }
    dp_run_free(gas);
    if (isnan(o->gas_ref[0]) && isnan(o->gas_ref[1])) {
        complain("geom", "%s: no O–O or N–N pair in the gas-phase run", o->gas);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

static int adsorbate_table(table *t, const dp_run *run, const dp_frame *f, int step,
                           const geom_opts *o)
{
    const char *which = !strcmp(o->adsorbate, "O2") ? "O" : !strcmp(o->adsorbate, "N2") ? "N" : "O,N";
    dp_adsorbate *ads;
    int n;
    dp_error err;
    if (dp_find_adsorbates(run, f, which, o->max_length, o->tolerance, &ads, &n, &err)) {
        complain("geom", "%s", err.msg);
        return EXIT_BAD_INPUT;
    }
    for (int k = 0; k < n; k++) {
        const dp_adsorbate *a = &ads[k];
        bool oxygen = !strcmp(a->element, "O");
        double ref = !isnan(o->ref) ? o->ref
                     : o->gas ? o->gas_ref[oxygen ? 0 : 1]
                              : (oxygen ? 1.21 : 1.10);
        char metals[256] = "", dists[512] = "";
        size_t mu = 0, du = 0;
        for (int m = 0; m < a->nmetals; m++) {
            bool seen = false;
            for (int q = 0; q < m; q++)
                seen |= a->metal[q] == a->metal[m];
            int w;
            if (!seen && (w = snprintf(metals + mu, sizeof metals - mu, "%s%s%d", mu ? " " : "",
                                       sym(run, a->metal[m]), a->metal[m] + 1)) > 0 &&
                (size_t)w < sizeof metals - mu)
                mu += (size_t)w;
            w = snprintf(dists + du, sizeof dists - du, "%s%s%d-%s%d=%.4f", du ? " " : "",
                         sym(run, a->metal[m]), a->metal[m] + 1, a->element, a->partner[m] + 1,
                         a->metal_distance[m]);
            if (w > 0 && (size_t)w < sizeof dists - du)
                du += (size_t)w;
        }
        table_int(t, step);
        table_fmt(t, "%s-%s", a->element, a->element);
        table_int(t, a->i + 1);
        table_int(t, a->j + 1);
        table_fixed(t, a->length, 6);
        table_fixed(t, ref, 6);
        table_fixed(t, a->length - ref, 6);
        table_fixed(t, 100.0 * (a->length - ref) / ref, 3);
        table_str(t, a->mode);
        table_str(t, metals);
        table_str(t, dists);
    }
    free(ads);
    return EXIT_OK;
}

int cmd_geom(int argc, char **argv)
{
    output_opts out = {0};
    geom_opts o = {.mode = MODE_NEIGHBOURS, .cutoff = NAN, .tolerance = 1.2, .max_length = 1.7,
                   .ref = NAN};
    const char *step_arg = NULL, *species = NULL;
    enum { OPT_CN = 256, OPT_ADS, OPT_GAS, OPT_REF, OPT_MAXLEN, OPT_METALS, OPT_STEP, OPT_SPECIES };
    static const struct option longopts[] = {
        OUTPUT_LONGOPTS,
        {"cutoff", required_argument, 0, 'c'},
        {"pairs", required_argument, 0, 'P'},
        {"tolerance", required_argument, 0, 't'},
        {"cn", no_argument, 0, OPT_CN},
        {"adsorbate", required_argument, 0, OPT_ADS},
        {"gas", required_argument, 0, OPT_GAS},
        {"ref", required_argument, 0, OPT_REF},
        {"max-length", required_argument, 0, OPT_MAXLEN},
        {"metals", no_argument, 0, OPT_METALS},
        {"step", required_argument, 0, OPT_STEP},
        {"species", required_argument, 0, OPT_SPECIES},
        {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:hc:P:t:", longopts, NULL)) != -1) {
        char *end = NULL;
        double *num = NULL;
        switch (opt) {
        case 'h': fputs(HELP, stdout); return EXIT_OK;
        case 'c': num = &o.cutoff; break;
        case 't': num = &o.tolerance; break;
        case OPT_REF: num = &o.ref; break;
        case OPT_MAXLEN: num = &o.max_length; break;
        case 'P': o.pairs = optarg; break;
        case OPT_CN: o.mode = MODE_CN; break;
        case OPT_METALS: o.mode = MODE_METALS; break;
        case OPT_ADS:
            o.mode = MODE_ADSORBATE;
            o.adsorbate = optarg;
            if (strcmp(optarg, "O2") && strcmp(optarg, "N2") && strcmp(optarg, "auto")) {
                complain("geom", "bad --adsorbate \"%s\" (use O2, N2 or auto)", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_GAS: o.gas = optarg; break;
        case OPT_STEP: step_arg = optarg; break;
        case OPT_SPECIES: species = optarg; break;
        default:
            if (output_option(&out, opt, optarg) != 1) {
                fputs(HELP, stderr);
                return EXIT_USAGE;
            }
        }
        if (num) {
            *num = strtod(optarg, &end);
            if (*end || end == optarg || !(*num > 0) || !isfinite(*num)) {
                complain("geom", "bad number \"%s\" for --%s", optarg,
                         opt == 'c' ? "cutoff" : opt == 't' ? "tolerance" : opt == OPT_REF ? "ref"
                                                                                : "max-length");
                return EXIT_USAGE;
            }
        }
    }
    if (optind != argc - 1) {
        complain("geom", optind >= argc ? "no FILE given" : "one FILE at a time");
        fputs(HELP, stderr);
        return EXIT_USAGE;
    }
    if ((o.gas || !isnan(o.ref)) && o.mode != MODE_ADSORBATE) {
        complain("geom", "--gas and --ref go with --adsorbate");
        return EXIT_USAGE;
    }
    if (o.gas && !isnan(o.ref)) {
        complain("geom", "use --gas or --ref, not both");
        return EXIT_USAGE;
    }
    if (isnan(o.cutoff))
        o.cutoff = o.mode == MODE_METALS ? 5.0 : 3.0;
    long want_step = -1; /* -1 last, -2 all */
    if (step_arg) {
        char *end;
        want_step = strcmp(step_arg, "all") ? strtol(step_arg, &end, 10) : -2;
        if (want_step != -2 && (*end || want_step < 0)) {
            complain("geom", "bad --step \"%s\" (a step number from 1, 0 for the input "
                     "structure, or all)", step_arg);
            return EXIT_USAGE;
        }
    }
    if (o.gas && gas_reference(&o, species))
        return EXIT_BAD_INPUT;

    const char *path = argv[optind];
    dp_read_opts ro = {.skip_dos = true, .all_frames = step_arg != NULL, .species = species};
    dp_run *run = load_run(path, &ro);
    if (!run)
        return EXIT_BAD_INPUT;
    if (run->nframes == 0) {
        complain("geom", "%s: no complete structure in the file", path);
        dp_run_free(run);
        return EXIT_BAD_INPUT;
    }
    /* frames[k] is ionic step first_frame_step + k + 1, counting the input structure as 0 */
    int first = run->first_frame_step + 1, last = first + run->nframes - 1;
    int from = last, to = last;
    if (want_step == -2)
        from = first;
    else if (want_step >= 0) {
        if (want_step < first || want_step > last) {
            complain("geom", "%s: step %ld is not in the file (it has steps %d-%d%s)", path,
                     want_step, first, last, first == 0 ? ", 0 = input structure" : "");
            dp_run_free(run);
            return EXIT_USAGE;
        }
        from = to = (int)want_step;
    }

    static const char *const COLS[] = {
        [MODE_NEIGHBOURS] = "step,i,j,element_i,element_j,distance",
        [MODE_CN] = "step,atom,element,cn,neighbours",
        [MODE_ADSORBATE] = "step,pair,i,j,length,ref,elongation,elongation_pct,mode,metals,"
                           "metal_distances",
        [MODE_METALS] = "step,i,j,element_i,element_j,distance"};
    table *t = table_new(COLS[o.mode]);
    table_meta(t, "dftpost geom %s", path);
    table_meta(t, "distances in Å, periodic minimum image; atoms numbered from 1");
    if (o.mode == MODE_NEIGHBOURS || o.mode == MODE_METALS)
        table_meta(t, "pairs closer than %.3f Å%s%s", o.cutoff, o.pairs ? "; pairs " : "",
                   o.pairs ? o.pairs : "");
    else
        table_meta(t, "bonded: d < %.3f × (r_i + r_j), covalent radii of Cordero et al. 2008",
                   o.tolerance);
    if (o.mode == MODE_ADSORBATE)
        table_meta(t, "X–X units shorter than %.3f Å; ref: %s", o.max_length,
                   !isnan(o.ref) ? "--ref" : o.gas ? o.gas : "gas-phase defaults O2 1.21 Å, N2 1.10 Å");
    int status = EXIT_OK;
    for (int s = from; s <= to && !status; s++) {
        const dp_frame *f = &run->frames[s - first];
        switch (o.mode) {
        case MODE_NEIGHBOURS: status = pairs_table(t, run, f, s, &o, false); break;
        case MODE_METALS: status = pairs_table(t, run, f, s, &o, true); break;
        case MODE_CN: status = cn_table(t, run, f, s, &o); break;
        case MODE_ADSORBATE: status = adsorbate_table(t, run, f, s, &o); break;
        }
    }
    if (!status && o.mode == MODE_ADSORBATE && t->nrows == 0)
        fprintf(stderr, "dftpost geom: %s: no %s unit shorter than %.2f Å\n", path,
                o.adsorbate, o.max_length);
    if (!status)
        status = output_table(&out, t);
    table_free(t);
    dp_run_free(run);
    return status;
}
