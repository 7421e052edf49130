/* LOBSTER's atom names and the species built from them: see lobster_atoms.h. */
#include "lobster_atoms.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool dp_lobster_atom_name(const char **p, char sym[4], int *number)
{
    const char *s = *p;
    if (!isupper((unsigned char)s[0]))
        return false;
    size_t n = 1;
    while (n < 3 && islower((unsigned char)s[n]))
        n++;
    if (!isdigit((unsigned char)s[n]))
        return false;
    long v = 0;
    size_t d = n;
    while (isdigit((unsigned char)s[d])) {
        v = v * 10 + (s[d] - '0');
        if (v > DP_LOBSTER_MAX_ATOMS)
            return false;
        d++;
    }
    if (v < 1)
        return false;
    memcpy(sym, s, n);
    sym[n] = '\0';
    *number = (int)v;
    *p = s + d;
    return true;
}

int dp_lobster_atoms_add(dp_lobster_atoms *a, int number, const char *sym, const char **other)
{
    if (number > a->cap) {
        int cap = a->cap ? a->cap : 64;
        while (cap < number)
            cap = cap > DP_LOBSTER_MAX_ATOMS / 2 ? DP_LOBSTER_MAX_ATOMS : cap * 2;
        char (*s)[4] = realloc(a->sym, (size_t)cap * sizeof *s);
        if (!s)
            return -1;
        memset(s + a->cap, 0, (size_t)(cap - a->cap) * sizeof *s);
        a->sym = s;
        a->cap = cap;
    }
    char *have = a->sym[number - 1];
    if (have[0] && strcmp(have, sym)) {
        if (other)
            *other = have;
        return 1;
    }
    snprintf(have, 4, "%s", sym);
    if (number > a->n)
        a->n = number;
    return 0;
}

static const char *symbol_of(const dp_lobster_atoms *a, int i)
{
    return a->sym[i][0] ? a->sym[i] : "X";
}

dp_status dp_lobster_atoms_species(const dp_lobster_atoms *a, dp_run *run, dp_error *err)
{
    if (a->n == 0)
        return DP_OK; /* no atom named (a COHPCAR with only the average) */
    int ntypes = 0;
    for (int i = 0; i < a->n; i++)
        if (i == 0 || strcmp(symbol_of(a, i), symbol_of(a, i - 1)))
            ntypes++;
    char (*sym)[4] = malloc((size_t)ntypes * sizeof *sym);
    int *count = malloc((size_t)ntypes * sizeof *count);
    if (!sym || !count) {
        free(sym);
        free(count);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", run->path);
    }
    int t = -1;
    for (int i = 0; i < a->n; i++) {
        if (i == 0 || strcmp(symbol_of(a, i), symbol_of(a, i - 1))) {
            t++;
            snprintf(sym[t], 4, "%s", symbol_of(a, i));
            count[t] = 0;
        }
        count[t]++;
    }
    dp_status st = dp_run_set_species(run, ntypes, sym, count, err);
    free(sym);
    free(count);
    return st;
}

void dp_lobster_atoms_free(dp_lobster_atoms *a)
{
    free(a->sym);
    a->sym = NULL;
    a->n = a->cap = 0;
}
