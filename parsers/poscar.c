/*
 * POSCAR / CONTCAR reader (VASP 4 and VASP 5/6), plain or gzip, line by line.
 *
 *   comment
 *   scale                 one number (negative: the cell volume in Å^3), or three
 *                         (factors for the x, y, z Cartesian components)
 *   a1 a2 a3              lattice vectors, three lines
 *   [species line]        VASP 5/6 only ("Fe_pv", "Fe/1a2b" keep the element part)
 *   counts
 *   [Selective dynamics]  only the first letter (s/S) matters
 *   Direct | Cartesian    first letter c/C/k/K: Cartesian; anything else: Direct
 *   positions             natoms lines: x y z [T/F T/F T/F] [ignored label]
 *   [velocities, predictor-corrector block: ignored]
 *
 * Cartesian positions are scaled like the lattice (by s, by the three factors, or
 * by the factor that gives the requested volume) and turned into fractional ones
 * with the inverse lattice. A VASP 4 file names no species: they come from
 * opts->species ("Fe Co N", counts optional but checked) or from the TITEL (else
 * VRHFIN) lines of a POTCAR beside the file.
 *
 * The file is untrusted: every count is checked before it sizes an allocation,
 * every number must be finite, long lines are cut (the rest of such a line is
 * discarded), and an error names the file and line.
 */
#include "dftpost.h"
#include "../analysis/elements.h"
#include "paths.h"
#include "text_numbers.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_ATOMS 10000000
#define MAX_TYPES 1000
#define LINE_CAP 4096
#define OVERLAP 0.5 /* Å: closer atoms draw a warning */

/* ---- text ---------------------------------------------------------------- */

/* The first token of a line, for messages. */
static const char *first_token(const char *line, char *buf, size_t size)
{
    line = dp_text_skip_blanks(line);
    size_t n = strcspn(line, " \t");
    if (n >= size)
        n = size - 1;
    memcpy(buf, line, n);
    buf[n] = '\0';
    return buf;
}

/* ---- elements ------------------------------------------------------------ */

/* The element part of a species token: "Fe", "FE", "Fe_pv", "Fe/1a2b3c", "Fe.pv"
 * give "Fe". False if the token is not an element followed by nothing, '_', '/'
 * or '.'. */
static bool element_of(const char *tok, size_t len, char sym[4])
{
    if (len == 0 || !isalpha((unsigned char)tok[0]))
        return false;
    char two[3] = {(char)toupper((unsigned char)tok[0]), 0, 0};
    if (len > 1 && isalpha((unsigned char)tok[1]))
        two[1] = (char)tolower((unsigned char)tok[1]);
    size_t used = two[1] ? 2 : 1;
    if (two[1] && !dp_atomic_number(two)) { /* "Hpv"? take one letter only if the rest fits */
        two[1] = '\0';
        used = 1;
    }
    if (!dp_atomic_number(two))
        return false;
    if (used < len && tok[used] != '_' && tok[used] != '/' && tok[used] != '.')
        return false;
    memcpy(sym, two, 3);
    sym[3] = '\0';
    return true;
}

/* ---- POTCAR beside the file ---------------------------------------------- */

typedef struct {
    int n;
    char sym[MAX_TYPES][4];
    char title[MAX_TYPES][80];
    double zval[MAX_TYPES], mass[MAX_TYPES];
} potcar_info;

/* Reads the species of a POTCAR: TITEL lines ("TITEL  = PAW_PBE Fe_pv 02Aug2007"),
 * else VRHFIN lines ("VRHFIN =Fe: d7 s1"); ZVAL and POMASS where given.
 * Returns 1 if found and usable, 0 if there is no POTCAR, -1 on a bad one (err). */
static int read_potcar(const char *poscar, potcar_info *pc, char *used, size_t usize,
                       dp_error *err)
{
    char dir[1024];
    dp_path_dir(poscar, dir, sizeof dir);
    static const char *const names[] = {"POTCAR", "POTCAR.gz"};
    gzFile f = NULL;
    for (size_t k = 0; k < 2 && !f; k++) {
        snprintf(used, usize, "%s/%s", dir, names[k]);
        f = gzopen(used, "rb");
    }
    if (!f)
        return 0;
    char buf[LINE_CAP];
    dp_text_lines r = {.f = f, .path = used, .buf = buf, .cap = sizeof buf};
    potcar_info vr = {0}; /* from VRHFIN, if there are no TITEL lines */
    pc->n = 0;
    int rc;
    while ((rc = dp_text_next_line(&r, err)) == 1) {
        const char *p = dp_text_skip_blanks(r.buf);
        if (!strncmp(p, "TITEL", 5)) {
            const char *eq = strchr(p, '=');
            if (!eq)
                continue;
            if (pc->n == MAX_TYPES) {
                gzclose(f);
                return dp_fail(err, DP_ERR_FORMAT, "%s: more than %d species", used, MAX_TYPES),
                       -1;
            }
            const char *t = dp_text_skip_blanks(eq + 1);
            snprintf(pc->title[pc->n], sizeof pc->title[0], "%s", t);
            /* the element is the second word ("PAW_PBE Fe_pv 02Aug2007"), or the only one */
            const char *w = t + strcspn(t, " \t");
            w = dp_text_skip_blanks(w);
            if (!*w)
                w = t;
            if (!element_of(w, strcspn(w, " \t"), pc->sym[pc->n])) {
                gzclose(f);
                return dp_fail(err, DP_ERR_FORMAT, "%s: line %ld: no element symbol in \"%.60s\"",
                               used, r.line, p), -1;
            }
            pc->zval[pc->n] = pc->mass[pc->n] = NAN;
            pc->n++;
        } else if (!strncmp(p, "VRHFIN", 6)) {
            const char *eq = strchr(p, '=');
            if (eq && vr.n < MAX_TYPES) {
                const char *t = dp_text_skip_blanks(eq + 1);
                if (element_of(t, strcspn(t, ": \t"), vr.sym[vr.n]))
                    vr.n++;
            }
        } else if (!strncmp(p, "POMASS", 6) && pc->n > 0) {
            /* "POMASS =   55.847; ZVAL   =    8.000    mass and valenz" */
            const char *eq = strchr(p, '=');
            double v;
            const char *q = eq ? eq + 1 : "";
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%.*s", (int)strcspn(q, ";"), q);
            const char *tp = tmp;
            if (dp_text_number(&tp, &v))
                pc->mass[pc->n - 1] = v;
            const char *z = strstr(p, "ZVAL");
            if (z && (eq = strchr(z, '=')) != NULL) {
                q = eq + 1;
                if (dp_text_number(&q, &v))
                    pc->zval[pc->n - 1] = v;
            }
        }
    }
    gzclose(f);
    if (rc < 0)
        return -1;
    if (pc->n == 0 && vr.n > 0) {
        for (int t = 0; t < vr.n; t++) {
            memcpy(pc->sym[t], vr.sym[t], 4);
            pc->title[t][0] = '\0';
            pc->zval[t] = pc->mass[t] = NAN;
        }
        pc->n = vr.n;
    }
    if (pc->n == 0)
        return dp_fail(err, DP_ERR_FORMAT, "%s: no TITEL or VRHFIN line: not a POTCAR", used), -1;
    return 1;
}

/* ---- geometry ------------------------------------------------------------ */

static double norm3(const double v[3])
{
    return sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}

/* Squared minimum-image distance of a fractional difference d, each component in
 * (-1, 1): the 27 images around it are searched. */
static double mic2(const double L[3][3], const double d[3])
{
    double best = INFINITY;
    for (int a = -1; a <= 1; a++)
        for (int b = -1; b <= 1; b++)
            for (int c = -1; c <= 1; c++) {
                double f[3] = {d[0] + a, d[1] + b, d[2] + c}, x[3];
                for (int k = 0; k < 3; k++)
                    x[k] = f[0] * L[0][k] + f[1] * L[1][k] + f[2] * L[2][k];
                double r2 = x[0] * x[0] + x[1] * x[1] + x[2] * x[2];
                if (r2 < best)
                    best = r2;
            }
    return best;
}

/* Warns once if two atoms are closer than OVERLAP (minimum image). A cell list
 * keeps this linear in the number of atoms: along axis k the cell is cut into
 * floor(h_k / OVERLAP) slabs (h_k the distance between lattice planes), so two
 * atoms that close always sit in the same or neighbouring bins. */
static void check_overlaps(dp_run *run, const dp_frame *fr)
{
    int n = run->natoms;
    if (n < 2)
        return;
    const double (*L)[3] = fr->lattice;
    double vol = fabs(dp_lattice_det(fr->lattice));
    int nb[3];
    for (int k = 0; k < 3; k++) {
        const double *u = L[(k + 1) % 3], *v = L[(k + 2) % 3];
        double c[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
                       u[0] * v[1] - u[1] * v[0]};
        double h = vol / norm3(c);
        double b = floor(h / OVERLAP);
        nb[k] = !(b >= 1) ? 1 : b > 1024 ? 1024 : (int)b;
    }
    /* no more bins than about twice the atoms (fewer, larger bins stay correct) */
    long nbins = (long)nb[0] * nb[1] * nb[2];
    while (nbins > 2L * n + 64) {
        int k = nb[0] >= nb[1] && nb[0] >= nb[2] ? 0 : nb[1] >= nb[2] ? 1 : 2;
        nb[k] = (nb[k] + 1) / 2;
        nbins = (long)nb[0] * nb[1] * nb[2];
    }
    int *bin = malloc((size_t)n * sizeof *bin);
    int *start = calloc((size_t)nbins + 1, sizeof *start);
    int *order = malloc((size_t)n * sizeof *order);
    double (*w)[3] = malloc((size_t)n * sizeof *w); /* positions wrapped into [0, 1) */
    if (!bin || !start || !order || !w) {
        free(bin), free(start), free(order), free(w);
        return; /* a diagnostic only: skip it rather than fail the read */
    }
    for (int i = 0; i < n; i++) {
        int idx[3];
        for (int k = 0; k < 3; k++) {
            double f = fr->frac[i][k] - floor(fr->frac[i][k]);
            if (f >= 1.0)
                f = 0.0;
            w[i][k] = f;
            idx[k] = (int)(f * nb[k]);
            if (idx[k] >= nb[k])
                idx[k] = nb[k] - 1;
        }
        bin[i] = (idx[0] * nb[1] + idx[1]) * nb[2] + idx[2];
        start[bin[i] + 1]++;
    }
    for (long b = 0; b < nbins; b++)
        start[b + 1] += start[b];
    int *fill = calloc((size_t)nbins, sizeof *fill);
    if (!fill) {
        free(bin), free(start), free(order), free(w);
        return;
    }
    for (int i = 0; i < n; i++)
        order[start[bin[i]] + fill[bin[i]]++] = i;
    free(fill);

    long count = 0;
    int bi = -1, bj = -1;
    double bd = INFINITY, lim2 = OVERLAP * OVERLAP;
    for (int i = 0; i < n; i++) {
        int b = bin[i];
        int idx[3] = {b / (nb[1] * nb[2]), (b / nb[2]) % nb[1], b % nb[2]};
        /* neighbouring bins; with fewer than 3 bins on an axis, all of them once */
        int lo[3], hi[3];
        for (int k = 0; k < 3; k++) {
            if (nb[k] < 3)
                lo[k] = 0, hi[k] = nb[k] - 1;
            else
                lo[k] = idx[k] - 1, hi[k] = idx[k] + 1;
        }
        for (int x = lo[0]; x <= hi[0]; x++)
            for (int y = lo[1]; y <= hi[1]; y++)
                for (int z = lo[2]; z <= hi[2]; z++) {
                    int bx = nb[0] < 3 ? x : (x + nb[0]) % nb[0];
                    int by = nb[1] < 3 ? y : (y + nb[1]) % nb[1];
                    int bz = nb[2] < 3 ? z : (z + nb[2]) % nb[2];
                    int nbn = (bx * nb[1] + by) * nb[2] + bz;
                    for (int s = start[nbn]; s < start[nbn + 1]; s++) {
                        int j = order[s];
                        if (j <= i)
                            continue;
                        double d[3] = {w[j][0] - w[i][0], w[j][1] - w[i][1], w[j][2] - w[i][2]};
                        double r2 = mic2(L, d);
                        if (r2 < lim2) {
                            count++;
                            if (r2 < bd)
                                bd = r2, bi = i, bj = j;
                        }
                    }
                }
    }
    free(bin), free(start), free(order), free(w);
    if (count)
        dp_run_warn(run, "%s: atoms %d (%s) and %d (%s) are %.3f Å apart (minimum image); "
                    "%ld pair(s) of atoms are closer than %.1f Å: overlapping atoms?",
                    run->path, bi + 1, run->species[run->atom_type[bi]].symbol, bj + 1,
                    run->species[run->atom_type[bj]].symbol, sqrt(bd), count, OVERLAP);
}

/* ---- the reader ---------------------------------------------------------- */

typedef struct {
    dp_text_lines in;
    char buf[LINE_CAP]; /* in.buf */
    const char *path;
    dp_error *err;
    dp_run *run;
} pr;

/* A format error at the current line: "PATH: line N: what". */
#define bad(s, ...) dp_text_fail(&(s)->in, (s)->err, __VA_ARGS__)

/* Reads the next line, which must exist: what says what was expected there. */
static dp_status need_line(pr *s, const char *what)
{
    int rc = dp_text_next_line(&s->in, s->err);
    if (rc < 0)
        return s->err->code;
    if (rc == 0) {
        s->in.line++;
        return bad(s, "the file ends where %s should be", what);
    }
    return DP_OK;
}

/* Species when the file names none (VASP 4): opts->species, else a POTCAR beside it. */
static dp_status species_vasp4(pr *s, const dp_read_opts *opts, int ntypes, const int *counts,
                               char (*sym)[4], potcar_info *pc, bool *from_potcar)
{
    *from_potcar = false;
    long counts_line = s->in.line;
    if (opts && opts->species) {
        int cnt[MAX_TYPES];
        dp_error e2;
        int n = dp_species_parse(opts->species, sym, cnt, MAX_TYPES, &e2);
        if (n < 0)
            return dp_fail(s->err, DP_ERR_USAGE, "%s: %s", s->path, e2.msg);
        if (n != ntypes)
            return dp_fail(s->err, DP_ERR_USAGE, "%s: line %ld: the file has %d atom counts, the "
                           "species list \"%s\" names %d species", s->path, counts_line, ntypes,
                           opts->species, n);
        for (int t = 0; t < n; t++)
            if (cnt[t] && cnt[t] != counts[t])
                return dp_fail(s->err, DP_ERR_USAGE, "%s: line %ld: the file has %d atoms of "
                               "species %d, the species list says %s%d", s->path, counts_line,
                               counts[t], t + 1, sym[t], cnt[t]);
        return DP_OK;
    }
    char used[1100];
    int rc = read_potcar(s->path, pc, used, sizeof used, s->err);
    if (rc < 0)
        return s->err->code;
    if (rc == 0)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: a VASP 4 POSCAR does not name its "
                       "species and there is no POTCAR beside it: pass them with --species "
                       "(e.g. \"Fe Co N\")", s->path, counts_line);
    if (pc->n != ntypes)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: the file has %d atom counts, the "
                       "POTCAR beside it (%s) %d species", s->path, counts_line, ntypes, used,
                       pc->n);
    for (int t = 0; t < ntypes; t++)
        memcpy(sym[t], pc->sym[t], 4);
    *from_potcar = true;
    return DP_OK;
}

static dp_status parse(pr *s, const dp_read_opts *opts)
{
    dp_run *run = s->run;
    dp_status st;
    double v[4];
    const char *rest;
    char tok[48];

    /* 1: comment */
    int rc = dp_text_next_line(&s->in, s->err);
    if (rc < 0)
        return s->err->code;
    if (rc == 0)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: file is empty", s->path);

    /* 2: scale */
    if ((st = need_line(s, "the scale factor")))
        return st;
    int nscale = dp_text_numbers(s->in.buf, v, 4, &rest);
    if (nscale == 4 || nscale == 2 || nscale == 0)
        return bad(s, "expected one scale factor or three, found \"%.60s\"", s->in.buf);
    double scale[3];
    for (int k = 0; k < 3; k++)
        scale[k] = v[nscale == 3 ? k : 0];
    for (int k = 0; k < nscale; k++)
        if (!isfinite(v[k]) || v[k] == 0.0 || (nscale == 3 && v[k] < 0))
            return bad(s, "bad scale factor %g (one number, negative for a volume, or three "
                       "positive ones)", v[k]);
    long scale_line = s->in.line;

    /* 3-5: lattice */
    dp_frame fr = {0};
    for (int i = 0; i < 3; i++) {
        char what[40];
        snprintf(what, sizeof what, "lattice vector %d", i + 1);
        if ((st = need_line(s, what)))
            return st;
        if (dp_text_numbers(s->in.buf, fr.lattice[i], 3, NULL) != 3)
            return bad(s, "lattice vector %d: expected three numbers, found \"%.60s\"", i + 1,
                       s->in.buf);
        for (int k = 0; k < 3; k++)
            if (!isfinite(fr.lattice[i][k]))
                return bad(s, "lattice vector %d is not finite", i + 1);
    }
    double det = dp_lattice_det(fr.lattice);
    double nn = norm3(fr.lattice[0]) * norm3(fr.lattice[1]) * norm3(fr.lattice[2]);
    if (!(fabs(det) > 1e-10 * nn) || !isfinite(det))
        return bad(s, "the lattice vectors are linearly dependent (zero cell volume)");

    /* the factor that scales Cartesian components */
    double cs[3];
    if (nscale == 1 && v[0] < 0) {
        double f = cbrt(-v[0] / fabs(det));
        cs[0] = cs[1] = cs[2] = f;
    } else {
        for (int k = 0; k < 3; k++)
            cs[k] = scale[k];
    }
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++)
            fr.lattice[i][k] *= cs[k];
    det = dp_lattice_det(fr.lattice);
    if (!isfinite(det) || fabs(det) < 1e-300) {
        s->in.line = scale_line;
        return bad(s, "the scale factor gives a cell of volume %g", det);
    }

    /* 6 (and 7): species line (VASP 5/6) and counts */
    if ((st = need_line(s, "the atom counts (or the species line)")))
        return st;
    char sym[MAX_TYPES][4];
    int counts[MAX_TYPES];
    int nsym = 0;
    const char *p = dp_text_skip_blanks(s->in.buf);
    bool vasp5 = isalpha((unsigned char)*p);
    if (vasp5) {
        while (*(p = dp_text_skip_blanks(p)) && *p != '!' && *p != '#') {
            size_t n = strcspn(p, " \t");
            if (nsym == MAX_TYPES)
                return bad(s, "more than %d species", MAX_TYPES);
            if (!element_of(p, n, sym[nsym]))
                return bad(s, "\"%.*s\" is not an element symbol (species line)",
                           (int)(n > 20 ? 20 : n), p);
            nsym++;
            p += n;
        }
        if ((st = need_line(s, "the atom counts")))
            return st;
    }
    int ntypes = 0;
    long natoms = 0;
    p = s->in.buf;
    for (;;) {
        p = dp_text_skip_blanks(p);
        if (!*p || *p == '!' || *p == '#')
            break;
        size_t n = strcspn(p, " \t");
        char *end;
        errno = 0;
        long c = strtol(p, &end, 10);
        if (end != p + n || errno)
            return bad(s, "expected atom counts (whole numbers), found \"%s\"",
                       first_token(p, tok, sizeof tok));
        if (c <= 0 || c > MAX_ATOMS)
            return bad(s, "atom count %s is out of range (1 to %d)",
                       first_token(p, tok, sizeof tok), MAX_ATOMS);
        if (ntypes == MAX_TYPES)
            return bad(s, "more than %d atom counts", MAX_TYPES);
        counts[ntypes++] = (int)c;
        natoms += c;
        if (natoms > MAX_ATOMS)
            return bad(s, "the counts add up to more than %d atoms", MAX_ATOMS);
        p += n;
    }
    if (ntypes == 0)
        return bad(s, "expected atom counts, found an empty line");
    if (vasp5 && nsym != ntypes)
        return bad(s, "%d atom counts for the %d species of the line before", ntypes, nsym);

    potcar_info *pc = NULL;
    bool from_potcar = false;
    if (!vasp5) {
        pc = malloc(sizeof *pc);
        if (!pc)
            return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
        st = species_vasp4(s, opts, ntypes, counts, sym, pc, &from_potcar);
        if (st) {
            free(pc);
            return st;
        }
    }
    st = dp_run_set_species(run, ntypes, sym, counts, s->err);
    if (!st && from_potcar)
        for (int t = 0; t < ntypes; t++) {
            run->species[t].zval = pc->zval[t];
            run->species[t].mass = pc->mass[t];
            snprintf(run->species[t].potential, sizeof run->species[t].potential, "%s",
                     pc->title[t]);
        }
    free(pc);
    if (st)
        return st;

    /* selective dynamics, coordinate mode */
    if ((st = need_line(s, "\"Direct\" or \"Cartesian\"")))
        return st;
    p = dp_text_skip_blanks(s->in.buf);
    bool selective = *p == 's' || *p == 'S';
    if (selective) {
        if ((st = need_line(s, "\"Direct\" or \"Cartesian\"")))
            return st;
        p = dp_text_skip_blanks(s->in.buf);
    }
    if (!isalpha((unsigned char)*p))
        return bad(s, "expected \"Direct\" or \"Cartesian\", found \"%s\"",
                   first_token(p, tok, sizeof tok));
    bool cart = strchr("cCkK", *p) != NULL;

    /* positions */
    fr.frac = malloc((size_t)natoms * sizeof *fr.frac);
    if (selective)
        fr.movable = malloc((size_t)natoms * sizeof *fr.movable);
    run->frames = calloc(1, sizeof *run->frames);
    if (!fr.frac || (selective && !fr.movable) || !run->frames) {
        free(fr.frac);
        free(fr.movable);
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory for %ld atoms", s->path, natoms);
    }
    run->frames[0] = fr; /* owned by the run from here on */
    run->nframes = 1;
    dp_frame *f = &run->frames[0];
    double inv[3][3];
    if (!dp_lattice_inverse(f->lattice, inv)) /* not reached: det was checked above */
        return bad(s, "the scale factor gives a cell of volume %g", det);
    for (long i = 0; i < natoms; i++) {
        rc = dp_text_next_line(&s->in, s->err);
        if (rc < 0)
            return s->err->code;
        if (rc == 0) {
            s->in.line++;
            return bad(s, "the file ends after %ld of the %ld atom positions (the counts say "
                       "%ld atoms)", i, natoms, natoms);
        }
        double x[3];
        if (dp_text_numbers(s->in.buf, x, 3, &rest) != 3)
            return bad(s, "atom %ld: expected a position (three numbers), found \"%.60s\"%s",
                       i + 1, s->in.buf,
                       *dp_text_skip_blanks(s->in.buf) ? "" : " (do the counts add up?)");
        for (int k = 0; k < 3; k++)
            if (!isfinite(x[k]))
                return bad(s, "atom %ld: position is not finite", i + 1);
        if (cart) {
            double c[3] = {x[0] * cs[0], x[1] * cs[1], x[2] * cs[2]};
            dp_cartesian_to_fractional(inv, c, f->frac[i]);
        } else {
            for (int k = 0; k < 3; k++)
                f->frac[i][k] = x[k];
        }
        if (selective) {
            p = rest;
            for (int k = 0; k < 3; k++) {
                p = dp_text_skip_blanks(p);
                const char *q = p;
                while (*q == '.')
                    q++;
                char c = (char)toupper((unsigned char)*q);
                if (c != 'T' && c != 'F')
                    return bad(s, "atom %ld: expected three T/F selective-dynamics flags, found "
                               "\"%s\"", i + 1, *p ? first_token(p, tok, sizeof tok) : "");
                f->movable[i][k] = c == 'T';
                p += strcspn(p, " \t");
            }
        }
    }
    /* What may follow: nothing, a blank line (CONTCAR) or a mode line, then velocities
     * and predictor-corrector data. Another position line means the counts are short. */
    rc = dp_text_next_line(&s->in, s->err);
    if (rc < 0)
        return s->err->code;
    if (rc == 1 && dp_text_numbers(s->in.buf, v, 3, NULL) == 3)
        return bad(s, "another position after the %ld atoms the counts give: the counts do not "
                   "add up", natoms);
    run->natoms = (int)natoms;
    run->first_frame_step = -1;
    run->status.complete = true;
    check_overlaps(run, f);
    return DP_OK;
}

dp_status dp_poscar_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    dp_error local;
    if (!err)
        err = &local;
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    pr s = {.in = {.f = f, .path = path, .cap = LINE_CAP}, .path = path, .err = err};
    s.in.buf = s.buf;
    s.run = calloc(1, sizeof *s.run);
    if (!s.run) {
        gzclose(f);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(s.run->path, sizeof s.run->path, "%s", path);
    snprintf(s.run->program, sizeof s.run->program, "POSCAR");
    s.run->params.lorbit = -1;
    s.run->first_frame_step = -1;
    dp_status st = parse(&s, opts);
    gzclose(f);
    if (st != DP_OK) {
        dp_run_free(s.run);
        return st;
    }
    *out = s.run;
    return DP_OK;
}
