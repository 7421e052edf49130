/* dftpost charges: atomic charges from a population analysis (projwfc.x Löwdin). */
#include "common.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost charges FILE [options]\n"
    "\n"
    "Atomic populations (electrons) from projwfc.x's standard output (Löwdin), one\n"
    "row per atom:\n"
    "  atom, element, s, p, d, f, total, [up, down, moment,] zval, net_charge\n"
    "up/down/moment (μB) appear for spin-polarised runs. zval is the valence of the\n"
    "pseudopotential (from the pw.x output or XML beside the file) and net_charge =\n"
    "zval - total: negative when the atom gained electrons. Löwdin populations are\n"
    "basis-dependent; compare like with like (same code, same pseudopotentials).\n"
    "\n"
    "  -g, --group SPEC       add a row summing these atoms (1-based indices, ranges,\n"
    "                         symbols), e.g. --group 25,26 for the O2 of an adsorbate:\n"
    "                         its net_charge is the charge the group carries; repeat\n"
    "                         the option for several groups\n"
    "      --structure FILE   the pw.x output or XML of the run, if not beside FILE\n"
    OUTPUT_HELP
    "\n"
    "Exit status: 0 ok, 1 bad input or no charges in the file, 2 usage error.\n";

#define MAX_GROUPS 16

/* One row: sums over the atoms in mask. */
static void charge_row(table *t, const dp_run *run, const bool *mask, const char *label,
                       const char *element)
{
    const dp_charges *c = &run->charges;
    double orb[4] = {0, 0, 0, 0}, total = 0, up = 0, down = 0, zval = 0;
    for (int a = 0; a < run->natoms; a++) {
        if (!mask[a])
            continue;
        for (int k = 0; k < 4; k++)
            orb[k] += c->orb[a * 4 + k];
        total += c->total[a];
        if (c->up) {
            up += c->up[a];
            down += c->down[a];
        }
        zval += run->species[run->atom_type[a]].zval;
    }
    table_str(t, label);
    table_str(t, element);
    for (int k = 0; k < 4; k++)
        table_fixed(t, orb[k], 4);
    table_fixed(t, total, 4);
    if (c->up) {
        table_fixed(t, up, 4);
        table_fixed(t, down, 4);
        table_fixed(t, up - down, 4);
    }
    table_fixed(t, zval, 4);
    table_fixed(t, zval - total, 4);
}

int cmd_charges(int argc, char **argv)
{
    output_opts out = {0};
    const char *groups[MAX_GROUPS], *structure = NULL;
    int ngroups = 0;
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"group", required_argument, 0, 'g'},
                                             {"structure", required_argument, 0, 'T'},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:hg:", longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(HELP, stdout);
            return EXIT_OK;
        }
        if (opt == 'g') {
            if (ngroups == MAX_GROUPS) {
                complain("charges", "at most %d --group options", MAX_GROUPS);
                return EXIT_USAGE;
            }
            groups[ngroups++] = optarg;
            continue;
        }
        if (opt == 'T') {
            structure = optarg;
            continue;
        }
        if (output_option(&out, opt, optarg) != 1) {
            fputs(HELP, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        complain("charges", optind >= argc ? "no FILE given" : "one FILE at a time");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    dp_read_opts ro = {.skip_dos = true, .structure = structure};
    dp_run *run = load_run(path, &ro);
    if (!run)
        return EXIT_BAD_INPUT;
    if (!run->has_charges) {
        complain("charges", "%s: no atomic charges in this file (projwfc.x's standard output "
                 "has Löwdin charges)", path);
        dp_run_free(run);
        return EXIT_BAD_INPUT;
    }
    const dp_charges *c = &run->charges;
    table *t = table_new(c->up ? "atom,element,s,p,d,f,total,up,down,moment,zval,net_charge"
                               : "atom,element,s,p,d,f,total,zval,net_charge");
    table_meta(t, "dftpost charges %s", path);
    table_meta(t, "%s populations in electrons%s; net_charge = zval - total", c->method,
               c->up ? ", moment = up - down in μB" : "");
    if (!isnan(c->spilling))
        table_meta(t, "spilling parameter %.4f", c->spilling);
    bool *mask = calloc((size_t)run->natoms, sizeof *mask);
    int status = mask ? EXIT_OK : EXIT_BAD_INPUT;
    for (int a = 0; a < run->natoms && mask; a++) {
        char label[16];
        snprintf(label, sizeof label, "%d", a + 1);
        memset(mask, 0, (size_t)run->natoms);
        mask[a] = true;
        charge_row(t, run, mask, label, run->species[run->atom_type[a]].symbol);
    }
    for (int g = 0; g < ngroups && status == EXIT_OK; g++) {
        dp_error err;
        memset(mask, 0, (size_t)run->natoms);
        if (dp_select_atoms(run, groups[g], mask, &err)) {
            complain("charges", "%s", err.msg);
            status = EXIT_USAGE;
            break;
        }
        char label[300], formula[256] = "";
        snprintf(label, sizeof label, "group:%s", groups[g]);
        for (int s = 0; s < run->ntypes; s++) { /* the group's formula, e.g. O2 */
            int n = 0;
            for (int a = 0; a < run->natoms; a++)
                n += mask[a] && run->atom_type[a] == s;
            size_t u = strlen(formula);
            if (n)
                snprintf(formula + u, sizeof formula - u, n > 1 ? "%s%d" : "%s",
                         run->species[s].symbol, n);
        }
        charge_row(t, run, mask, label, formula);
    }
    if (status == EXIT_OK)
        status = output_table(&out, t);
    free(mask);
    table_free(t);
    dp_run_free(run);
    return status;
}
