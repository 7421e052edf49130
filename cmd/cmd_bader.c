/* dftpost bader: Bader charges from a CHGCAR-type file or a Gaussian cube. */
#include "../analysis/bader.h"
#include "bader_zval.h"
#include "common.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *HELP =
    "usage: dftpost bader FILE [--ref FILE [FILE...]] [options]\n"
    "\n"
    "Bader charge analysis of the density in FILE (CHGCAR, CHG, AECCAR*, plain or .gz,\n"
    "or a Gaussian cube), as the Henkelman group's Bader program v1.05 does it, one row\n"
    "per atom:\n"
    "  atom, element, x, y, z, population, charge, min_dist, volume[, moment...]\n"
    "x, y, z in Å (Cartesian), population in e, charge = ZVAL - population (e; positive\n"
    "when the atom lost electrons), min_dist (Å) from the atom to the nearest point of its\n"
    "Bader surface (the program's MIN DIST), volume in Å³, and for spin-polarised files the\n"
    "magnetisation integrated over the atom's volume (moment, μB; noncollinear:\n"
    "moment_x, moment_y, moment_z). Each Bader maximum belongs to the nearest atom.\n"
    "Cube files are reported in Å and Å³ too (the program writes bohr there).\n"
    "\n"
    "  -r, --ref FILE [FILE...]  partition the reference density instead of FILE: the\n"
    "                         sum of the files given (e.g. --ref AECCAR0 AECCAR2 for the\n"
    "                         core-corrected partition; summed as they are read, no\n"
    "                         CHGCAR_sum is written); FILE's density is integrated over\n"
    "                         it. Every non-option argument after --ref is a reference\n"
    "                         file, so give FILE first. Grids must match FILE's (points\n"
    "                         and lattice)\n"
    "  -m, --method near-grid|weight|on-grid\n"
    "                         near-grid (default): near-grid ascent with edge refinement\n"
    "                         (Tang, Sanville & Henkelman, JPCM 21, 084204 (2009));\n"
    "                         weight: fractional assignment by flux (Yu & Trinkle, JCP\n"
    "                         134, 064111 (2011)); on-grid: steepest ascent on the grid\n"
    "                         (Henkelman et al., Comput. Mater. Sci. 36, 354 (2006);\n"
    "                         biased by the grid, for comparison only)\n"
    "      --vac off|auto|VALUE  vacuum: points of the reference density at or below the\n"
    "                         threshold belong to no atom (reported as vacuum charge and\n"
    "                         volume). VALUE in e/Å³. auto = the program's -vac auto:\n"
    "                         1e-3 in the file's own unit, i.e. 1e-3 e/Å³ for a CHGCAR\n"
    "                         and 1e-3 e/bohr³ (6.748e-3 e/Å³) for a cube. Default off\n"
    "      --zval El=N,...    valence electrons per element for the charge column;\n"
    "                         otherwise from a vasprun.xml or OUTCAR beside FILE, then a\n"
    "                         POTCAR beside it, and for a cube from its charge column\n"
    "                         unless that holds the atomic numbers (as pp.x writes it):\n"
    "                         then the charge is unknown (nan) and a warning says so\n"
    "  -g, --group SPEC       add a row summing these atoms (1-based indices, ranges,\n"
    "                         element symbols: \"O\", \"37,38\"); repeatable\n"
    "      --refine N         Fourier-interpolate the grids N× along each axis (FFT zero\n"
    "                         padding, Nyquist term split evenly) before the analysis.\n"
    "                         Measured on the QE Fe2O2 cube (80³), whose two Fe are\n"
    "                         mirror images (equal charges exactly): near-grid Fe1/Fe2 =\n"
    "                         7.619/7.394 e at 80³, 7.499/7.502 with --refine 2,\n"
    "                         7.532/7.462 with --refine 3; weight 7.556/7.447 at 80³,\n"
    "                         7.496/7.500 with --refine 2. Convergence is not monotonic:\n"
    "                         compare two factors. Costs N³ in time and memory; a density\n"
    "                         with core spikes (AECCAR0) rings\n"
    "      --threads N        threads for the parallel parts (near-grid edge refinement,\n"
    "                         the weight method's flux terms, surface distances);\n"
    "                         results do not depend on it. Default: all\n"
    "      --true-maxima      give each maximum to its nearest atom by its true position\n"
    "                         (default: reproduce the program, whose weight method shifts\n"
    "                         maxima by one voxel and whose rounding breaks ties)\n"
    OUTPUT_HELP
    "\n"
    "CHGCAR-type files hold ρ·V_cell; dftpost divides by V_cell on reading and reports\n"
    "electrons. TSV metadata: method, reference files, vacuum threshold, vacuum charge\n"
    "and volume, total electrons, number of maxima.\n"
    "\n"
    "Exit status: 0 ok, 1 bad input (unreadable or truncated file, grids that differ),\n"
    "2 usage error.\n";

#define MAX_GROUPS 16
#define MAX_REFS 16
#define BOHR3 0.148184711471 /* Å³ (0.529177210903³) */

static const char *const METHOD_NAME[] = {"near-grid", "weight", "on-grid"};

typedef struct {
    double start;
    int last;
} bar;

static void progress(const char *stage, double f, void *ud)
{
    bar *b = ud;
    int pct = (int)(100 * f);
    if (pct != b->last) {
        fprintf(stderr, "\rbader: %-10s %3d%%", stage, pct);
        b->last = pct;
    }
}

/* Same points and lattice (to 1e-6 relative)? */
static bool grids_match(const dp_grid *a, const dp_grid *b)
{
    for (int i = 0; i < 3; i++) {
        if (a->n[i] != b->n[i])
            return false;
        for (int j = 0; j < 3; j++)
            if (fabs(a->lattice[i][j] - b->lattice[i][j]) > 1e-6 * (1 + fabs(a->lattice[i][j])))
                return false;
    }
    return true;
}

static dp_run *load_grid(const char *path, bool total_only)
{
    dp_read_opts ro = {.skip_dos = true, .grid_total_only = total_only};
    dp_run *run = load_run(path, &ro);
    if (run && !run->has_grid) {
        complain("bader", "%s: no volumetric grid in this file (a CHGCAR-type file or a cube "
                 "is needed)", path);
        dp_run_free(run);
        return NULL;
    }
    return run;
}

/* The reference: the sum of the files, read one at a time. Returns the values (caller
 * frees) or NULL after an error message. */
static double *sum_refs(const dp_run *run, const char *path, const char **refs, int nrefs)
{
    double *sum = NULL;
    size_t np = (size_t)run->grid.n[0] * run->grid.n[1] * run->grid.n[2];
    for (int r = 0; r < nrefs; r++) {
        dp_run *x = load_grid(refs[r], true);
        if (!x) {
            free(sum);
            return NULL;
        }
        if (!grids_match(&run->grid, &x->grid)) {
            complain("bader", "%s and %s: the grids differ (%d×%d×%d vs %d×%d×%d points, or "
                     "the lattice)", path, refs[r], run->grid.n[0], run->grid.n[1],
                     run->grid.n[2], x->grid.n[0], x->grid.n[1], x->grid.n[2]);
            dp_run_free(x);
            free(sum);
            return NULL;
        }
        if (!sum) {
            sum = x->grid.values; /* the first one is the accumulator */
            x->grid.values = NULL;
        } else {
            for (size_t c = 0; c < np; c++)
                sum[c] += x->grid.values[c];
        }
        dp_run_free(x);
    }
    return sum;
}

/* One row: sums over the atoms in mask. */
static void row(table *t, const dp_run *run, const dp_bader_result *r, const double *zv,
                const bool *mask, const char *label, const char *element, bool single)
{
    double pop = 0, zval = 0, vol = 0, mom[3] = {0, 0, 0}, md = NAN, xyz[3] = {NAN, NAN, NAN};
    for (int a = 0; a < run->natoms; a++) {
        if (!mask[a])
            continue;
        pop += r->population[a];
        vol += r->volume[a];
        zval += zv[run->atom_type[a]];
        for (int m = 0; m < r->nmag; m++)
            mom[m] += r->moment[(size_t)m * run->natoms + a];
        if (single) {
            md = r->min_dist[a];
            const double *f = run->frames[run->nframes - 1].frac[a];
            for (int j = 0; j < 3; j++)
                xyz[j] = run->grid.origin[j] + f[0] * run->grid.lattice[0][j] +
                         f[1] * run->grid.lattice[1][j] + f[2] * run->grid.lattice[2][j];
        }
    }
    table_str(t, label);
    table_str(t, element);
    for (int j = 0; j < 3; j++)
        table_fixed(t, xyz[j], 6);
    table_fixed(t, pop, 6);
    table_fixed(t, zval - pop, 6);
    table_fixed(t, md, 6);
    table_fixed(t, vol, 6);
    for (int m = 0; m < r->nmag; m++)
        table_fixed(t, mom[m], 6);
}

static void mask_formula(const dp_run *run, const bool *mask, char *out, size_t size)
{
    out[0] = '\0';
    for (int s = 0; s < run->ntypes; s++) {
        bool seen = false;
        for (int u = 0; u < s; u++)
            seen = seen || !strcmp(run->species[u].symbol, run->species[s].symbol);
        int n = 0;
        for (int a = 0; a < run->natoms && !seen; a++)
            n += mask[a] && !strcmp(run->species[run->atom_type[a]].symbol, run->species[s].symbol);
        size_t u = strlen(out);
        if (n)
            snprintf(out + u, size - u, n > 1 ? "%s%d" : "%s", run->species[s].symbol, n);
    }
}

typedef struct {
    output_opts out;
    const char *file, *refs[MAX_REFS], *groups[MAX_GROUPS], *zval, *vac;
    int nrefs, ngroups, refine, nfiles;
    dp_bader_opts bo;
} args;

/* 1 ok, otherwise the exit code. */
static int parse_args(int argc, char **argv, args *a)
{
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"ref", required_argument, 0, 'r'},
                                             {"method", required_argument, 0, 'm'},
                                             {"vac", required_argument, 0, 'V'},
                                             {"zval", required_argument, 0, 'Z'},
                                             {"group", required_argument, 0, 'g'},
                                             {"refine", required_argument, 0, 'R'},
                                             {"threads", required_argument, 0, 'T'},
                                             {"true-maxima", no_argument, 0, 'X'},
                                             {0, 0, 0, 0}};
    a->bo = dp_bader_defaults();
    a->refine = 1;
    for (;;) {
        int opt = getopt_long(argc, argv, "+f:o:hr:m:g:", longopts, NULL);
        if (opt == -1) {
            if (optind >= argc)
                break;
            if (!strcmp(argv[optind], "--")) {
                optind++;
                continue;
            }
            a->nfiles++;
            a->file = argv[optind++]; /* FILE: options may follow it */
            continue;
        }
        char *end;
        long v;
        switch (opt) {
        case 'h':
            fputs(HELP, stdout);
            return EXIT_OK;
        case 'r':
            if (a->nrefs == MAX_REFS)
                return complain("bader", "at most %d --ref files", MAX_REFS), EXIT_USAGE;
            a->refs[a->nrefs++] = optarg;
            while (optind < argc && argv[optind][0] != '-' && a->nrefs < MAX_REFS)
                a->refs[a->nrefs++] = argv[optind++];
            break;
        case 'm':
            if (!strcmp(optarg, "near-grid") || !strcmp(optarg, "neargrid"))
                a->bo.method = DP_BADER_NEARGRID;
            else if (!strcmp(optarg, "weight"))
                a->bo.method = DP_BADER_WEIGHT;
            else if (!strcmp(optarg, "on-grid") || !strcmp(optarg, "ongrid"))
                a->bo.method = DP_BADER_ONGRID;
            else
                return complain("bader", "--method %s: near-grid, weight or on-grid", optarg),
                       EXIT_USAGE;
            break;
        case 'V':
            a->vac = optarg;
            if (strcmp(optarg, "off") && strcmp(optarg, "auto")) {
                double x = strtod(optarg, &end);
                if (end == optarg || *end || !isfinite(x) || x < 0)
                    return complain("bader", "--vac %s: off, auto or a density in e/Å³ (≥ 0)",
                                    optarg), EXIT_USAGE;
            }
            break;
        case 'Z':
            a->zval = optarg;
            break;
        case 'g':
            if (a->ngroups == MAX_GROUPS)
                return complain("bader", "at most %d --group options", MAX_GROUPS), EXIT_USAGE;
            a->groups[a->ngroups++] = optarg;
            break;
        case 'R':
        case 'T':
            v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > (opt == 'R' ? 8 : 1024))
                return complain("bader", "--%s %s: a whole number from 1 to %d",
                                opt == 'R' ? "refine" : "threads", optarg, opt == 'R' ? 8 : 1024),
                       EXIT_USAGE;
            if (opt == 'R')
                a->refine = (int)v;
            else
                a->bo.threads = (int)v;
            break;
        case 'X':
            a->bo.program_compat = false;
            break;
        default:
            if (output_option(&a->out, opt, optarg) != 1) {
                fputs(HELP, stderr);
                return EXIT_USAGE;
            }
        }
    }
    if (a->nfiles != 1)
        return complain("bader", a->nfiles ? "one FILE at a time" : "no FILE given"), EXIT_USAGE;
    return 1;
}

/* Replaces g's values and magnetisation by their refined versions (and ref in step). */
static int refine_grids(dp_grid *g, double **ref, int factor, const char *path)
{
    dp_error err;
    dp_grid fine;
    if (dp_grid_refine(g, factor, &fine, &err))
        return complain("bader", "%s: %s", path, err.msg), EXIT_BAD_INPUT;
    if (*ref) {
        dp_grid r = *g, rf;
        r.values = *ref, r.nmag = 0;
        if (dp_grid_refine(&r, factor, &rf, &err)) {
            free(fine.values);
            for (int m = 0; m < 3; m++)
                free(fine.mag[m]);
            return complain("bader", "%s: %s", path, err.msg), EXIT_BAD_INPUT;
        }
        free(*ref);
        *ref = rf.values;
    }
    free(g->values);
    for (int m = 0; m < 3; m++)
        free(g->mag[m]);
    *g = fine;
    return EXIT_OK;
}

int cmd_bader(int argc, char **argv)
{
    args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != 1)
        return rc;
    dp_run *run = load_grid(a.file, false);
    if (!run)
        return EXIT_BAD_INPUT;
    int status = EXIT_OK;
    double *ref = NULL, *zv = NULL;
    bool *mask = NULL;
    table *t = NULL;
    dp_bader_result res = {0};
    bool cube = !strcmp(run->grid.format, "cube");
    if (strcmp(run->grid.quantity, "density"))
        fprintf(stderr, "dftpost bader: warning: %s holds a %s, not a density\n", a.file,
                run->grid.quantity);
    if (a.nrefs && !(ref = sum_refs(run, a.file, a.refs, a.nrefs))) {
        status = EXIT_BAD_INPUT;
        goto done;
    }
    if (a.refine > 1 && (status = refine_grids(&run->grid, &ref, a.refine, a.file)))
        goto done;
    if (a.vac && strcmp(a.vac, "off")) {
        a.bo.vacuum = true;
        a.bo.vacuum_threshold = !strcmp(a.vac, "auto") ? (cube ? 1e-3 / BOHR3 : 1e-3)
                                                       : strtod(a.vac, NULL);
    }
    bar b = {.last = -1};
    if (isatty(STDERR_FILENO))
        a.bo.progress = progress, a.bo.progress_ud = &b;
    dp_grid refgrid = run->grid;
    if (ref)
        refgrid.values = ref, refgrid.nmag = 0;
    dp_error err;
    dp_status st = dp_bader_run(&refgrid, &run->grid, &run->frames[run->nframes - 1], run->natoms,
                                &a.bo, &res, &err);
    if (b.last >= 0)
        fputs("\r\033[K", stderr);
    if (st) {
        complain("bader", "%s: %s", a.file, err.msg);
        status = st == DP_ERR_USAGE ? EXIT_BAD_INPUT : EXIT_BAD_INPUT;
        goto done;
    }
    zv = malloc((size_t)(run->ntypes ? run->ntypes : 1) * sizeof *zv);
    mask = calloc((size_t)run->natoms, sizeof *mask);
    if (!zv || !mask) {
        complain("bader", "out of memory");
        status = EXIT_BAD_INPUT;
        goto done;
    }
    char source[2400];
    rc = bader_zval(run, a.file, a.zval, zv, source, sizeof source);
    if (rc) {
        complain("bader", rc == -1 ? "--zval %s: expected El=N[,El=N...]"
                                   : "--zval %s: an element that is not in the file", a.zval);
        status = EXIT_USAGE;
        goto done;
    }
    for (int s = 0; s < run->ntypes; s++)
        if (isnan(zv[s]))
            fprintf(stderr, "dftpost bader: warning: ZVAL of %s unknown (no --zval, no "
                    "vasprun.xml, OUTCAR or POTCAR beside %s%s): its charge is nan\n",
                    run->species[s].symbol, a.file, cube ? ", and the cube's charge column is "
                    "not a valence" : "");
    const char *cols3[] = {"", ",moment", "", ",moment_x,moment_y,moment_z"};
    char cols[200];
    snprintf(cols, sizeof cols, "atom,element,x,y,z,population,charge,min_dist,volume%s",
             cols3[res.nmag]);
    t = table_new(cols);
    table_meta(t, "dftpost bader %s", a.file);
    table_meta(t, "method: %s (as the Bader program v1.05)%s", METHOD_NAME[a.bo.method],
               a.bo.program_compat ? "" : ", maxima by their true position");
    if (a.nrefs) {
        char list[2048] = "";
        for (int r = 0; r < a.nrefs; r++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", r ? " + " : "",
                     a.refs[r]);
        table_meta(t, "reference density (partitioned): %s", list);
    } else {
        table_meta(t, "reference density (partitioned): %s itself", a.file);
    }
    if (a.refine > 1)
        table_meta(t, "grid Fourier-interpolated %d× per axis: %d×%d×%d points", a.refine,
                   run->grid.n[0], run->grid.n[1], run->grid.n[2]);
    if (a.bo.vacuum)
        table_meta(t, "vacuum threshold: %.6g e/Å³%s", a.bo.vacuum_threshold,
                   !strcmp(a.vac, "auto") ? (cube ? " (auto: 1e-3 e/bohr³)" : " (auto)") : "");
    else
        table_meta(t, "vacuum threshold: off");
    table_meta(t, "vacuum charge: %.6f e", res.vacuum_charge);
    table_meta(t, "vacuum volume: %.6f Å³", res.vacuum_volume);
    table_meta(t, "total electrons: %.6f", res.total_electrons);
    table_meta(t, "maxima: %d", res.nmaxima);
    table_meta(t, "units: x, y, z, min_dist Å; population, charge e; volume Å³%s",
               res.nmag ? "; moment μB" : "");
    if (!cube)
        table_meta(t, "CHGCAR values are ρ·V_cell; dftpost divides them by V_cell and reports "
                   "electrons");
    table_meta(t, "charge = ZVAL - population, ZVAL from %s", *source ? source : "nowhere (nan)");
    for (int at = 0; at < run->natoms; at++) {
        char label[16];
        snprintf(label, sizeof label, "%d", at + 1);
        memset(mask, 0, (size_t)run->natoms);
        mask[at] = true;
        row(t, run, &res, zv, mask, label, run->species[run->atom_type[at]].symbol, true);
    }
    for (int g = 0; g < a.ngroups; g++) {
        memset(mask, 0, (size_t)run->natoms);
        if (dp_select_atoms(run, a.groups[g], mask, &err)) {
            complain("bader", "--group %s: %s", a.groups[g], err.msg);
            status = EXIT_USAGE;
            goto done;
        }
        char label[300], formula[256];
        snprintf(label, sizeof label, "group:%s", a.groups[g]);
        mask_formula(run, mask, formula, sizeof formula);
        row(t, run, &res, zv, mask, label, formula, false);
    }
    status = output_table(&a.out, t);
done:
    table_free(t);
    dp_bader_result_free(&res);
    free(ref), free(zv), free(mask);
    dp_run_free(run);
    return status;
}
