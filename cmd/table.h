/* A result table and its writers (TSV with "# " metadata lines, CSV, JSON). */
#ifndef DP_TABLE_H
#define DP_TABLE_H

#include <stdio.h>

typedef enum { FMT_TSV, FMT_CSV, FMT_JSON } table_format;

typedef struct {
    char *text;     /* string cell, or NULL for a number */
    double num;
    int decimals;   /* > 0: fixed decimals (energies); 0: 12 significant digits */
} table_cell;

typedef struct {
    int ncols;
    char **cols;
    int nmeta;
    char **meta;    /* "key: value" lines, written only in TSV */
    size_t nrows, cap;
    table_cell *cells;
    int filled;     /* cells of the current row */
} table;

/* cols is a comma-separated list of column names. */
table *table_new(const char *cols);
void table_free(table *t);
void table_meta(table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void table_str(table *t, const char *s);
void table_fmt(table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void table_num(table *t, double v);
void table_fixed(table *t, double v, int decimals);
void table_int(table *t, long v);
/* Returns 0, or -1 if writing failed. */
int table_write(const table *t, table_format fmt, FILE *out);
int table_parse_format(const char *s, table_format *fmt);

#endif
