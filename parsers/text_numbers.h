/* Internal to the line-oriented text readers (poscar.c, doscar.c; projwfc*.c for its
 * numbers): a plain or gzip file read line by line, blanks, and Fortran number
 * fields. Not part of the library's API (dftpost.h).
 *
 * Fortran numbers, as VASP writes them: "0.1234E+01", "1.0D+00", "-5", ".5", and
 * "0.1234-100" (a three-digit exponent loses its E); an overflowed field is a run
 * of '*' ("*****"). No hex, inf or nan. A token is what lies between blanks
 * (spaces, tabs); tokens of 64 characters or more are not numbers (fewer with
 * dp_text_line_numbers_short).
 *
 * The OUTCAR and pw.x output readers (outcar_lines.c, pwout_lines.c) share their own
 * (text_lines.h):
 * their columns touch ("-0.123-0.456", "-0.123*******") and their lines come through
 * a fixed buffer of their own. */
#ifndef DP_TEXT_NUMBERS_H
#define DP_TEXT_NUMBERS_H

#include "dftpost.h"

#include <zlib.h>

typedef struct {
    gzFile f;
    const char *path;  /* for messages */
    long line;         /* number of the line in buf (1-based); 0 before the first */
    char *buf;         /* the line, without its '\n' and trailing '\r' */
    size_t cap;        /* size of buf: a longer line is cut to cap - 1 bytes */
    bool cut;          /* the line was longer than buf; the rest of it was discarded */
    bool newline;      /* the line ended with '\n' (false only for a last line that
                        * lacks it); a cut line counts as ended */
} dp_text_lines;

/* Next line into r->buf. 1: read; 0: end of file (a gzip stream that stops early
 * is an end of file); -1: unreadable or a corrupt gzip stream (err filled, naming
 * r->path and the line). */
int dp_text_next_line(dp_text_lines *r, dp_error *err);

/* A format error at the line in r->buf: fills err with "PATH: line N: what" (what
 * printf-style, cut at 599 characters) and returns DP_ERR_FORMAT. */
dp_status dp_text_fail(const dp_text_lines *r, dp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* p past spaces and tabs. */
const char *dp_text_skip_blanks(const char *p);

/* One Fortran number at *p (blanks before it skipped); advances *p past it. False,
 * *p unchanged, if the next token is not a number or there is none. A run of '*'
 * is not a number here. */
bool dp_text_number(const char **p, double *v);

/* Up to max numbers from the start of text (no '*' fields), stopping at the first
 * token that is not one. Returns how many were read; *rest (if not NULL) points
 * after them. */
int dp_text_numbers(const char *text, double *v, int max, const char **rest);

/* A whole line of numbers into v (at most max); a '*' field is NaN and counted in
 * *overflows (if not NULL). Returns the count, -1 if a token is not a number, or
 * max + 1 if there are more than max. */
int dp_text_line_numbers(const char *line, double *v, int max, long *overflows);

/* dp_text_line_numbers where a token of max_token characters or more (max_token at
 * most 64) is not a number: projwfc.x's pdos reader has always stopped at 48. */
int dp_text_line_numbers_short(const char *line, double *v, int max, long *overflows,
                               size_t max_token);

#endif
