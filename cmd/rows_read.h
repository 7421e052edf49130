/* Reading a table back: dftpost's own outputs (TSV with '#' lines, CSV, JSON array of
 * flat objects) or any TSV/CSV with a header row, as strings. For `scaling` (a table of
 * adsorption energies) and `cases --compare` (any dftpost JSON output). */
#ifndef DP_ROWS_READ_H
#define DP_ROWS_READ_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int ncols;
    char **cols;        /* [ncols] header names */
    size_t nrows;
    char **cells;       /* [nrows][ncols]; NULL where a JSON row lacks the key or has null */
    long *line;         /* [nrows] line of the file each row starts on (1-based) */
} rows;

/* Reads path ("-" = standard input): JSON when the first non-blank character is '[',
 * else TSV when the header line has a tab, else CSV (RFC 4180 quotes). Lines starting
 * with '#' and blank lines are skipped. A row with another number of cells than the
 * header is an error. Returns NULL with a one-line reason ("FILE: line N: ...") in msg. */
rows *rows_read(const char *path, char *msg, size_t size);
void rows_free(rows *r);

/* Column index by name, -1 if absent. */
int rows_col(const rows *r, const char *name);

/* Cell as a number: false for NULL, "", "nan", "NA", "null", "-" (missing) or text that
 * is not a number (*is_text set then). */
bool rows_number(const char *cell, double *v, bool *is_text);

#endif
