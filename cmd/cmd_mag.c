/* dftpost mag: per-atom magnetic moments. */
#include "common.h"

#include <getopt.h>
#include <math.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost mag FILE [options]\n"
    "\n"
    "Per-atom magnetic moments (μB) from the last magnetization table(s) of an OUTCAR\n"
    "(VASP writes them for spin-polarised runs with LORBIT set) or the last \"Magnetic\n"
    "moment per site\" block of a pw.x output, and a last row 'total' (VASP's tot\n"
    "line; for QE the sum of the sites). The cell's total and absolute magnetization\n"
    "go in a metadata line when the file gives them.\n"
    "  collinear:     atom, element, s, p, d, [f,] tot\n"
    "  noncollinear:  atom, element, x, y, z, tot — x, y, z are the tot columns of the\n"
    "                 (x), (y), (z) tables and tot is the length of that vector;\n"
    "                 --component x|y|z gives that table's orbital columns instead\n"
    "\n"
    "      --component x|y|z  one table of a noncollinear run, orbital-resolved\n"
    OUTPUT_HELP
    "\n"
    "Exit status: 0 ok, 1 bad input or no magnetization in the file, 2 usage error.\n";

int cmd_mag(int argc, char **argv)
{
    output_opts out = {0};
    int component = -1;
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"component", required_argument, 0, 'C'},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(HELP, stdout);
            return EXIT_OK;
        }
        if (opt == 'C') {
            if (strlen(optarg) != 1 || !strchr("xyz", optarg[0])) {
                complain("mag", "bad --component \"%s\" (use x, y or z)", optarg);
                return EXIT_USAGE;
            }
            component = optarg[0] - 'x';
            continue;
        }
        if (output_option(&out, opt, optarg) != 1) {
            fputs(HELP, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        complain("mag", optind >= argc ? "no FILE given" : "one FILE at a time");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    dp_read_opts ro = {.skip_dos = true};
    dp_run *run = load_run(path, &ro);
    if (!run)
        return EXIT_BAD_INPUT;
    const dp_magnetization *m = &run->mag;
    if (!run->has_mag) {
        complain("mag", "%s: no magnetization table (VASP writes one to the OUTCAR of a "
                 "spin-polarised run with LORBIT set)", path);
        dp_run_free(run);
        return EXIT_BAD_INPUT;
    }
    if (component >= 0 && m->ncomp != 3) {
        complain("mag", "%s: --component needs a noncollinear run", path);
        dp_run_free(run);
        return EXIT_USAGE;
    }
    bool vector = m->ncomp == 3 && component < 0;
    char cols[128] = "atom,element";
    if (vector)
        strcat(cols, ",x,y,z,tot");
    else
        for (int c = 0; c < m->ncols; c++) {
            strcat(cols, ",");
            strcat(cols, m->cols[c]);
        }
    table *t = table_new(cols);
    table_meta(t, "dftpost mag %s", path);
    table_meta(t, "magnetic moments in μB%s", vector ? "; tot = |(x, y, z)|"
                  : component >= 0 ? (component == 0 ? "; table (x)" : component == 1 ? "; table (y)" : "; table (z)")
                                   : "");
    if (run->has_mag_total)
        table_meta(t, "magnetization of the whole cell: total %.4f μB, absolute %.4f μB (the "
                   "'total' row adds the per-atom values, which cover only spheres around "
                   "the atoms)", run->mag_total, run->mag_abs);
    int comp = component >= 0 ? component : 0, n = run->natoms;
    for (int a = 0; a <= n; a++) {
        bool total = a == n;
        if (total)
            table_str(t, "total");
        else
            table_int(t, a + 1);
        table_str(t, total ? "" : run->species[run->atom_type[a]].symbol);
        if (vector) {
            double v[3], len = 0;
            for (int k = 0; k < 3; k++) {
                v[k] = total ? m->total[k * m->ncols + m->ncols - 1]
                             : m->atom[((size_t)k * n + a) * m->ncols + m->ncols - 1];
                len += v[k] * v[k];
                table_fixed(t, v[k], 3);
            }
            table_fixed(t, sqrt(len), 3);
        } else {
            for (int c = 0; c < m->ncols; c++)
                table_fixed(t, total ? m->total[comp * m->ncols + c]
                                     : m->atom[((size_t)comp * n + a) * m->ncols + c], 3);
        }
    }
    int status = output_table(&out, t);
    table_free(t);
    dp_run_free(run);
    return status;
}
