/* pw.x output reader: reading lines through zlib, errors, and numbers. */
#include "pwout_reader.h"

/* ---- errors and reading -------------------------------------------------- */

pw_result pw_fail(pw *s, dp_status code, const char *fmt, ...)
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
    return PW_FAIL;
}

/* At most n characters of t for a message, non-printables as '?'. */
const char *pw_quote(const char *t, size_t n, char *buf, size_t size)
{
    size_t i = 0;
    while (*t == ' ')
        t++;
    for (; t[i] && i < n && i + 1 < size; i++)
        buf[i] = (t[i] >= 32 && t[i] < 127) ? t[i] : '?';
    while (i && buf[i - 1] == ' ')
        i--;
    buf[i] = '\0';
    return buf;
}

static pw_result fill_raw(pw *s)
{
    if (s->raw_eof)
        return PW_EOF;
    int n = gzread(s->f, s->raw, READ_CHUNK);
    int errnum = Z_OK;
    if (n <= 0)
        gzerror(s->f, &errnum);
    if (n < 0 && errnum != Z_BUF_ERROR)
        return pw_fail(s, DP_ERR_IO, "cannot read (corrupt gzip stream?): %s",
                       errnum == Z_ERRNO ? strerror(errno) : gzerror(s->f, &errnum));
    if (n <= 0) {
        if (errnum == Z_BUF_ERROR) /* the gzip stream stops early: a cut file */
            s->gz_truncated = true;
        else if (errnum != Z_OK && errnum != Z_STREAM_END)
            return pw_fail(s, DP_ERR_IO, "cannot read (corrupt gzip stream?)");
        s->raw_eof = true;
        return PW_EOF;
    }
    s->raw_len = (size_t)n;
    s->raw_pos = 0;
    return PW_OK;
}

/* Next line into s->line, without its '\n', NUL/tab/CR as blanks, trailing blanks
 * removed. PW_EOF at the end of the file; a last line without '\n' is then left in
 * s->line with partial_last set, unparsed. */
pw_result pw_next_line(pw *s)
{
    if (s->pushed_back) {
        s->pushed_back = false;
        return PW_OK;
    }
    s->line_len = 0;
    s->line_cut = false;
    bool any = false;
    for (;;) {
        if (s->raw_pos == s->raw_len) {
            pw_result rc = fill_raw(s);
            if (rc == PW_FAIL)
                return rc;
            if (rc == PW_EOF) {
                if (!any)
                    return PW_EOF;
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
        return PW_EOF;
    if (s->opts.progress && (s->lineno & 0x3FFF) == 0)
        s->opts.progress((long long)gzoffset(s->f), s->fsize, s->opts.progress_ud);
    return PW_OK;
}

/* The next row of a block: a line cut at MAX_LINE is an error here (its numbers
 * may be cut). */
pw_result pw_next_row(pw *s, const char *what)
{
    pw_result rc = pw_next_line(s);
    if (rc == PW_OK && s->line_cut)
        return pw_fail(s, DP_ERR_FORMAT, "%s: line longer than %d characters", what, MAX_LINE);
    return rc;
}

const char *pw_skip_ws(const char *p)
{
    while (*p == ' ')
        p++;
    return p;
}

bool pw_starts(const char *t, const char *prefix)
{
    return strncmp(t, prefix, strlen(prefix)) == 0;
}

/* ---- numbers ------------------------------------------------------------- */

/* One number at *pp (blanks skipped): decimal, or a run of '*' (NaN, counted).
 * Numbers may touch ("0.5000000-0.2500000"). False if there is none. */
bool pw_num_field(pw *s, const char **pp, double *v)
{
    const char *p = pw_skip_ws(*pp);
    if (*p == '*') {
        while (*p == '*')
            p++;
        *v = NAN;
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

/* Numbers from p until something that is not one (or the end). Returns the count
 * (max + 1 if more than max follow); *rest points after the last one read. */
int pw_scan_numbers(pw *s, const char *p, double *out, int max, const char **rest)
{
    int n = 0;
    for (;;) {
        double v;
        const char *q = p;
        if (!pw_num_field(s, &q, &v))
            break;
        if (n == max)
            return max + 1;
        out[n++] = v;
        p = q;
    }
    if (rest)
        *rest = p;
    return n;
}

/* The number after the last '=' of t (pw.x's "name = value unit" lines). */
pw_result pw_value_after_eq(pw *s, const char *t, double *v, const char *what)
{
    const char *p = strrchr(t, '=');
    if (p && pw_num_field(s, &(const char *){p + 1}, v))
        return PW_OK;
    char q[64];
    return pw_fail(s, DP_ERR_FORMAT, "%s: no number after '=' in \"%s\"", what,
                   pw_quote(t, 60, q, sizeof q));
}
