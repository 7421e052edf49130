/* OUTCAR reader: reading lines through zlib, errors, and numbers. */
#include "outcar_reader.h"

/* ---- errors and reading -------------------------------------------------- */


oc_result oc_fail(oc *s, dp_status code, const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (s->lineno)
        dp_fail(s->err, code, "%s: line %ld: %s", s->path, s->lineno, what);
    else
        dp_fail(s->err, code, "%s: %s", s->path, what);
    s->fail_code = code;
    return OC_FAIL;
}

/* Copies at most n characters of text for a message, non-printables as '?'. */
const char *oc_quote(const char *t, size_t n, char *buf, size_t size)
{
    size_t i = 0;
    while (*t == ' ' || *t == '\t')
        t++;
    for (; t[i] && i < n && i + 1 < size; i++)
        buf[i] = (t[i] >= 32 && t[i] < 127) ? t[i] : '?';
    while (i && buf[i - 1] == ' ')
        i--;
    buf[i] = '\0';
    return buf;
}

static oc_result fill_raw(oc *s)
{
    if (s->raw_eof)
        return OC_BROKEN;
    int n = gzread(s->f, s->raw, READ_CHUNK);
    if (n < 0) {
        int errnum;
        const char *msg = gzerror(s->f, &errnum);
        if (errnum == Z_BUF_ERROR) { /* the gzip stream stops early: a cut file */
            s->gz_truncated = true;
            s->raw_eof = true;
            return OC_BROKEN;
        }
        return oc_fail(s, DP_ERR_IO, "cannot read (corrupt gzip stream?): %s",
                    errnum == Z_ERRNO ? strerror(errno) : msg);
    }
    if (n == 0) {
        int errnum;
        gzerror(s->f, &errnum);
        if (errnum == Z_BUF_ERROR)
            s->gz_truncated = true;
        else if (errnum != Z_OK && errnum != Z_STREAM_END)
            return oc_fail(s, DP_ERR_IO, "cannot read (corrupt gzip stream?)");
        s->raw_eof = true;
        return OC_BROKEN;
    }
    s->raw_len = (size_t)n;
    s->raw_pos = 0;
    return OC_OK;
}

/* Next line into s->line. OC_BROKEN at the end of the file (a last line without
 * '\n' is still returned first). */
oc_result oc_next_line(oc *s)
{
    if (s->pushed_back) {
        s->pushed_back = false;
        return OC_OK;
    }
    s->line_len = 0;
    s->line_cut = false;
    bool any = false; /* some bytes of this line were read */
    for (;;) {
        if (s->raw_pos == s->raw_len) {
            oc_result rc = fill_raw(s);
            if (rc == OC_FAIL)
                return rc;
            if (rc == OC_BROKEN) {
                if (!any)
                    return OC_BROKEN;
                /* a last line without its '\n' is where the file was cut: its last
                 * number may be cut too ("-10.2011" of "-10.20112345"), so it is
                 * not parsed (only looked at if it is the first line). A whole
                 * OUTCAR ends after its timing block anyway. */
                s->partial_last = true;
                break;
            }
        }
        any = true;
        char *start = s->raw + s->raw_pos;
        size_t avail = s->raw_len - s->raw_pos;
        char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        size_t room = MAX_LINE - s->line_len;
        size_t copy = take < room ? take : room;
        if (copy < take)
            s->line_cut = true;
        memcpy(s->line + s->line_len, start, copy);
        s->line_len += copy;
        s->raw_pos += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    s->lineno++;
    char *l = s->line;
    size_t n = s->line_len;
    for (size_t i = 0; i < n; i++)
        if (l[i] == '\0' || l[i] == '\t' || l[i] == '\r')
            l[i] = ' ';
    while (n && l[n - 1] == ' ')
        n--;
    l[n] = '\0';
    s->line_len = n;
    if (s->partial_last)
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
    const char *p = *pp;
    *stars = false;
    if (*p == '*') {
        while (*p == '*')
            p++;
        *v = NAN;
        *stars = true;
        s->overflows++;
        *pp = p;
        return true;
    }
    const char *q = p;
    if (*q == '-' || *q == '+')
        q++;
    if (!((*q >= '0' && *q <= '9') || (*q == '.' && q[1] >= '0' && q[1] <= '9')))
        return false;
    char *end;
    double x = strtod(p, &end);
    if (end == p)
        return false;
    for (const char *c = p; c < end; c++)
        if (!strchr("0123456789+-.eE", *c))
            return false; /* hex, inf, nan */
    *v = x;
    *pp = end;
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
