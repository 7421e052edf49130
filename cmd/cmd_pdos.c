/* dftpost pdos: a projected DOS curve, summed over a selection, ready to plot. */
#include "dos_args.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost pdos FILE [options]\n"
    "\n"
    "Projected DOS summed over the selected atoms and orbitals, one row per energy:\n"
    "  energy (E - E_F, eV), then states/eV for each requested spin (total, up, down).\n"
    "FILE: vasprun.xml (plain or .gz) with a projected DOS (LORBIT >= 10).\n"
    "\n"
    "  -a, --atoms SPEC       1-based indices, ranges and element symbols, e.g.\n"
    "                         37,38 or 1-4,Fe (default: all atoms)\n"
    "  -l, --orbital SPEC     s p d f, lm names (px py pz dxy dyz dz2 dxz dx2-y2, the\n"
    "                         f ones as the file names them), t2g, eg, all; comma-\n"
    "                         separated (default: all). lm names need LORBIT=11/12.\n"
    "  -s, --spin total|up|down|both\n"
    "                         total = up + down for ISPIN=2 and the charge part of a\n"
    "                         noncollinear run (default total)\n"
    "      --mirror-down      write spin down as negative numbers (for up/down plots)\n"
    "  -e, --erange LO:HI     only energies LO <= E - E_F <= HI (eV); -inf/inf allowed\n"
    "      --efermi E         use this Fermi level (eV) instead of the file's\n"
    OUTPUT_HELP
    "\n"
    "Example: dftpost pdos vasprun.xml --atoms 37,38 --orbital d --spin both |\n"
    "         gnuplot -p -e \"plot '-' u 1:2 w l t 'up', '' u 1:3 w l t 'down'\"\n"
    "Exit status: 0 ok, 1 bad or incomplete input, 2 usage error.\n";

int cmd_pdos(int argc, char **argv)
{
    output_opts out = {0};
    dos_args a = {.spin = "total"};
    bool mirror = false;
    double lo = -INFINITY, hi = INFINITY;
    enum { OPT_MIRROR = 256, OPT_EFERMI };
    static const struct option longopts[] = {
        OUTPUT_LONGOPTS,
        {"atoms", required_argument, 0, 'a'},
        {"orbital", required_argument, 0, 'l'},
        {"spin", required_argument, 0, 's'},
        {"erange", required_argument, 0, 'e'},
        {"mirror-down", no_argument, 0, OPT_MIRROR},
        {"efermi", required_argument, 0, OPT_EFERMI},
        {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:ha:l:s:e:", longopts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'h': fputs(HELP, stdout); return EXIT_OK;
        case 'a': a.atoms = optarg; break;
        case 'l': a.orbital = optarg; break;
        case 's': a.spin = optarg; break;
        case OPT_MIRROR: mirror = true; break;
        case 'e':
            if (parse_erange(optarg, &lo, &hi)) {
                complain("pdos", "bad --erange \"%s\" (use LO:HI, e.g. -10:5 or -inf:0)", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_EFERMI:
            a.efermi = strtod(optarg, &end);
            if (*end || end == optarg) {
                complain("pdos", "bad --efermi \"%s\"", optarg);
                return EXIT_USAGE;
            }
            a.has_efermi = true;
            break;
        default:
            if (output_option(&out, opt, optarg) != 1) {
                fputs(HELP, stderr);
                return EXIT_USAGE;
            }
        }
    }
    dp_spin spins[2];
    int nspin = parse_spins(a.spin, spins);
    if (nspin < 0) {
        complain("pdos", "bad --spin \"%s\" (use total, up, down or both)", a.spin);
        return EXIT_USAGE;
    }
    if (optind != argc - 1) {
        complain("pdos", optind >= argc ? "no FILE given" : "one FILE at a time");
        fputs(HELP, stderr);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    dp_run *run = dos_args_load(&a, path, "pdos");
    if (!run) {
        free(a.keep);
        return EXIT_BAD_INPUT;
    }
    int status = EXIT_OK;
    dp_error err = {0};
    bool *atoms = calloc((size_t)run->natoms, sizeof *atoms);
    bool orbs[DP_MAX_ORB];
    int nedos = run->dos.nedos;
    double *curve = malloc((size_t)nspin * nedos * sizeof *curve);
    table *t = NULL;
    if (!atoms || !curve) {
        complain("pdos", "out of memory");
        status = EXIT_BAD_INPUT;
        goto done;
    }
    dp_status st = DP_OK;
    if (a.atoms)
        st = dp_select_atoms(run, a.atoms, atoms, &err);
    else
        for (int i = 0; i < run->natoms; i++)
            atoms[i] = true;
    if (!st)
        st = dp_select_orbitals(run, a.orbital ? a.orbital : "all", orbs, &err);
    for (int k = 0; k < nspin && !st; k++)
        st = dp_pdos_sum(run, atoms, orbs, spins[k], curve + (size_t)k * nedos, &err);
    if (st) {
        complain("pdos", "%s", err.msg);
        status = st == DP_ERR_USAGE ? EXIT_USAGE : EXIT_BAD_INPUT;
        goto done;
    }
    char cols[64] = "energy";
    for (int k = 0; k < nspin; k++)
        strcat(cols, spins[k] == DP_SPIN_UP ? ",up" : spins[k] == DP_SPIN_DOWN ? ",down" : ",total");
    t = table_new(cols);
    table_meta(t, "dftpost pdos %s", path);
    table_meta(t, "energy: E - E_F in eV, E_F = %.8f eV%s", run->efermi,
               a.has_efermi ? " (from --efermi)" : " (from the file)");
    table_meta(t, "atoms: %s; orbitals: %s; DOS in states/eV%s", a.atoms ? a.atoms : "all",
               a.orbital ? a.orbital : "all", mirror ? "; spin down negated" : "");
    for (int e = 0; e < nedos; e++) {
        double x = run->dos.energy[e] - run->efermi;
        if (x < lo || x > hi)
            continue;
        table_num(t, x);
        for (int k = 0; k < nspin; k++) {
            double v = curve[(size_t)k * nedos + e];
            table_num(t, mirror && spins[k] == DP_SPIN_DOWN ? -v : v);
        }
    }
    status = output_table(&out, t);
done:
    table_free(t);
    free(curve);
    free(atoms);
    free(a.keep);
    dp_run_free(run);
    return status;
}
