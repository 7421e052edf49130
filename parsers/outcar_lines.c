/* OUTCAR reader: reading lines through zlib, errors, and numbers. */
#include "outcar_reader.h"
#include "text_lines.h"

/* ---- errors and reading -------------------------------------------------- */


oc_result oc_fail(oc *s, dp_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dp_gzl_vfail(s->err, code, s->path, s->lineno, fmt, ap);
    va_end(ap);
    s->fail_code = code;
    return OC_FAIL;
}

/* Copies at most n characters of text for a message, non-printables as '?'. */
const char *oc_quote(const char *t, size_t n, char *buf, size_t size)
{
    return dp_gzl_quote(t, " \t", n, buf, size);
}

/* Next line into s->line. OC_BROKEN at the end of the file (a last line without
 * '\n' is still returned first, with partial_last set: its last number may be cut
 * too, so it is not parsed, only looked at if it is the first line; a whole OUTCAR
 * ends after its timing block anyway). */
oc_result oc_next_line(oc *s)
{
    const dp_gzl r = {s->f, s->raw, READ_CHUNK, &s->raw_len, &s->raw_pos, &s->raw_eof,
                      s->line, MAX_LINE, &s->line_len, &s->line_cut, &s->pushed_back,
                      &s->lineno, &s->gz_truncated, &s->partial_last};
    char what[600];
    int rc = dp_gzl_next(&r, what, sizeof what);
    if (rc < 0)
        return oc_fail(s, DP_ERR_IO, "%s", what);
    if (rc == 0)
        return OC_BROKEN;
    if (s->opts.progress && (s->lineno & 0x3FFF) == 0)
        s->opts.progress((long long)gzoffset(s->f), s->fsize, s->opts.progress_ud);
    return OC_OK;
}

void oc_push_back(oc *s)
{
    s->pushed_back = true;
}

const char *oc_skip_ws(const char *p)
{
    while (*p == ' ')
        p++;
    return p;
}

bool oc_starts(const char *t, const char *prefix)
{
    return strncmp(t, prefix, strlen(prefix)) == 0;
}

bool oc_is_blank(const char *t)
{
    return *oc_skip_ws(t) == '\0';
}

/* A line of dashes (at least 3) and nothing else. */
bool oc_is_dashes(const char *t)
{
    t = oc_skip_ws(t);
    int n = 0;
    while (*t == '-')
        t++, n++;
    return n >= 3 && *oc_skip_ws(t) == '\0';
}

/* "----------------------------------------- Iteration    1(   1)  ------" (the
 * number of dashes and the width of the step number vary between versions) */
bool oc_is_iteration(const char *t)
{
    int dashes = 0;
    while (*t == '-')
        t++, dashes++;
    if (dashes < 10 || !oc_starts(t, " Iteration "))
        return false;
    t = oc_skip_ws(t + 11);
    if (*t < '0' || *t > '9')
        return false;
    while (*t >= '0' && *t <= '9')
        t++;
    return *t == '(';
}

/* ---- numbers ------------------------------------------------------------- */

/* One number at *pp: a decimal number (no hex, nan, inf) or a run of '*' (NaN,
 * counted). Returns false if there is none; *pp moves past it. */
bool oc_number_field(oc *s, const char **pp, double *v, bool *stars)
{
    if (!dp_gzl_number_field(pp, v, stars))
        return false;
    if (*stars)
        s->overflows++;
    return true;
}

/* Whitespace-separated numbers (a number may also touch a following '-' or '*':
 * full Fortran columns). Reads at most max. If fewer than want were found and one
 * run of '*' is among them, it stood for several overflowed columns and is
 * widened. Returns the count, max + 1 if more follow, -1 on a token that is not a
 * number. */
int oc_parse_numbers(oc *s, const char *p, double *out, int max, int want)
{
    int n = 0, star_runs = 0, star_at = -1;
    for (;;) {
        p = oc_skip_ws(p);
        if (!*p)
            break;
        if (n == max)
            return max + 1;
        bool stars;
        if (!oc_number_field(s, &p, &out[n], &stars))
            return -1;
        if (stars)
            star_runs++, star_at = n;
        n++;
        if (*p && *p != ' ' && *p != '-' && *p != '+' && *p != '*')
            return -1;
    }
    if (n < want && want <= max && star_runs == 1) {
        int extra = want - n;
        memmove(out + star_at + 1 + extra, out + star_at + 1,
                (size_t)(n - star_at - 1) * sizeof *out);
        for (int k = 1; k <= extra; k++)
            out[star_at + k] = NAN;
        s->overflows += extra;
        n = want;
    }
    return n;
}

/* Exactly want numbers from p, or an error naming what. */
oc_result oc_numbers_exact(oc *s, const char *p, double *out, int want, const char *what)
{
    if (s->line_cut)
        return oc_fail(s, DP_ERR_FORMAT, "%s: line longer than %d characters", what, MAX_LINE);
    int n = oc_parse_numbers(s, p, out, want, want);
    if (n == want)
        return OC_OK;
    char q[48];
    if (n < 0)
        return oc_fail(s, DP_ERR_FORMAT, "%s: expected %d numbers, found a non-number in \"%s\"",
                    what, want, oc_quote(p, 40, q, sizeof q));
    return oc_fail(s, DP_ERR_FORMAT, "%s: expected %d numbers, found %s in \"%s\"", what, want,
                n > want ? "more" : "fewer", oc_quote(p, 40, q, sizeof q));
}

/* Numbers in fixed columns of the given width, starting at p (Fortran Fw.d that
 * may touch: "  0.000000000100.000000000"). Each field must hold one right-aligned
 * number. Returns false if the text does not fit that layout. */
bool oc_fixed_columns(oc *s, const char *p, int width, int count, double *out)
{
    long saved = s->overflows;
    for (int k = 0; k < count; k++) {
        char field[40];
        if ((int)strlen(p) < width || width >= (int)sizeof field)
            goto bad;
        memcpy(field, p, (size_t)width);
        field[width] = '\0';
        p += width;
        const char *f = oc_skip_ws(field);
        bool stars;
        if (!*f || !oc_number_field(s, &f, &out[k], &stars) || *f)
            goto bad;
    }
    return true;
bad:
    s->overflows = saved;
    return false;
}

/* For a line t that starts with KEY, then blanks and '=': a pointer to the value
 * after the '=' (blanks skipped); NULL if t is not that key. */
const char *oc_key_value(const char *t, const char *key)
{
    size_t n = strlen(key);
    if (strncmp(t, key, n) != 0 || (t[n] != ' ' && t[n] != '='))
        return NULL;
    t = oc_skip_ws(t + n);
    if (*t != '=')
        return NULL;
    return oc_skip_ws(t + 1);
}

bool oc_int_value(const char *p, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (end == p || errno || v < lo || v > hi)
        return false;
    if (*end && *end != ' ' && *end != ';')
        return false;
    *out = v;
    return true;
}

bool oc_logical(const char *p)
{
    while (*p == ' ' || *p == '.')
        p++;
    return *p == 'T' || *p == 't';
}
