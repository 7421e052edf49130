/* Internal to the OUTCAR reader (outcar.c and its outcar_*.c parts): the reader
 * state, the line reader and number parsing, and the handlers each part offers. */
#ifndef DP_OUTCAR_READER_H
#define DP_OUTCAR_READER_H

#include "dftpost.h"
#include "incar.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define MAX_ATOMS 10000000
#define MAX_TYPES 1000
#define MAX_LINE 65536          /* longer lines are cut (the rest is skipped) */
#define READ_CHUNK (1 << 16)
#define MAX_MAG_COLS 6
#define MAX_NUMS 64

typedef enum { OC_OK = 0, OC_BROKEN, OC_FAIL } oc_result;

typedef struct {
    int ncomp_want;            /* 1 collinear, 3 noncollinear */
    int ncomp;                 /* tables read so far in this set */
    int ncols;
    char cols[MAX_MAG_COLS][4];
    double *atom;              /* [ncomp_want][natoms][ncols] */
    double *total;             /* [ncomp_want][ncols] */
} mag_set;

typedef struct {
    gzFile f;
    const char *path;
    dp_run *run;
    dp_read_opts opts;
    dp_error *err;
    dp_status fail_code;
    long long fsize;

    /* reading */
    char *raw;                 /* READ_CHUNK bytes from gzread */
    size_t raw_len, raw_pos;
    bool raw_eof;
    char *line;                /* current line, NUL-terminated, no '\n' / '\r' */
    size_t line_len;
    bool line_cut;             /* the line was longer than MAX_LINE */
    bool pushed_back;          /* next_line returns the current line again */
    long lineno;
    bool gz_truncated;         /* the gzip stream itself ended early */
    bool partial_last;         /* s->line is a last line without '\n' (not parsed) */

    long overflows;            /* "*****" fields read as NaN */

    /* header */
    bool seen_first;
    long nions;                /* from NIONS, 0 = not yet */
    int npot;                  /* POTCAR echoes (TITEL) seen */
    char (*titel)[80];
    char (*vrhfin)[4];
    double *pomass, *pzval;
    char vrhfin_pending[4];    /* VRHFIN comes before TITEL in each POTCAR echo */
    bool after_mass_header, after_zval_header;
    char mass_line[256], zval_line[256]; /* parameter-echo lines kept until the species are known */

    /* settings: VASP 6 echoes the INCAR at the top (" INCAR:", "   ENCUT = 520", up to a
     * blank line); every version prints the parameter listing ("   ENCUT  =  520.0 eV") */
    bool in_echo;
    dp_incar echo, listing;

    /* ionic steps */
    bool have_lattice;
    double lattice[3][3];
    bool initial_done;
    dp_frame pending;          /* positions/forces of the step being read */
    bool have_pending;
    bool step_started;         /* something of the next ionic step was read */
    bool scf_since_commit;     /* an electronic iteration since the last committed step */
    bool last_framed;          /* the last committed step has its structure */
    bool warned_noframe;

    /* magnetization */
    mag_set mag;

    /* modes */
    bool mass_divided_next;

    /* end of the file */
    bool timing_seen;
    long stop_line;            /* "soft stop encountered!" */
    char stop_text[96];
    char error_text[160];      /* the last line starting with "Error" (e.g. EDDDAV) */
    const char *cut_in;        /* block the file ended in, or NULL */
} oc;

oc_result oc_fail(oc *s, dp_status code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *oc_quote(const char *t, size_t n, char *buf, size_t size);
oc_result oc_next_line(oc *s);
void oc_push_back(oc *s);
const char *oc_skip_ws(const char *p);
bool oc_starts(const char *t, const char *prefix);
bool oc_is_blank(const char *t);
bool oc_is_dashes(const char *t);
bool oc_is_iteration(const char *t);
bool oc_number_field(oc *s, const char **pp, double *v, bool *stars);
int oc_parse_numbers(oc *s, const char *p, double *out, int max, int want);
oc_result oc_numbers_exact(oc *s, const char *p, double *out, int want, const char *what);
bool oc_fixed_columns(oc *s, const char *p, int width, int count, double *out);
const char *oc_key_value(const char *t, const char *key);
bool oc_int_value(const char *p, long lo, long hi, long *out);
bool oc_logical(const char *p);
bool oc_element_symbol(const char *t, char sym[4]);
oc_result oc_on_titel(oc *s, const char *v);
void oc_on_pomass_zval(oc *s, const char *t);
void oc_apply_param_masses(oc *s);
oc_result oc_on_nions(oc *s, const char *v);
oc_result oc_on_ions_per_type(oc *s, const char *v);
void oc_on_param(oc *s, const char *t);
oc_result oc_on_echo(oc *s, const char *t);
oc_result oc_on_listing(oc *s, const char *t);
dp_status oc_settings(oc *s);
void oc_mag_free(mag_set *m);
oc_result oc_read_mag(oc *s, int comp);
oc_result oc_read_modes(oc *s);
oc_result oc_block_row(oc *s, int row, int natoms, const char *what);

#endif
