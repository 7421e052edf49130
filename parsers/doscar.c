/*
 * DOSCAR reader (VASP 4.6–6.x, plain or gzip), streamed line by line.
 *
 *   line 1   NIONS NIONS pdos_flag NCDIJ   (pdos_flag 1: projected DOS follows;
 *                                           NCDIJ is written as 0: unusable)
 *   line 2   volume/NIONS, |a|, |b|, |c| (m), POTIM (s)
 *   line 3   TEBEG;  line 4 'CAR';  line 5 SYSTEM
 *   line 6   EMAX EMIN NEDOS EFERMI 1.0
 *   NEDOS    total DOS rows: E dos int (ISPIN=1 and noncollinear) or
 *            E up down int_up int_down (ISPIN=2)
 *   then, for each ion, a copy of line 6 and NEDOS rows: E and the orbital columns.
 *
 * The orbital columns (P of them after the energy) are read as follows; T is the
 * number of columns of a total-DOS row.
 *
 *   T = 5 (ISPIN=2), 2 components (up, down) interleaved per orbital:
 *     P =  6: s p d            P = 18: s py pz px dxy dyz dz2 dxz x2-y2
 *     P =  8: s p d f          P = 32: the 9 above and fy3x2 fxyz fyz2 fz3 fxz2 fzx2 fx3
 *   T = 3 (ISPIN=1, or noncollinear with 4 columns per orbital: total, mx, my, mz):
 *     P =  3: s p d            1 component
 *     P =  4: s p d f          1 component
 *     P =  9: lm, 9 orbitals   1 component
 *     P = 12: s p d            4 components
 *     P = 36: lm, 9 orbitals   4 components
 *     P = 64: lm+f, 16         4 components
 *     P = 16: ambiguous: lm with f orbitals (LORBIT=11, ISPIN=1) or s p d f of a
 *             noncollinear run (LORBIT=10). A vasprun.xml tells: the structure
 *             companion if it is one, else a vasprun.xml beside the DOSCAR, read for
 *             its LNONCOLLINEAR. Without one, the file is read as lm with f (the
 *             common case: LORBIT=11 is what d-band work uses) and a warning says so.
 *   Anything else is refused.
 *
 * A noncollinear DOSCAR has only the charge part of the total DOS: the model's
 * total/integrated mx, my, mz components are NaN ("not in the file").
 *
 * The atoms come from opts->structure, else a CONTCAR, POSCAR or vasprun.xml beside
 * the DOSCAR (in that order; an unreadable one, such as the empty CONTCAR a killed
 * run leaves, is skipped with a warning), else opts->species with counts, where a
 * symbol without a count stands for one atom, as in a formula ("Fe Co N6").
 *
 * A cut file keeps what was complete: the total DOS if all of it is there, and the
 * projected DOS of every atom whose block is complete (the others stay NULL, as if
 * keep_atom had declined them; has_pdos is set when at least one block is whole).
 * A last line without its newline is kept only if it has all its columns and its
 * last number ends in an exponent, as every E12.4 field does.
 *
 * Numbers: Fortran "0.1234E+01", "0.1234-100" (no E for three-digit exponents),
 * "1.0D+00"; overflowed fields ("*****") are read as NaN, counted, and warned
 * about once.
 */
#include "dftpost.h"
#include "paths.h"
#include "text_numbers.h"

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
#define MAX_NEDOS 10000000
#define MAX_COLS 65 /* energy + 64 orbital columns (16 lm orbitals x 4 components) */
#define LINE_CAP 8192

static const char *const LM16[16] = {"s",   "py",    "pz",    "px",   "dxy", "dyz",
                                     "dz2", "dxz",   "x2-y2", "fy3x2", "fxyz", "fyz2",
                                     "fz3", "fxz2",  "fzx2",  "fx3"};
static const char *const SPDF[4] = {"s", "p", "d", "f"};

/* ---- a last line without its newline ------------------------------------ */

/* Does the last token of line end like a complete E-format field ("E+01", "-100")
 * or an overflow ("***")? Used for a last line that lacks its newline. */
static bool ends_complete(const char *line)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    int digits = 0;
    while (n && isdigit((unsigned char)line[n - 1]))
        n--, digits++;
    if (!digits)
        return n && line[n - 1] == '*';
    return digits >= 2 && n >= 2 && (line[n - 1] == '+' || line[n - 1] == '-') &&
           (isdigit((unsigned char)line[n - 2]) || strchr("eEdD", line[n - 2]));
}

/* ---- reader state -------------------------------------------------------- */

typedef struct {
    dp_text_lines in;
    char buf[LINE_CAP];   /* in.buf */
    const char *path;
    dp_run *run;
    dp_read_opts opts;
    dp_error *err;
    long long fsize;
    long overflows;
    int nions;
    int pdos_flag;
    double cell_abc[3];   /* |a|, |b|, |c| in Å from line 2, or 0 */
    bool have_companion;  /* params of a vasprun.xml are known */
    dp_params companion;
    char companion_path[1100];
} dr;

/* A format error at the current line: "PATH: line N: what". */
#define bad(s, ...) dp_text_fail(&(s)->in, (s)->err, __VA_ARGS__)

static void progress(dr *s)
{
    if (s->opts.progress && (s->in.line & 0xFFF) == 0)
        s->opts.progress((long long)gzoffset(s->in.f), s->fsize, s->opts.progress_ud);
}

/* A data line: 1 read, 0 the file ends (or the line is a cut last line), -1 error. */
static int data_line(dr *s, double *v, int want, int *got)
{
    int rc = dp_text_next_line(&s->in, s->err);
    if (rc <= 0)
        return rc;
    progress(s);
    if (s->in.cut)
        return bad(s, "line longer than %d characters", LINE_CAP), -1;
    long ovf = 0;
    int n = dp_text_line_numbers(s->in.buf, v, MAX_COLS, &ovf);
    if (!s->in.newline && (n != want || !ends_complete(s->in.buf)))
        return 0; /* cut in the middle of its last line */
    *got = n;
    s->overflows += ovf;
    return 1;
}

/* ---- atoms --------------------------------------------------------------- */

/* Moves the atoms, species and last frame of a structure run into s->run. */
static void take_structure(dr *s, dp_run *sr, const char *from)
{
    dp_run *run = s->run;
    run->natoms = sr->natoms;
    run->ntypes = sr->ntypes;
    run->species = sr->species;
    run->atom_type = sr->atom_type;
    sr->species = NULL;
    sr->atom_type = NULL;
    if (sr->nframes > 0) {
        run->frames = calloc(1, sizeof *run->frames);
        if (run->frames) {
            dp_frame *last = &sr->frames[sr->nframes - 1];
            run->frames[0] = *last;
            memset(last, 0, sizeof *last);
            run->nframes = 1;
            run->first_frame_step = sr->first_frame_step + sr->nframes - 1;
        }
    }
    if (!strncmp(sr->program, "vasp", 4) && sr->params.ispin > 0) {
        s->have_companion = true;
        s->companion = sr->params;
        snprintf(s->companion_path, sizeof s->companion_path, "%s", from);
    }
    for (int i = 0; i < sr->nwarnings; i++)
        dp_run_warn(run, "%s", sr->warnings[i]);
    /* the lattice of the structure against the DOSCAR's line 2 */
    if (run->nframes && s->cell_abc[0] > 0) {
        double L[3];
        bool differ = false;
        for (int k = 0; k < 3; k++) {
            const double *a = run->frames[0].lattice[k];
            L[k] = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
            if (fabs(L[k] - s->cell_abc[k]) > 0.01 * s->cell_abc[k])
                differ = true;
        }
        if (differ)
            dp_run_warn(run, "%s: the cell of %s (|a|, |b|, |c| = %.4g, %.4g, %.4g Å) is not the "
                        "DOSCAR's (%.4g, %.4g, %.4g Å, line 2): is it the structure of this run?",
                        s->path, from, L[0], L[1], L[2], s->cell_abc[0], s->cell_abc[1],
                        s->cell_abc[2]);
    }
}

/* Reads a structure file with the reader its name calls for (or by content). */
static dp_status read_structure(dr *s, const char *p, int kind, dp_run **sr, dp_error *e2)
{
    dp_read_opts o = {.skip_dos = true, .species = s->opts.species};
    if (kind == 1)
        return dp_poscar_read(p, &o, sr, e2);
    if (kind == 2)
        return dp_vasprun_read(p, &o, sr, e2);
    return dp_read(p, &o, sr, e2);
}

static dp_status atoms_from_species(dr *s)
{
    const char *spec = s->opts.species;
    char sym[1000][4];
    int cnt[1000];
    dp_error e2;
    int n = dp_species_parse(spec, sym, cnt, 1000, &e2);
    if (n < 0)
        return dp_fail(s->err, DP_ERR_USAGE, "%s: %s", s->path, e2.msg);
    long sum = 0;
    for (int t = 0; t < n; t++) {
        if (!cnt[t])
            cnt[t] = 1; /* as in a formula: no count, one atom */
        sum += cnt[t];
    }
    if (sum != s->nions)
        return dp_fail(s->err, DP_ERR_USAGE, "%s: line 1: the DOSCAR has %d ions, the species "
                       "list \"%s\" adds up to %ld atoms (give counts, e.g. \"Fe1 Co1 N6\")",
                       s->path, s->nions, spec, sum);
    return dp_run_set_species(s->run, n, sym, cnt, s->err);
}

static dp_status load_atoms(dr *s)
{
    dp_run *run = s->run;
    dp_run *sr = NULL;
    dp_error e2 = {0};
    const char *from = NULL;
    char found[1100], skipped[400] = "";
    if (s->opts.structure) {
        from = s->opts.structure;
        dp_status st = read_structure(s, from, 0, &sr, &e2);
        if (st)
            return dp_fail(s->err, st, "%s", e2.msg);
        if (strstr(sr->program, "DOSCAR")) {
            dp_run_free(sr);
            return dp_fail(s->err, DP_ERR_USAGE, "%s: the structure given for it, %s, is a DOSCAR "
                           "(give a POSCAR, CONTCAR or vasprun.xml)", s->path, from);
        }
    } else {
        static const struct {
            const char *name;
            int kind;
        } cand[] = {{"CONTCAR", 1}, {"CONTCAR.gz", 1}, {"POSCAR", 1},    {"POSCAR.gz", 1},
                    {"vasprun.xml", 2}, {"vasprun.xml.gz", 2}};
        char dir[1024];
        dp_path_dir(s->path, dir, sizeof dir);
        for (size_t k = 0; k < sizeof cand / sizeof *cand && !sr; k++) {
            snprintf(found, sizeof found, "%s/%s", dir, cand[k].name);
            if (!dp_path_is_file(found))
                continue;
            if (read_structure(s, found, cand[k].kind, &sr, &e2) != DP_OK) {
                dp_run_warn(run, "%s: skipped %s beside it: %s", s->path, cand[k].name, e2.msg);
                if (!skipped[0])
                    snprintf(skipped, sizeof skipped, " (%s beside it is unreadable: %.300s)",
                             cand[k].name, e2.msg);
                sr = NULL;
                continue;
            }
            from = found;
        }
    }
    if (sr) {
        if (sr->natoms != s->nions) {
            int n = sr->natoms;
            dp_run_free(sr);
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: line 1: the DOSCAR has %d ions, %s has %d "
                           "atoms: not the structure of this run", s->path, s->nions, from, n);
        }
        take_structure(s, sr, from);
        dp_run_free(sr);
        return DP_OK;
    }
    if (s->opts.species)
        return atoms_from_species(s);
    return dp_fail(s->err, DP_ERR_FORMAT, "%s: needs the atoms: put a CONTCAR/POSCAR beside it or "
                   "pass --species (e.g. \"Fe Co N6\")%s", s->path, skipped);
}

/* LNONCOLLINEAR of the run, from a vasprun.xml: the structure's, or one beside the
 * DOSCAR. -1 if unknown. */
static int companion_noncollinear(dr *s)
{
    if (!s->have_companion) {
        char dir[1024], p[1100];
        dp_path_dir(s->path, dir, sizeof dir);
        static const char *const names[] = {"vasprun.xml", "vasprun.xml.gz"};
        for (int k = 0; k < 2 && !s->have_companion; k++) {
            snprintf(p, sizeof p, "%s/%s", dir, names[k]);
            if (!dp_path_is_file(p))
                continue;
            dp_run *v = NULL;
            dp_error e2;
            dp_read_opts o = {.skip_dos = true, .species = s->opts.species};
            if (dp_vasprun_read(p, &o, &v, &e2) == DP_OK && v->params.ispin > 0) {
                s->have_companion = true;
                s->companion = v->params;
                snprintf(s->companion_path, sizeof s->companion_path, "%s", p);
            }
            dp_run_free(v);
        }
    }
    return s->have_companion ? s->companion.lnoncollinear : -1;
}

/* ---- column layout ------------------------------------------------------- */

/* Sets ncomp, norb and the names from T (total-DOS columns) and P (orbital columns). */
static dp_status layout(dr *s, int T, int P)
{
    dp_dos *d = &s->run->dos;
    int ncomp = 0, norb = 0;
    bool lm = false;
    if (T == 5) {
        ncomp = 2;
        norb = P / 2;
        if (P % 2 || (norb != 3 && norb != 4 && norb != 9 && norb != 16))
            return bad(s, "projected DOS rows have %d orbital columns: an ISPIN=2 DOSCAR has 6, "
                       "8, 18 or 32", P);
        lm = norb >= 9;
    } else if (P == 3 || P == 4 || P == 9) {
        ncomp = 1, norb = P, lm = P == 9;
    } else if (P == 12 || P == 36 || P == 64) {
        ncomp = 4, norb = P / 4, lm = P != 12;
    } else if (P == 16) {
        /* s py pz px dxy dyz dz2 dxz x2-y2 + 7 f (LORBIT=11, ISPIN=1) or s p d f x
         * (total, mx, my, mz) (LORBIT=10, noncollinear): the total DOS has 3 columns
         * either way, so only the run's LNONCOLLINEAR can tell */
        int ncl = companion_noncollinear(s);
        if (ncl == 1) {
            ncomp = 4, norb = 4, lm = false;
        } else {
            ncomp = 1, norb = 16, lm = true;
            if (ncl < 0)
                dp_run_warn(s->run, "%s: 16 projected-DOS columns and no vasprun.xml to say "
                            "whether the run was noncollinear: read as s, p, d and f lm-resolved "
                            "(LORBIT=11, ISPIN=1), not as s p d f x 4 spin components",
                            s->path);
        }
    } else {
        return bad(s, "projected DOS rows have %d orbital columns: with a 3-column total DOS a "
                   "DOSCAR has 3, 4, 9 or 16 (ISPIN=1) or 12, 16, 36 or 64 (noncollinear)", P);
    }
    d->ncomp = ncomp;
    d->norb = norb;
    for (int o = 0; o < norb; o++)
        snprintf(d->orb_names[o], sizeof d->orb_names[o], "%s", lm ? LM16[o] : SPDF[o]);
    if (s->have_companion) {
        bool ncl = ncomp == 4;
        if (s->companion.lnoncollinear != ncl || (!ncl && s->companion.ispin != ncomp))
            dp_run_warn(s->run, "%s: its columns say %s, but %s says %s: read as the DOSCAR's "
                        "columns say", s->path,
                        ncl ? "noncollinear" : ncomp == 2 ? "ISPIN=2" : "ISPIN=1",
                        s->companion_path,
                        s->companion.lnoncollinear ? "noncollinear"
                        : s->companion.ispin == 2  ? "ISPIN=2"
                                                   : "ISPIN=1");
    }
    return DP_OK;
}

/* ---- status -------------------------------------------------------------- */

static void set_missing(dr *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_missing(dr *s, const char *fmt, ...)
{
    dp_completeness *c = &s->run->status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->missing, sizeof c->missing, fmt, ap);
    va_end(ap);
    c->complete = false;
    /* the line cut in the middle, or the one after the last whole line */
    c->break_line = s->in.line + (s->in.newline || s->in.line == 0 ? 1 : 0);
    dp_run_warn(s->run, "%s: incomplete file: it ends at line %ld%s, cut off (a killed run?); "
                "kept what was complete before; missing: %s", s->path, s->in.line,
                s->in.newline ? "" : " in the middle of the line", c->missing);
}

/* The projected DOS of the ions from a (0-based) to the last ("ion 8", "ions 5-8") is
 * missing: not reached, or cut off in ion a + 1. */
static void pdos_missing(dr *s, int a, bool cut)
{
    int natoms = s->run->natoms;
    char range[48];
    if (a + 1 == natoms)
        snprintf(range, sizeof range, "ion %d", natoms);
    else
        snprintf(range, sizeof range, "ions %d-%d", a + 1, natoms);
    if (cut)
        set_missing(s, "projected DOS of %s (cut off in ion %d)", range, a + 1);
    else
        set_missing(s, "projected DOS of %s (not reached)", range);
}

/* ---- the DOS ------------------------------------------------------------- */

/* Total DOS: NEDOS rows of T columns into run->dos (energy, total, integrated). */
static dp_status read_total(dr *s, int nedos, bool *cut)
{
    dp_dos *d = &s->run->dos;
    double v[MAX_COLS + 1];
    /* rows go into a growing row-major buffer first: NEDOS from a hostile header
     * must not size an allocation before the rows are there */
    size_t cap = 0;
    double *rows = NULL;
    int T = 0;
    *cut = false;
    for (int i = 0; i < nedos; i++) {
        int got = 0;
        int rc = data_line(s, v, T ? T : 3, &got);
        if (rc < 0) {
            free(rows);
            return s->err->code;
        }
        if (rc == 0) {
            free(rows);
            *cut = true;
            set_missing(s, "total DOS (cut off after %d of %d points), projected DOS", i, nedos);
            return DP_OK;
        }
        if (i == 0) {
            if (got != 3 && got != 5) {
                free(rows);
                return bad(s, "a total-DOS row has %d numbers: expected 3 (energy, DOS, "
                           "integrated) or 5 (ISPIN=2)%s", got,
                           got < 0 ? ", found a non-number" : "");
            }
            T = got;
        } else if (got != T) {
            free(rows);
            return bad(s, "total-DOS point %d of %d: expected %d numbers, found %s", i + 1,
                       nedos, T, got < 0 ? "a non-number" : "another count");
        }
        if ((size_t)(i + 1) * (size_t)T > cap) {
            size_t nc = cap ? cap * 2 : 1024 * (size_t)T;
            double *r = realloc(rows, nc * sizeof *r);
            if (!r) {
                free(rows);
                return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory for the DOS", s->path);
            }
            rows = r, cap = nc;
        }
        memcpy(rows + (size_t)i * T, v, (size_t)T * sizeof *v);
    }
    int nc = T == 5 ? 2 : 1;
    d->nedos = nedos;
    d->ncomp = nc;
    d->energy = malloc((size_t)nedos * sizeof *d->energy);
    d->total = malloc((size_t)nc * nedos * sizeof *d->total);
    d->integrated = malloc((size_t)nc * nedos * sizeof *d->integrated);
    if (!d->energy || !d->total || !d->integrated) {
        free(rows);
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory for the DOS", s->path);
    }
    for (int i = 0; i < nedos; i++) {
        const double *r = rows + (size_t)i * T;
        d->energy[i] = r[0];
        for (int c = 0; c < nc; c++) {
            d->total[(size_t)c * nedos + i] = r[1 + c];
            d->integrated[(size_t)c * nedos + i] = r[1 + nc + c];
        }
    }
    free(rows);
    s->run->has_dos = true;
    return DP_OK;
}

/* The block header of an ion: a copy of line 6 (EMAX EMIN NEDOS EFERMI 1.0). */
static dp_status check_header(dr *s, int ion, int nedos, const double *v, int got)
{
    if (got < 3 || v[2] != (double)nedos)
        return bad(s, "expected the header of ion %d's projected DOS (EMAX EMIN NEDOS=%d EFERMI "
                   "1.0), found \"%.60s\"", ion + 1, nedos, s->in.buf);
    return DP_OK;
}

static dp_status read_projected(dr *s, int nedos, int T)
{
    dp_run *run = s->run;
    dp_dos *d = &run->dos;
    double v[MAX_COLS + 1];
    int got = 0, rc;
    /* blank lines may end a file that has no projected DOS */
    do {
        rc = data_line(s, v, 5, &got);
        if (rc < 0)
            return s->err->code;
    } while (rc == 1 && got == 0);
    if (rc == 0) {
        if (s->pdos_flag == 1)
            set_missing(s, "projected DOS (not reached; line 1 says it follows)");
        return DP_OK;
    }
    if (check_header(s, 0, nedos, v, got))
        return s->err->code;

    /* the first row of ion 1 tells the layout */
    int P = 0, cols = 0;
    double *scratch = NULL;
    size_t cap = 0;
    dp_status st = DP_OK;
    d->pdos = calloc((size_t)run->natoms, sizeof *d->pdos);
    if (!d->pdos)
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory for the projected DOS", s->path);
    int done = 0; /* ions whose block is complete */
    for (int a = 0; a < run->natoms; a++) {
        if (a > 0) {
            rc = data_line(s, v, 5, &got);
            if (rc < 0) {
                st = s->err->code;
                break;
            }
            if (rc == 0) {
                pdos_missing(s, a, false);
                break;
            }
            if ((st = check_header(s, a, nedos, v, got)))
                break;
        }
        bool keep = !s->opts.keep_atom || s->opts.keep_atom(run, a, s->opts.keep_ud);
        bool broke = false;
        for (int i = 0; i < nedos; i++) {
            if (!keep && P) {
                /* an ion nobody asked for: its rows are counted, not parsed */
                rc = dp_text_next_line(&s->in, s->err);
                if (rc == 1 && !s->in.newline && !ends_complete(s->in.buf))
                    rc = 0;
                if (rc == 1)
                    progress(s);
            } else {
                rc = data_line(s, v, P ? P + 1 : MAX_COLS, &got);
            }
            if (rc < 0) {
                st = s->err->code;
                break;
            }
            if (rc == 0) {
                pdos_missing(s, a, true);
                broke = true;
                break;
            }
            if (!keep && P)
                continue;
            if (!P) {
                if (got < 2) {
                    st = bad(s, "a projected-DOS row has %s", got < 0 ? "a non-number" :
                             "no orbital columns");
                    break;
                }
                if (got > MAX_COLS) {
                    st = bad(s, "a projected-DOS row has more than %d orbital columns",
                             MAX_COLS - 1);
                    break;
                }
                if ((st = layout(s, T, got - 1)))
                    break;
                P = got - 1;
                cols = P + 1;
                if (d->ncomp == 4 && T == 3) {
                    /* only the charge part of the total DOS is in the file */
                    double *t2 = realloc(d->total, 4 * (size_t)nedos * sizeof *t2);
                    if (t2)
                        d->total = t2;
                    double *i2 = realloc(d->integrated, 4 * (size_t)nedos * sizeof *i2);
                    if (i2)
                        d->integrated = i2;
                    if (!t2 || !i2) {
                        st = dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
                        break;
                    }
                    for (size_t k = (size_t)nedos; k < 4 * (size_t)nedos; k++)
                        d->total[k] = d->integrated[k] = NAN;
                }
            } else if (got != cols) {
                st = bad(s, "ion %d, point %d: expected %d numbers, found %s", a + 1, i + 1,
                         cols, got < 0 ? "a non-number" : "another count");
                break;
            }
            if (!keep)
                continue; /* the first row of the first ion, read for the layout only */
            if ((size_t)(i + 1) * cols > cap) {
                size_t nc = cap ? cap * 2 : 512 * (size_t)cols;
                double *r = realloc(scratch, nc * sizeof *r);
                if (!r) {
                    st = dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
                    break;
                }
                scratch = r, cap = nc;
            }
            memcpy(scratch + (size_t)i * cols, v, (size_t)cols * sizeof *v);
        }
        if (st || broke)
            break;
        if (keep) {
            size_t n = (size_t)d->ncomp * d->norb * nedos;
            double *blk = malloc(n * sizeof *blk);
            if (!blk) {
                st = dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory for the projected DOS",
                             s->path);
                break;
            }
            int step = d->ncomp; /* columns per orbital: components interleaved */
            for (int c = 0; c < d->ncomp; c++)
                for (int o = 0; o < d->norb; o++) {
                    double *dst = blk + ((size_t)c * d->norb + o) * nedos;
                    for (int i = 0; i < nedos; i++)
                        dst[i] = scratch[(size_t)i * cols + 1 + o * step + c];
                }
            d->pdos[a] = blk;
        }
        done++;
    }
    free(scratch);
    if (st)
        return st;
    if (!P) { /* cut inside the first ion's first row: nothing to keep */
        free(d->pdos);
        d->pdos = NULL;
        return DP_OK;
    }
    run->has_pdos = done > 0;
    if (done == run->natoms) {
        /* anything after the last ion is not ours */
        while ((rc = dp_text_next_line(&s->in, s->err)) == 1)
            if (s->in.buf[strspn(s->in.buf, " \t")]) {
                dp_run_warn(run, "%s: line %ld: ignored what follows the projected DOS of the "
                            "last ion (\"%.40s\")", s->path, s->in.line, s->in.buf);
                break;
            }
        if (rc < 0)
            return s->err->code;
    }
    return DP_OK;
}

/* skip_dos: the lines are counted, not parsed, to tell has_dos/has_pdos and
 * whether the file is complete. */
static dp_status count_dos(dr *s, int nedos)
{
    dp_run *run = s->run;
    double v[MAX_COLS + 1];
    int got = 0, rc = data_line(s, v, 5, &got);
    if (rc < 0)
        return s->err->code;
    if (rc == 1 && got != 3 && got != 5)
        return bad(s, "a total-DOS row has %d numbers: expected 3 or 5", got);
    run->params.ispin = got == 5 ? 2 : 1;
    long want = nedos, n = rc;
    int block = 0; /* 0 total DOS, then 1 + ion */
    run->status.complete = true;
    for (;;) {
        while (n < want && (rc = dp_text_next_line(&s->in, s->err)) == 1) {
            if (!s->in.newline && !ends_complete(s->in.buf))
                break;
            progress(s);
            n++;
        }
        if (rc < 0)
            return s->err->code;
        if (n < want) {
            if (block == 0)
                set_missing(s, "total DOS (cut off), projected DOS");
            else
                pdos_missing(s, block - 1, true);
            break;
        }
        if (block == 0)
            run->has_dos = true;
        else if (block == run->natoms) {
            run->has_pdos = true;
            break;
        }
        /* the next ion's header line (or the end: no projected DOS) */
        while ((rc = dp_text_next_line(&s->in, s->err)) == 1 &&
               !s->in.buf[strspn(s->in.buf, " \t")])
            ;
        if (rc < 0)
            return s->err->code;
        if (rc == 0) {
            if (block > 0 || s->pdos_flag == 1)
                pdos_missing(s, block, false);
            break;
        }
        block++;
        n = 0;
    }
    return DP_OK;
}

static dp_status parse(dr *s)
{
    dp_run *run = s->run;
    int rc;
    static const char *const what[6] = {
        "NIONS NIONS pdos_flag NCDIJ", "the cell line", "TEBEG", "'CAR'", "the system name",
        "EMAX EMIN NEDOS EFERMI 1.0"};
    double hdr[6][MAX_COLS + 1];
    int nhdr[6];
    for (int k = 0; k < 6; k++) {
        rc = dp_text_next_line(&s->in, s->err);
        if (rc < 0)
            return s->err->code;
        if (rc == 0 || (!s->in.newline && k < 5)) {
            if (k == 0 && rc == 0)
                return dp_fail(s->err, DP_ERR_FORMAT, "%s: file is empty", s->path);
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: the file ends in the header, "
                           "where %s should be", s->path, s->in.line + (rc == 0), what[k]);
        }
        nhdr[k] = dp_text_line_numbers(s->in.buf, hdr[k], MAX_COLS, NULL);
        if (k == 0) {
            if (nhdr[0] < 3 || nhdr[0] > 4)
                return bad(s, "expected NIONS NIONS pdos_flag NCDIJ, found \"%.60s\"", s->in.buf);
            double n = hdr[0][0];
            if (!(n >= 1 && n <= MAX_ATOMS) || n != floor(n))
                return bad(s, "NIONS = %s is out of range (1 to %d)", s->in.buf, MAX_ATOMS);
            s->nions = (int)n;
            if (hdr[0][1] != n)
                dp_run_warn(run, "%s: line 1: %g ions with empty spheres, %g without: reading %d "
                            "blocks", s->path, n, hdr[0][1], s->nions);
            s->pdos_flag = hdr[0][2] == 1.0;
        } else if (k == 1 && nhdr[1] >= 4) {
            for (int j = 0; j < 3; j++)
                s->cell_abc[j] = isfinite(hdr[1][1 + j]) && hdr[1][1 + j] > 0
                                     ? hdr[1][1 + j] * 1e10 : 0;
            if (!s->cell_abc[0] || !s->cell_abc[1] || !s->cell_abc[2])
                s->cell_abc[0] = 0;
        } else if (k == 5) {
            if (nhdr[5] < 4)
                return bad(s, "expected EMAX EMIN NEDOS EFERMI 1.0, found \"%.60s\"", s->in.buf);
            double n = hdr[5][2];
            if (!(n >= 2 && n <= MAX_NEDOS) || n != floor(n))
                return bad(s, "NEDOS = %g is out of range (2 to %d)", n, MAX_NEDOS);
            run->efermi = hdr[5][3];
            run->has_efermi = isfinite(run->efermi);
        }
    }
    int nedos = (int)hdr[5][2];
    run->params.nedos = nedos;

    dp_status st = load_atoms(s);
    if (st)
        return st;

    if (s->opts.skip_dos)
        return count_dos(s, nedos);
    bool cut;
    if ((st = read_total(s, nedos, &cut)) || cut)
        return st;
    int T = run->dos.ncomp == 2 ? 5 : 3;
    run->status.complete = true;
    if ((st = read_projected(s, nedos, T)))
        return st;
    run->params.ispin = run->dos.ncomp == 2 ? 2 : 1;
    run->params.lnoncollinear = run->dos.ncomp == 4;
    if (s->have_companion) {
        run->params.lorbit = s->companion.lorbit;
        run->params.ismear = s->companion.ismear;
        run->params.sigma = s->companion.sigma;
        run->params.lsorbit = s->companion.lsorbit && run->params.lnoncollinear;
    }
    return DP_OK;
}

dp_status dp_doscar_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    dp_error local;
    if (!err)
        err = &local;
    dr s = {.path = path, .err = err};
    if (opts)
        s.opts = *opts;
    struct stat stt;
    if (stat(path, &stt) == 0)
        s.fsize = (long long)stt.st_size;
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    gzbuffer(f, 1 << 17);
    s.in.f = f;
    s.in.path = path;
    s.in.buf = s.buf;
    s.in.cap = LINE_CAP;
    s.run = calloc(1, sizeof *s.run);
    if (!s.run) {
        gzclose(f);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(s.run->path, sizeof s.run->path, "%s", path);
    snprintf(s.run->program, sizeof s.run->program, "vasp (DOSCAR)");
    s.run->params.lorbit = -1;
    s.run->first_frame_step = -1;
    dp_status st = parse(&s);
    gzclose(f);
    if (st == DP_OK && s.overflows)
        dp_run_warn(s.run, "%s: %ld number field(s) overflowed (\"****\") and were read as NaN",
                    path, s.overflows);
    if (st != DP_OK) {
        dp_run_free(s.run);
        return st;
    }
    *out = s.run;
    return DP_OK;
}
