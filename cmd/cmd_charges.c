/* dftpost charges: atomic charges from a population analysis (projwfc.x Löwdin
 * populations; LOBSTER's Mulliken and Löwdin net charges). */
#include "common.h"

#include <ctype.h>
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
    "LOBSTER's CHARGE.lobster gives net charges only (e, positive when the atom lost\n"
    "electrons, two decimals as the file writes them), one row per atom and a total:\n"
    "  atom, element, mulliken, loewdin\n"
    "--group rows sum them; the charge spilling comes from a lobsterout beside the\n"
    "file (the mean of the spin channels).\n"
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

/* A row of net charges (LOBSTER): their sums over the atoms in mask. */
static void net_row(table *t, const dp_run *run, const bool *mask, const char *label,
                    const char *element)
{
    const dp_charges *c = &run->charges;
    table_str(t, label);
    table_str(t, element);
    for (int k = 0; k < c->nnet; k++) {
        double sum = 0;
        for (int a = 0; a < run->natoms; a++)
            if (mask[a])
                sum += c->net[k][a];
        table_fixed(t, fabs(sum) < 1e-9 ? 0.0 : sum, 2); /* no "-0.00" from rounding */
    }
}

/* The formula of the atoms in mask, in species order ("O2"). */
static void mask_formula(const dp_run *run, const bool *mask, char *formula, size_t size)
{
    formula[0] = '\0';
    for (int s = 0; s < run->ntypes; s++) {
        bool seen = false; /* a symbol in two types (Fe ... Fe) is counted once */
        for (int u = 0; u < s; u++)
            seen = seen || !strcmp(run->species[u].symbol, run->species[s].symbol);
        if (seen)
            continue;
        int n = 0;
        for (int a = 0; a < run->natoms; a++)
            n += mask[a] && !strcmp(run->species[run->atom_type[a]].symbol, run->species[s].symbol);
        size_t u = strlen(formula);
        if (n)
            snprintf(formula + u, size - u, n > 1 ? "%s%d" : "%s", run->species[s].symbol, n);
    }
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
                 "has Löwdin charges, LOBSTER's CHARGE.lobster Mulliken and Löwdin ones)", path);
        dp_run_free(run);
        return EXIT_BAD_INPUT;
    }
    const dp_charges *c = &run->charges;
    bool net_only = !c->total && c->nnet > 0; /* LOBSTER: net charges, no populations */
    table *t;
    if (net_only) {
        char cols[64] = "atom,element";
        for (int k = 0; k < c->nnet; k++) {
            size_t u = strlen(cols);
            snprintf(cols + u, sizeof cols - u, ",%s", c->net_method[k]);
            for (char *q = cols + u; *q; q++)
                *q = (char)tolower((unsigned char)*q);
        }
        t = table_new(cols);
        table_meta(t, "dftpost charges %s", path);
        table_meta(t, "%s%s%s net charges in e as %s writes them: positive = electrons lost; "
                   "total and group rows are sums of these two-decimal values (the file's own "
                   "total, from unrounded charges, may differ by the rounding)", c->net_method[0],
                   c->nnet > 1 ? " and " : "", c->nnet > 1 ? c->net_method[1] : "", run->program);
        if (!isnan(c->spilling))
            table_meta(t, "charge spilling %.4f (lobsterout beside the file; mean of the spin "
                       "channels)", c->spilling);
    } else {
        t = table_new(c->up ? "atom,element,s,p,d,f,total,up,down,moment,zval,net_charge"
                            : "atom,element,s,p,d,f,total,zval,net_charge");
        table_meta(t, "dftpost charges %s", path);
        table_meta(t, "%s populations in electrons%s; net_charge = zval - total", c->method,
                   c->up ? ", moment = up - down in μB" : "");
        if (!isnan(c->spilling))
            table_meta(t, "spilling parameter %.4f", c->spilling);
    }
    bool *mask = calloc((size_t)(run->natoms ? run->natoms : 1), sizeof *mask);
    int status = mask ? EXIT_OK : EXIT_BAD_INPUT;
    for (int a = 0; a < run->natoms && mask; a++) {
        char label[16];
        snprintf(label, sizeof label, "%d", a + 1);
        memset(mask, 0, (size_t)run->natoms);
        mask[a] = true;
        if (net_only)
            net_row(t, run, mask, label, run->species[run->atom_type[a]].symbol);
        else
            charge_row(t, run, mask, label, run->species[run->atom_type[a]].symbol);
    }
    if (net_only && mask) {
        char formula[256];
        memset(mask, 1, (size_t)run->natoms);
        dp_run_formula(run, formula, sizeof formula);
        net_row(t, run, mask, "total", formula);
    }
    for (int g = 0; g < ngroups && status == EXIT_OK; g++) {
        dp_error err;
        memset(mask, 0, (size_t)run->natoms);
        if (dp_select_atoms(run, groups[g], mask, &err)) {
            complain("charges", "%s", err.msg);
            status = EXIT_USAGE;
            break;
        }
        char label[300], formula[256];
        snprintf(label, sizeof label, "group:%s", groups[g]);
        mask_formula(run, mask, formula, sizeof formula); /* the group's formula, e.g. O2 */
        if (net_only)
            net_row(t, run, mask, label, formula);
        else
            charge_row(t, run, mask, label, formula);
    }
    if (status == EXIT_OK)
        status = output_table(&out, t);
    free(mask);
    table_free(t);
    dp_run_free(run);
    return status;
}
