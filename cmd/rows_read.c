/* Reading TSV/CSV/JSON tables back as strings (see rows_read.h). */
#include "rows_read.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_BYTES (256L << 20)
#define MAX_COLS 4096

typedef struct {
    rows *r;
    const char *path;
    char *msg;
    size_t size;
} reader;

static int fail(reader *rd, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(reader *rd, long line, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(rd->msg, rd->size, "%s: line %ld: %s", rd->path, line, what);
    else
        snprintf(rd->msg, rd->size, "%s: %s", rd->path, what);
    return -1;
}

static char *slurp(reader *rd, size_t *len)
{
    FILE *f = strcmp(rd->path, "-") ? fopen(rd->path, "rb") : stdin;
    if (!f) {
        fail(rd, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            if (cap >= (size_t)MAX_BYTES) {
                fail(rd, 0, "larger than %ld MB", MAX_BYTES >> 20);
                free(buf);
                buf = NULL;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (f != stdin)
        fclose(f);
    if (!buf) {
        if (!rd->msg[0])
            fail(rd, 0, "out of memory");
        return NULL;
    }
    buf[n] = 0;
    if (strlen(buf) != n) {
        free(buf);
        fail(rd, 0, "contains a NUL byte: not a text table");
        return NULL;
    }
    *len = n;
    return buf;
}

/* Appends one row of ncells strings (taken over). */
static int add_row(reader *rd, char **cells, int ncells, long line)
{
    rows *r = rd->r;
    if (ncells != r->ncols)
        return fail(rd, line, "%d cells, the header has %d", ncells, r->ncols);
    char **nc = realloc(r->cells, (r->nrows + 1) * (size_t)r->ncols * sizeof *nc);
    if (!nc)
        return fail(rd, line, "out of memory");
    r->cells = nc;
    long *nl = realloc(r->line, (r->nrows + 1) * sizeof *nl);
    if (!nl)
        return fail(rd, line, "out of memory");
    r->line = nl;
    memcpy(r->cells + r->nrows * (size_t)r->ncols, cells, (size_t)ncells * sizeof *cells);
    r->line[r->nrows++] = line;
    return 0;
}

/* Splits one TSV/CSV record starting at *p (advanced past it); cells malloc'd. */
static void free_cells(char **cells, int *n)
{
    for (int i = 0; i < *n; i++)
        free(cells[i]);
    *n = 0;
}

static int split_record(reader *rd, char **p, char sep, char **cells, int *n, long *line)
{
    char *s = *p;
    *n = 0;
    for (;;) {
        size_t cap = 64, len = 0;
        char *cell = malloc(cap);
        if (!cell)
            return free_cells(cells, n), fail(rd, *line, "out of memory");
        bool quoted = sep == ',' && *s == '"';
        if (quoted)
            s++;
        for (;;) {
            char c = *s;
            if (quoted) {
                if (!c) {
                    free(cell);
                    return free_cells(cells, n), fail(rd, *line, "unterminated quoted CSV field");
                }
                if (c == '"' && s[1] == '"') {
                    s += 2;
                } else if (c == '"') {
                    s++;
                    quoted = false;
                    continue;
                } else {
                    if (c == '\n')
                        (*line)++;
                    s++;
                }
            } else {
                if (!c || c == '\n' || c == sep)
                    break;
                s++;
            }
            if (c == '\r' && !quoted && (*s == '\n' || !*s))
                continue;
            if (len + 2 > cap) {
                char *nc = realloc(cell, cap *= 2);
                if (!nc) {
                    free(cell);
                    return free_cells(cells, n), fail(rd, *line, "out of memory");
                }
                cell = nc;
            }
            cell[len++] = c;
        }
        cell[len] = 0;
        if (*n == MAX_COLS) {
            free(cell);
            return free_cells(cells, n), fail(rd, *line, "more than %d columns", MAX_COLS);
        }
        cells[(*n)++] = cell;
        if (*s == sep) {
            s++;
            continue;
        }
        if (*s == '\n')
            s++;
        break;
    }
    *p = s;
    return 0;
}

static int read_delimited(reader *rd, char *text)
{
    char *p = text;
    long line = 1;
    char sep = 0;
    char **cells = malloc(MAX_COLS * sizeof *cells);
    if (!cells)
        return fail(rd, 0, "out of memory");
    int status = 0;
    while (*p && status == 0) {
        if (*p == '#' || *p == '\n' || (*p == '\r' && p[1] == '\n')) {
            while (*p && *p != '\n')
                p++;
            if (*p)
                p++;
            line++;
            continue;
        }
        if (!sep) {
            char *eol = strchr(p, '\n');
            sep = memchr(p, '\t', eol ? (size_t)(eol - p) : strlen(p)) ? '\t' : ',';
        }
        long start = line;
        int n;
        if ((status = split_record(rd, &p, sep, cells, &n, &line)))
            break;
        line++;
        if (!rd->r->cols) {
            rd->r->cols = malloc((size_t)n * sizeof(char *));
            if (!rd->r->cols) {
                free_cells(cells, &n);
                status = fail(rd, start, "out of memory");
            } else {
                memcpy(rd->r->cols, cells, (size_t)n * sizeof *cells);
                rd->r->ncols = n;
            }
            continue;
        }
        if ((status = add_row(rd, cells, n, start)))
            for (int i = 0; i < n; i++)
                free(cells[i]);
    }
    free(cells);
    if (!status && !rd->r->cols)
        status = fail(rd, 0, "no header row");
    return status;
}

/* ---- JSON: an array of flat objects (what table_write writes) ---------------------- */

typedef struct {
    char *s;
    long line;
} jcur;

static void skip_ws(jcur *j)
{
    while (isspace((unsigned char)*j->s)) {
        if (*j->s == '\n')
            j->line++;
        j->s++;
    }
}

/* A string (at '"') or a bare token (number, null, true, false) into a new string;
 * *is_null for null. */
static char *json_value(reader *rd, jcur *j, bool *is_null)
{
    *is_null = false;
    if (*j->s == '"') {
        j->s++;
        size_t cap = 64, len = 0;
        char *out = malloc(cap);
        while (out && *j->s != '"') {
            char c = *j->s;
            if (!c || c == '\n') {
                free(out);
                fail(rd, j->line, "unterminated JSON string");
                return NULL;
            }
            if (c == '\\') {
                char e = *++j->s;
                c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'u' ? '?' : e;
                if (e == 'u')
                    for (int k = 0; k < 4 && j->s[1]; k++)
                        j->s++;
                if (!e) {
                    free(out);
                    fail(rd, j->line, "unterminated JSON string");
                    return NULL;
                }
            }
            j->s++;
            if (len + 2 > cap) {
                char *n = realloc(out, cap *= 2);
                if (!n)
                    free(out);
                out = n;
                if (!out)
                    break;
            }
            out[len++] = c;
        }
        if (!out) {
            fail(rd, j->line, "out of memory");
            return NULL;
        }
        j->s++;
        out[len] = 0;
        return out;
    }
    char *start = j->s;
    while (*j->s && (isalnum((unsigned char)*j->s) || strchr("+-.", *j->s)))
        j->s++;
    if (j->s == start) {
        fail(rd, j->line, "unexpected '%c' in JSON (dftpost JSON: an array of flat objects)",
             *j->s ? *j->s : '?');
        return NULL;
    }
    size_t len = (size_t)(j->s - start);
    if (len == 4 && !strncmp(start, "null", 4)) {
        *is_null = true;
        return NULL;
    }
    char *out = malloc(len + 1);
    if (!out) {
        fail(rd, j->line, "out of memory");
        return NULL;
    }
    memcpy(out, start, len);
    out[len] = 0;
    return out;
}

static int read_json(reader *rd, char *text)
{
    rows *r = rd->r;
    jcur j = {text, 1};
    skip_ws(&j);
    j.s++; /* '[' */
    for (;;) {
        skip_ws(&j);
        if (*j.s == ']')
            break;
        if (*j.s != '{')
            return fail(rd, j.line, "expected '{' (a row object)");
        long start = j.line;
        j.s++;
        char **cells = r->ncols ? calloc((size_t)r->ncols, sizeof *cells) : NULL;
        if (r->ncols && !cells)
            return fail(rd, j.line, "out of memory");
        bool first_row = r->cols == NULL;
        int status = 0;
        for (;;) {
            skip_ws(&j);
            if (*j.s == '}') {
                j.s++;
                break;
            }
            bool nul;
            char *key = *j.s == '"' ? json_value(rd, &j, &nul) : NULL;
            if (!key) {
                status = rd->msg[0] ? -1 : fail(rd, j.line, "expected a key string");
                break;
            }
            skip_ws(&j);
            if (*j.s != ':') {
                status = fail(rd, j.line, "expected ':' after \"%s\"", key);
                free(key);
                break;
            }
            j.s++;
            skip_ws(&j);
            char *val = json_value(rd, &j, &nul);
            if (!val && !nul) {
                free(key);
                status = -1;
                break;
            }
            int c = rows_col(r, key);
            if (c < 0 && first_row && r->ncols < MAX_COLS) {
                char **nc = realloc(r->cols, (size_t)(r->ncols + 1) * sizeof *nc);
                char **ncell = realloc(cells, (size_t)(r->ncols + 1) * sizeof *ncell);
                if (nc)
                    r->cols = nc;
                if (ncell)
                    cells = ncell;
                if (!nc || !ncell) {
                    free(key);
                    free(val);
                    status = fail(rd, j.line, "out of memory");
                    break;
                }
                r->cols[r->ncols] = key;
                cells[r->ncols] = NULL;
                c = r->ncols++;
                key = NULL;
            }
            free(key);
            if (c >= 0) {
                free(cells[c]);
                cells[c] = val;
            } else {
                free(val); /* a key the first row did not have */
            }
            skip_ws(&j);
            if (*j.s == ',')
                j.s++;
            else if (*j.s != '}') {
                status = fail(rd, j.line, "expected ',' or '}'");
                break;
            }
        }
        if (!status && r->ncols == 0)
            status = fail(rd, start, "an empty row object");
        if (!status)
            status = add_row(rd, cells, r->ncols, start);
        if (status) {
            for (int i = 0; cells && i < r->ncols; i++)
                free(cells[i]);
            free(cells);
            return status;
        }
        free(cells);
        skip_ws(&j);
        if (*j.s == ',')
            j.s++;
        else if (*j.s != ']')
            return fail(rd, j.line, "expected ',' or ']'");
    }
    return 0;
}

rows *rows_read(const char *path, char *msg, size_t size)
{
    msg[0] = 0;
    reader rd = {calloc(1, sizeof(rows)), path, msg, size};
    if (!rd.r) {
        fail(&rd, 0, "out of memory");
        return NULL;
    }
    size_t len;
    char *text = slurp(&rd, &len);
    if (!text) {
        rows_free(rd.r);
        return NULL;
    }
    char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    int st = *p == '[' ? read_json(&rd, p) : read_delimited(&rd, text);
    free(text);
    if (st) {
        rows_free(rd.r);
        return NULL;
    }
    return rd.r;
}

void rows_free(rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->cells && i < r->nrows * (size_t)r->ncols; i++)
        free(r->cells[i]);
    for (int c = 0; r->cols && c < r->ncols; c++)
        free(r->cols[c]);
    free(r->cells);
    free(r->cols);
    free(r->line);
    free(r);
}

int rows_col(const rows *r, const char *name)
{
    for (int c = 0; c < r->ncols; c++)
        if (!strcmp(r->cols[c], name))
            return c;
    return -1;
}

bool rows_number(const char *cell, double *v, bool *is_text)
{
    *is_text = false;
    if (!cell)
        return false;
    while (isspace((unsigned char)*cell))
        cell++;
    if (!*cell || !strcasecmp(cell, "nan") || !strcasecmp(cell, "na") ||
        !strcasecmp(cell, "null") || !strcmp(cell, "-"))
        return false;
    char *end;
    errno = 0;
    double x = strtod(cell, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == cell || *end || errno == ERANGE || !isfinite(x)) {
        *is_text = true;
        return false;
    }
    *v = x;
    return true;
}
