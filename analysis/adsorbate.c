/* Adsorbed X–X units (O2, N2, the O–O of *OOH) and their binding mode. */
#include "dftpost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *symbol(const dp_run *run, int a) { return run->species[run->atom_type[a]].symbol; }

static bool wanted(const char *which, const char *el)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", which);
    for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        if (!strcmp(t, el))
            return true;
    return false;
}

/* Which metals bind atom x; appends them to a. */
static void bound_metals(const dp_run *run, const dp_frame *f, int x, double tolerance,
                         dp_adsorbate *a)
{
    for (int m = 0; m < run->natoms; m++) {
        if (m == x || !dp_element_is_metal(symbol(run, m)))
            continue;
        double d = dp_mic_distance(f->lattice, f->frac[x], f->frac[m]);
        if (dp_bonded(run, x, m, d, tolerance) && a->nmetals < 8) {
            a->metal[a->nmetals] = m;
            a->partner[a->nmetals] = x;
            a->metal_distance[a->nmetals] = d;
            a->nmetals++;
        }
    }
}

static const char *binding_mode(const dp_adsorbate *a)
{
    bool i_bound = false, j_bound = false;
    for (int k = 0; k < a->nmetals; k++) {
        i_bound |= a->partner[k] == a->i;
        j_bound |= a->partner[k] == a->j;
    }
    if (!i_bound && !j_bound)
        return "free";
    if (!i_bound || !j_bound)
        return "end-on";
    for (int k = 0; k < a->nmetals; k++) /* one metal holding both ends: η² */
        for (int l = 0; l < a->nmetals; l++)
            if (a->metal[k] == a->metal[l] && a->partner[k] != a->partner[l])
                return "side-on";
    return "bridge"; /* μ-1,2: each end on a different metal */
}

dp_status dp_find_adsorbates(const dp_run *run, const dp_frame *f, const char *which,
                             double max_length, double tolerance, dp_adsorbate **out, int *n,
                             dp_error *err)
{
    int cap = 8, count = 0;
    dp_adsorbate *list = malloc((size_t)cap * sizeof *list);
    if (!list)
        return dp_fail(err, DP_ERR_NOMEM, "out of memory");
    for (int i = 0; i < run->natoms; i++) {
        const char *el = symbol(run, i);
        if (!wanted(which, el))
            continue;
        for (int j = i + 1; j < run->natoms; j++) {
            if (strcmp(symbol(run, j), el))
                continue;
            double d = dp_mic_distance(f->lattice, f->frac[i], f->frac[j]);
            if (!(d < max_length))
                continue;
            if (count == cap) {
                dp_adsorbate *q = realloc(list, (size_t)(cap *= 2) * sizeof *list);
                if (!q) {
                    free(list);
                    return dp_fail(err, DP_ERR_NOMEM, "out of memory");
                }
                list = q;
            }
            dp_adsorbate *a = &list[count++];
            memset(a, 0, sizeof *a);
            a->i = i;
            a->j = j;
            a->length = d;
            snprintf(a->element, sizeof a->element, "%s", el);
            bound_metals(run, f, i, tolerance, a);
            bound_metals(run, f, j, tolerance, a);
            a->mode = binding_mode(a);
        }
    }
    *out = list;
    *n = count;
    return DP_OK;
}
