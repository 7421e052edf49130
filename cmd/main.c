/* dftpost: numbers and pictures for catalysis papers from DFT output files. */
#include "common.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *what;
} COMMANDS[] = {
    {"info", cmd_info, "what a file holds and whether the run completed"},
    {"energy", cmd_energy, "total energies (last ionic step, or every step)"},
    {"pdos", cmd_pdos, "projected DOS of selected atoms/orbitals, E - E_F"},
    {"dband", cmd_dband, "d-band centre, width, skewness, kurtosis, filling, upper edge"},
    {"geom", cmd_geom, "distances, coordination, adsorbed O2/N2 and its mode, metal–metal"},
    {"mag", cmd_mag, "per-atom magnetic moments (OUTCAR, pw.x output)"},
    {"modes", cmd_modes, "vibrational modes, imaginary ones flagged (OUTCAR)"},
    {"charges", cmd_charges, "atomic charges (projwfc.x Löwdin, LOBSTER CHARGE), per atom/group"},
    {"cohp", cmd_cohp, "LOBSTER COHP/COOP/COBI curve of a bond or element pair, its integrals"},
    {"icohp", cmd_icohp, "LOBSTER ICOHP/ICOOP/ICOBI per bond, element pair or atom"},
    {"thermo", cmd_thermo, "ZPE, ∫Cp dT, entropy, G − E from modes: harmonic or ideal gas (as ASE)"},
    {"volcano", cmd_volcano, "ORR/OER limiting potential vs ΔG(*OH) under scaling (CHE volcano)"},
    {"ads", cmd_ads, "adsorption energy E(AB) − E(A) − Σ n·E(ref), runs checked for comparability"},
    {"fed", cmd_fed, "free-energy diagrams (CHE): ΔG per step, U_L, overpotential, PDS, SVG"},
    {"scaling", cmd_scaling, "linear scaling relations between adsorption energies (fit, R²)"},
    {"cases", cmd_cases, "the review's DFT figures, beside your own results"},
    {"bader", cmd_bader, "Bader charges (near-grid, weight, on-grid) from CHGCAR or cube"},
    {"chgdiff", cmd_chgdiff, "charge-density difference Δρ, planar average, its potential"},
};

static void usage(FILE *out)
{
    fputs("usage: dftpost COMMAND [options] FILE...\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        fprintf(out, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].what);
    fputs("\n'dftpost COMMAND --help' documents each command. Data goes to standard output,\n"
          "messages to standard error. Exit status: 0 ok, 1 bad or incomplete input,\n"
          "2 usage error. Units: eV, Å, electrons.\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("dftpost %s\n", DP_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (!strcmp(argv[1], COMMANDS[i].name))
            return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "dftpost: unknown command \"%s\"\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
