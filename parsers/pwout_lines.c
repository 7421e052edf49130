/* pw.x output reader: reading lines through zlib, errors, and numbers. */
#include "pwout_reader.h"
#include "text_lines.h"

/* ---- errors and reading -------------------------------------------------- */

pw_result pw_fail(pw *s, dp_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dp_gzl_vfail(s->err, code, s->path, s->lineno, fmt, ap);
    va_end(ap);
    s->fail_code = code;
    return PW_FAIL;
}

/* At most n characters of t for a message, non-printables as '?'. */
const char *pw_quote(const char *t, size_t n, char *buf, size_t size)
{
    return dp_gzl_quote(t, " ", n, buf, size);
}

/* Next line into s->line, without its '\n', NUL/tab/CR as blanks, trailing blanks
 * removed. PW_EOF at the end of the file; a last line without '\n' is then left in
 * s->line with partial_last set, unparsed. */
pw_result pw_next_line(pw *s)
{
    const dp_gzl r = {s->f, s->raw, READ_CHUNK, &s->raw_len, &s->raw_pos, &s->raw_eof,
                      s->line, MAX_LINE, &s->line_len, &s->line_cut, &s->pushed_back,
                      &s->lineno, &s->gz_truncated, &s->partial_last};
    char what[600];
    int rc = dp_gzl_next(&r, what, sizeof what);
    if (rc < 0)
        return pw_fail(s, DP_ERR_IO, "%s", what);
    if (rc == 0)
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
    bool stars;
    if (!dp_gzl_number_field(&p, v, &stars))
        return false;
    if (stars)
        s->overflows++;
    *pp = p;
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
