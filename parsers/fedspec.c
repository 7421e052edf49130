/* The SPEC of `dftpost fed`: line-oriented keywords, '#' comments, "quoted" tokens. */
#include "fedspec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 64
#define MAX_LINE 8192

typedef struct {
    dp_fed_spec *s;
    char dir[DP_FED_PATH]; /* the SPEC's folder, with a trailing '/', or "" */
    int line;
    dp_error *err;
} ctx;

static dp_status bad(ctx *c, const char *fmt, const char *a, const char *b)
{
    char what[512];
    snprintf(what, sizeof what, fmt, a ? a : "", b ? b : "");
    return dp_fail(c->err, DP_ERR_FORMAT, "%s: line %d: %s", c->s->path, c->line, what);
}

/* splits line in place; returns the token count or -1 on an unterminated quote */
static int tokenize(char *line, char **tok, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (!*p || *p == '#')
            break;
        if (n == max)
            return -2;
        if (*p == '"') {
            char *q = strchr(p + 1, '"');
            if (!q)
                return -1;
            *q = '\0';
            tok[n++] = p + 1;
            p = q + 1;
            continue;
        }
        tok[n++] = p;
        while (*p && !isspace((unsigned char)*p) && *p != '#')
            p++;
        if (*p == '#') {
            *p = '\0';
            break;
        }
        if (*p)
            *p++ = '\0';
    }
    return n;
}

static bool number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && !*end && errno != ERANGE && isfinite(*v);
}

static bool name_ok(const char *s, size_t max)
{
    if (!*s || strlen(s) >= max)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("*_-+().", *s))
            return false;
    return true;
}

/* a number stays as typed; a relative path is taken from the SPEC's folder */
static dp_status energy_arg(ctx *c, const char *arg, char *out, size_t size)
{
    double v;
    int w;
    if (number(arg, &v) || arg[0] == '/' || !c->dir[0])
        w = snprintf(out, size, "%s", arg);
    else
        w = snprintf(out, size, "%s%s", c->dir, arg);
    if (w < 0 || (size_t)w >= size)
        return bad(c, "path too long: %s", arg, NULL);
    return DP_OK;
}

/* "2*H2O", "-2*H2", "H2O", "0.5*O2" */
static dp_status term(ctx *c, const char *t, dp_fed_term *out)
{
    const char *star = strchr(t, '*');
    double coef = 1;
    const char *name = t;
    if (t[0] == '-' && !star) {
        coef = -1;
        name = t + 1;
    } else if (t[0] == '+' && !star) {
        name = t + 1;
    }
    if (star) {
        char buf[64];
        size_t k = (size_t)(star - t);
        if (k == 0 || k >= sizeof buf)
            return bad(c, "bad term \"%s\" (want COEF*NAME, e.g. 2*H2O)", t, NULL);
        memcpy(buf, t, k);
        buf[k] = '\0';
        if (!number(buf, &coef))
            return bad(c, "bad coefficient in \"%s\" (want COEF*NAME, e.g. 2*H2O)", t, NULL);
        name = star + 1;
    }
    if (!name_ok(name, sizeof out->name) || strchr(name, '*') || !isalpha((unsigned char)name[0]))
        return bad(c, "bad molecule name in \"%s\"", t, NULL);
    snprintf(out->name, sizeof out->name, "%s", name);
    out->coef = coef;
    return DP_OK;
}

/* corrections from tok[0..n) */
static dp_status corrections(ctx *c, char **tok, int n, dp_fed_corr *k)
{
    memset(k, 0, sizeof *k);
    k->gcorr = NAN;
    k->pressure = 101325.0;
    bool numbers = false, none = false, freq = false, gas_opts = false;
    for (int i = 0; i < n; i++) {
        const char *key = tok[i];
        double v;
        int need = !strcmp(key, "nocorr") ? 0 : !strcmp(key, "gas") ? 2 : 1;
        if (i + need >= n)
            return bad(c, "\"%s\" needs %s", key, need == 2 ? "a symmetry number and a spin" : "a value");
        if (!strcmp(key, "nocorr")) {
            none = true;
        } else if (!strcmp(key, "zpe") || !strcmp(key, "ts") || !strcmp(key, "cp") ||
                   !strcmp(key, "gcorr") || !strcmp(key, "pressure") || !strcmp(key, "cutoff")) {
            if (!number(tok[i + 1], &v))
                return bad(c, "\"%s\" wants a number, not \"%s\"", key, tok[i + 1]);
            if (!strcmp(key, "zpe"))
                k->zpe = v, numbers = true;
            else if (!strcmp(key, "ts"))
                k->ts = v, numbers = true;
            else if (!strcmp(key, "cp"))
                k->cp = v, numbers = true;
            else if (!strcmp(key, "gcorr"))
                k->gcorr = v, numbers = true;
            else if (!strcmp(key, "pressure")) {
                if (!(v > 0))
                    return bad(c, "pressure must be > 0 Pa, not %s", tok[i + 1], NULL);
                k->pressure = v, gas_opts = true;
            } else {
                if (!(v > 0))
                    return bad(c, "cutoff must be > 0 cm-1, not %s", tok[i + 1], NULL);
                k->cutoff = v;
            }
            i++;
        } else if (!strcmp(key, "freq")) {
            if (energy_arg(c, tok[i + 1], k->freq, sizeof k->freq))
                return c->err->code;
            freq = true;
            i++;
        } else if (!strcmp(key, "structure")) {
            if (energy_arg(c, tok[i + 1], k->structure, sizeof k->structure))
                return c->err->code;
            gas_opts = true;
            i++;
        } else if (!strcmp(key, "gas")) {
            double s;
            if (!number(tok[i + 1], &v) || v < 1 || v != floor(v) || v > 1000)
                return bad(c, "gas: symmetry number must be a whole number >= 1, not \"%s\"",
                           tok[i + 1], NULL);
            if (!number(tok[i + 2], &s) || s < 0 || 2 * s != floor(2 * s))
                return bad(c, "gas: spin must be 0, 0.5, 1, ..., not \"%s\"", tok[i + 2], NULL);
            k->gas = true;
            k->symmetry = (int)v;
            k->spin = s;
            i += 2;
        } else {
            return bad(c, "unknown correction \"%s\" (zpe, ts, cp, gcorr, nocorr, freq FILE "
                       "[gas SYM SPIN] [structure FILE] [pressure PA] [cutoff CM])", key, NULL);
        }
    }
    if (numbers + none + freq > 1)
        return bad(c, "give one kind of correction: numbers (zpe/ts/cp or gcorr), nocorr, or "
                   "freq FILE", NULL, NULL);
    if (!isnan(k->gcorr) && (k->zpe || k->ts || k->cp))
        return bad(c, "gcorr is the whole correction: not with zpe/ts/cp", NULL, NULL);
    if ((k->gas || gas_opts || k->cutoff > 0) && !freq)
        return bad(c, "gas, structure, pressure and cutoff go with freq FILE", NULL, NULL);
    if (gas_opts && !k->gas)
        return bad(c, "structure and pressure need \"gas SYM SPIN\" (ideal gas)", NULL, NULL);
    k->kind = numbers ? DP_FED_CORR_NUMBERS : none ? DP_FED_CORR_NONE
              : freq  ? DP_FED_CORR_FREQ : DP_FED_CORR_DEFAULT;
    return DP_OK;
}

#define GROW(arr, n, cap)                                                               \
    do {                                                                                \
        if ((n) == (cap)) {                                                             \
            int nc_ = (cap) ? 2 * (cap) : 16;                                           \
            void *p_ = realloc((arr), (size_t)nc_ * sizeof *(arr));                     \
            if (!p_)                                                                    \
                return dp_fail(c->err, DP_ERR_NOMEM, "out of memory");                  \
            (arr) = p_;                                                                 \
            (cap) = nc_;                                                                \
        }                                                                               \
    } while (0)

static dp_status mech_list(ctx *c, char **tok, int n, char (*mech)[DP_FED_NAME], int *nmech)
{
    if (n < 1)
        return bad(c, "mechanism needs at least one name", NULL, NULL);
    if (n > DP_FED_MAX_MECH)
        return bad(c, "too many mechanisms on one line", NULL, NULL);
    for (int i = 0; i < n; i++) {
        if (!name_ok(tok[i], DP_FED_NAME))
            return bad(c, "bad mechanism name \"%s\"", tok[i], NULL);
        snprintf(mech[i], DP_FED_NAME, "%s", tok[i]);
    }
    *nmech = n;
    return DP_OK;
}

static dp_status line_molecule(ctx *c, char **tok, int n)
{
    dp_fed_spec *s = c->s;
    if (n < 3)
        return bad(c, "molecule NAME ENERGY|FILE [corrections] or molecule NAME rule TERMS",
                   NULL, NULL);
    if (!name_ok(tok[1], DP_FED_NAME) || strchr(tok[1], '*') || !isalpha((unsigned char)tok[1][0]))
        return bad(c, "bad molecule name \"%s\" (a formula such as H2O; no '*')", tok[1], NULL);
    if (dp_fed_spec_molecule(s, tok[1]))
        return bad(c, "molecule %s given twice", tok[1], NULL);
    GROW(s->mol, s->nmol, s->molcap);
    dp_fed_molecule *m = &s->mol[s->nmol];
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", tok[1]);
    m->line = c->line;
    m->corr.gcorr = NAN;
    if (!strcmp(tok[2], "rule")) {
        m->is_rule = true;
        for (int i = 3; i < n; i++) {
            double v;
            if (number(tok[i], &v) && !strchr(tok[i], '*')) {
                m->offset += v;
                continue;
            }
            if (m->nterms == DP_FED_MAX_TERMS)
                return bad(c, "too many terms in the rule", NULL, NULL);
            if (term(c, tok[i], &m->terms[m->nterms]))
                return c->err->code;
            if (!strcmp(m->terms[m->nterms].name, m->name))
                return bad(c, "rule of %s refers to itself", m->name, NULL);
            m->nterms++;
        }
        if (m->nterms == 0)
            return bad(c, "rule needs terms, e.g. rule 2*H2O -2*H2 4.92", NULL, NULL);
    } else {
        if (energy_arg(c, tok[2], m->energy, sizeof m->energy) ||
            corrections(c, tok + 3, n - 3, &m->corr))
            return c->err->code;
    }
    s->nmol++;
    return DP_OK;
}

static dp_status line_custom(ctx *c, char **tok, int n)
{
    dp_fed_spec *s = c->s;
    if (n != 3 && !(n == 5 && !strcmp(tok[3], "e0")))
        return bad(c, "custom NAME reduction|oxidation [e0 V]", NULL, NULL);
    if (!name_ok(tok[1], DP_FED_NAME) || strchr(tok[1], '*'))
        return bad(c, "bad mechanism name \"%s\"", tok[1], NULL);
    for (int i = 0; i < s->ncustom; i++)
        if (!strcmp(s->custom[i].m.name, tok[1]))
            return bad(c, "custom mechanism %s defined twice", tok[1], NULL);
    int dir = !strcmp(tok[2], "reduction") ? 1 : !strcmp(tok[2], "oxidation") ? -1 : 0;
    if (!dir)
        return bad(c, "custom %s: say reduction or oxidation, not \"%s\"", tok[1], tok[2]);
    GROW(s->custom, s->ncustom, s->customcap);
    dp_fed_custom *m = &s->custom[s->ncustom++];
    memset(m, 0, sizeof *m);
    snprintf(m->m.name, sizeof m->m.name, "%s", tok[1]);
    snprintf(m->m.title, sizeof m->m.title, "custom mechanism %s (SPEC line %d)", tok[1], c->line);
    m->m.direction = dir;
    m->m.e0 = NAN;
    m->line = c->line;
    if (n == 5 && !number(tok[4], &m->m.e0))
        return bad(c, "e0 wants a potential in V, not \"%s\"", tok[4], NULL);
    return DP_OK;
}

static dp_status line_level(ctx *c, char **tok, int n, dp_fed_custom *m)
{
    if (!m)
        return bad(c, "level outside a custom mechanism (write \"custom NAME reduction\" first)",
                   NULL, NULL);
    if (n < 4 || strcmp(tok[2], "pairs") || (n > 4 && strcmp(tok[4], "with")) || n == 5)
        return bad(c, "level SITE pairs K [with TERM...] (SITE a label like *OH, or - for none)",
                   NULL, NULL);
    if (m->m.nlevels == DP_FED_MAX_LEVELS)
        return bad(c, "more than %s levels", "24", NULL);
    if (strcmp(tok[1], "-") && (!name_ok(tok[1], DP_FED_NAME) || tok[1][0] != '*'))
        return bad(c, "bad site \"%s\" (a label starting with '*', or - for none)", tok[1], NULL);
    dp_fed_level *l = &m->m.levels[m->m.nlevels];
    memset(l, 0, sizeof *l);
    snprintf(l->site, sizeof l->site, "%s", tok[1]);
    if (!number(tok[3], &l->pairs))
        return bad(c, "pairs wants a count, not \"%s\"", tok[3], NULL);
    if (l->pairs < 0)
        return bad(c, "negative (H+ + e-) count %s (counts are pairs transferred since the "
                   "first level, >= 0)", tok[3], NULL);
    for (int i = 5; i < n; i++) {
        if (l->nterms == DP_FED_MAX_TERMS)
            return bad(c, "too many molecules on one level", NULL, NULL);
        if (term(c, tok[i], &l->terms[l->nterms]))
            return c->err->code;
        if (!(l->terms[l->nterms].coef > 0))
            return bad(c, "molecule %s needs a positive coefficient", tok[i], NULL);
        l->nterms++;
    }
    m->level_line[m->m.nlevels++] = c->line;
    return DP_OK;
}

static dp_status line_state(ctx *c, char **tok, int n, dp_fed_catalyst *cat)
{
    if (!cat)
        return bad(c, "state outside a catalyst (write \"catalyst NAME\" first)", NULL, NULL);
    if (n < 3)
        return bad(c, "state LABEL ENERGY|FILE [corrections]", NULL, NULL);
    if (!name_ok(tok[1], DP_FED_NAME) || tok[1][0] != '*')
        return bad(c, "bad state label \"%s\" (starts with '*': *, *OH, *OOH...)", tok[1], NULL);
    for (int i = 0; i < cat->nstates; i++)
        if (!strcmp(cat->states[i].label, tok[1]))
            return bad(c, "state %s given twice", tok[1], NULL);
    GROW(cat->states, cat->nstates, cat->cap);
    dp_fed_state *st = &cat->states[cat->nstates];
    memset(st, 0, sizeof *st);
    snprintf(st->label, sizeof st->label, "%s", tok[1]);
    st->line = c->line;
    if (energy_arg(c, tok[2], st->energy, sizeof st->energy) ||
        corrections(c, tok + 3, n - 3, &st->corr))
        return c->err->code;
    cat->nstates++;
    return DP_OK;
}

static dp_status parse_line(ctx *c, char **tok, int n)
{
    dp_fed_spec *s = c->s;
    const char *k = tok[0];
    dp_fed_catalyst *cat = s->ncat ? &s->cat[s->ncat - 1] : NULL;
    dp_fed_custom *cus = s->ncustom ? &s->custom[s->ncustom - 1] : NULL;
    double v;
    if (!strcmp(k, "T") || !strcmp(k, "pH")) {
        if (n != 2 || !number(tok[1], &v) || (k[0] == 'T' && !(v > 0)))
            return bad(c, "%s wants one number%s", k, k[0] == 'T' ? " (K, > 0)" : "");
        if (k[0] == 'T')
            s->T = v;
        else
            s->ph = v;
        return DP_OK;
    }
    if (!strcmp(k, "mechanism")) {
        if (cat)
            return mech_list(c, tok + 1, n - 1, cat->mech, &cat->nmech);
        s->mech_line = c->line;
        return mech_list(c, tok + 1, n - 1, s->mech, &s->nmech);
    }
    if (!strcmp(k, "molecule"))
        return line_molecule(c, tok, n);
    if (!strcmp(k, "custom"))
        return line_custom(c, tok, n);
    if (!strcmp(k, "level"))
        return line_level(c, tok, n, cus);
    if (!strcmp(k, "state"))
        return line_state(c, tok, n, cat);
    if (!strcmp(k, "catalyst")) {
        if (n != 2 && !(n >= 4 && !strcmp(tok[2], "mechanism")))
            return bad(c, "catalyst NAME [mechanism M...]", NULL, NULL);
        if (strlen(tok[1]) >= sizeof cat->name || strchr(tok[1], '\t'))
            return bad(c, "bad catalyst name \"%s\"", tok[1], NULL);
        for (int i = 0; i < s->ncat; i++)
            if (!strcmp(s->cat[i].name, tok[1]))
                return bad(c, "catalyst %s given twice", tok[1], NULL);
        GROW(s->cat, s->ncat, s->catcap);
        cat = &s->cat[s->ncat++];
        memset(cat, 0, sizeof *cat);
        snprintf(cat->name, sizeof cat->name, "%s", tok[1]);
        cat->line = c->line;
        return n > 2 ? mech_list(c, tok + 3, n - 3, cat->mech, &cat->nmech) : DP_OK;
    }
    return bad(c, "unknown keyword \"%s\" (T, pH, mechanism, molecule, custom, level, "
               "catalyst, state)", k, NULL);
}

/* after the whole file: names used exist, custom mechanisms are sound */
static dp_status check(ctx *c)
{
    dp_fed_spec *s = c->s;
    for (int i = 0; i < s->ncustom; i++) {
        dp_fed_custom *m = &s->custom[i];
        char msg[300];
        if (dp_fed_builtin(m->m.name)) {
            c->line = m->line;
            return bad(c, "custom mechanism %s has the name of a built-in one", m->m.name, NULL);
        }
        if (dp_fed_mechanism_check(&m->m, msg, sizeof msg)) {
            int lv = 0;
            sscanf(msg, "level %d", &lv);
            c->line = lv > 0 ? m->level_line[lv - 1] : m->line;
            return bad(c, "custom %s: %s", m->m.name, msg);
        }
    }
    for (int i = 0; i < s->nmech; i++)
        if (!dp_fed_spec_mechanism(s, s->mech[i])) {
            c->line = s->mech_line;
            return bad(c, "unknown mechanism \"%s\" (see dftpost fed --help)", s->mech[i], NULL);
        }
    if (s->ncat == 0) {
        c->line = 0;
        return dp_fail(c->err, DP_ERR_FORMAT, "%s: no catalyst (a \"catalyst NAME\" line with "
                       "its \"state\" lines)", s->path);
    }
    for (int k = 0; k < s->ncat; k++) {
        dp_fed_catalyst *cat = &s->cat[k];
        c->line = cat->line;
        if (!cat->nmech && !s->nmech)
            return bad(c, "catalyst %s has no mechanism (a \"mechanism\" line before the first "
                       "catalyst, or after its catalyst line)", cat->name, NULL);
        for (int i = 0; i < cat->nmech; i++)
            if (!dp_fed_spec_mechanism(s, cat->mech[i]))
                return bad(c, "unknown mechanism \"%s\" (see dftpost fed --help)", cat->mech[i],
                           NULL);
    }
    for (int i = 0; i < s->nmol; i++)
        for (int t = 0; t < s->mol[i].nterms; t++) {
            const char *nm = s->mol[i].terms[t].name;
            if (!dp_fed_spec_molecule(s, nm) && !dp_fed_rule_find(nm)) {
                c->line = s->mol[i].line;
                return bad(c, "rule uses molecule %s, which is not given", nm, NULL);
            }
        }
    return DP_OK;
}

dp_status dp_fed_spec_read(const char *path, dp_fed_spec **out, dp_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %m", path);
    dp_fed_spec *s = calloc(1, sizeof *s);
    char *buf = malloc(MAX_LINE);
    if (!s || !buf) {
        fclose(f);
        free(s);
        free(buf);
        return dp_fail(err, DP_ERR_NOMEM, "out of memory");
    }
    snprintf(s->path, sizeof s->path, "%s", path);
    s->T = NAN;
    s->ph = NAN;
    ctx c = {.s = s, .err = err};
    const char *slash = strrchr(path, '/');
    if (slash && (size_t)(slash - path + 1) < sizeof c.dir)
        snprintf(c.dir, sizeof c.dir, "%.*s", (int)(slash - path + 1), path);
    dp_status st = DP_OK;
    while (st == DP_OK && fgets(buf, MAX_LINE, f)) {
        c.line++;
        size_t len = strlen(buf);
        if (len == MAX_LINE - 1 && buf[len - 1] != '\n') {
            st = bad(&c, "line longer than %s characters", "8190", NULL);
            break;
        }
        if (memchr(buf, '\0', len) != NULL && strlen(buf) != len) {
            st = bad(&c, "not a text file", NULL, NULL);
            break;
        }
        char *tok[MAX_TOKENS];
        int n = tokenize(buf, tok, MAX_TOKENS);
        if (n == -1)
            st = bad(&c, "unterminated quote", NULL, NULL);
        else if (n == -2)
            st = bad(&c, "too many words on one line", NULL, NULL);
        else if (n > 0)
            st = parse_line(&c, tok, n);
    }
    if (st == DP_OK && ferror(f))
        st = dp_fail(err, DP_ERR_IO, "%s: read error", path);
    fclose(f);
    free(buf);
    if (st == DP_OK)
        st = check(&c);
    if (st != DP_OK) {
        dp_fed_spec_free(s);
        return st;
    }
    *out = s;
    return DP_OK;
}

void dp_fed_spec_free(dp_fed_spec *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ncat; i++)
        free(s->cat[i].states);
    free(s->cat);
    free(s->mol);
    free(s->custom);
    free(s);
}

const dp_fed_mechanism *dp_fed_spec_mechanism(const dp_fed_spec *s, const char *name)
{
    for (int i = 0; i < s->ncustom; i++)
        if (!strcmp(s->custom[i].m.name, name))
            return &s->custom[i].m;
    return dp_fed_builtin(name);
}

const dp_fed_molecule *dp_fed_spec_molecule(const dp_fed_spec *s, const char *name)
{
    for (int i = 0; i < s->nmol; i++)
        if (!strcmp(s->mol[i].name, name))
            return &s->mol[i];
    return NULL;
}
