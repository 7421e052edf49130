/* Whether the energies of two runs may be combined: see comparable.h. */
#include "comparable.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char *buf;
    size_t size, used;
    int n;
} diffs;

static void note(diffs *d, const char *key, const char *va, const char *vb)
{
    d->n++;
    if (!d->buf || !d->size || d->used + 1 >= d->size)
        return;
    int w = snprintf(d->buf + d->used, d->size - d->used, "%s%s: %s vs %s", d->used ? "; " : "",
                     key, va ? va : "(not set)", vb ? vb : "(not set)");
    if (w < 0)
        return;
    d->used += (size_t)w < d->size - d->used ? (size_t)w : d->size - d->used - 1;
}

/* VASP defaults of the keys whose absence is known to mean a value. */
static const char *vasp_default(const char *key)
{
    static const char *const tab[][2] = {{"LDAU", "F"},    {"LASPH", "F"},   {"IVDW", "0"},
                                         {"LHFCALC", "F"},
                                         {"METAGGA", "NONE"}, {"PREC", "NORMAL"},
                                         {"ISPIN", "1"},   {"ISMEAR", "1"},  {"SIGMA", "0.2"}};
    for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
        if (!strcmp(tab[i][0], key))
            return tab[i][1];
    return NULL;
}

static void compare_key(diffs *d, const dp_run *a, const dp_run *b, const char *key, bool vasp)
{
    const char *va = dp_run_setting(a, key), *vb = dp_run_setting(b, key);
    if (!va && !vb)
        return;
    if (va && vb) {
        if (strcmp(va, vb))
            note(d, key, va, vb);
        return;
    }
    const char *def = vasp ? vasp_default(key) : NULL;
    if (def && strcmp(va ? va : vb, def))
        note(d, key, va, vb);
}

/* The i-th title of a " | "-joined POTCAR value into t; false when there is none. */
static bool nth_title(const char *v, int i, char *t, size_t size)
{
    for (int k = 0; k < i; k++) {
        v = strstr(v, " | ");
        if (!v)
            return false;
        v += 3;
    }
    size_t n = strcspn(v, "|");
    while (n && v[n - 1] == ' ')
        n--;
    if (!n)
        return false;
    snprintf(t, size, "%.*s", (int)n, v);
    return true;
}

/* Element of a title, upper case as the settings are. A VASP title has blanks: the
 * second word ("PAW_PBE FE_PV 02AUG2007" → FE; "US H" → H). A QE pseudopotential file
 * name has none: the text before its first '.', '_' or '-' ("FE.PBE-SPN-KJPAW_PSL.0.2.1.UPF"
 * → FE, "FE_PBE_V1.5.USPP.F.UPF" → FE), and when that is longer than two letters
 * ("OPBE.UPF"), its first two letters if they make an element, else its first. "" when
 * there is no letter to take. */
static void title_element(const char *t, char sym[4])
{
    size_t n = 0;
    if (strchr(t, ' ')) {
        const char *w = t + strcspn(t, " ");
        while (*w == ' ')
            w++;
        while (n < 2 && isalpha((unsigned char)w[n])) {
            sym[n] = (char)toupper((unsigned char)w[n]);
            n++;
        }
        /* one-letter elements written with a suffix ("C_S", "H_H") or alone */
        sym[n] = '\0';
        return;
    }
    size_t len = strcspn(t, "._-");
    while (n < len && n < 2 && isalpha((unsigned char)t[n]))
        n++;
    if (len > 2 && n == 2) {
        char two[4] = {(char)toupper((unsigned char)t[0]), (char)tolower((unsigned char)t[1])};
        if (dp_covalent_radius(two) < 0)
            n = 1;
    }
    for (size_t i = 0; i < n; i++)
        sym[i] = (char)toupper((unsigned char)t[i]);
    sym[n] = '\0';
}

static void compare_potcar(diffs *d, const dp_run *a, const dp_run *b)
{
    const char *va = dp_run_setting(a, "POTCAR"), *vb = dp_run_setting(b, "POTCAR");
    if (!va || !vb)
        return;
    char ta[160], tb[160], ea[4], eb[4];
    for (int i = 0; nth_title(va, i, ta, sizeof ta); i++) {
        title_element(ta, ea);
        if (!ea[0])
            continue;
        for (int j = 0; nth_title(vb, j, tb, sizeof tb); j++) {
            title_element(tb, eb);
            if (!strcmp(ea, eb)) {
                if (strcmp(ta, tb))
                    note(d, "POTCAR", ta, tb);
                break;
            }
        }
    }
}

int dp_runs_differ(const dp_run *a, const dp_run *b, char *what, size_t size)
{
    diffs d = {.buf = what, .size = size};
    if (what && size)
        what[0] = '\0';
    const char *ca = dp_run_setting(a, "CODE"), *cb = dp_run_setting(b, "CODE");
    bool vasp = ca && cb && !strcmp(ca, "VASP") && !strcmp(cb, "VASP");
    static const char *const keys[] = {"CODE",  "VERSION", "GGA",      "METAGGA", "XC",
                                       "LHFCALC", "ENCUT", "PREC",     "LASPH",   "LDAU",
                                       "IVDW",  "ISPIN",   "ISMEAR",   "SMEARING", "SIGMA"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        compare_key(&d, a, b, keys[i], vasp);
    const char *la = dp_run_setting(a, "LDAU"), *lb = dp_run_setting(b, "LDAU");
    if (la && lb && !strcmp(la, "T") && !strcmp(lb, "T")) {
        static const char *const u[] = {"LDAUTYPE", "LDAUL", "LDAUU", "LDAUJ"};
        for (size_t i = 0; i < sizeof u / sizeof *u; i++)
            compare_key(&d, a, b, u[i], false);
    }
    /* a screened hybrid (HSE) and an unscreened one (PBE0) differ; both hybrids only */
    const char *ha = dp_run_setting(a, "LHFCALC"), *hb = dp_run_setting(b, "LHFCALC");
    if (ha && hb && !strcmp(ha, "T") && !strcmp(hb, "T"))
        compare_key(&d, a, b, "HFSCREEN", false);
    compare_potcar(&d, a, b);
    return d.n;
}
