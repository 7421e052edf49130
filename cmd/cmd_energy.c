/* dftpost energy: total energies of runs, or of every ionic step. */
#include "common.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>

static const char *HELP =
    "usage: dftpost energy [options] FILE...\n"
    "\n"
    "Energies of the last complete ionic step of each run (eV), one row per file\n"
    "(vasprun.xml, OUTCAR, pw.x output, QE data-file-schema.xml):\n"
    "  file, natoms, e_free, e_noentropy, e_sigma0, efermi, ionic_steps, complete\n"
    "e_free is VASP's free energy TOTEN (e_fr_energy), e_noentropy the energy without\n"
    "entropy (e_wo_entrp), e_sigma0 the energy extrapolated to sigma -> 0 (e_0_energy).\n"
    "Some VASP versions write a wrong e_0_energy at the end of an ionic step; as\n"
    "pymatgen's Vasprun.final_energy does, dftpost then uses e_fr_energy of the step\n"
    "plus (e_0_energy - e_fr_energy) of its last electronic step, rounded to 1e-8 eV.\n"
    "Quantum ESPRESSO (pw.x output or XML): e_free is the \"!    total energy\" (the\n"
    "Mermin free energy F when smearing is on), e_noentropy the internal energy\n"
    "E = F + TS where pw.x prints it (else e_free), e_sigma0 their mean (the same\n"
    "sigma -> 0 estimate VASP prints); Ry and Hartree are converted to eV.\n"
    "For a file cut off by a killed run, the energies are those of the last complete\n"
    "ionic step and a warning says so.\n"
    "\n"
    "  --steps                    one row per ionic step instead:\n"
    "                             file, step, e_free, e_noentropy, e_sigma0\n"
    OUTPUT_HELP
    "\n"
    "Exit status: 0 ok, 1 a file could not be read or has no complete ionic step,\n"
    "2 usage error.\n";

int cmd_energy(int argc, char **argv)
{
    output_opts out = {0};
    bool steps = false;
    static const struct option longopts[] = {OUTPUT_LONGOPTS, {"steps", no_argument, 0, 'S'},
                                              {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(HELP, stdout);
            return EXIT_OK;
        }
        if (opt == 'S') {
            steps = true;
            continue;
        }
        if (output_option(&out, opt, optarg) != 1) {
            fputs(HELP, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        complain("energy", "no FILE given");
        fputs(HELP, stderr);
        return EXIT_USAGE;
    }
    table *t = steps ? table_new("file,step,e_free,e_noentropy,e_sigma0")
                     : table_new("file,natoms,e_free,e_noentropy,e_sigma0,efermi,ionic_steps,"
                                 "complete");
    table_meta(t, "dftpost energy; energies in eV; efermi absolute (not shifted)");
    int status = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        dp_read_opts ro = {.skip_dos = true};
        dp_run *run = load_run(argv[i], &ro);
        if (!run) {
            status = EXIT_BAD_INPUT;
            continue;
        }
        if (run->nsteps == 0) {
            fprintf(stderr, "dftpost: %s: no complete ionic step, so no energy\n", argv[i]);
            status = EXIT_BAD_INPUT;
            dp_run_free(run);
            continue;
        }
        if (!run->status.complete)
            fprintf(stderr, "dftpost: warning: %s: energies are those of ionic step %d, the last "
                    "complete one\n", argv[i], run->nsteps);
        if (steps) {
            for (int k = 0; k < run->nsteps; k++) {
                table_str(t, argv[i]);
                table_int(t, k + 1);
                table_fixed(t, run->energies[k].e_free, 8);
                table_fixed(t, run->energies[k].e_noentropy, 8);
                table_fixed(t, run->energies[k].e_sigma0, 8);
            }
        } else {
            const dp_energies *e = &run->energies[run->nsteps - 1];
            table_str(t, argv[i]);
            table_int(t, run->natoms);
            table_fixed(t, e->e_free, 8);
            table_fixed(t, e->e_noentropy, 8);
            table_fixed(t, e->e_sigma0, 8);
            table_fixed(t, run->has_efermi ? run->efermi : NAN, 8);
            table_int(t, run->nsteps);
            table_str(t, run->status.complete ? "yes" : "no");
        }
        dp_run_free(run);
    }
    int w = output_table(&out, t);
    table_free(t);
    return status ? status : w;
}
