/* Lines through zlib for the OUTCAR and pw.x output readers: see text_lines.h. */
#include "text_lines.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 1: a chunk read; 0: the end of the file (a gzip stream that stops early sets
 * *gz_truncated); -1: read error, what[] filled. */
static int fill_raw(const dp_gzl *r, char *what, size_t size)
{
    if (*r->raw_eof)
        return 0;
    int n = gzread(r->f, r->raw, (unsigned)r->chunk);
    if (n < 0) {
        int errnum;
        const char *msg = gzerror(r->f, &errnum);
        if (errnum == Z_BUF_ERROR) { /* the gzip stream stops early: a cut file */
            *r->gz_truncated = true;
            *r->raw_eof = true;
            return 0;
        }
        snprintf(what, size, "cannot read (corrupt gzip stream?): %s",
                 errnum == Z_ERRNO ? strerror(errno) : msg);
        return -1;
    }
    if (n == 0) {
        int errnum;
        gzerror(r->f, &errnum);
        if (errnum == Z_BUF_ERROR) {
            *r->gz_truncated = true;
        } else if (errnum != Z_OK && errnum != Z_STREAM_END) {
            snprintf(what, size, "cannot read (corrupt gzip stream?)");
            return -1;
        }
        *r->raw_eof = true;
        return 0;
    }
    *r->raw_len = (size_t)n;
    *r->raw_pos = 0;
    return 1;
}

int dp_gzl_next(const dp_gzl *r, char *what, size_t size)
{
    if (*r->pushed_back) {
        *r->pushed_back = false;
        return 1;
    }
    *r->line_len = 0;
    *r->line_cut = false;
    bool any = false; /* some bytes of this line were read */
    for (;;) {
        if (*r->raw_pos == *r->raw_len) {
            int rc = fill_raw(r, what, size);
            if (rc < 0)
                return -1;
            if (rc == 0) {
                if (!any)
                    return 0;
                /* a last line without its '\n' is where the file was cut: its last
                 * number may be cut too ("-10.2011" of "-10.20112345"), so the
                 * readers do not parse it as they would a whole line */
                *r->partial_last = true;
                break;
            }
        }
        any = true;
        char *start = r->raw + *r->raw_pos;
        size_t avail = *r->raw_len - *r->raw_pos;
        char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        size_t room = r->max_line - *r->line_len;
        size_t copy = take < room ? take : room;
        if (copy < take)
            *r->line_cut = true;
        memcpy(r->line + *r->line_len, start, copy);
        *r->line_len += copy;
        *r->raw_pos += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    (*r->lineno)++;
    char *l = r->line;
    size_t n = *r->line_len;
    for (size_t i = 0; i < n; i++)
        if (l[i] == '\0' || l[i] == '\t' || l[i] == '\r')
            l[i] = ' ';
    while (n && l[n - 1] == ' ')
        n--;
    l[n] = '\0';
    *r->line_len = n;
    return *r->partial_last ? 0 : 1;
}

dp_status dp_gzl_open(const char *path, size_t chunk, size_t max_line, bool reset_errno,
                      gzFile *f, char **raw, char **line, long long *fsize, dp_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0)
        *fsize = (long long)st.st_size;
    if (reset_errno)
        errno = 0;
    *f = gzopen(path, "rb");
    if (!*f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path,
                       errno ? strerror(errno) : "out of memory");
    gzbuffer(*f, 1 << 17);
    *raw = malloc(chunk);
    *line = malloc(max_line + 1);
    if (!*raw || !*line) {
        free(*raw);
        free(*line);
        *raw = *line = NULL;
        gzclose(*f);
        *f = NULL;
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    (*line)[0] = '\0';
    return DP_OK;
}

void dp_gzl_vfail(dp_error *err, dp_status code, const char *path, long lineno,
                  const char *fmt, va_list ap)
{
    char what[600];
    vsnprintf(what, sizeof what, fmt, ap);
    if (lineno)
        dp_fail(err, code, "%s: line %ld: %s", path, lineno, what);
    else
        dp_fail(err, code, "%s: %s", path, what);
}

const char *dp_gzl_quote(const char *t, const char *skip, size_t n, char *buf, size_t size)
{
    size_t i = 0;
    while (*t && strchr(skip, *t))
        t++;
    for (; t[i] && i < n && i + 1 < size; i++)
        buf[i] = (t[i] >= 32 && t[i] < 127) ? t[i] : '?';
    while (i && buf[i - 1] == ' ')
        i--;
    buf[i] = '\0';
    return buf;
}

bool dp_gzl_number_field(const char **pp, double *v, bool *stars)
{
    const char *p = *pp;
    *stars = false;
    if (*p == '*') {
        while (*p == '*')
            p++;
        *v = NAN;
        *stars = true;
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

void dp_gzl_add_missing(dp_completeness *c, size_t *used, const char *fmt, ...)
{
    size_t size = sizeof c->missing;
    if (*used >= size - 1)
        return;
    if (*used) {
        int w = snprintf(c->missing + *used, size - *used, ", ");
        if (w > 0)
            *used += (size_t)w < size - *used ? (size_t)w : size - *used - 1;
    }
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(c->missing + *used, size - *used, fmt, ap);
    va_end(ap);
    if (w > 0)
        *used += (size_t)w < size - *used ? (size_t)w : size - *used - 1;
}

void dp_gzl_complete(dp_completeness *c)
{
    c->complete = true;
    c->missing[0] = '\0';
    c->break_line = 0;
}
