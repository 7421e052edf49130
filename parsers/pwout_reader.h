/* Internal to the pw.x output reader (pwout.c and its pwout_*.c parts): the reader
 * state, the line reader and number parsing, and the handlers each part offers.
 * What is read, and where from: the top of pwout.c. */
#ifndef DP_PWOUT_READER_H
#define DP_PWOUT_READER_H

#include "dftpost.h"
#include "qe_common.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define MAX_ATOMS 10000000
#define MAX_TYPES 10000
#define MAX_LINE 65536
#define READ_CHUNK (1 << 16)
#define MAX_NUMS 16

typedef enum { PW_OK = 0, PW_EOF, PW_FAIL } pw_result;

typedef struct {
    char label[16];     /* as the species table prints it ("Fe1") */
    char symbol[4];
    double zval, mass;
    char potential[80];
    int count;
} pw_type;

/* Values printed during an ionic step, applied to the run when the step is
 * committed (see the top of pwout.c). */
typedef struct {
    bool ef, ef2, homo, mtot, mabs, site;
    double efermi, ef_spin[2], homo_v, lumo_v, mag_total, mag_abs;
    int site_ncomp;
    double *site_val;   /* [site_ncomp][natoms] */
} pw_floating;

typedef struct {
    gzFile f;
    const char *path;
    dp_run *run;
    dp_read_opts opts;
    dp_error *err;
    dp_status fail_code;
    long long fsize;

    /* reading */
    char *raw;
    size_t raw_len, raw_pos;
    bool raw_eof;
    char *line;
    size_t line_len;
    bool line_cut;
    bool pushed_back;
    long lineno;
    bool gz_truncated;
    bool partial_last;
    long overflows;

    /* header */
    bool seen_program;
    bool second_run;
    long second_run_line;
    long nat, ntyp;
    double alat;        /* bohr */
    bool have_alat, have_celldm;
    double axes[3][3];  /* alat units */
    bool have_axes;
    pw_type *types;
    int ntypes_read;
    char (*psfile)[80]; /* [ntyp] from the PseudoPot. lines */
    int pseudo_next;    /* type (0-based) whose file name is on the next line, or -1 */
    bool smeared, exx, noncolin, lsorbit, lsda;
    bool atoms_ready;

    /* settings (pwout_header.c), from the header: it ends where the first SCF begins */
    bool hdr_done;
    char xc[96];
    double ecut_ry;     /* NaN until read */
    bool kpoints_seen, tetra;
    char smearing[24];  /* as printed ("Gaussian"), "" without smearing */
    double degauss_ry;
    bool hubbard;
    int hub_mode;       /* 1: rows of 6.x's LDA+U table, 2: 7.x's "U(Fe1-3d) = 4.6" lines */
    int nhub;
    struct { char label[16]; int l; double u; } hub[64];
    char vdw[16];

    /* the current geometry: the one the next SCF runs on */
    double lattice[3][3];
    double (*frac)[3];
    unsigned char (*movable)[3];
    bool geom_dirty;    /* changed since the last committed step */
    bool in_final_coords;

    /* the energy of the step being read */
    bool have_energy, have_ts, have_internal;
    double e_ry, ts_ry, internal_ry;
    bool step_started;
    int energy_cap;

    pw_floating fl;
    double *site_tmp;   /* [3][natoms]: the block being read */
    int site_tmp_ncomp;
    long ncl_site;      /* noncollinear blocks: the atom (1-based) being read, 0 none */

    /* convergence and the end */
    bool scf_failed, scf_ok, saw_bfgs, ionic_ok, ionic_failed;
    bool bands_done;    /* "End of band structure calculation" (nscf, bands) */
    bool warned_scf;
    bool job_done;
    bool error_next;    /* the line after "Error in routine" is its message */
    char error_text[200];
} pw;

/* pwout_lines.c: errors, lines, numbers */
pw_result pw_fail(pw *s, dp_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *pw_quote(const char *t, size_t n, char *buf, size_t size);
pw_result pw_next_line(pw *s);
pw_result pw_next_row(pw *s, const char *what);
const char *pw_skip_ws(const char *p);
bool pw_starts(const char *t, const char *prefix);
bool pw_num_field(pw *s, const char **pp, double *v);
int pw_scan_numbers(pw *s, const char *p, double *out, int max, const char **rest);
pw_result pw_value_after_eq(pw *s, const char *t, double *v, const char *what);

/* pwout_header.c: counts, cell, species, the initial positions */
pw_result pw_read_count(pw *s, const char *t, long max, long *out, const char *what);
pw_result pw_read_axes(pw *s);
pw_result pw_on_pseudo(pw *s, const char *t);
pw_result pw_read_species(pw *s);
pw_result pw_read_sites(pw *s);
void pw_on_header_line(pw *s, const char *t);
dp_status pw_settings(pw *s);

/* pwout_steps.c: what each ionic step prints, and committing a step */
pw_result pw_commit_frame(pw *s, int step);
pw_result pw_apply_floating(pw *s);
pw_result pw_commit_step(pw *s);
pw_result pw_read_cell(pw *s, const char *t);
pw_result pw_read_positions(pw *s, const char *t);
pw_result pw_read_forces(pw *s);
pw_result pw_read_site_moments(pw *s);
void pw_on_ncl_atom(pw *s, const char *t);
void pw_on_ncl_magnetization(pw *s, const char *t);
pw_result pw_on_total_mag(pw *s, const char *t, bool absolute);
pw_result pw_on_energy(pw *s, const char *t);

#endif
