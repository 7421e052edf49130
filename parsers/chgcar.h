/* Internal to the CHGCAR-type reader (chgcar.c, chgcar_scan.c) and to dp_read's choice
 * of parser (run.c). Not part of the library's API (dftpost.h). */
#ifndef DP_CHGCAR_H
#define DP_CHGCAR_H

#include "dftpost.h"

#include <stdint.h>
#include <zlib.h>

/* ---- what dp_read asks ----------------------------------------------------- */

/* The file's name says it is a CHGCAR-type file: CHGCAR*, CHG, CHG.*, AECCAR*, PARCHG*,
 * LOCPOT*, ELFCAR* (the part after the last '/'). */
bool dp_chgcar_name(const char *path);

/* The file starts with a POSCAR header whose atom lines are followed by a blank line
 * and a line of three positive whole numbers (the grid): a CHGCAR-type file. A CONTCAR
 * has velocities (decimal numbers) after its blank line, so it is not one. */
bool dp_chgcar_sniff(const char *path);

/* ---- the buffered scanner (chgcar_scan.c) ---------------------------------- */

typedef struct {
    gzFile f;
    const char *path;
    dp_error *err;
    char *buf;             /* [cap + 1], NUL after end */
    size_t cap, pos, end;
    bool eof;              /* nothing more to read into buf */
    long line;             /* 1-based line of the character at pos */
    long long fsize;       /* bytes of the file (compressed size for gzip), 0 unknown */
    void (*progress)(long long done, long long total, void *ud);
    void *progress_ud;
    long long next_report; /* compressed offset at which to call progress again */
} dp_gscan;

/* Opens path (plain or gzip) for scanning with a buffer of cap bytes (a line longer
 * than that is cut). DP_OK or DP_ERR_IO / DP_ERR_NOMEM. */
dp_status dp_gscan_open(dp_gscan *s, const char *path, size_t cap, dp_error *err);
void dp_gscan_close(dp_gscan *s);

/* The next line (without '\n' and '\r') into out (cut to size - 1 bytes; the rest of a
 * longer line is skipped). 1 a line, 0 the end of the file, -1 an error (err filled). */
int dp_gscan_line(dp_gscan *s, char *out, size_t size);

/* Where a block of numbers stopped. */
typedef enum {
    DP_GSCAN_DONE,      /* all asked for were read */
    DP_GSCAN_END,       /* the file ended first */
    DP_GSCAN_NOT_NUMBER,/* a token that is not a number (left in the buffer, see token) */
    DP_GSCAN_UNEVEN,    /* a value after a line shorter (or longer) than the block's first
                         * line: what follows the block was being read as values */
    DP_GSCAN_EXTRA,     /* the line of the last value has more numbers */
    DP_GSCAN_ERROR      /* unreadable / corrupt gzip (err filled) */
} dp_gscan_stop;

typedef struct {
    long long got;      /* values stored */
    char token[32];     /* NOT_NUMBER: (up to 24 characters of) the token */
    int per_line;       /* values on the block's first line */
    long uneven_line;   /* UNEVEN: the line whose count differs, */
    int uneven_count;   /* and its count */
} dp_gscan_result;

/* Reads n0·n1·n2 numbers (whitespace-separated) in VASP's order (x fastest) into dst laid
 * out [n0][n1][n2] (z fastest), each divided by divisor. Every line of the block must
 * hold as many numbers as its first line, except the last (VASP writes 5 or 10 a line):
 * this is what tells a block that ends early from the text after it. A number cut by the
 * end of the file (no blank after it, and neither an exponent of two digits nor the
 * width of the number before it) is not stored. */
dp_gscan_stop dp_gscan_grid(dp_gscan *s, double *dst, const int n[3], double divisor,
                            dp_gscan_result *res);

/* One number at p (no leading blanks), as VASP and Fortran write them ("0.123E+01",
 * "-.123E-02", "1.0D+00", "0.1234-100", "5", ".5"), ending at len or a blank; exact (the
 * correctly rounded double, as strtod gives). Returns the characters used (0: not a
 * number). Exposed for the tests. */
size_t dp_gscan_number(const char *p, size_t len, double *v);

#endif
