/* dftpost fed: free-energy diagrams with the computational hydrogen electrode from a SPEC
 * of references, catalysts and their states (energies as numbers or output files). */
#include "common.h"
#include "fed_cmd.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost fed SPEC [--U LIST] [--pH X] [--T K] [--svg FILE] [--allow-mixed]\n"
    "                        [--summary] [options]\n"
    "       dftpost fed --defaults [options]\n"
    "\n"
    "Free-energy diagrams of electrocatalytic mechanisms with the computational hydrogen\n"
    "electrode (Norskov et al., J. Phys. Chem. B 108, 17886 (2004)): each state's free\n"
    "energy G = E + correction, (H+ + e-) at 1/2 G(H2) - eU (RHE), the step free\n"
    "energies, the limiting potential U_L, the potential-determining step (PDS) and the\n"
    "overpotential of every catalyst in the SPEC.\n"
    "\n"
    "SPEC (format in testdata/fed/README.md): a text file, one keyword per line, '#'\n"
    "comments:\n"
    "  T 298.15  |  pH 0                         conditions (the options override them)\n"
    "  mechanism orr_4e her                      mechanisms of the catalysts below\n"
    "  molecule H2 -6.77 [CORR]                  a reference: energy (eV) or any output\n"
    "  molecule H2O path/OUTCAR [CORR]           file dftpost reads (VASP e_sigma0,\n"
    "                                            Quantum ESPRESSO e_free)\n"
    "  molecule O2 rule 2*H2O -2*H2 4.92         a molecule fixed by experiment\n"
    "  custom NAME reduction|oxidation [e0 V]    a mechanism of your own, then its levels:\n"
    "  level SITE pairs K [with 2*H2O ...]       SITE a state label (*OH) or - (none); K\n"
    "                                            (H+ + e-) pairs transferred since the\n"
    "                                            first level (>= 0, non-decreasing)\n"
    "  catalyst NAME [mechanism M...]            a catalyst, then its states:\n"
    "  state LABEL ENERGY|FILE [CORR]            LABEL *, *H, *OH, *O, *OOH, *COOH ...\n"
    "CORR: zpe X ts X cp X | gcorr X | nocorr | freq FILE [cutoff CM]\n"
    "      [gas SYM SPIN [structure FILE] [pressure PA]]  (frequencies: harmonic, or ideal\n"
    "      gas, as `dftpost thermo`, at --T). Without CORR the shipped table is used\n"
    "      (dftpost fed --defaults; 0 with a warning for a species it lacks). Relative\n"
    "      paths are taken from the SPEC's folder.\n"
    "\n"
    "Built-in mechanisms (the states each needs):\n"
    "  her                  *, *H (Volmer-Heyrovsky: * -> *H -> * + H2; U_L = -|dG_H|)\n"
    "  orr_4e, oer_4e       *, *OH, *O, *OOH (associative; O2 by the 4.92 eV rule)\n"
    "  orr_4e_dissociative  *, *O, *OH (per O atom: 1/2 O2 -> *O chemical, -> *OH -> H2O)\n"
    "  orr_2e               *, *OOH (O2 -> *OOH -> H2O2; H2O2 by the 3.52 eV rule)\n"
    "  co2rr_co             *, *COOH, *CO (molecules CO2, CO)\n"
    "  co2rr_hcooh          *, *OCHO (molecules CO2, HCOOH)\n"
    "  nrr_distal           *, *NNH, *NNH2, *N, *NH, *NH2 (molecules N2, NH3)\n"
    "  nrr_alternating      *, *NNH, *NHNH, *NHNH2, *NH2NH2, *NH2\n"
    "  nrr_enzymatic        *, *N*N, *N*NH, *NH*NH, *NH*NH2, *NH2*NH2, *NH2\n"
    "H2 and H2O are always needed (H2 for the electrode).\n"
    "\n"
    "Output: one table. By default the steps, one row per catalyst, mechanism, step and U:\n"
    "  catalyst, mechanism, step, reaction, n, U, dG_0, dG_U, status\n"
    "(step 1-based; reaction e.g. \"*OOH + H+ + e- -> *O + H2O\"; n the (H+ + e-) pairs of\n"
    "the step, > 0 consumed, < 0 released, 0 chemical; dG_0 at U = 0 V vs RHE, dG_U =\n"
    "dG_0 + n*U_RHE; eV). --summary prints one row per catalyst and mechanism instead:\n"
    "  catalyst, mechanism, limiting_potential, limiting_potential_she, overpotential,\n"
    "  equilibrium_potential, pds, pds_reaction, dG_pds, dG_total, status\n"
    "(V vs RHE unless named _she; overpotential = E0 - U_L for a reduction, U_L - E0 for\n"
    "an oxidation, E0 the diagram's own equilibrium potential; pds the 1-based step).\n"
    "status: ok; mixed (runs differ, allowed by --allow-mixed); refused (no numbers: a\n"
    "state file unreadable, a state missing, runs not comparable, a composition that\n"
    "does not match the label); failed (the CHE analysis refused the diagram).\n"
    "TSV metadata: conditions, mechanisms, references with their sources, corrections\n"
    "used, the comparability result, refusals and warnings.\n"
    "\n"
    "  -U, --U LIST         electrode potentials, comma-separated (default 0): V vs RHE,\n"
    "                       or vs SHE when a pH is set\n"
    "      --pH X           pH: --U values are then vs SHE, U_RHE = U_SHE + kT ln10 pH\n"
    "  -T, --T K            temperature for frequency-derived corrections and the pH term\n"
    "                       (default 298.15; the shipped table is for 298.15 K)\n"
    "      --svg FILE       draw the diagrams (first --U value) as an SVG: levels, dashed\n"
    "                       connectors, one colour per catalyst, the PDS marked\n"
    "      --plot NAMES     catalysts to draw, comma-separated (default: the first 8\n"
    "                       computed)\n"
    "      --allow-mixed    use runs whose settings differ (a warning on stderr and in the\n"
    "                       metadata; status mixed) instead of refusing the catalyst\n"
    "      --summary        the summary table instead of the steps\n"
    "      --defaults       print the shipped corrections and reference rules, cited\n"
    OUTPUT_HELP
    "\n"
    "Every pair of runs whose energies are subtracted (a catalyst's states and the file\n"
    "references) is checked with dp_runs_differ (functional, cutoff, PAW set, U, spin,\n"
    "smearing...). A catalyst whose runs differ is refused, the others are computed.\n"
    "Exit status: 0 ok; 1 bad SPEC or reference (one line: SPEC, line, problem), or any\n"
    "catalyst refused (the tables still hold the others); 2 usage error.\n";

static int parse_list(const char *s, double *u, int max)
{
    int n = 0;
    const char *p = s;
    while (*p) {
        char *end;
        if (n == max)
            return -1;
        u[n] = strtod(p, &end);
        if (end == p || !isfinite(u[n]) || (*end && *end != ','))
            return -1;
        n++;
        p = *end ? end + 1 : end;
        if (*end == ',' && !*p)
            return -1;
    }
    return n;
}

int cmd_fed(int argc, char **argv)
{
    output_opts out = {FMT_TSV, NULL};
    const char *svg = NULL, *plot = NULL;
    bool summary = false, defaults = false, allow_mixed = false;
    double T = NAN, ph = NAN, u[FED_MAX_U] = {0};
    int nu = 0;
    enum { OPT_PH = 256, OPT_SVG, OPT_SUMMARY, OPT_DEFAULTS, OPT_MIXED, OPT_PLOT };
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"U", required_argument, 0, 'U'},
                                             {"T", required_argument, 0, 'T'},
                                             {"pH", required_argument, 0, OPT_PH},
                                             {"svg", required_argument, 0, OPT_SVG},
                                             {"plot", required_argument, 0, OPT_PLOT},
                                             {"summary", no_argument, 0, OPT_SUMMARY},
                                             {"defaults", no_argument, 0, OPT_DEFAULTS},
                                             {"allow-mixed", no_argument, 0, OPT_MIXED},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:hU:T:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(HELP, stdout);
            return EXIT_OK;
        case 'U':
            nu = parse_list(optarg, u, FED_MAX_U);
            if (nu < 1) {
                complain("fed", "--U wants potentials in V, comma-separated (at most %d), not "
                         "\"%s\"", FED_MAX_U, optarg);
                return EXIT_USAGE;
            }
            break;
        case 'T':
            if (!option_number(optarg, &T) || !(T > 0)) {
                complain("fed", "--T %s: a temperature in K, > 0", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_PH:
            if (!option_number(optarg, &ph)) {
                complain("fed", "--pH wants a number, not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SVG:
            svg = optarg;
            break;
        case OPT_PLOT:
            plot = optarg;
            break;
        case OPT_SUMMARY:
            summary = true;
            break;
        case OPT_DEFAULTS:
            defaults = true;
            break;
        case OPT_MIXED:
            allow_mixed = true;
            break;
        default: {
            int r = output_option(&out, opt, optarg);
            if (r != 1) {
                if (r == 0)
                    fputs(HELP, stderr);
                return EXIT_USAGE;
            }
        }
        }
    }
    if (defaults) {
        if (optind < argc) {
            complain("fed", "--defaults takes no SPEC");
            return EXIT_USAGE;
        }
        table *t = fed_defaults_table();
        int st = t ? output_table(&out, t) : EXIT_BAD_INPUT;
        table_free(t);
        return st;
    }
    if (optind != argc - 1) {
        complain("fed", optind >= argc ? "no SPEC given (see --help)" : "one SPEC at a time");
        return EXIT_USAGE;
    }
    dp_fed_spec *spec = NULL;
    dp_error err = {0};
    if (dp_fed_spec_read(argv[optind], &spec, &err) != DP_OK) {
        fprintf(stderr, "dftpost fed: %s\n", err.msg);
        return EXIT_BAD_INPUT;
    }
    fed_run run = {.spec = spec, .allow_mixed = allow_mixed};
    run.T = !isnan(T) ? T : !isnan(spec->T) ? spec->T : DP_FED_DEFAULTS_T;
    run.ph = !isnan(ph) ? ph : !isnan(spec->ph) ? spec->ph : 0;
    run.she = !isnan(ph) || !isnan(spec->ph);
    run.shift = dp_che_ph_shift(run.T, run.ph);
    run.nu = nu ? nu : 1;
    memcpy(run.u, u, sizeof u);
    int status = EXIT_BAD_INPUT;
    char msg[2048];
    if (fed_resolve_molecules(&run, msg, sizeof msg)) {
        fprintf(stderr, "dftpost fed: %s\n", msg);
        goto done;
    }
    if (!fed_molecule(&run, "H2") || !fed_molecule(&run, "H2O")) {
        fprintf(stderr, "dftpost fed: %s: the SPEC needs \"molecule H2 ...\" and \"molecule "
                "H2O ...\" (the electrode and water references)\n", spec->path);
        goto done;
    }
    if (fabs(run.T - DP_FED_DEFAULTS_T) > 1e-6)
        fprintf(stderr, "dftpost fed: warning: T = %g K, but the shipped corrections are for "
                "%g K (give corrections in the SPEC for other temperatures)\n", run.T,
                DP_FED_DEFAULTS_T);
    run.cat = calloc((size_t)spec->ncat, sizeof *run.cat);
    if (!run.cat) {
        complain("fed", "out of memory");
        goto done;
    }
    for (int i = 0; i < spec->ncat; i++) {
        fed_catalyst *c = &run.cat[run.ncat++];
        fed_resolve_catalyst(&run, &spec->cat[i], c);
        if (c->status == FED_REFUSED) {
            run.nrefused++;
            fprintf(stderr, "dftpost fed: refused: %s\n", c->reason);
        } else if (c->status == FED_MIXED) {
            run.nmixed++;
            fprintf(stderr, "dftpost fed: warning: %s\n", c->reason);
        }
        if (c->composition[0])
            fprintf(stderr, "dftpost fed: warning: catalyst %s: %s\n", c->cat->name,
                    c->composition);
        for (int r = 0; r < c->nres && c->status != FED_REFUSED; r++)
            if (!c->res[r].ok)
                fprintf(stderr, "dftpost fed: %s: line %d: catalyst %s, mechanism %s: %s\n",
                        spec->path, c->cat->line, c->cat->name, c->res[r].m->name,
                        c->res[r].why);
    }
    table *t = summary ? fed_summary_table(&run) : fed_steps_table(&run);
    if (!t) {
        complain("fed", "out of memory");
        goto done;
    }
    fed_metadata(&run, t);
    status = EXIT_OK;
    if (svg) {
        const char *scale = run.she ? "SHE" : "RHE";
        double ur = run.she ? run.u[0] + run.shift : run.u[0];
        if (fed_write_svg(&run, svg, ur, run.u[0], scale, plot))
            status = EXIT_BAD_INPUT;
    }
    if (status == EXIT_OK)
        status = output_table(&out, t);
    table_free(t);
    if (status == EXIT_OK && run.nrefused)
        status = EXIT_BAD_INPUT;
    if (status == EXIT_OK)
        for (int i = 0; i < run.ncat; i++)
            for (int r = 0; r < run.cat[i].nres; r++)
                if (run.cat[i].status != FED_REFUSED && !run.cat[i].res[r].ok)
                    status = EXIT_BAD_INPUT;
done:
    fed_run_free(&run);
    dp_fed_spec_free(spec);
    return status;
}
