/* OUTCAR reader: the header: POTCAR echoes, species, counts, parameters. */
#include "outcar_reader.h"

/* ---- header: species, parameters ----------------------------------------- */

static oc_result grow_potcars(oc *s)
{
    if (s->npot >= MAX_TYPES)
        return oc_fail(s, DP_ERR_FORMAT, "more than %d POTCAR entries (TITEL)", MAX_TYPES);
    if ((s->npot & (s->npot - 1)) == 0) { /* 0, 1, 2, 4, ...: double */
        size_t cap = s->npot ? (size_t)s->npot * 2 : 4;
        void *a = realloc(s->titel, cap * sizeof *s->titel);
        if (a)
            s->titel = a;
        void *b = realloc(s->vrhfin, cap * sizeof *s->vrhfin);
        if (b)
            s->vrhfin = b;
        void *c = realloc(s->pomass, cap * sizeof *s->pomass);
        if (c)
            s->pomass = c;
        void *d = realloc(s->pzval, cap * sizeof *s->pzval);
        if (d)
            s->pzval = d;
        if (!a || !b || !c || !d)
            return oc_fail(s, DP_ERR_NOMEM, "out of memory");
    }
    return OC_OK;
}

/* An element symbol from the start of t ("Fe:", "Nd :", "Ni_pv", "H1.25"). */
bool oc_element_symbol(const char *t, char sym[4])
{
    t = oc_skip_ws(t);
    if (!((*t >= 'A' && *t <= 'Z') || (*t >= 'a' && *t <= 'z')))
        return false;
    sym[0] = (char)(*t >= 'a' ? *t - 32 : *t);
    sym[1] = sym[2] = sym[3] = '\0';
    if (t[1] >= 'a' && t[1] <= 'z')
        sym[1] = t[1];
    return true;
}

oc_result oc_on_titel(oc *s, const char *v)
{
    oc_result rc = grow_potcars(s);
    if (rc)
        return rc;
    int i = s->npot++;
    snprintf(s->titel[i], sizeof s->titel[i], "%.79s", v);
    memcpy(s->vrhfin[i], s->vrhfin_pending, 4);
    s->vrhfin_pending[0] = '\0';
    s->pomass[i] = s->pzval[i] = NAN;
    return OC_OK;
}

void oc_on_pomass_zval(oc *s, const char *t)
{
    if (!s->npot)
        return;
    int i = s->npot - 1;
    const char *p = oc_key_value(t, "POMASS");
    char *end;
    double m = strtod(p, &end);
    if (end != p)
        s->pomass[i] = m;
    const char *z = strstr(end, "ZVAL");
    if (z && (z = oc_key_value(z, "ZVAL")) != NULL) {
        double v = strtod(z, &end);
        if (end != z)
            s->pzval[i] = v;
    }
}

/* "   POMASS =  16.00 26.98144.24207.20" or "   ZVAL   =   6.00  3.00": F6.2
 * columns read from the right end. Returns false if it is not ntypes of them. */
static bool f62_columns(oc *s, const char *v, int ntypes, double *out)
{
    size_t len = strlen(v), need = (size_t)6 * (size_t)ntypes;
    char buf[320];
    /* the first column lost up to 5 leading blanks to skip_ws; more text on the
     * left means this is not the layout expected */
    if (len + 6 <= need || need >= sizeof buf)
        return false;
    size_t pad = need > len ? need - len : 0;
    memset(buf, ' ', pad);
    memcpy(buf + pad, v, len + 1);
    len += pad;
    bool left_blank = true;
    for (size_t i = 0; i < len - need; i++)
        left_blank = left_blank && buf[i] == ' ';
    if (left_blank && oc_fixed_columns(s, buf + len - need, 6, ntypes, out))
        return true;
    return oc_parse_numbers(s, v, out, ntypes, ntypes) == ntypes;
}

void oc_apply_param_masses(oc *s)
{
    dp_run *run = s->run;
    if (!run->species)
        return;
    double v[MAX_TYPES];
    if (s->mass_line[0] && run->ntypes <= MAX_TYPES &&
        f62_columns(s, s->mass_line, run->ntypes, v)) {
        for (int t = 0; t < run->ntypes; t++)
            /* the POTCAR value has 3 decimals, this one 2: keep the finer unless changed */
            if (isnan(run->species[t].mass) || fabs(run->species[t].mass - v[t]) > 0.0051)
                run->species[t].mass = v[t];
    }
    if (s->zval_line[0] && run->ntypes <= MAX_TYPES &&
        f62_columns(s, s->zval_line, run->ntypes, v)) {
        for (int t = 0; t < run->ntypes; t++)
            if (isnan(run->species[t].zval) || fabs(run->species[t].zval - v[t]) > 0.0051)
                run->species[t].zval = v[t];
    }
    s->mass_line[0] = s->zval_line[0] = '\0';
}

oc_result oc_on_nions(oc *s, const char *v)
{
    long n;
    char q[48];
    if (!oc_int_value(v, 1, MAX_ATOMS, &n))
        return oc_fail(s, DP_ERR_FORMAT, "NIONS = \"%s\" is not a number of atoms in [1, %d]",
                    oc_quote(v, 30, q, sizeof q), MAX_ATOMS);
    if (s->nions && n != s->nions)
        return oc_fail(s, DP_ERR_FORMAT, "NIONS = %ld, but NIONS = %ld before", n, s->nions);
    s->nions = n;
    return OC_OK;
}

/* "   ions per type =               2   2" (I4 columns after the first: counts
 * of 1000 and more touch their neighbour, so fall back to the columns when the
 * words do not add up to NIONS). */
oc_result oc_on_ions_per_type(oc *s, const char *v)
{
    dp_run *run = s->run;
    if (!s->nions)
        return oc_fail(s, DP_ERR_FORMAT, "\"ions per type\" before NIONS");
    long counts[MAX_TYPES];
    int n = 0;
    long sum = 0;
    bool ok = true;
    for (const char *p = v; *(p = oc_skip_ws(p));) {
        char *end;
        long c = strtol(p, &end, 10);
        if (end == p || (*end && *end != ' ') || c < 0 || c > MAX_ATOMS || n == MAX_TYPES) {
            ok = false;
            break;
        }
        counts[n++] = c;
        sum += c;
        p = end;
    }
    if (!ok || sum != s->nions || (s->npot && n != s->npot)) {
        /* I4 columns from the right */
        int want = s->npot ? s->npot : 0;
        size_t len = strlen(v);
        if (want > 0 && len >= (size_t)4 * (size_t)(want - 1) + 1) {
            n = 0, sum = 0, ok = true;
            for (int k = want - 1; k >= 0 && ok; k--) {
                size_t endpos = len - (size_t)4 * (size_t)(want - 1 - k);
                size_t beg = k == 0 ? 0 : endpos - 4;
                char f[32];
                size_t w = endpos - beg;
                if (w >= sizeof f) {
                    ok = false;
                    break;
                }
                memcpy(f, v + beg, w);
                f[w] = '\0';
                char *end;
                const char *fp = oc_skip_ws(f);
                long c = strtol(fp, &end, 10);
                if (end == fp || *end || c < 0)
                    ok = false;
                counts[k] = c;
                sum += c;
            }
            n = want;
        }
        if (!ok || sum != s->nions) {
            char q[64];
            return oc_fail(s, DP_ERR_FORMAT, "ions per type \"%s\" do not add up to NIONS = %ld",
                        oc_quote(v, 60, q, sizeof q), s->nions);
        }
    }
    if (run->species) {
        bool same = n == run->ntypes;
        for (int t = 0; same && t < n; t++)
            same = counts[t] == run->species[t].count;
        if (!same)
            return oc_fail(s, DP_ERR_FORMAT, "\"ions per type\" given twice, differently");
        return OC_OK;
    }
    if (s->npot != n)
        return oc_fail(s, DP_ERR_FORMAT, "ions per type lists %d types, but the file echoes %d "
                    "POTCAR entries (TITEL lines)", n, s->npot);
    char (*sym)[4] = calloc((size_t)n, sizeof *sym);
    int *cnt = calloc((size_t)n, sizeof *cnt);
    if (!sym || !cnt) {
        free(sym);
        free(cnt);
        return oc_fail(s, DP_ERR_NOMEM, "out of memory");
    }
    for (int t = 0; t < n; t++) {
        cnt[t] = (int)counts[t];
        if (s->vrhfin[t][0]) {
            memcpy(sym[t], s->vrhfin[t], 4);
        } else {
            /* TITEL = PAW_PBE Fe_pv 06Sep2000, US Ag, PAW Fe 03Mar1998 */
            const char *p = oc_skip_ws(s->titel[t]);
            while (*p && *p != ' ')
                p++;
            if (!oc_element_symbol(p, sym[t])) {
                char q[64];
                free(sym);
                free(cnt);
                return oc_fail(s, DP_ERR_FORMAT, "no element in POTCAR title \"%s\"",
                            oc_quote(s->titel[t], 60, q, sizeof q));
            }
        }
    }
    dp_status st = dp_run_set_species(run, n, sym, cnt, s->err);
    free(sym);
    free(cnt);
    if (st != DP_OK) {
        s->fail_code = st;
        return OC_FAIL;
    }
    for (int t = 0; t < n; t++) {
        snprintf(run->species[t].potential, sizeof run->species[t].potential, "%s", s->titel[t]);
        run->species[t].mass = s->pomass[t];
        run->species[t].zval = s->pzval[t];
    }
    oc_apply_param_masses(s);
    return OC_OK;
}

/* Parameter echo lines; lenient (an INCAR echo may hold anything). */
void oc_on_param(oc *s, const char *t)
{
    dp_params *p = &s->run->params;
    const char *v;
    long l;
    if ((v = oc_key_value(t, "ISPIN"))) {
        if (oc_int_value(v, 1, 2, &l))
            p->ispin = (int)l;
    } else if ((v = oc_key_value(t, "LORBIT"))) {
        if (oc_int_value(v, 0, 14, &l))
            p->lorbit = (int)l;
    } else if ((v = oc_key_value(t, "ISMEAR"))) {
        if (oc_int_value(v, -99, 99, &l))
            p->ismear = (int)l;
        const char *sg = strstr(v, "SIGMA");
        if (sg && (sg = oc_key_value(sg, "SIGMA"))) {
            char *end;
            double x = strtod(sg, &end);
            if (end != sg)
                p->sigma = x;
        }
    } else if ((v = oc_key_value(t, "SIGMA"))) {
        char *end;
        double x = strtod(v, &end);
        if (end != v)
            p->sigma = x;
    } else if ((v = oc_key_value(t, "LNONCOLLINEAR"))) {
        p->lnoncollinear = oc_logical(v);
    } else if ((v = oc_key_value(t, "LSORBIT"))) {
        p->lsorbit = oc_logical(v);
        if (p->lsorbit)
            p->lnoncollinear = true;
    }
}

/* ---- settings ------------------------------------------------------------ */

static oc_result add_setting(oc *s, dp_incar *inc, const char *key, const char *v, size_t n)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), v);
    dp_status st = dp_incar_add(inc, key, buf, s->err);
    if (st != DP_OK)
        return oc_fail(s, st, "%s", st == DP_ERR_NOMEM ? "out of memory" : "too many INCAR tags");
    return OC_OK;
}

/* A line of VASP 6's INCAR echo: "   LASPH = True". A blank line or the first
 * "POTCAR:" line ends it (VASP 5 prints " INCAR:" with nothing under it). */
oc_result oc_on_echo(oc *s, const char *t)
{
    if (!*t || oc_starts(t, "POTCAR:")) {
        s->in_echo = false;
        return OC_OK;
    }
    const char *eq = strchr(t, '=');
    size_t klen = eq ? (size_t)(eq - t) : 0;
    while (klen && t[klen - 1] == ' ')
        klen--;
    if (!klen || klen >= 32)
        return OC_OK;
    char key[32];
    memcpy(key, t, klen);
    key[klen] = '\0';
    const char *v = oc_skip_ws(eq + 1);
    return add_setting(s, &s->echo, key, v, strlen(v));
}

/* The first word of a listing value: "400.0 eV  29.40 Ry", "-5;   SIGMA", "accura". */
static size_t first_word(const char *v)
{
    return strcspn(v, " ;");
}

/* The parameter listing, where VASP prints the values it used (defaults too):
 *   PREC   = accura    normal or accurate (medium, high low for compatibility)
 *   ISPIN  =      2    spin polarized calculation?
 *   LASPH  =      F    aspherical Exc in radial PAW
 *   METAGGA=      F    non-selfconsistent MetaGGA calc.      (F: none, not set)
 *   ENCUT  =  400.0 eV  29.40 Ry    5.42 a.u. ...
 *   ISMEAR =     0;   SIGMA  =   0.05  broadening in eV ...
 *   GGA     =    --    GGA type                             (--: from the POTCAR, not set)
 *   IVDW         = 12                                       (the vdW block of a step)
 *   LDA+U is selected, type is set to LDAUTYPE =  2
 *   angular momentum for each species LDAUL =     0    2    0
 *   U (eV)           for each species LDAUU =   0.0  6.0  0.0
 *   J (eV)           for each species LDAUJ =   0.0  0.0  0.0
 * The first value of each is kept. Lines of the INCAR echo are not the listing, nor
 * those of the POTCAR echoes before the atom counts (a US POTCAR has "GGA = -.5221
 * -.5561 ..."): only lines after "ions per type" count. */
oc_result oc_on_listing(oc *s, const char *t)
{
    if (s->in_echo || !s->run->species)
        return OC_OK;
    static const char *const words[] = {"PREC", "ISPIN", "LASPH", "METAGGA", "ENCUT",
                                        "ISMEAR", "SIGMA", "GGA", "IVDW", "LVDW", "LHFCALC"};
    const char *v;
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        if (words[k][0] != *t || !(v = oc_key_value(t, words[k])))
            continue;
        size_t n = first_word(v);
        if (!n || (!strcmp(words[k], "GGA") && (!strncmp(v, "--", 2) || !strstr(v, "GGA type"))) ||
            (!strcmp(words[k], "METAGGA") && n == 1 && (*v == 'F' || *v == 'f')))
            return OC_OK;
        oc_result rc = add_setting(s, &s->listing, words[k], v, n);
        const char *sg;
        if (!rc && !strcmp(words[k], "ISMEAR") && (sg = strstr(v, "SIGMA")) &&
            (sg = oc_key_value(sg, "SIGMA")))
            rc = add_setting(s, &s->listing, "SIGMA", sg, first_word(sg));
        return rc;
    }
    static const char *const lists[] = {"LDAUL =", "LDAUU =", "LDAUJ ="};
    if (*t == 'L' && oc_starts(t, "LDA+U is selected")) {
        oc_result rc = add_setting(s, &s->listing, "LDAU", "T", 1);
        if (!rc && (v = strstr(t, "LDAUTYPE =")))
            rc = add_setting(s, &s->listing, "LDAUTYPE", oc_skip_ws(v + 10),
                             first_word(oc_skip_ws(v + 10)));
        return rc;
    }
    if ((*t == 'a' || *t == 'U' || *t == 'J') && strstr(t, "for each species LDAU"))
        for (size_t k = 0; k < sizeof lists / sizeof *lists; k++)
            if ((v = strstr(t, lists[k]))) {
                char key[8];
                snprintf(key, sizeof key, "%.5s", lists[k]);
                v = oc_skip_ws(v + 7);
                return add_setting(s, &s->listing, key, v, strlen(v));
            }
    return OC_OK;
}

/* CODE, VERSION, the INCAR echo if there is one (what was written), else the listing,
 * and POTCAR (the TITEL lines, in run->species). */
dp_status oc_settings(oc *s)
{
    dp_run *run = s->run;
    dp_status st;
    if ((st = dp_code_setting(run, "VASP", run->version, s->err)) != DP_OK ||
        (st = dp_incar_settings(run, s->echo.n ? &s->echo : &s->listing, s->err)) != DP_OK)
        return st;
    return dp_potcar_setting(run, s->err);
}
