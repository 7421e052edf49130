/* dftpost modes: vibrational modes, imaginary ones flagged. */
#include "common.h"

#include <getopt.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost modes FILE [options]\n"
    "\n"
    "Vibrational modes of the last block of frequencies in an OUTCAR (IBRION=5-8):\n"
    "  mode, imaginary, thz, cm1, mev\n"
    "Frequencies are the positive numbers VASP prints; imaginary = yes for its f/i=\n"
    "lines (saddle points, or numerical noise in near-zero translations/rotations).\n"
    "\n"
    "      --vectors          the displacement vectors instead, one row per mode and\n"
    "                         atom: mode, imaginary, atom, element, dx, dy, dz\n"
    OUTPUT_HELP
    "\n"
    "Exit status: 0 ok, 1 bad input or no modes in the file, 2 usage error.\n";

int cmd_modes(int argc, char **argv)
{
    output_opts out = {0};
    bool vectors = false;
    static const struct option longopts[] = {OUTPUT_LONGOPTS, {"vectors", no_argument, 0, 'V'},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(HELP, stdout);
            return EXIT_OK;
        }
        if (opt == 'V') {
            vectors = true;
            continue;
        }
        if (output_option(&out, opt, optarg) != 1) {
            fputs(HELP, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        complain("modes", optind >= argc ? "no FILE given" : "one FILE at a time");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    dp_read_opts ro = {.skip_dos = true};
    dp_run *run = load_run(path, &ro);
    if (!run)
        return EXIT_BAD_INPUT;
    const dp_modes *m = &run->modes;
    if (!run->has_modes || m->nmodes == 0) {
        complain("modes", "%s: no vibrational modes (VASP writes them to the OUTCAR of an "
                 "IBRION=5-8 run)", path);
        dp_run_free(run);
        return EXIT_BAD_INPUT;
    }
    if (vectors && !m->disp) {
        complain("modes", "%s: the file has frequencies but no displacement vectors", path);
        dp_run_free(run);
        return EXIT_BAD_INPUT;
    }
    table *t = table_new(vectors ? "mode,imaginary,atom,element,dx,dy,dz"
                                 : "mode,imaginary,thz,cm1,mev");
    table_meta(t, "dftpost modes %s", path);
    table_meta(t, vectors ? "displacements as printed by VASP (Å, normalised eigenvectors)"
                          : "frequencies in THz, cm-1 and meV");
    int imaginary = 0;
    for (int k = 0; k < m->nmodes; k++) {
        imaginary += m->imaginary[k];
        if (!vectors) {
            table_int(t, k + 1);
            table_str(t, m->imaginary[k] ? "yes" : "no");
            table_fixed(t, m->thz[k], 6);
            table_fixed(t, m->cm1[k], 6);
            table_fixed(t, m->mev[k], 6);
            continue;
        }
        for (int a = 0; a < run->natoms; a++) {
            table_int(t, k + 1);
            table_str(t, m->imaginary[k] ? "yes" : "no");
            table_int(t, a + 1);
            table_str(t, run->species[run->atom_type[a]].symbol);
            for (int x = 0; x < 3; x++)
                table_fixed(t, m->disp[((size_t)k * run->natoms + a) * 3 + x], 6);
        }
    }
    if (imaginary)
        fprintf(stderr, "dftpost modes: %s: %d imaginary mode(s)\n", path, imaginary);
    int status = output_table(&out, t);
    table_free(t);
    dp_run_free(run);
    return status;
}
