/* INCAR reader, POTCAR titles, and the canonical VASP settings made from them:
 * see incar.h. */
#include "incar.h"
#include "paths.h"
#include "text_numbers.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define LINE_CAP 4096
#define MAX_TAGS 100000 /* a hostile file cannot grow the list without bound */
#define MAX_TITLES 64

/* ---- INCAR ------------------------------------------------------------------ */

/* A Fortran logical written in one of the usual ways, as "T"/"F"; NULL otherwise. */
static const char *logical(const char *v)
{
    static const char *const t[] = {".TRUE.", ".T.", "T", "TRUE", ".TRUE", "TRUE."};
    static const char *const f[] = {".FALSE.", ".F.", "F", "FALSE", ".FALSE", "FALSE."};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        if (!strcmp(v, t[i]))
            return "T";
        if (!strcmp(v, f[i]))
            return "F";
    }
    return NULL;
}

/* Trimmed, blanks collapsed, upper case, logicals as T/F: a new string. */
static char *normalise_value(const char *s, size_t n)
{
    char *v = malloc(n + 1);
    if (!v)
        return NULL;
    size_t k = 0;
    bool blank = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            blank = k > 0;
            continue;
        }
        if (blank)
            v[k++] = ' ';
        blank = false;
        v[k++] = (char)toupper(c);
    }
    v[k] = '\0';
    const char *l = logical(v);
    if (l)
        snprintf(v, n + 1, "%s", l); /* "T" fits: v held at least one character */
    return v;
}

static dp_status add_tag(dp_incar *inc, const char *path, long line, const char *key,
                         size_t klen, const char *val, size_t vlen, dp_run *warn, dp_error *err)
{
    char k[32];
    size_t n = 0;
    for (size_t i = 0; i < klen && n + 1 < sizeof k; i++)
        k[n++] = (char)toupper((unsigned char)key[i]);
    k[n] = '\0';
    char *v = normalise_value(val, vlen);
    if (!v)
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    for (int i = 0; i < inc->n; i++)
        if (!strcmp(inc->tags[i].key, k)) {
            if (strcmp(inc->tags[i].value, v) && warn)
                dp_run_warn(warn, "%s: line %ld: %s is written again (\"%.40s\"); the first "
                            "value (\"%.40s\", line %ld) is kept, as VASP does", path, line, k, v,
                            inc->tags[i].value, inc->tags[i].line);
            free(v);
            return DP_OK;
        }
    if (inc->n >= MAX_TAGS) {
        free(v);
        return dp_fail(err, DP_ERR_FORMAT, "%s: line %ld: more than %d INCAR tags", path, line,
                       MAX_TAGS);
    }
    dp_incar_tag *t = realloc(inc->tags, (size_t)(inc->n + 1) * sizeof *t);
    if (!t) {
        free(v);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    inc->tags = t;
    memcpy(t[inc->n].key, k, sizeof k);
    t[inc->n].value = v;
    t[inc->n].line = line;
    inc->n++;
    return DP_OK;
}

dp_status dp_incar_read(const char *path, dp_incar *inc, dp_run *warn, dp_error *err)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    char *buf = malloc(LINE_CAP);
    if (!buf) {
        gzclose(f);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    dp_text_lines r = {.f = f, .path = path, .buf = buf, .cap = LINE_CAP};
    int rc;
    dp_status st = DP_OK;
    while (st == DP_OK && (rc = dp_text_next_line(&r, err)) == 1) {
        if (r.cut && warn)
            dp_run_warn(warn, "%s: line %ld: longer than %d bytes: cut", path, r.line,
                        LINE_CAP - 1);
        r.buf[strcspn(r.buf, "!#")] = '\0';
        for (char *s = r.buf; *s && st == DP_OK;) {
            size_t len = strcspn(s, ";");
            char *next = s[len] ? s + len + 1 : s + len;
            const char *b = dp_text_skip_blanks(s);
            size_t blen = len - (size_t)(b - s);
            while (blen && (b[blen - 1] == ' ' || b[blen - 1] == '\t' || b[blen - 1] == '\r'))
                blen--;
            if (blen) {
                const char *eq = memchr(b, '=', blen);
                size_t klen = eq ? (size_t)(eq - b) : 0;
                while (klen && (b[klen - 1] == ' ' || b[klen - 1] == '\t'))
                    klen--;
                if (!eq || !klen) {
                    if (warn)
                        dp_run_warn(warn, "%s: line %ld: \"%.*s\" is not KEY = VALUE: ignored",
                                    path, r.line, (int)(blen > 60 ? 60 : blen), b);
                } else {
                    st = add_tag(inc, path, r.line, b, klen, eq + 1,
                                 blen - (size_t)(eq + 1 - b), warn, err);
                }
            }
            s = next;
        }
    }
    gzclose(f);
    free(buf);
    if (st != DP_OK)
        return st;
    return rc < 0 ? err->code : DP_OK;
}

dp_status dp_incar_add(dp_incar *inc, const char *key, const char *value, dp_error *err)
{
    return add_tag(inc, "", 0, key, strlen(key), value, strlen(value), NULL, err);
}

const char *dp_incar_get(const dp_incar *inc, const char *key)
{
    for (int i = 0; i < inc->n; i++)
        if (!strcmp(inc->tags[i].key, key))
            return inc->tags[i].value;
    return NULL;
}

void dp_incar_free(dp_incar *inc)
{
    for (int i = 0; i < inc->n; i++)
        free(inc->tags[i].value);
    free(inc->tags);
    inc->tags = NULL;
    inc->n = 0;
}

/* ---- POTCAR titles -------------------------------------------------------------- */

int dp_potcar_titles(const char *path, char (*titles)[80], int max, dp_error *err)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno)), -1;
    char buf[1024];
    dp_text_lines r = {.f = f, .path = path, .buf = buf, .cap = sizeof buf};
    int n = 0, rc;
    while ((rc = dp_text_next_line(&r, err)) == 1) {
        const char *p = dp_text_skip_blanks(r.buf);
        if (strncmp(p, "TITEL", 5))
            continue;
        const char *eq = strchr(p, '=');
        if (!eq || n >= max)
            continue;
        const char *t = dp_text_skip_blanks(eq + 1);
        size_t len = strlen(t);
        while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
            len--;
        snprintf(titles[n], 80, "%.*s", (int)(len > 79 ? 79 : len), t);
        n++;
    }
    gzclose(f);
    return rc < 0 ? -1 : n;
}

/* ---- canonical settings ---------------------------------------------------------- */

/* One number or n*number token as %.6g; false (out untouched) if tok is neither. */
static bool number_token(const char *tok, size_t len, char *out, size_t size)
{
    char t[64];
    if (len == 0 || len >= sizeof t)
        return false;
    memcpy(t, tok, len);
    t[len] = '\0';
    char *star = strchr(t, '*');
    const char *num = t;
    long count = -1;
    if (star) {
        char *end;
        *star = '\0';
        count = strtol(t, &end, 10);
        if (end == t || *end || count < 0)
            return false;
        num = star + 1;
    }
    const char *p = num;
    double v;
    if (!dp_text_number(&p, &v) || *p || !isfinite(v))
        return false;
    if (count >= 0)
        snprintf(out, size, "%ld*%.6g", count, v);
    else
        snprintf(out, size, "%.6g", v);
    return true;
}

/* A value whose tokens are all numbers written as %.6g each; others as they are. */
static void numbers_value(const char *v, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = v; *p;) {
        p = dp_text_skip_blanks(p);
        size_t len = strcspn(p, " \t");
        if (!len)
            break;
        char tok[80];
        if (!number_token(p, len, tok, sizeof tok)) {
            snprintf(out, size, "%s", v); /* not a list of numbers: as written */
            return;
        }
        int w = snprintf(out + used, size - used, "%s%s", used ? " " : "", tok);
        if (w < 0 || (size_t)w >= size - used)
            return;
        used += (size_t)w;
        p += len;
    }
}

static const char *prec_name(const char *v)
{
    switch (v[0]) {
    case 'A': return "ACCURATE";
    case 'N': return "NORMAL";
    case 'L': return "LOW";
    case 'M': return "MEDIUM";
    case 'H': return "HIGH";
    default: return v;
    }
}

static dp_status set(dp_run *run, const char *key, const char *value, dp_error *err)
{
    if (dp_run_set_setting(run, key, value) != DP_OK)
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", run->path);
    return DP_OK;
}

dp_status dp_incar_settings(dp_run *run, const dp_incar *inc, dp_error *err)
{
    static const char *const as_written[] = {"GGA", "METAGGA", "LASPH", "LDAU", "LHFCALC"};
    static const char *const numeric[] = {"ENCUT", "LDAUTYPE", "LDAUL", "LDAUU", "LDAUJ",
                                          "ISPIN", "ISMEAR", "SIGMA", "HFSCREEN"};
    dp_status st = DP_OK;
    for (size_t i = 0; i < sizeof as_written / sizeof *as_written && !st; i++) {
        const char *v = dp_incar_get(inc, as_written[i]);
        if (v)
            st = set(run, as_written[i], v, err);
    }
    for (size_t i = 0; i < sizeof numeric / sizeof *numeric && !st; i++) {
        const char *v = dp_incar_get(inc, numeric[i]);
        if (v) {
            char buf[160];
            numbers_value(v, buf, sizeof buf);
            st = set(run, numeric[i], buf, err);
        }
    }
    const char *v = dp_incar_get(inc, "PREC");
    if (v && !st)
        st = set(run, "PREC", prec_name(v), err);
    const char *ivdw = dp_incar_get(inc, "IVDW"), *lvdw = dp_incar_get(inc, "LVDW");
    if (!st && ivdw) {
        char buf[160];
        numbers_value(ivdw, buf, sizeof buf);
        st = set(run, "IVDW", buf, err);
    } else if (!st && lvdw && (!strcmp(lvdw, "T") || !strcmp(lvdw, "F"))) {
        st = set(run, "IVDW", lvdw[0] == 'T' ? "1" : "0", err);
    }
    return st;
}

/* The INCAR tags that are parameters of the model (run->params). */
static void incar_params(dp_run *run, const dp_incar *inc)
{
    const char *p;
    double x;
    if ((p = dp_incar_get(inc, "ISPIN")) && dp_text_number(&p, &x) && (x == 1 || x == 2))
        run->params.ispin = (int)x;
    if ((p = dp_incar_get(inc, "LORBIT")) && dp_text_number(&p, &x) && fabs(x) < 1000)
        run->params.lorbit = (int)x;
    if ((p = dp_incar_get(inc, "ISMEAR")) && dp_text_number(&p, &x) && fabs(x) < 1000)
        run->params.ismear = (int)x;
    if ((p = dp_incar_get(inc, "SIGMA")) && dp_text_number(&p, &x) && isfinite(x))
        run->params.sigma = x;
    if ((p = dp_incar_get(inc, "NEDOS")) && dp_text_number(&p, &x) && x > 0 && x < 1e7)
        run->params.nedos = (int)x;
    if ((p = dp_incar_get(inc, "LNONCOLLINEAR")))
        run->params.lnoncollinear = !strcmp(p, "T");
    if ((p = dp_incar_get(inc, "LSORBIT")))
        run->params.lsorbit = !strcmp(p, "T");
    if (run->params.lsorbit)
        run->params.lnoncollinear = true;
}

/* The element of a POTCAR title: the second word ("PAW_PBE Fe_pv 02Aug2007" → "Fe"),
 * or the first when there is one. */
static void title_element(const char *title, char sym[4])
{
    const char *w = title + strcspn(title, " \t");
    w = dp_text_skip_blanks(w);
    if (!*w)
        w = title;
    size_t n = 0;
    if (isalpha((unsigned char)w[0])) {
        sym[n++] = (char)toupper((unsigned char)w[0]);
        if (islower((unsigned char)w[1]))
            sym[n++] = w[1];
    }
    sym[n] = '\0';
}

static dp_status potcar_settings(dp_run *run, const char *dir, dp_error *err)
{
    static const char *const names[] = {"POTCAR_info", "POTCAR", "POTCAR.gz"};
    char path[1200];
    const char *found = NULL;
    for (size_t k = 0; k < sizeof names / sizeof *names && !found; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        if (dp_path_is_file(path))
            found = names[k];
    }
    if (!found) {
        dp_run_warn(run, "%s: no POTCAR_info or POTCAR beside it: pseudopotentials unknown",
                    run->path);
        return DP_OK;
    }
    char (*titles)[80] = malloc(MAX_TITLES * sizeof *titles);
    if (!titles)
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", run->path);
    dp_error e2;
    int n = dp_potcar_titles(path, titles, MAX_TITLES, &e2);
    if (n < 0) {
        dp_run_warn(run, "%s", e2.msg);
    } else if (n == 0) {
        dp_run_warn(run, "%s: no TITEL line: pseudopotentials unknown", path);
    } else {
        char joined[4096];
        size_t used = 0;
        joined[0] = '\0';
        for (int t = 0; t < n; t++) {
            int w = snprintf(joined + used, sizeof joined - used, "%s%s", t ? " | " : "",
                             titles[t]);
            if (w > 0 && (size_t)w < sizeof joined - used)
                used += (size_t)w;
        }
        if (used >= sizeof run->settings[0].value)
            dp_run_warn(run, "%s: the POTCAR titles (%zu characters) are cut to %zu in the "
                        "POTCAR setting", path, used, sizeof run->settings[0].value - 1);
        if (set(run, "POTCAR", joined, err)) {
            free(titles);
            return DP_ERR_NOMEM;
        }
        if (run->ntypes > 0) {
            bool match = n == run->ntypes;
            for (int t = 0; t < n && match; t++) {
                char sym[4];
                title_element(titles[t], sym);
                match = !strcmp(sym, run->species[t].symbol);
            }
            if (match) {
                for (int t = 0; t < n; t++)
                    snprintf(run->species[t].potential, sizeof run->species[t].potential, "%s",
                             titles[t]);
            } else {
                dp_run_warn(run, "%s: its %d TITEL lines do not match the %d species of the "
                            "structure in order", path, n, run->ntypes);
            }
        }
    }
    free(titles);
    return DP_OK;
}

dp_status dp_vasp_input_settings(dp_run *run, const char *dir, dp_error *err)
{
    if (set(run, "CODE", "VASP", err))
        return DP_ERR_NOMEM;
    run->params.lorbit = -1;
    run->params.ismear = 1; /* VASP's defaults */
    run->params.sigma = 0.2;
    char path[1200];
    snprintf(path, sizeof path, "%s/INCAR", dir);
    if (!dp_path_is_file(path)) {
        snprintf(path, sizeof path, "%s/INCAR.gz", dir);
        if (!dp_path_is_file(path)) {
            dp_run_warn(run, "%s: no INCAR beside it: settings unknown", run->path);
            return potcar_settings(run, dir, err);
        }
    }
    dp_incar inc = {0};
    dp_error e2;
    dp_status st = dp_incar_read(path, &inc, run, &e2);
    if (st == DP_ERR_NOMEM) {
        dp_incar_free(&inc);
        *err = e2;
        return st;
    }
    if (st != DP_OK)
        dp_run_warn(run, "%s (settings unknown)", e2.msg);
    else if ((st = dp_incar_settings(run, &inc, err)) == DP_OK)
        incar_params(run, &inc);
    dp_incar_free(&inc);
    if (st == DP_ERR_NOMEM)
        return st;
    return potcar_settings(run, dir, err);
}

/* ---- settings of the other VASP and QE readers ------------------------------------ */

dp_status dp_potcar_setting(dp_run *run, dp_error *err)
{
    if (run->ntypes < 1 || !run->species)
        return DP_OK;
    char joined[sizeof run->settings[0].value];
    size_t used = 0;
    joined[0] = '\0';
    for (int t = 0; t < run->ntypes; t++) {
        const char *p = dp_text_skip_blanks(run->species[t].potential);
        size_t n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
            n--;
        if (!n)
            return DP_OK; /* one unknown: the list would pair titles with the wrong species */
        int w = snprintf(joined + used, sizeof joined - used, "%s%.*s", t ? " | " : "", (int)n, p);
        if (w < 0 || (size_t)w >= sizeof joined - used) {
            dp_run_warn(run, "%s: the pseudopotential names are cut to %zu characters in the "
                        "POTCAR setting", run->path, sizeof joined - 1);
            break;
        }
        used += (size_t)w;
    }
    return set(run, "POTCAR", joined, err);
}

dp_status dp_code_setting(dp_run *run, const char *code, const char *version, dp_error *err)
{
    if (set(run, "CODE", code, err))
        return DP_ERR_NOMEM;
    /* major.minor: "5.4.4.18Apr17-6-g9f103f2a35" → 5.4, "6.7MaX" → 6.7, "v.6.1" → 6.1 */
    const char *p = version ? version : "";
    while (*p && !isdigit((unsigned char)*p))
        p++;
    size_t a = strspn(p, "0123456789");
    if (!a || a > 4 || p[a] != '.' || !isdigit((unsigned char)p[a + 1]))
        return DP_OK;
    size_t b = strspn(p + a + 1, "0123456789");
    if (b > 4)
        return DP_OK;
    char v[16];
    snprintf(v, sizeof v, "%.*s", (int)(a + 1 + b), p);
    return set(run, "VERSION", v, err);
}
