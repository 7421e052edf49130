/* Atom and orbital selections, and summing the projected DOS over them. */
#include "dftpost.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void element_list(const dp_run *run, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int t = 0; t < run->ntypes && used < size; t++) {
        int w = snprintf(buf + used, size - used, "%s%s", t ? " " : "", run->species[t].symbol);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

static bool parse_index(const char *s, long *v)
{
    if (!*s)
        return false;
    char *end;
    *v = strtol(s, &end, 10);
    return *end == '\0';
}

dp_status dp_select_atoms(const dp_run *run, const char *spec, bool *mask, dp_error *err)
{
    char buf[4096];
    if (strlen(spec) >= sizeof buf)
        return dp_fail(err, DP_ERR_USAGE, "atom selection is too long");
    snprintf(buf, sizeof buf, "%s", spec);
    int matched_tokens = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        matched_tokens++;
        if (isdigit((unsigned char)tok[0])) {
            long lo, hi;
            char *dash = strchr(tok, '-');
            if (dash) {
                *dash = '\0';
                if (!parse_index(tok, &lo) || !parse_index(dash + 1, &hi))
                    return dp_fail(err, DP_ERR_USAGE, "bad atom range \"%s-%s\" (use e.g. 5-8)",
                                   tok, dash + 1);
            } else if (!parse_index(tok, &lo)) {
                return dp_fail(err, DP_ERR_USAGE, "bad atom index \"%s\"", tok);
            } else {
                hi = lo;
            }
            if (lo < 1 || hi > run->natoms || lo > hi)
                return dp_fail(err, DP_ERR_USAGE,
                               "atom %ld%s%.0ld is out of range: %s has atoms 1-%d", lo,
                               hi != lo ? "-" : "", hi != lo ? hi : 0, run->path, run->natoms);
            for (long i = lo; i <= hi; i++)
                mask[i - 1] = true;
            continue;
        }
        char sym[4];
        if (strlen(tok) > 2 || !isalpha((unsigned char)tok[0]))
            return dp_fail(err, DP_ERR_USAGE, "bad atom selection \"%s\" (use indices like "
                           "1,3,5-8 or element symbols like Fe,Co)", tok);
        sym[0] = (char)toupper((unsigned char)tok[0]);
        sym[1] = tok[1] ? (char)tolower((unsigned char)tok[1]) : '\0';
        sym[2] = '\0';
        bool found = false;
        for (int i = 0; i < run->natoms; i++)
            if (strcmp(run->species[run->atom_type[i]].symbol, sym) == 0)
                mask[i] = found = true;
        if (!found) {
            char els[256];
            element_list(run, els, sizeof els);
            return dp_fail(err, DP_ERR_USAGE, "element %s is not in %s (it has %s)", sym,
                           run->path, els);
        }
    }
    if (!matched_tokens)
        return dp_fail(err, DP_ERR_USAGE, "empty atom selection");
    return DP_OK;
}

/* Orbital class of a pDOS column name: 's', 'p', 'd', 'f' or 0. */
static char orbital_class(const char *col)
{
    if (strcmp(col, "x2-y2") == 0)
        return 'd';
    char c = (char)tolower((unsigned char)col[0]);
    return strchr("spdf", c) && c ? c : 0;
}

/* One spelling per lm orbital: the user may write dx2-y2, dx2, x2-y2 or dx2y2. */
static const char *canonical_lm(const char *name)
{
    if (!strcmp(name, "dx2-y2") || !strcmp(name, "dx2") || !strcmp(name, "x2-y2") ||
        !strcmp(name, "dx2y2"))
        return "dx2-y2";
    return name;
}

static void column_list(const dp_run *run, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int o = 0; o < run->dos.norb && used < size; o++) {
        int w = snprintf(buf + used, size - used, "%s%s", o ? " " : "", run->dos.orb_names[o]);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

static bool lm_resolved(const dp_run *run)
{
    for (int o = 0; o < run->dos.norb; o++)
        if (strlen(run->dos.orb_names[o]) > 1)
            return true;
    return false;
}

static dp_status select_one_orbital(const dp_run *run, const char *tok, bool *mask, dp_error *err)
{
    char cols[256];
    if (!strcmp(tok, "all")) {
        for (int o = 0; o < run->dos.norb; o++)
            mask[o] = true;
        return DP_OK;
    }
    if (strlen(tok) == 1 && strchr("spdf", tok[0])) {
        bool any = false;
        for (int o = 0; o < run->dos.norb; o++)
            if (orbital_class(run->dos.orb_names[o]) == tok[0])
                mask[o] = any = true;
        if (!any) {
            column_list(run, cols, sizeof cols);
            return dp_fail(err, DP_ERR_USAGE, "%s has no %s orbitals in its projected DOS "
                           "(columns: %s)", run->path, tok, cols);
        }
        return DP_OK;
    }
    if (!strcmp(tok, "t2g") || !strcmp(tok, "eg")) {
        const char *t2g[] = {"dxy", "dyz", "dxz"}, *eg[] = {"dz2", "dx2-y2"};
        const char **names = tok[0] == 't' ? t2g : eg;
        int n = tok[0] == 't' ? 3 : 2;
        for (int i = 0; i < n; i++) {
            dp_status st = select_one_orbital(run, names[i], mask, err);
            if (st)
                return st;
        }
        return DP_OK;
    }
    const char *want = canonical_lm(tok);
    static const char *const known_lm[] = {
        "py", "pz", "px", "dxy", "dyz", "dz2", "dxz", "dx2-y2",
        "fy3x2", "fxyz", "fyz2", "fz3", "fxz2", "fzx2", "fx3",
        "f-3", "f-2", "f-1", "f0", "f1", "f2", "f3"};
    bool known = false;
    for (size_t i = 0; i < sizeof known_lm / sizeof *known_lm; i++)
        if (!strcmp(want, known_lm[i]))
            known = true;
    if (!known)
        return dp_fail(err, DP_ERR_USAGE, "%s: unknown orbital \"%s\" (use s p d f, t2g, eg, all, "
                       "or lm names such as dxy dyz dz2 dxz dx2-y2 px py pz)", run->path, tok);
    column_list(run, cols, sizeof cols);
    if (!lm_resolved(run))
        return dp_fail(err, DP_ERR_USAGE, "orbital \"%s\" needs an lm-resolved projected DOS "
                       "(LORBIT=11 or 12); %s has only %s", tok, run->path, cols);
    for (int o = 0; o < run->dos.norb; o++)
        if (!strcmp(canonical_lm(run->dos.orb_names[o]), want)) {
            mask[o] = true;
            return DP_OK;
        }
    return dp_fail(err, DP_ERR_USAGE, "%s has no \"%s\" column in its projected DOS "
                   "(columns: %s)", run->path, tok, cols);
}

dp_status dp_select_orbitals(const dp_run *run, const char *spec, bool *mask, dp_error *err)
{
    memset(mask, 0, DP_MAX_ORB * sizeof *mask);
    if (!run->dos.norb)
        return dp_fail(err, DP_ERR_INCOMPLETE, "%s has no projected DOS", run->path);
    char buf[1024];
    if (strlen(spec) >= sizeof buf)
        return dp_fail(err, DP_ERR_USAGE, "orbital selection is too long");
    snprintf(buf, sizeof buf, "%s", spec);
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save), n++) {
        dp_status st = select_one_orbital(run, tok, mask, err);
        if (st)
            return st;
    }
    if (!n)
        return dp_fail(err, DP_ERR_USAGE, "empty orbital selection");
    return DP_OK;
}

dp_status dp_pdos_sum(const dp_run *run, const bool *atoms, const bool *orbs, dp_spin spin,
                      double *out, dp_error *err)
{
    const dp_dos *d = &run->dos;
    if (!run->has_pdos || !d->pdos)
        return dp_fail(err, DP_ERR_INCOMPLETE, "%s has no complete projected DOS", run->path);
    int comps[2], ncomps = 0;
    bool magnetisation = spin == DP_SPIN_MX || spin == DP_SPIN_MY || spin == DP_SPIN_MZ;
    if (d->ncomp == 4 && magnetisation) {
        comps[ncomps++] = 1 + (int)(spin - DP_SPIN_MX);
    } else if (d->ncomp == 2 && !magnetisation) {
        if (spin != DP_SPIN_DOWN)
            comps[ncomps++] = 0;
        if (spin != DP_SPIN_UP)
            comps[ncomps++] = 1;
    } else if (spin == DP_SPIN_TOTAL) {
        comps[ncomps++] = 0; /* ISPIN=1, or the charge part of a noncollinear run */
    } else if (magnetisation) {
        return dp_fail(err, DP_ERR_USAGE, "%s: mx/my/mz need a noncollinear run; this one is "
                       "ISPIN=%d", run->path, d->ncomp);
    } else {
        return dp_fail(err, DP_ERR_USAGE, "%s: spin up/down need a spin-polarised run (ISPIN=2); "
                       "this one is %s", run->path,
                       d->ncomp == 4 ? "noncollinear (use total, mx, my or mz)" : "ISPIN=1");
    }
    for (int e = 0; e < d->nedos; e++)
        out[e] = 0.0;
    for (int a = 0; a < run->natoms; a++) {
        if (!atoms[a])
            continue;
        if (!d->pdos[a])
            return dp_fail(err, DP_ERR_INCOMPLETE, "%s: projected DOS of atom %d was not read",
                           run->path, a + 1);
        for (int k = 0; k < ncomps; k++)
            for (int o = 0; o < d->norb; o++) {
                if (!orbs[o])
                    continue;
                const double *src = d->pdos[a] + ((size_t)comps[k] * d->norb + o) * d->nedos;
                for (int e = 0; e < d->nedos; e++)
                    out[e] += src[e];
            }
    }
    return DP_OK;
}
