#include "dos_args.h"

#include <math.h>
#include <stdlib.h>
#include <getopt.h>
#include <string.h>

bool dos_args_keep(const dp_run *run, int atom, void *ud)
{
    dos_args *a = ud;
    if (!a->keep && !a->keep_failed) {
        a->keep = calloc((size_t)run->natoms, sizeof *a->keep);
        dp_error err;
        if (!a->keep) {
            a->keep_failed = true;
        } else if (a->atoms || a->elements) {
            if ((a->atoms && dp_select_atoms(run, a->atoms, a->keep, &err)) ||
                (a->elements && dp_select_atoms(run, a->elements, a->keep, &err)))
                a->keep_failed = true; /* reported again, properly, after loading */
        } else {
            for (int i = 0; i < run->natoms; i++)
                a->keep[i] = !a->keep_tm_only ||
                             dp_element_is_transition_metal(run->species[run->atom_type[i]].symbol);
        }
    }
    return a->keep && !a->keep_failed && a->keep[atom];
}

static int parse_erange(const char *s, double *lo, double *hi)
{
    const char *colon = strchr(s, ':');
    if (!colon)
        return -1;
    char *end;
    *lo = -INFINITY;
    *hi = INFINITY;
    if (colon != s) {
        *lo = strtod(s, &end);
        if (end != colon)
            return -1;
    }
    if (colon[1]) {
        *hi = strtod(colon + 1, &end);
        if (*end)
            return -1;
    }
    return *lo < *hi ? 0 : -1;
}

static int parse_spins(const char *s, dp_spin spins[2])
{
    static const struct { const char *name; dp_spin spin; } one[] = {
        {"total", DP_SPIN_TOTAL}, {"up", DP_SPIN_UP}, {"down", DP_SPIN_DOWN},
        {"mx", DP_SPIN_MX},       {"my", DP_SPIN_MY}, {"mz", DP_SPIN_MZ}};
    for (size_t i = 0; i < sizeof one / sizeof *one; i++)
        if (!strcmp(s, one[i].name))
            return spins[0] = one[i].spin, 1;
    if (!strcmp(s, "both")) {
        spins[0] = DP_SPIN_UP;
        spins[1] = DP_SPIN_DOWN;
        return 2;
    }
    return -1;
}

int dos_args_option(dos_args *a, int opt, const char *arg)
{
    char *end;
    switch (opt) {
    case 'a': a->atoms = arg; return 1;
    case 'l': a->orbital = arg; return 1;
    case 's': a->spin = arg; return 1;
    case 'e':
        a->erange = arg;
        if (parse_erange(arg, &a->lo, &a->hi)) {
            complain(a->cmd, "bad --erange \"%s\" (use LO:HI, e.g. -10:5 or -inf:0)", arg);
            return -1;
        }
        return 1;
    case OPT_EFERMI:
        a->efermi = strtod(arg, &end);
        if (*end || end == arg || !isfinite(a->efermi)) {
            complain(a->cmd, "bad --efermi \"%s\"", arg);
            return -1;
        }
        a->has_efermi = true;
        return 1;
    case OPT_SPECIES: a->species = arg; return 1;
    case OPT_STRUCTURE: a->structure = arg; return 1;
    default:
        return output_option(&a->out, opt, arg);
    }
}

const char *dos_args_file(dos_args *a, int argc, char **argv, const char *help)
{
    a->nspin = parse_spins(a->spin ? a->spin : "total", a->spins);
    if (a->nspin < 0) {
        complain(a->cmd, "bad --spin \"%s\" (use total, up, down, both, or mx, my, mz for a "
                 "noncollinear run)", a->spin);
        return NULL;
    }
    if (optind != argc - 1) {
        complain(a->cmd, optind >= argc ? "no FILE given" : "one FILE at a time");
        fputs(help, stderr);
        return NULL;
    }
    return argv[optind];
}

const char *spin_name(dp_spin s)
{
    static const char *const names[] = {"total", "up", "down", "mx", "my", "mz"};
    return names[s];
}

dp_run *dos_args_load(dos_args *a, const char *path, const char *cmd)
{
    dp_read_opts ro = {.keep_atom = dos_args_keep, .keep_ud = a, .species = a->species,
                       .structure = a->structure};
    dp_run *run = load_run(path, &ro);
    if (!run)
        return NULL;
    if (!run->has_pdos) {
        fprintf(stderr, "dftpost %s: %s: %s\n", cmd, path,
                run->status.complete ? "no projected DOS in this file (was LORBIT set?)"
                                     : "the projected DOS is missing: the file was cut off "
                                       "before it was complete");
        dp_run_free(run);
        return NULL;
    }
    if (a->has_efermi) {
        run->efermi = a->efermi;
        run->has_efermi = true;
    }
    if (!run->has_efermi && run->has_homo) {
        run->efermi = run->homo;
        run->has_efermi = true;
        fprintf(stderr, "dftpost %s: warning: %s: no Fermi level in the run; energies are taken "
                "from the highest occupied level, %.4f eV (--efermi to choose another)\n", cmd,
                path, run->homo);
    }
    if (!run->has_efermi) {
        fprintf(stderr, "dftpost %s: %s: no Fermi level in the file; give one with --efermi\n",
                cmd, path);
        dp_run_free(run);
        return NULL;
    }
    return run;
}
