/* dftpost ads: adsorption energies E(AB) − E(A) − Σ nᵢ E(refᵢ), the coefficients solved
 * from the compositions, the runs checked for comparability before subtracting. */
#include "../analysis/ads.h"
#include "common.h"
#include "energy_input.h"

#include <getopt.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost ads AB A --ref NAME=FILE|ENERGY ... [options]\n"
    "       dftpost ads --substrate A --ref NAME=FILE|ENERGY ... AB1 AB2 ... [options]\n"
    "\n"
    "Adsorption energy  E_ads = E(AB) - E(A) - Σ n_i E(ref_i)  in eV, one row per AB.\n"
    "AB (adsorbate on the site) and A (the clean site) are output files of any code dftpost\n"
    "reads (OSZICAR, OUTCAR, vasprun.xml, pw.x output, QE XML ...) or numbers in eV. A\n"
    "file gives the last complete ionic step's e_sigma0 (VASP energy(sigma->0) = E0 of\n"
    "OSZICAR; pw.x: the mean of F and F+TS), as `dftpost energy` prints it.\n"
    "\n"
    "The coefficients n_i are not typed: they are solved exactly from the composition\n"
    "difference AB - A (element counts of the runs) and the references' compositions,\n"
    "and printed as fractions (1/2). The system must have exactly one solution: an\n"
    "element of AB - A that no reference contains, references that cannot balance it,\n"
    "or more references than needed (linearly dependent, e.g. H2O, H2 and O2) are\n"
    "errors naming the element or the references. A reference unused by every row is a\n"
    "warning. Negative numbers may stand for AB and A (-10 -3) anywhere on the line.\n"
    "Comparability: every pair of runs (AB, A, file references) is checked with\n"
    "dp_runs_differ, and runs of different codes (VASP vs QE) never combine. Settings\n"
    "come from the files (VASP: vasprun.xml, OUTCAR, or the INCAR and POTCAR_info beside\n"
    "an OSZICAR; Quantum ESPRESSO: pw.x output, XML; `dftpost info` shows them); numbers\n"
    "are not checked.\n"
    "\n"
    "  -r, --ref NAME=FILE|ENERGY  a gas reference (repeat). NAME is its formula (H2O,\n"
    "                         H2, O2, N2, CO, CO2, NH3 ...: element symbols and counts,\n"
    "                         no coefficient), which gives a number its composition; a\n"
    "                         FILE's atoms must match NAME\n"
    "  -s, --substrate A      the clean site, for several AB files in one call\n"
    "      --adsorbate FORMULA  the composition of AB - A (e.g. O, OH, OOH, O2); required\n"
    "                         when AB or A is a number, checked against the runs when both\n"
    "                         are files\n"
    "      --ref-set SET      the usual references, documented in the output and checked\n"
    "                         (every --ref must belong to the set; the energies are still\n"
    "                         given with --ref):\n"
    "%s"
    "      --energy usual|sigma0|free  which energy of a file: each code's usual one\n"
    "                         (default: VASP e_sigma0 = energy(sigma->0), E0 of OSZICAR;\n"
    "                         Quantum ESPRESSO e_free = the \"!    total energy\"), or\n"
    "                         e_sigma0 / e_free for every file (VASP F = TOTEN)\n"
    "      --allow-mixed      runs whose settings differ (dp_runs_differ: code, functional,\n"
    "                         ENCUT, PREC, LASPH, LDAU(+U values), IVDW, ISPIN, ISMEAR,\n"
    "                         SIGMA, POTCAR ...) are subtracted anyway, with a warning on\n"
    "                         stderr, in the TSV metadata and in the row's comparability\n"
    "                         column. Without it such a pair is an error (exit 1) naming\n"
    "                         both runs and the settings\n"
    OUTPUT_HELP
    "\n"
    "Columns: ab, ab_kind, substrate, substrate_kind, adsorbate, e_ab, e_substrate,\n"
    "reference_sum (Σ n_i E(ref_i)), e_ads, equation (\"E_ads = E(AB) - E(A) - 1*E(H2O)\n"
    "+ 1*E(H2)\"), references (each NAME: energy, kind, source), comparability (\"ok\", \"ok\n"
    "(numbers not checked)\" or \"mixed: ...\"). kind: e_sigma0, e_free or given.\n"
    "\n"
    "Exit status: 0 ok, 1 bad input (unreadable run, compositions that do not balance,\n"
    "runs not comparable), 2 usage error (options, a NAME that is not a formula, a\n"
    "duplicate reference).\n";

#define MAX_AB 4096

typedef struct {
    char name[64];
    dp_composition comp;
    energy_input in;
} reference;

typedef struct {
    energy_choice energy;
    bool allow_mixed;
    table *t;
    char mixed[2048]; /* this row's differences, "; "-joined */
    int nmixed;
} ctx;

static void on_mismatch(const char *line, void *ud)
{
    ctx *c = ud;
    c->nmixed++;
    fprintf(stderr, "dftpost ads: %s: %s\n", c->allow_mixed ? "warning: mixed settings" : "error",
            line);
    if (c->allow_mixed)
        table_meta(c->t, "warning: mixed settings allowed (--allow-mixed): %s", line);
    size_t len = strlen(c->mixed);
    if (len + 4 < sizeof c->mixed)
        snprintf(c->mixed + len, sizeof c->mixed - len, "%s%s", len ? "; " : "", line);
}

/* Reads an energy (the choice of --energy). Prints the run's warnings. */
static int read_energy(const char *arg, energy_input *e, energy_choice choice)
{
    char msg[1024];
    if (energy_input_read_as(arg, choice, e, msg, sizeof msg)) {
        fprintf(stderr, "dftpost ads: %s\n", msg);
        return -1;
    }
    if (e->run)
        for (int i = 0; i < e->run->nwarnings; i++)
            fprintf(stderr, "dftpost ads: warning: %s\n", e->run->warnings[i]);
    return 0;
}

static int run_composition(const energy_input *e, dp_composition *c)
{
    char sym[DP_ADS_MAX_ELEMENTS][4];
    int cnt[DP_ADS_MAX_ELEMENTS];
    int n = energy_input_composition(e, sym, cnt, DP_ADS_MAX_ELEMENTS);
    memset(c, 0, sizeof *c);
    dp_error err = {0};
    for (int i = 0; i < n; i++)
        if (dp_composition_add(c, sym[i], cnt[i], &err)) {
            fprintf(stderr, "dftpost ads: %s: %s\n", e->source, err.msg);
            return -1;
        }
    if (n < 0) {
        fprintf(stderr, "dftpost ads: %s: more than %d elements\n", e->source, DP_ADS_MAX_ELEMENTS);
        return -1;
    }
    return 0;
}

/* --ref NAME=VALUE: parses NAME, reads VALUE. Returns an exit code. */
static int parse_ref(const char *arg, reference *r, const reference *refs, int nref,
                     energy_choice free_e)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1] || (size_t)(eq - arg) >= sizeof r->name) {
        complain("ads", "--ref wants NAME=FILE or NAME=ENERGY (e.g. H2O=-14.22), not \"%s\"", arg);
        return EXIT_USAGE;
    }
    memcpy(r->name, arg, (size_t)(eq - arg));
    r->name[eq - arg] = 0;
    dp_error err = {0};
    if (dp_composition_parse(r->name, &r->comp, &err)) {
        complain("ads", "--ref %s: %s", arg, err.msg);
        return EXIT_USAGE;
    }
    for (int j = 0; j < nref; j++)
        if (dp_composition_equal(&refs[j].comp, &r->comp)) {
            complain("ads", "--ref %s: a second reference of the same composition as %s", r->name,
                     refs[j].name);
            return EXIT_USAGE;
        }
    if (read_energy(eq + 1, &r->in, free_e))
        return EXIT_BAD_INPUT;
    if (r->in.run) {
        dp_composition file;
        if (run_composition(&r->in, &file))
            return EXIT_BAD_INPUT;
        if (!dp_composition_equal(&file, &r->comp)) {
            char f[256];
            dp_composition_format(&file, f, sizeof f);
            complain("ads", "--ref %s: %s holds %s, not %s", r->name, r->in.source, f, r->name);
            return EXIT_BAD_INPUT;
        }
    }
    return EXIT_OK;
}

/* "O2H" from the runs, or --adsorbate; checked against each other. */
static int row_delta(const energy_input *ab, const energy_input *a, const dp_composition *given,
                     dp_composition *delta)
{
    bool ab_atoms = ab->run && ab->run->natoms > 0, a_atoms = a->run && a->run->natoms > 0;
    if (!ab_atoms || !a_atoms) {
        const energy_input *e = !ab_atoms ? ab : a;
        if (!given) {
            if (e->run)
                complain("ads", "%s: the run names no atoms (no structure beside it?), so AB - A "
                         "is unknown: give it with --adsorbate", e->source);
            else
                complain("ads", "%s is a number: give the composition of AB - A with "
                         "--adsorbate", e->source);
            return e->run ? EXIT_BAD_INPUT : EXIT_USAGE;
        }
        *delta = *given;
        return EXIT_OK;
    }
    dp_composition cab, ca;
    dp_error err = {0};
    if (run_composition(ab, &cab) || run_composition(a, &ca))
        return EXIT_BAD_INPUT;
    if (dp_composition_diff(&cab, &ca, delta, &err)) {
        complain("ads", "%s - %s: %s", ab->source, a->source, err.msg);
        return EXIT_BAD_INPUT;
    }
    /* Hydrogen last, as adsorbates are written (OH, O2H), whatever the runs' order. */
    dp_composition ordered = {0};
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < delta->n; i++)
            if ((strcmp(delta->symbol[i], "H") == 0) == (pass == 1))
                dp_composition_add(&ordered, delta->symbol[i], delta->count[i], &err);
    *delta = ordered;
    if (given && !dp_composition_equal(given, delta)) {
        char g[256], d[256];
        dp_composition_format(given, g, sizeof g);
        dp_composition_format(delta, d, sizeof d);
        complain("ads", "--adsorbate %s, but %s - %s is %s", g, ab->source, a->source,
                 d[0] ? d : "nothing");
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

static void append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

static int check_inputs(const energy_input *const *in, int n, ctx *c)
{
    return energy_inputs_check(in, n, on_mismatch, c);
}

static int compute(ctx *c, char **abs, int nab, energy_input *sub, reference *refs, int nref,
                   const dp_composition *given)
{
    const char *names[DP_ADS_MAX_REFS];
    dp_composition comps[DP_ADS_MAX_REFS];
    for (int j = 0; j < nref; j++) {
        names[j] = refs[j].name;
        comps[j] = refs[j].comp;
    }
    /* The shared inputs once: the substrate against the references and those among
     * themselves; then each AB against all of them. */
    const energy_input *shared[DP_ADS_MAX_REFS + 1] = {sub};
    for (int j = 0; j < nref; j++)
        shared[j + 1] = &refs[j].in;
    char shared_mixed[2048];
    int shared_n = check_inputs(shared, nref + 1, c);
    snprintf(shared_mixed, sizeof shared_mixed, "%s", c->mixed);
    bool numbers = !sub->run;
    for (int j = 0; j < nref; j++)
        numbers |= !refs[j].in.run;
    char refdesc[2048] = "";
    for (int j = 0; j < nref; j++) {
        char v[64];
        snprintf(v, sizeof v, "%.10g eV", refs[j].in.energy);
        append(refdesc, sizeof refdesc, "%s%s: %s %s", refdesc[0] ? "; " : "", refs[j].name, v,
               refs[j].in.kind);
        if (refs[j].in.run)
            append(refdesc, sizeof refdesc, " %s", refs[j].in.source);
    }
    bool used[DP_ADS_MAX_REFS] = {false};
    int bad = 0, status = EXIT_OK;
    for (int i = 0; i < nab && status == EXIT_OK; i++) {
        energy_input ab;
        if (read_energy(abs[i], &ab, c->energy)) {
            status = EXIT_BAD_INPUT;
            break;
        }
        /* Settings first: a pair that may not be subtracted is reported as such, even
         * when its compositions would not balance either. */
        snprintf(c->mixed, sizeof c->mixed, "%s", shared_mixed);
        c->nmixed = shared_n;
        for (int j = 0; j < nref + 1; j++) {
            const energy_input *pair[2] = {&ab, shared[j]};
            check_inputs(pair, 2, c);
        }
        int row_bad = c->nmixed - shared_n;
        bad += row_bad + (i == 0 ? shared_n : 0);
        if (c->nmixed && !c->allow_mixed) {
            energy_input_free(&ab);
            continue; /* report every row's differences, then fail */
        }
        dp_composition delta;
        dp_fraction coef[DP_ADS_MAX_REFS];
        dp_error err = {0};
        status = row_delta(&ab, sub, given, &delta);
        if (status == EXIT_OK && dp_ads_solve(&delta, comps, names, nref, coef, &err)) {
            complain("ads", "%s: %s", ab.source, err.msg);
            status = EXIT_BAD_INPUT;
        }
        if (status != EXIT_OK) {
            energy_input_free(&ab);
            break;
        }
        char eqn[1024] = "E_ads = E(AB) - E(A)", dstr[256], cmp[2300];
        double sum = 0;
        for (int j = 0; j < nref; j++) {
            if (coef[j].num == 0)
                continue;
            used[j] = true;
            dp_fraction mag = {coef[j].num < 0 ? -coef[j].num : coef[j].num, coef[j].den};
            char f[48];
            dp_fraction_format(mag, f, sizeof f);
            append(eqn, sizeof eqn, " %s %s*E(%s)", coef[j].num > 0 ? "-" : "+", f, refs[j].name);
            sum += dp_fraction_value(coef[j]) * refs[j].in.energy;
        }
        dp_composition_format(&delta, dstr, sizeof dstr);
        bool num_row = numbers || !ab.run;
        if (c->nmixed)
            snprintf(cmp, sizeof cmp, "mixed: %s", c->mixed);
        else
            snprintf(cmp, sizeof cmp, "ok%s", num_row ? " (numbers not checked)" : "");
        table *t = c->t;
        table_str(t, ab.source);
        table_str(t, ab.kind);
        table_str(t, sub->source);
        table_str(t, sub->kind);
        table_str(t, dstr);
        table_num(t, ab.energy);
        table_num(t, sub->energy);
        table_num(t, sum);
        table_num(t, ab.energy - sub->energy - sum);
        table_str(t, eqn);
        table_str(t, refdesc);
        table_str(t, cmp);
        energy_input_free(&ab);
    }
    if (status != EXIT_OK)
        return status;
    if (bad && !c->allow_mixed) {
        complain("ads", "runs with different settings cannot be subtracted (above); use "
                 "--allow-mixed to subtract them anyway");
        return EXIT_BAD_INPUT;
    }
    for (int j = 0; j < nref; j++)
        if (!used[j])
            fprintf(stderr, "dftpost ads: warning: reference %s is not used (coefficient 0)\n",
                    refs[j].name);
    return EXIT_OK;
}

/* Negative numbers (energies) as AB or A look like options to getopt: move every
 * argument that is a number and not an option's value behind a "--". */
static char **numbers_last(int argc, char **argv)
{
    static const char *const with_value[] = {"-r", "--ref", "-s", "--substrate", "--adsorbate",
                                             "--ref-set", "--energy", "-f", "--format", "-o",
                                             "--output"};
    char **out = malloc(((size_t)argc + 2) * sizeof *out);
    char **nums = malloc(((size_t)argc + 1) * sizeof *nums);
    if (!out || !nums) {
        free(out);
        free(nums);
        return NULL;
    }
    int n = 0, nnum = 0;
    out[n++] = argv[0];
    bool value_next = false, dashdash = false;
    for (int i = 1; i < argc; i++) {
        char *end;
        const char *a = argv[i];
        bool number = a[0] == '-' && a[1] && (strtod(a, &end), !*end);
        if (!dashdash && !value_next && number) {
            nums[nnum++] = argv[i];
            continue;
        }
        out[n++] = argv[i];
        if (dashdash)
            continue;
        if (!strcmp(a, "--")) {
            dashdash = true;
            continue;
        }
        value_next = false;
        for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
            value_next |= !strcmp(a, with_value[k]);
    }
    if (nnum && !dashdash)
        out[n++] = "--";
    for (int k = 0; k < nnum; k++)
        out[n++] = nums[k];
    out[n] = NULL;
    free(nums);
    return out;
}

static int ads_main(int argc, char **argv);

int cmd_ads(int argc, char **argv)
{
    char **av = numbers_last(argc, argv);
    if (!av) {
        complain("ads", "out of memory");
        return EXIT_BAD_INPUT;
    }
    int n = 0;
    while (av[n])
        n++;
    int st = ads_main(n, av);
    free(av);
    return st;
}

static int ads_main(int argc, char **argv)
{
    output_opts out = {FMT_TSV, NULL};
    const char *substrate = NULL, *set_name = NULL, *adsorbate = NULL, *energy = "usual";
    char *refargs[DP_ADS_MAX_REFS];
    int nrefarg = 0;
    ctx c = {0};
    enum { OPT_SET = 256, OPT_MIXED, OPT_ADS, OPT_ENERGY };
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"ref", required_argument, 0, 'r'},
                                             {"substrate", required_argument, 0, 's'},
                                             {"ref-set", required_argument, 0, OPT_SET},
                                             {"allow-mixed", no_argument, 0, OPT_MIXED},
                                             {"adsorbate", required_argument, 0, OPT_ADS},
                                             {"energy", required_argument, 0, OPT_ENERGY},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:hr:s:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h': {
            char sets[2048] = "";
            int ns;
            const dp_ads_ref_set *s = dp_ads_ref_sets(&ns);
            for (int i = 0; i < ns; i++) {
                size_t len = strlen(sets);
                snprintf(sets + len, sizeof sets - len, "                           %-7s %s\n",
                         s[i].name, s[i].doc);
            }
            printf(HELP, sets);
            return EXIT_OK;
        }
        case 'r':
            if (nrefarg == DP_ADS_MAX_REFS) {
                complain("ads", "at most %d --ref", DP_ADS_MAX_REFS);
                return EXIT_USAGE;
            }
            refargs[nrefarg++] = optarg;
            break;
        case 's':
            substrate = optarg;
            break;
        case OPT_SET:
            set_name = optarg;
            break;
        case OPT_MIXED:
            c.allow_mixed = true;
            break;
        case OPT_ADS:
            adsorbate = optarg;
            break;
        case OPT_ENERGY:
            energy = optarg;
            break;
        default: {
            int r = output_option(&out, opt, optarg);
            if (r != 1) {
                if (r == 0)
                    fputs("see dftpost ads --help\n", stderr);
                return EXIT_USAGE;
            }
        }
        }
    }
    if (!strcmp(energy, "usual"))
        c.energy = ENERGY_USUAL;
    else if (!strcmp(energy, "sigma0"))
        c.energy = ENERGY_SIGMA0;
    else if (!strcmp(energy, "free"))
        c.energy = ENERGY_FREE;
    else {
        complain("ads", "--energy usual|sigma0|free, not \"%s\"", energy);
        return EXIT_USAGE;
    }
    int npos = argc - optind;
    if (substrate ? npos < 1 : npos != 2) {
        complain("ads", substrate ? "give at least one AB file after --substrate A"
                                  : "give AB and A (or --substrate A and AB files); see --help");
        return EXIT_USAGE;
    }
    if (npos > MAX_AB) {
        complain("ads", "at most %d AB files per call", MAX_AB);
        return EXIT_USAGE;
    }
    const dp_ads_ref_set *set = NULL;
    if (set_name && !(set = dp_ads_ref_set_find(set_name))) {
        complain("ads", "unknown --ref-set \"%s\" (h2o-h2, o2, n2, co2)", set_name);
        return EXIT_USAGE;
    }
    dp_composition given;
    dp_error err = {0};
    if (adsorbate && dp_composition_parse(adsorbate, &given, &err)) {
        complain("ads", "--adsorbate: %s", err.msg);
        return EXIT_USAGE;
    }
    reference refs[DP_ADS_MAX_REFS];
    memset(refs, 0, sizeof refs);
    int nref = 0, status = EXIT_OK;
    energy_input sub = {0};
    c.t = table_new("ab,ab_kind,substrate,substrate_kind,adsorbate,e_ab,e_substrate,"
                    "reference_sum,e_ads,equation,references,comparability");
    for (int j = 0; j < nrefarg && status == EXIT_OK; j++) {
        status = parse_ref(refargs[j], &refs[j], refs, j, c.energy);
        nref = j + 1;
        if (status == EXIT_OK && set) {
            bool in_set = false;
            for (int k = 0; k < set->nref; k++) {
                dp_composition sc;
                dp_composition_parse(set->ref[k], &sc, &err);
                in_set |= dp_composition_equal(&sc, &refs[j].comp);
            }
            if (!in_set) {
                complain("ads", "--ref %s is not in --ref-set %s (%s)", refs[j].name, set->name,
                         set->doc);
                status = EXIT_USAGE;
            }
        }
    }
    const char *sub_arg = substrate ? substrate : argv[optind + 1];
    if (status == EXIT_OK && read_energy(sub_arg, &sub, c.energy))
        status = EXIT_BAD_INPUT;
    if (status == EXIT_OK) {
        table *t = c.t;
        table_meta(t, "dftpost ads: E_ads = E(AB) - E(A) - sum_i n_i E(ref_i), eV; n_i solved "
                   "from the compositions");
        table_meta(t, "energies: %s of the last complete ionic step of a file (kind per input "
                   "below); numbers as given",
                   c.energy == ENERGY_FREE     ? "e_free"
                   : c.energy == ENERGY_SIGMA0 ? "e_sigma0"
                                               : "each code's usual energy (VASP e_sigma0, QE e_free)");
        table_meta(t, "substrate A: %s (%s) = %.10g eV", sub.source, sub.kind, sub.energy);
        for (int j = 0; j < nref; j++)
            table_meta(t, "reference %s: %s (%s) = %.10g eV", refs[j].name, refs[j].in.source,
                       refs[j].in.kind, refs[j].in.energy);
        if (set)
            table_meta(t, "reference set %s: %s", set->name, set->doc);
        char **abs = substrate ? argv + optind : argv + optind;
        int nab = substrate ? npos : 1;
        status = compute(&c, abs, nab, &sub, refs, nref, adsorbate ? &given : NULL);
    }
    if (status == EXIT_OK)
        status = output_table(&out, c.t);
    energy_input_free(&sub);
    for (int j = 0; j < nref; j++)
        energy_input_free(&refs[j].in);
    table_free(c.t);
    return status;
}
