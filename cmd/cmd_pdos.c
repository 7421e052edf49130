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
    "FILE: vasprun.xml (plain or .gz) or DOSCAR, with a projected DOS (LORBIT >= 10).\n"
    "\n"
    "  -a, --atoms SPEC       1-based indices, ranges and element symbols, e.g.\n"
    "                         37,38 or 1-4,Fe (default: all atoms)\n"
    "  -l, --orbital SPEC     s p d f, lm names (px py pz dxy dyz dz2 dxz dx2-y2, the\n"
    "                         f ones as the file names them), t2g, eg, all; comma-\n"
    "                         separated (default: all). lm names need LORBIT=11/12.\n"
    "  -s, --spin total|up|down|both|mx|my|mz\n"
    "                         total = up + down for ISPIN=2 and the charge part of a\n"
    "                         noncollinear run, whose magnetisation parts are mx my mz\n"
    "                         (default total)\n"
    "      --mirror-down      write spin down as negative numbers (for up/down plots)\n"
    "  -e, --erange LO:HI     only energies LO <= E - E_F <= HI (eV); -inf/inf allowed\n"
    "      --efermi E         use this Fermi level (eV) instead of the file's\n"
    DOSCAR_HELP
    OUTPUT_HELP
    "\n"
    "Example: dftpost pdos vasprun.xml --atoms 37,38 --orbital d --spin both |\n"
    "         gnuplot -p -e \"plot '-' u 1:2 w l t 'up', '' u 1:3 w l t 'down'\"\n"
    "Exit status: 0 ok, 1 bad or incomplete input, 2 usage error.\n";

int cmd_pdos(int argc, char **argv)
{
    dos_args a = {.cmd = "pdos", .lo = -INFINITY, .hi = INFINITY};
    bool mirror = false;
    enum { OPT_MIRROR = 256 };
    static const struct option longopts[] = {OUTPUT_LONGOPTS, DOS_LONGOPTS,
                                             {"mirror-down", no_argument, 0, OPT_MIRROR},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:ha:l:s:e:", longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(HELP, stdout);
            return EXIT_OK;
        }
        if (opt == OPT_MIRROR) {
            mirror = true;
            continue;
        }
        int r = dos_args_option(&a, opt, optarg);
        if (r != 1) {
            if (r == 0)
                fputs(HELP, stderr);
            return EXIT_USAGE;
        }
    }
    const char *path = dos_args_file(&a, argc, argv, HELP);
    if (!path)
        return EXIT_USAGE;
    dp_run *run = dos_args_load(&a, path, "pdos");
    if (!run) {
        free(a.keep);
        return EXIT_BAD_INPUT;
    }
    int nspin = a.nspin;
    const dp_spin *spins = a.spins;
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
    for (int k = 0; k < nspin; k++) {
        strcat(cols, ",");
        strcat(cols, spin_name(spins[k]));
    }
    t = table_new(cols);
    table_meta(t, "dftpost pdos %s", path);
    table_meta(t, "energy: E - E_F in eV, E_F = %.8f eV%s", run->efermi,
               a.has_efermi ? " (from --efermi)" : " (from the file)");
    table_meta(t, "atoms: %s; orbitals: %s; DOS in states/eV%s", a.atoms ? a.atoms : "all",
               a.orbital ? a.orbital : "all", mirror ? "; spin down negated" : "");
    for (int e = 0; e < nedos; e++) {
        double x = run->dos.energy[e] - run->efermi;
        if (x < a.lo || x > a.hi)
            continue;
        table_num(t, x);
        for (int k = 0; k < nspin; k++) {
            double v = curve[(size_t)k * nedos + e];
            table_num(t, mirror && spins[k] == DP_SPIN_DOWN ? -v : v);
        }
    }
    status = output_table(&a.out, t);
done:
    table_free(t);
    free(curve);
    free(atoms);
    free(a.keep);
    dp_run_free(run);
    return status;
}
