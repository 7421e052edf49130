#include "dos_args.h"

#include <math.h>
#include <stdlib.h>
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

int parse_erange(const char *s, double *lo, double *hi)
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

int parse_spins(const char *s, dp_spin spins[2])
{
    if (!strcmp(s, "total"))
        return spins[0] = DP_SPIN_TOTAL, 1;
    if (!strcmp(s, "up"))
        return spins[0] = DP_SPIN_UP, 1;
    if (!strcmp(s, "down"))
        return spins[0] = DP_SPIN_DOWN, 1;
    if (!strcmp(s, "both")) {
        spins[0] = DP_SPIN_UP;
        spins[1] = DP_SPIN_DOWN;
        return 2;
    }
    return -1;
}

const char *spin_name(dp_spin s)
{
    return s == DP_SPIN_UP ? "up" : s == DP_SPIN_DOWN ? "down" : "total";
}

dp_run *dos_args_load(dos_args *a, const char *path, const char *cmd)
{
    dp_read_opts ro = {.keep_atom = dos_args_keep, .keep_ud = a};
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
    if (!run->has_efermi) {
        fprintf(stderr, "dftpost %s: %s: no Fermi level in the file; give one with --efermi\n",
                cmd, path);
        dp_run_free(run);
        return NULL;
    }
    return run;
}
