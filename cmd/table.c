#include "table.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("dftpost: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

table *table_new(const char *cols)
{
    table *t = xrealloc(NULL, sizeof *t);
    memset(t, 0, sizeof *t);
    char *copy = xstrdup(cols);
    for (char *save = NULL, *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        t->cols = xrealloc(t->cols, (size_t)(t->ncols + 1) * sizeof *t->cols);
        t->cols[t->ncols++] = xstrdup(c);
    }
    free(copy);
    return t;
}

void table_free(table *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->ncols; i++)
        free(t->cols[i]);
    free(t->cols);
    for (int i = 0; i < t->nmeta; i++)
        free(t->meta[i]);
    free(t->meta);
    size_t n = t->nrows * (size_t)t->ncols + (size_t)t->filled;
    for (size_t i = 0; i < n; i++)
        free(t->cells[i].text);
    free(t->cells);
    free(t);
}

void table_meta(table *t, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    t->meta = xrealloc(t->meta, (size_t)(t->nmeta + 1) * sizeof *t->meta);
    t->meta[t->nmeta++] = xstrdup(line);
}

static void push(table *t, table_cell c)
{
    size_t idx = t->nrows * (size_t)t->ncols + (size_t)t->filled;
    if (idx >= t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->cells = xrealloc(t->cells, t->cap * sizeof *t->cells);
    }
    t->cells[idx] = c;
    if (++t->filled == t->ncols) {
        t->filled = 0;
        t->nrows++;
    }
}

void table_str(table *t, const char *s) { push(t, (table_cell){.text = xstrdup(s)}); }

void table_fmt(table *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    table_str(t, buf);
}

void table_num(table *t, double v) { push(t, (table_cell){.num = v}); }
void table_fixed(table *t, double v, int decimals)
{
    push(t, (table_cell){.num = v, .decimals = decimals});
}
void table_int(table *t, long v) { push(t, (table_cell){.num = (double)v}); }

int table_parse_format(const char *s, table_format *fmt)
{
    if (!strcmp(s, "tsv"))
        *fmt = FMT_TSV;
    else if (!strcmp(s, "csv"))
        *fmt = FMT_CSV;
    else if (!strcmp(s, "json"))
        *fmt = FMT_JSON;
    else
        return -1;
    return 0;
}

static void write_number(const table_cell *c, table_format fmt, FILE *out)
{
    double v = c->num;
    if (isnan(v) || isinf(v))
        fputs(fmt == FMT_JSON ? "null" : (isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf")), out);
    else if (c->decimals > 0)
        fprintf(out, "%.*f", c->decimals, v);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(out, "%.0f", v);
    else
        fprintf(out, "%.12g", v); /* 12 digits: beyond any input's precision, no float noise */
}

static void write_csv_string(const char *s, FILE *out)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void write_json_string(const char *s, FILE *out)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

/* TSV cells must not contain tabs or newlines: they would split columns. */
static void write_tsv_string(const char *s, FILE *out)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

int table_write(const table *t, table_format fmt, FILE *out)
{
    if (fmt == FMT_JSON) {
        fputs("[", out);
        for (size_t r = 0; r < t->nrows; r++) {
            fputs(r ? ",\n {" : "\n {", out);
            for (int c = 0; c < t->ncols; c++) {
                const table_cell *cell = &t->cells[r * (size_t)t->ncols + (size_t)c];
                if (c)
                    fputs(", ", out);
                write_json_string(t->cols[c], out);
                fputs(": ", out);
                if (cell->text)
                    write_json_string(cell->text, out);
                else
                    write_number(cell, fmt, out);
            }
            fputs("}", out);
        }
        fputs(t->nrows ? "\n]\n" : "]\n", out);
    } else {
        char sep = fmt == FMT_TSV ? '\t' : ',';
        if (fmt == FMT_TSV)
            for (int i = 0; i < t->nmeta; i++)
                fprintf(out, "# %s\n", t->meta[i]);
        for (int c = 0; c < t->ncols; c++)
            fprintf(out, "%s%s", c ? (sep == '\t' ? "\t" : ",") : "", t->cols[c]);
        fputc('\n', out);
        for (size_t r = 0; r < t->nrows; r++) {
            for (int c = 0; c < t->ncols; c++) {
                const table_cell *cell = &t->cells[r * (size_t)t->ncols + (size_t)c];
                if (c)
                    fputc(sep, out);
                if (!cell->text)
                    write_number(cell, fmt, out);
                else if (fmt == FMT_CSV)
                    write_csv_string(cell->text, out);
                else
                    write_tsv_string(cell->text, out);
            }
            fputc('\n', out);
        }
    }
    return ferror(out) ? -1 : 0;
}
