/*
 * Gaussian cube reader (pp.x output_format=6, and other programs' cubes; plain or gzip).
 *
 *   lines 1–2  comments
 *   line 3     natoms  ox oy oz  [nval]     natoms < 0: an orbital (MO) cube
 *   lines 4–6  n_i  v_i(x y z)              n_i > 0: Bohr; n_i < 0: Å (all three alike)
 *   natoms     Z  charge  x y z
 *   MO cube    NMO  mo_1 … mo_NMO           (only NMO = 1 is read)
 *   data       n0·n1·n2 values, the last index fastest, any number per line (6 usual)
 *
 * Model: run->grid with n = |n_i|, lattice rows = n_i · v_i (the whole cell: point
 * (i,j,k) sits at origin + i·v0 + j·v1 + k·v2), origin and atoms in Å, values in
 * e/Å³ (Bohr cubes: e/bohr³ ÷ 0.529177210903³; Å cubes are taken as already per Å³);
 * quantity "density" (the file does not say what it holds), or "orbital N" for an MO
 * cube (bohr^-3/2 → Å^-3/2). One frame, fractional positions in that cell.
 * Species: runs of consecutive atoms of one element, in file order (as a POSCAR lists
 * them); an element that comes back later is a new species entry, so atom order is
 * the file's. zval is the charge column unless it equals Z, as pp.x writes it
 * (PP/src/cube.f90: "at_chrg = dble(at_num)"), or is 0: then NaN.
 * The grid size is checked against overflow and a cap (DP_CUBE_MAX_POINTS), and
 * against the file size for plain files; the values array grows with what is read
 * (gzip files do not tell their size). A file whose numbers end early is an error
 * naming the grid point where they stop.
 */
#include "dftpost.h"
#include "../analysis/elements.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define BOHR 0.529177210903 /* Å, CODATA 2018 */
#define MAX_ATOMS 1000000
#define DP_CUBE_MAX_POINTS (1LL << 30) /* 8 GiB of doubles */
#define MAX_N 100000
#define LINE_CAP 1024

typedef struct {
    gzFile f;
    const char *path;
    long line;
    char buf[LINE_CAP];
    dp_error *err;
} cr;

/* 1 a line, 0 the end, -1 an error. */
static int next_line(cr *r)
{
    if (!gzgets(r->f, r->buf, sizeof r->buf)) {
        int code;
        const char *msg = gzerror(r->f, &code);
        if (code == Z_ERRNO)
            return dp_fail(r->err, DP_ERR_IO, "%s: cannot read: %s", r->path, strerror(errno)), -1;
        if (code != Z_OK && code != Z_BUF_ERROR)
            return dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: corrupt gzip stream (%s)",
                           r->path, r->line + 1, msg), -1;
        return 0;
    }
    r->line++;
    size_t n = strlen(r->buf);
    if (n == sizeof r->buf - 1 && r->buf[n - 1] != '\n')
        return dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: longer than %d characters",
                       r->path, r->line, LINE_CAP - 1), -1;
    return 1;
}

/* A number, Fortran forms too ("0.1234-100" without the E, "1.0D+00"). */
static bool number(const char **p, double *v)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strcspn(s, " \t\r\n");
    if (n == 0 || n >= 48)
        return false;
    char tok[64];
    size_t k = 0;
    bool exp = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == 'd' || c == 'D')
            c = 'E';
        if (c == 'E' || c == 'e')
            exp = true;
        else if ((c == '+' || c == '-') && i > 0 && !exp && isdigit((unsigned char)s[i - 1]))
            tok[k++] = 'E', exp = true;
        tok[k++] = c;
    }
    tok[k] = '\0';
    char *end;
    *v = strtod(tok, &end);
    if (end == tok || *end)
        return false;
    *p = s + n;
    return true;
}

/* Numbers of a header line: the count, or -1 if something else is on it. */
static int header_numbers(const char *line, double *v, int max)
{
    int n = 0;
    for (const char *p = line;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            return n;
        if (n == max || !number(&p, &v[n]))
            return -1;
        n++;
    }
}

static dp_status header_line(cr *r, const char *what, double *v, int min, int max, int *got)
{
    int rc = next_line(r);
    if (rc < 0)
        return r->err->code;
    if (rc == 0)
        return dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: the file ends where %s should be",
                       r->path, r->line + 1, what);
    int n = header_numbers(r->buf, v, max);
    if (n < min)
        return dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: expected %s, found \"%.60s\"",
                       r->path, r->line, what, r->buf);
    if (got)
        *got = n;
    return DP_OK;
}

static bool integral(double x, double lo, double hi)
{
    return isfinite(x) && x == floor(x) && x >= lo && x <= hi;
}

/* Species: runs of one element in file order. */
static dp_status set_species(dp_run *run, const int *z, const double *charge, int natoms,
                             const char *path, dp_error *err)
{
    char (*sym)[4] = malloc((size_t)natoms * sizeof *sym);
    int *cnt = malloc((size_t)natoms * sizeof *cnt);
    double *zv = malloc((size_t)natoms * sizeof *zv);
    if (!sym || !cnt || !zv) {
        free(sym), free(cnt), free(zv);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    int nt = 0;
    bool unknown = false, mixed = false;
    for (int a = 0; a < natoms; a++) {
        const char *symbol = dp_element_symbol(z[a]);
        unknown |= !symbol;
        /* pp.x writes the atomic number in the charge column: ZVAL is then unknown (NaN),
         * and a command that needs it (bader) says so; most (chgdiff, geom) do not */
        double val = charge[a] == (double)z[a] || charge[a] == 0 ? NAN : charge[a];
        if (a > 0 && z[a] == z[a - 1]) {
            cnt[nt - 1]++;
            if (!(val == zv[nt - 1] || (isnan(val) && isnan(zv[nt - 1]))))
                mixed = true;
            continue;
        }
        snprintf(sym[nt], sizeof sym[nt], "%s", symbol ? symbol : "X");
        cnt[nt] = 1;
        zv[nt++] = val;
    }
    dp_status st = dp_run_set_species(run, nt, sym, cnt, err);
    for (int t = 0; !st && t < nt; t++)
        run->species[t].zval = zv[t];
    if (unknown)
        dp_run_warn(run, "%s: atomic number(s) outside 1–%d: element \"X\"", path,
                    DP_MAX_Z);
    if (mixed)
        dp_run_warn(run, "%s: atoms of one element have different charges: the species keeps "
                    "the first", path);
    free(sym), free(cnt), free(zv);
    return st;
}

static dp_status parse(cr *r, dp_run *run, long long fsize)
{
    double v[8];
    int got;
    dp_status st;
    for (int k = 0; k < 2; k++) {
        int rc = next_line(r);
        if (rc < 0)
            return r->err->code;
        if (rc == 0)
            return dp_fail(r->err, DP_ERR_FORMAT, "%s: %s", r->path,
                           k ? "the file ends in its two comment lines" : "file is empty");
    }
    if ((st = header_line(r, "natoms and the origin (natoms ox oy oz)", v, 4, 5, &got)))
        return st;
    if (!integral(v[0], -MAX_ATOMS, MAX_ATOMS) || v[0] == 0)
        return dp_fail(r->err, DP_ERR_FORMAT, "%s: line 3: natoms = %g is not a count (1 to %d)",
                       r->path, v[0], MAX_ATOMS);
    if (got == 5 && v[4] != 1)
        return dp_fail(r->err, DP_ERR_FORMAT, "%s: line 3: %g values per grid point: dftpost "
                       "reads cubes with one", r->path, v[4]);
    bool mo = v[0] < 0;
    int natoms = (int)fabs(v[0]);
    double origin[3] = {v[1], v[2], v[3]};
    long long n[3];
    double vox[3][3];
    int sign = 0;
    for (int k = 0; k < 3; k++) {
        if ((st = header_line(r, "a grid line (n vx vy vz)", v, 4, 4, NULL)))
            return st;
        if (!integral(v[0], -MAX_N, MAX_N) || v[0] == 0)
            return dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: %g grid points: expected a "
                           "non-zero whole number up to %d", r->path, r->line, v[0], MAX_N);
        int sg = v[0] > 0 ? 1 : -1;
        if (sign && sg != sign)
            return dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: the grid counts mix Bohr "
                           "(positive) and Å (negative)", r->path, r->line);
        sign = sg;
        n[k] = (long long)fabs(v[0]);
        for (int j = 0; j < 3; j++)
            vox[k][j] = v[1 + j];
    }
    double unit = sign > 0 ? BOHR : 1.0;
    long long total = n[0] * n[1] * n[2]; /* ≤ 1e15: no overflow in 64 bits */
    if (total > DP_CUBE_MAX_POINTS)
        return dp_fail(r->err, DP_ERR_FORMAT, "%s: lines 4-6: a grid of %lld × %lld × %lld "
                       "points is more than dftpost reads (%lld)", r->path, n[0], n[1], n[2],
                       (long long)DP_CUBE_MAX_POINTS);
    if (fsize > 0 && total > fsize / 2)
        return dp_fail(r->err, DP_ERR_FORMAT, "%s: lines 4-6: %lld × %lld × %lld grid points "
                       "cannot fit in a file of %lld bytes", r->path, n[0], n[1], n[2], fsize);
    int *z = malloc((size_t)natoms * sizeof *z);
    double *charge = malloc((size_t)natoms * sizeof *charge);
    double (*cart)[3] = malloc((size_t)natoms * sizeof *cart);
    if (!z || !charge || !cart) {
        free(z), free(charge), free(cart);
        return dp_fail(r->err, DP_ERR_NOMEM, "%s: out of memory", r->path);
    }
    for (int a = 0; a < natoms && !st; a++) {
        if ((st = header_line(r, "an atom line (Z charge x y z)", v, 5, 5, NULL)))
            break;
        if (!integral(v[0], 0, 1000) || !isfinite(v[1]))
            st = dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: atomic number %g is not one",
                         r->path, r->line, v[0]);
        z[a] = (int)v[0];
        charge[a] = v[1];
        for (int j = 0; j < 3; j++)
            cart[a][j] = v[2 + j] * unit;
    }
    int orbital = 0;
    if (!st && mo) {
        double w[64];
        int rc = next_line(r);
        int k = rc == 1 ? header_numbers(r->buf, w, 64) : -1;
        if (rc < 0)
            st = r->err->code;
        else if (k < 2 || w[0] < 1 || w[0] != floor(w[0]))
            st = dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: expected the orbital line (NMO "
                         "and the orbital numbers) of an MO cube (natoms < 0)", r->path,
                         r->line + (rc == 0));
        else if (w[0] != 1)
            st = dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: an MO cube of %g orbitals: dftpost "
                         "reads one orbital per cube", r->path, r->line, w[0]);
        else
            orbital = (int)w[1];
    }
    if (!st) {
        snprintf(run->grid.quantity, sizeof run->grid.quantity, mo ? "orbital %d" : "density",
                 orbital);
        st = set_species(run, z, charge, natoms, r->path, r->err);
    }
    free(z), free(charge);
    if (st) {
        free(cart);
        return st;
    }
    /* the cell, the frame */
    dp_grid *g = &run->grid;
    double lat[3][3], inv[3][3];
    for (int k = 0; k < 3; k++) {
        g->n[k] = (int)n[k];
        g->origin[k] = origin[k] * unit;
        for (int j = 0; j < 3; j++)
            lat[k][j] = (double)n[k] * vox[k][j] * unit;
    }
    memcpy(g->lattice, lat, sizeof lat);
    if (!(fabs(dp_lattice_det(lat)) > 1e-12) || !dp_lattice_inverse(lat, inv)) {
        free(cart);
        return dp_fail(r->err, DP_ERR_FORMAT, "%s: lines 4-6: the voxel vectors span no volume",
                       r->path);
    }
    run->frames = calloc(1, sizeof *run->frames);
    if (!run->frames || !(run->frames[0].frac = malloc((size_t)natoms * sizeof(double[3])))) {
        free(cart);
        return dp_fail(r->err, DP_ERR_NOMEM, "%s: out of memory", r->path);
    }
    run->nframes = 1;
    memcpy(run->frames[0].lattice, lat, sizeof lat);
    for (int a = 0; a < natoms; a++) {
        double rel[3];
        for (int j = 0; j < 3; j++)
            rel[j] = cart[a][j] - g->origin[j];
        dp_cartesian_to_fractional(inv, rel, run->frames[0].frac[a]);
    }
    free(cart);
    /* the values: the array grows with what is read, so that a header that promises
     * more than a (compressed) file holds costs no memory */
    long long cap = total < (1LL << 20) ? total : (1LL << 20);
    g->values = malloc((size_t)cap * sizeof *g->values);
    if (!g->values)
        return dp_fail(r->err, DP_ERR_NOMEM, "%s: out of memory for %lld grid values", r->path,
                       total);
    double scale = sign > 0 ? (mo ? pow(BOHR, -1.5) : 1.0 / (BOHR * BOHR * BOHR)) : 1.0;
    long long have = 0;
    while (have < total) {
        int rc = next_line(r);
        if (rc < 0)
            return r->err->code;
        if (rc == 0)
            break;
        for (const char *p = r->buf;;) {
            while (isspace((unsigned char)*p))
                p++;
            if (!*p)
                break;
            double x;
            if (have == total) {
                dp_run_warn(run, "%s: line %ld: ignored what follows the %lld grid values",
                            r->path, r->line, total);
                break;
            }
            if (!number(&p, &x))
                return dp_fail(r->err, DP_ERR_FORMAT, "%s: line %ld: \"%.20s\" is not a number "
                               "(grid point (%lld, %lld, %lld), 1-based)", r->path, r->line, p,
                               have / (n[1] * n[2]) + 1, have / n[2] % n[1] + 1, have % n[2] + 1);
            if (have == cap) {
                long long nc = cap * 2 < total ? cap * 2 : total;
                double *nv = realloc(g->values, (size_t)nc * sizeof *nv);
                if (!nv)
                    return dp_fail(r->err, DP_ERR_NOMEM, "%s: out of memory for %lld grid "
                                   "values", r->path, total);
                g->values = nv, cap = nc;
            }
            g->values[have++] = x * scale;
        }
    }
    if (have < total)
        return dp_fail(r->err, DP_ERR_INCOMPLETE, "%s: line %ld: the values end after %lld of "
                       "%lld: grid point (%lld, %lld, %lld) (1-based, last index fastest) and "
                       "the rest are missing", r->path, r->line, have, total,
                       have / (n[1] * n[2]) + 1, have / n[2] % n[1] + 1, have % n[2] + 1);
    int rc;
    while ((rc = next_line(r)) == 1) {
        if (r->buf[strspn(r->buf, " \t\r\n")]) {
            dp_run_warn(run, "%s: line %ld: ignored what follows the %lld grid values", r->path,
                        r->line, total);
            break;
        }
    }
    if (rc < 0)
        return r->err->code;
    snprintf(g->format, sizeof g->format, "cube");
    run->has_grid = true;
    run->status.complete = true;
    return DP_OK;
}

dp_status dp_cube_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    (void)opts;
    *out = NULL;
    dp_error local;
    if (!err)
        err = &local;
    struct stat stt;
    long long fsize = 0;
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    gzbuffer(f, 1 << 17);
    if (gzdirect(f) && stat(path, &stt) == 0 && S_ISREG(stt.st_mode))
        fsize = (long long)stt.st_size;
    dp_run *run = calloc(1, sizeof *run);
    if (!run) {
        gzclose(f);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(run->path, sizeof run->path, "%s", path);
    snprintf(run->program, sizeof run->program, "cube");
    run->params.lorbit = -1;
    run->first_frame_step = -1;
    run->charges.spilling = NAN;
    cr r = {.f = f, .path = path, .err = err};
    dp_status st = parse(&r, run, fsize);
    gzclose(f);
    if (st) {
        dp_run_free(run);
        return st;
    }
    *out = run;
    return DP_OK;
}
