/* Internal to the OUTCAR and pw.x output readers (outcar_lines.c, pwout_lines.c,
 * outcar.c, pwout.c): a plain or gzip file read in chunks and cut into lines
 * through a fixed buffer, messages, Fortran number fields that may touch, and the
 * end-of-file bookkeeping both share. Not part of the library's API (dftpost.h).
 *
 * Each reader keeps the state in its own struct; dp_gzl points at those fields. */
#ifndef DP_TEXT_LINES_H
#define DP_TEXT_LINES_H

#include "dftpost.h"

#include <stdarg.h>
#include <zlib.h>

typedef struct {
    gzFile f;
    char *raw;          /* chunk bytes from gzread (chunk bytes long) */
    size_t chunk;
    size_t *raw_len, *raw_pos;
    bool *raw_eof;
    char *line;         /* max_line + 1 bytes */
    size_t max_line;    /* longer lines are cut (the rest is skipped), *line_cut set */
    size_t *line_len;
    bool *line_cut;
    bool *pushed_back;  /* the next call returns the current line again */
    long *lineno;
    bool *gz_truncated; /* the gzip stream itself ended early */
    bool *partial_last; /* the line is a last line without '\n' */
} dp_gzl;

/* Next line into r->line, without its '\n', NUL/tab/CR as blanks, trailing blanks
 * removed. 1: a line; 0: end of file (a last line without '\n' is then left in
 * r->line with *partial_last set and *lineno counting it); -1: unreadable or a
 * corrupt gzip stream, what[] says why (*lineno unchanged). */
int dp_gzl_next(const dp_gzl *r, char *what, size_t size);

/* Opens path (plain or gzip) for reading with a 128 KiB buffer and allocates its
 * chunk (chunk bytes) and line (max_line + 1 bytes, empty) buffers; *fsize gets the
 * size of the file if stat can tell (untouched otherwise). On failure nothing is
 * left open and err says why ("PATH: cannot open: ...", "PATH: out of memory").
 * reset_errno: clear errno before gzopen (pw.x reader). */
dp_status dp_gzl_open(const char *path, size_t chunk, size_t max_line, bool reset_errno,
                      gzFile *f, char **raw, char **line, long long *fsize, dp_error *err);

/* "PATH: line N: what" (or "PATH: what" when lineno is 0) into err, what built
 * printf-style and cut at 599 characters. */
void dp_gzl_vfail(dp_error *err, dp_status code, const char *path, long lineno,
                  const char *fmt, va_list ap);

/* At most n characters of t for a message, non-printables as '?', after skipping
 * the leading characters found in skip (" " or " \t"); trailing blanks dropped. */
const char *dp_gzl_quote(const char *t, const char *skip, size_t n, char *buf, size_t size);

/* One number at *pp (no blanks skipped): a decimal number (no hex, nan, inf) that
 * may touch what follows, or a run of '*' (NaN, *stars set). False, *pp unchanged,
 * if there is none; *pp moves past it. */
bool dp_gzl_number_field(const char **pp, double *v, bool *stars);

/* Appends ", " (after the first) and the printf-style text to c->missing, keeping
 * *used (bytes used) and never overflowing. */
void dp_gzl_add_missing(dp_completeness *c, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Marks c complete (nothing missing, no break line). */
void dp_gzl_complete(dp_completeness *c);

#endif
