/*
 * The buffered scanner behind the CHGCAR-type reader (see chgcar.h): lines for the
 * header and the text between blocks, and a tight loop for the millions of grid
 * numbers, which strtod alone would make the slowest part of reading a CHGCAR.
 *
 * Numbers are exact: a decimal mantissa of at most 15 significant digits times a power
 * of ten within ±22 is one correctly rounded multiplication or division of two exact
 * doubles (Clinger's fast path), which covers VASP's "%17.11E" and "%11.5E" fields;
 * anything else goes through strtod.
 */
#include "chgcar.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TOKEN_MAX 64  /* a longer token is not a number */
#define READAHEAD 128 /* bytes kept in the buffer ahead of a token, so that it is whole */

static const double P10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static inline bool blank(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline bool digit(char c)
{
    return (unsigned char)(c - '0') < 10;
}

/* ---- numbers ------------------------------------------------------------- */

/* The token p[0..n) through strtod, with Fortran's spellings made C's. */
static bool slow_number(const char *p, size_t n, double *v)
{
    char tok[TOKEN_MAX + 2];
    size_t k = 0;
    bool exp = false;
    if (n >= TOKEN_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == 'd' || c == 'D')
            c = 'E';
        if (c == 'E' || c == 'e')
            exp = true;
        else if ((c == '+' || c == '-') && i > 0 && !exp && (digit(p[i - 1]) || p[i - 1] == '.'))
            tok[k++] = 'E', exp = true; /* "0.1234-100": a three-digit exponent lost its E */
        tok[k++] = c;
    }
    tok[k] = '\0';
    char *end;
    errno = 0;
    double x = strtod(tok, &end);
    if (end != tok + k || !isfinite(x))
        return false;
    *v = x;
    return true;
}

size_t dp_gscan_number(const char *p, size_t len, double *v)
{
    const char *s = p, *e = p + (len < TOKEN_MAX ? len : TOKEN_MAX);
    bool neg = false;
    if (s < e && (*s == '-' || *s == '+'))
        neg = *s++ == '-';
    uint64_t m = 0;
    int nd = 0, dexp = 0;
    bool any = false, slow = false;
    for (; s < e && digit(*s); s++) {
        any = true;
        if (nd < 16) {
            m = m * 10 + (uint64_t)(*s - '0');
            nd += m != 0;
        } else {
            dexp++, slow = true;
        }
    }
    if (s < e && *s == '.')
        for (s++; s < e && digit(*s); s++) {
            any = true;
            if (nd < 16) {
                m = m * 10 + (uint64_t)(*s - '0');
                nd += m != 0;
                dexp--;
            } else {
                slow = true;
            }
        }
    if (!any)
        return 0;
    int ex = 0;
    bool has_exp = false;
    if (s < e && (*s == 'E' || *s == 'e' || *s == 'D' || *s == 'd'))
        s++, has_exp = true;
    else if (s + 1 < e && (*s == '+' || *s == '-') && digit(s[1]))
        has_exp = true; /* Fortran: "0.1234-100" */
    if (has_exp) {
        bool eneg = false;
        if (s < e && (*s == '+' || *s == '-'))
            eneg = *s++ == '-';
        if (!(s < e && digit(*s)))
            return 0;
        for (; s < e && digit(*s); s++)
            if (ex < 100000)
                ex = ex * 10 + (*s - '0');
        if (eneg)
            ex = -ex;
    }
    if (s < p + len && !blank(*s))
        return 0; /* letters, '*', a second point...: not a number */
    size_t used = (size_t)(s - p);
    int p10 = dexp + ex;
    if (slow || nd > 15 || p10 > 22 || p10 < -22) {
        if (m == 0 && !slow) {
            *v = neg ? -0.0 : 0.0;
            return used;
        }
        return slow_number(p, used, v) ? used : 0;
    }
    double x = (double)m;
    x = p10 >= 0 ? x * P10[p10] : x / P10[-p10];
    *v = neg ? -x : x;
    return used;
}

/* ---- the buffer ---------------------------------------------------------- */

dp_status dp_gscan_open(dp_gscan *s, const char *path, size_t cap, dp_error *err)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    s->err = err;
    s->line = 1;
    s->f = gzopen(path, "rb");
    if (!s->f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    gzbuffer(s->f, 1 << 17);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        s->fsize = (long long)st.st_size;
    s->cap = cap < 4 * READAHEAD ? 4 * READAHEAD : cap;
    s->buf = malloc(s->cap + 1);
    if (!s->buf) {
        gzclose(s->f);
        s->f = NULL;
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    s->buf[0] = '\0';
    return DP_OK;
}

void dp_gscan_close(dp_gscan *s)
{
    if (s->f)
        gzclose(s->f);
    free(s->buf);
    s->f = NULL;
    s->buf = NULL;
}

/* Reads until need bytes are buffered after pos, or the file ends. 0 ok, -1 error. */
static int fill(dp_gscan *s, size_t need)
{
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        s->end -= s->pos;
        s->pos = 0;
    }
    if (need > s->cap)
        need = s->cap;
    while (!s->eof && s->end < need) {
        size_t want = s->cap - s->end;
        if (want > (1u << 20))
            want = 1u << 20;
        int n = gzread(s->f, s->buf + s->end, (unsigned)want);
        if (n > 0) {
            s->end += (size_t)n;
            continue;
        }
        int code = Z_OK;
        const char *msg = gzerror(s->f, &code);
        if (n < 0 && code == Z_ERRNO)
            return dp_fail(s->err, DP_ERR_IO, "%s: cannot read: %s", s->path, strerror(errno)),
                   -1;
        if (n < 0 && code != Z_BUF_ERROR && code != Z_OK) /* Z_BUF_ERROR: a cut gzip file */
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: corrupt gzip stream (%s)",
                           s->path, s->line, msg), -1;
        s->eof = true;
    }
    s->buf[s->end] = '\0';
    if (s->progress) {
        long long off = (long long)gzoffset(s->f);
        if (off >= s->next_report) {
            s->progress(off, s->fsize, s->progress_ud);
            s->next_report = off + (1 << 22);
        }
    }
    return 0;
}

int dp_gscan_line(dp_gscan *s, char *out, size_t size)
{
    size_t used = 0;
    bool any = false;
    for (;;) {
        if (s->pos == s->end) {
            if (s->eof)
                break;
            if (fill(s, s->cap) < 0)
                return -1;
            continue;
        }
        any = true;
        char *start = s->buf + s->pos;
        char *nl = memchr(start, '\n', s->end - s->pos);
        size_t n = nl ? (size_t)(nl - start) : s->end - s->pos;
        size_t take = used + n < size - 1 ? n : size - 1 - used;
        memcpy(out + used, start, take);
        used += take;
        s->pos += n;
        if (nl) {
            s->pos++;
            break;
        }
    }
    if (!any)
        return 0;
    s->line++;
    while (used && out[used - 1] == '\r')
        used--;
    out[used] = '\0';
    return 1;
}

/* A number ended by the end of the file rather than a blank: whole, if it has an
 * exponent of two digits or the width of the one before it (VASP's fields are fixed). */
static bool whole_at_eof(const char *p, size_t n, size_t prev)
{
    if (n == prev)
        return true;
    return n >= 4 && digit(p[n - 1]) && digit(p[n - 2]) &&
           (p[n - 3] == '+' || p[n - 3] == '-');
}

dp_gscan_stop dp_gscan_grid(dp_gscan *s, double *dst, const int n[3], double divisor,
                            dp_gscan_result *res)
{
    const long long total = (long long)n[0] * n[1] * n[2];
    const size_t stride = (size_t)n[1] * (size_t)n[2];
    long long have = 0;
    int i = 0, j = 0, k = 0;
    size_t at = 0, prev = 0; /* at = (i·n1 + j)·n2 + k */
    int on_line = 0, per_line = 0;
    memset(res, 0, sizeof *res);
    while (have < total) {
        if (s->end - s->pos < READAHEAD && !s->eof && fill(s, s->cap) < 0) {
            res->got = have;
            return DP_GSCAN_ERROR;
        }
        const char *p = s->buf + s->pos, *e = s->buf + s->end;
        /* tokens while a whole one is surely in the buffer */
        const char *safe = s->eof ? e : e - READAHEAD / 2;
        long line = s->line;
        while (have < total) {
            for (; p < e && blank(*p); p++) {
                if (*p != '\n')
                    continue;
                if (on_line) {
                    if (!per_line)
                        per_line = on_line;
                    else if (on_line != per_line && !res->uneven_line)
                        res->uneven_line = line, res->uneven_count = on_line;
                    on_line = 0;
                }
                line++;
            }
            if (p >= safe)
                break;
            if (res->uneven_line) { /* a value after an uneven line */
                s->pos = (size_t)(p - s->buf);
                s->line = line;
                res->got = have;
                res->per_line = per_line;
                return DP_GSCAN_UNEVEN;
            }
            double v;
            size_t used = dp_gscan_number(p, (size_t)(e - p), &v);
            if (!used) {
                size_t t = strcspn(p, " \t\r\n");
                snprintf(res->token, sizeof res->token, "%.*s", (int)(t < 24 ? t : 24), p);
                s->pos = (size_t)(p - s->buf);
                s->line = line;
                res->got = have;
                return DP_GSCAN_NOT_NUMBER;
            }
            if (p + used == e && !whole_at_eof(p, used, prev)) {
                p = e; /* cut by the end of the file */
                break;
            }
            prev = used;
            p += used;
            on_line++;
            dst[at] = v / divisor;
            have++;
            if (++i < n[0]) {
                at += stride;
            } else {
                i = 0;
                if (++j == n[1])
                    j = 0, k++;
                at = (size_t)j * (size_t)n[2] + (size_t)k;
            }
        }
        s->pos = (size_t)(p - s->buf);
        s->line = line;
        if (have < total && s->eof && p >= e) {
            res->got = have;
            return DP_GSCAN_END;
        }
    }
    res->got = have;
    res->per_line = per_line;
    /* the rest of the last value's line must be blank */
    for (;;) {
        if (s->end - s->pos < READAHEAD && !s->eof && fill(s, s->cap) < 0)
            return DP_GSCAN_ERROR;
        const char *p = s->buf + s->pos, *e = s->buf + s->end;
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        s->pos = (size_t)(p - s->buf);
        if (p < e && *p != '\n')
            return DP_GSCAN_EXTRA;
        if (p < e || s->eof)
            return DP_GSCAN_DONE;
    }
}
