/* dftpost info: what a file holds and whether it is complete. */
#include "common.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost info [options] FILE...\n"
    "\n"
    "What each file holds, one row per file: program, version, natoms, formula,\n"
    "ispin, noncollinear, lorbit, nedos, ionic_steps (complete ones), has_dos,\n"
    "has_pdos, pdos_columns, efermi (eV), converged (yes/no where the file says),\n"
    "complete (yes/no) and, for a file cut off\n"
    "by a killed run, what is missing; grid: a volumetric grid's points, what it holds\n"
    "and its magnetisation blocks (\"56x56x56 density\", \"+1 mag\"); settings: the run\n"
    "settings that decide whether energies of two runs may be subtracted (ads, fed),\n"
    "KEY=VALUE separated by \"; \". FILE: any file dftpost reads (plain or .gz).\n"
    "\n"
    "      --species LIST     element symbols (with counts) for files that lack them:\n"
    "                         a VASP 4 POSCAR (\"Fe Co N\"), a lone DOSCAR (\"Fe1 Co1 N6\")\n"
    "      --structure FILE   for a DOSCAR: the POSCAR, CONTCAR or vasprun.xml of the run\n"
    OUTPUT_HELP
    "\n"
    "Exit status: 0 all files read, 1 a file could not be read, 2 usage error.\n";

static bool keep_none(const dp_run *run, int atom, void *ud)
{
    (void)run, (void)atom, (void)ud;
    return false; /* info needs the pDOS columns, not its numbers */
}

int cmd_info(int argc, char **argv)
{
    output_opts out = {0};
    const char *species = NULL, *structure = NULL;
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"species", required_argument, 0, 'S'},
                                             {"structure", required_argument, 0, 'T'},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(HELP, stdout);
            return EXIT_OK;
        }
        if (opt == 'S' || opt == 'T') {
            *(opt == 'S' ? &species : &structure) = optarg;
            continue;
        }
        int r = output_option(&out, opt, optarg);
        if (r < 0 || r == 0) {
            fputs(HELP, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        complain("info", "no FILE given");
        fputs(HELP, stderr);
        return EXIT_USAGE;
    }
    table *t = table_new("file,program,version,natoms,formula,ispin,noncollinear,lorbit,nedos,"
                         "ionic_steps,has_dos,has_pdos,pdos_columns,efermi,converged,complete,missing,"
                         "grid,settings");
    table_meta(t, "dftpost info; efermi in eV (absolute, as the file writes it)");
    int status = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        dp_read_opts ro = {.keep_atom = keep_none, .species = species, .structure = structure};
        dp_run *run = load_run(argv[i], &ro);
        if (!run) {
            status = EXIT_BAD_INPUT;
            continue;
        }
        char formula[256], cols[256] = "";
        dp_run_formula(run, formula, sizeof formula);
        for (int o = 0; o < run->dos.norb; o++) {
            size_t n = strlen(cols);
            snprintf(cols + n, sizeof cols - n, "%s%s", o ? " " : "", run->dos.orb_names[o]);
        }
        table_str(t, argv[i]);
        table_str(t, run->program);
        table_str(t, run->version);
        table_int(t, run->natoms);
        table_str(t, formula);
        table_num(t, run->params.ispin ? run->params.ispin : NAN);
        table_str(t, run->params.lnoncollinear ? "yes" : "no");
        table_num(t, run->params.lorbit >= 0 ? run->params.lorbit : NAN);
        table_num(t, run->has_dos ? run->dos.nedos : (run->params.nedos ? run->params.nedos : NAN));
        table_int(t, run->nsteps);
        table_str(t, run->has_dos ? "yes" : "no");
        table_str(t, run->has_pdos ? "yes" : "no");
        table_str(t, cols);
        table_fixed(t, run->has_efermi ? run->efermi : NAN, 8);
        table_str(t, run->status.converged > 0 ? "yes" : run->status.converged < 0 ? "no" : "");
        table_str(t, run->status.complete ? "yes" : "no");
        table_str(t, run->status.missing);
        char grid[96] = "", settings[2048] = "";
        if (run->has_grid)
            snprintf(grid, sizeof grid, "%dx%dx%d %s%s", run->grid.n[0], run->grid.n[1],
                     run->grid.n[2], run->grid.quantity,
                     run->grid.nmag ? (run->grid.nmag == 1 ? " +1 mag" : " +3 mag") : "");
        for (int k = 0; k < run->nsettings; k++) {
            size_t n = strlen(settings);
            snprintf(settings + n, sizeof settings - n, "%s%s=%s", k ? "; " : "",
                     run->settings[k].key, run->settings[k].value);
        }
        table_str(t, grid);
        table_str(t, settings);
        dp_run_free(run);
    }
    int w = output_table(&out, t);
    table_free(t);
    return status ? status : w;
}
