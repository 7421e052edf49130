/*
 * CHGCAR-type files: CHGCAR, CHG, AECCAR0/1/2, PARCHG, LOCPOT, ELFCAR (VASP 4, 5, 6;
 * plain or gzip).
 *
 *   POSCAR header         comment, scale, lattice, [species], counts, [Selective], mode,
 *                         natoms positions (read by dp_poscar_read: one parser of it)
 *   blank line
 *   NGX NGY NGZ
 *   NGX·NGY·NGZ numbers   x fastest, then y, then z; 5 a line (CHGCAR) or 10 (CHG)
 *   [augmentation occupancies ...]        CHGCAR only: "augmentation occupancies I N"
 *                                         and N numbers per atom (noncollinear runs add
 *                                         VASP 5.4 and later add an "(imaginary part)" set)
 *   ISPIN=2:       a line of atomic moments, NGX NGY NGZ again, ρ↑ − ρ↓, [augmentation]
 *   noncollinear:  three such blocks, m_x, m_y, m_z
 *
 * As pymatgen's VolumetricData.parse_file does, a block starts at the next line that
 * repeats the grid line; whatever lies between blocks (augmentation occupancies, moment
 * lines) is skipped whatever its layout.
 *
 * Model: values [n0][n1][n2] (z fastest), so the file's order is transposed on reading.
 * Charge-like files hold ρ·V_cell; values are divided by V_cell (Å³) to e/Å³
 * (magnetisation to μB/Å³), quantity "density". A LOCPOT (quantity "potential", eV)
 * and an ELFCAR ("elf", dimensionless) are kept as written, and only their first block
 * is read (their second one, for ISPIN=2, is the other spin, not a magnetisation). The
 * kind is known from the file name only (CHGCAR-type files do not say what they hold):
 * LOCPOT* and ELFCAR* by name, everything else a density.
 *
 * Errors: the grid size is checked (each 1 to 100000, at most 2^30 points, and no more
 * than the file can hold: 2 bytes a number, and a gzip file expands at most 1032-fold)
 * before any allocation. A total block whose numbers end early is DP_ERR_FORMAT
 * naming the file, the count and the grid point (1-based, x fastest, as in the file).
 * A magnetisation block that ends early, when the total block is complete, is DP_OK
 * with status.complete false, a warning, and no magnetisation (nmag = 0; for a
 * noncollinear file, nmag = 3 only when all three blocks are whole). Nothing in a
 * CHGCAR tells a collinear file from a noncollinear one (both may carry "(imaginary
 * part)" augmentation sets), only the number of blocks: a noncollinear file cut
 * cleanly after its m_x block reads as collinear.
 */
#include "chgcar.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_N 100000
#define MAX_POINTS (1LL << 30) /* 8 GiB of doubles */
#define MAX_ATOMS 10000000L
#define GZIP_MAX_RATIO 1032 /* deflate's largest expansion (zlib's FAQ) */
#define LINE_CAP 4096

/* ---- names and lines --------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool dp_chgcar_name(const char *path)
{
    const char *b = base_name(path);
    static const char *const prefixes[] = {"CHGCAR", "AECCAR", "PARCHG", "LOCPOT", "ELFCAR"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (has_prefix(b, prefixes[i]))
            return true;
    return has_prefix(b, "CHG") && (b[3] == '\0' || b[3] == '.' || b[3] == '_' || b[3] == '-');
}

static bool blank_line(const char *l)
{
    return l[strspn(l, " \t\r")] == '\0';
}

/* Three positive whole numbers and nothing else into n; false if the line is not that. */
static bool grid_numbers(const char *l, long long n[3])
{
    const char *p = l;
    for (int k = 0; k < 3; k++) {
        p += strspn(p, " \t");
        if (!isdigit((unsigned char)*p))
            return false;
        long long v = 0;
        for (; isdigit((unsigned char)*p); p++)
            if ((v = v * 10 + (*p - '0')) > 1000000000000LL)
                return false;
        if (v <= 0 || (*p && *p != ' ' && *p != '\t' && *p != '\r'))
            return false;
        n[k] = v;
    }
    return blank_line(p);
}

/* Skips the POSCAR header, up to and with the atom lines. 1 done (*natoms set), 0 not
 * a POSCAR header or the file ends in it, -1 a read error. */
static int skip_poscar_header(dp_gscan *s, char *l, long *natoms)
{
    int rc;
    for (int k = 0; k < 5; k++) /* comment, scale, three lattice vectors */
        if ((rc = dp_gscan_line(s, l, LINE_CAP)) <= 0)
            return rc;
    if ((rc = dp_gscan_line(s, l, LINE_CAP)) <= 0)
        return rc;
    if (isalpha((unsigned char)l[strspn(l, " \t")]) && (rc = dp_gscan_line(s, l, LINE_CAP)) <= 0)
        return rc; /* VASP 5/6 species line, then the counts */
    long total = 0;
    for (const char *p = l;;) {
        p += strspn(p, " \t\r");
        if (!*p || *p == '!' || *p == '#')
            break;
        char *end;
        long c = strtol(p, &end, 10);
        if (end == p || c <= 0 || c > MAX_ATOMS || (total += c) > MAX_ATOMS)
            return 0;
        p = end;
    }
    if (total == 0)
        return 0;
    if ((rc = dp_gscan_line(s, l, LINE_CAP)) <= 0)
        return rc;
    char c = l[strspn(l, " \t")];
    if ((c == 's' || c == 'S') && (rc = dp_gscan_line(s, l, LINE_CAP)) <= 0)
        return rc; /* Selective dynamics, then Direct/Cartesian */
    for (long a = 0; a < total; a++)
        if ((rc = dp_gscan_line(s, l, LINE_CAP)) <= 0)
            return rc;
    *natoms = total;
    return 1;
}

bool dp_chgcar_sniff(const char *path)
{
    dp_error err;
    dp_gscan s;
    if (dp_gscan_open(&s, path, 1 << 16, &err) != DP_OK)
        return false;
    char l[LINE_CAP];
    long natoms;
    long long n[3];
    bool yes = skip_poscar_header(&s, l, &natoms) == 1 && dp_gscan_line(&s, l, sizeof l) == 1 &&
               blank_line(l) && dp_gscan_line(&s, l, sizeof l) == 1 && grid_numbers(l, n);
    dp_gscan_close(&s);
    return yes;
}

/* ---- blocks -------------------------------------------------------------- */

/* "point (i, j, k)" of the first value missing after have values (1-based, x fastest). */
static void point_of(long long have, const int n[3], long long p[3])
{
    p[0] = have % n[0] + 1;
    p[1] = have / n[0] % n[1] + 1;
    p[2] = have / ((long long)n[0] * n[1]) + 1;
}

/* Finds the next line that repeats the grid line. 1 found, 0 the file ends first,
 * -1 error. */
static int next_block(dp_gscan *s, char *l, const int n[3])
{
    int rc;
    long long m[3];
    while ((rc = dp_gscan_line(s, l, LINE_CAP)) == 1)
        if (grid_numbers(l, m) && m[0] == n[0] && m[1] == n[1] && m[2] == n[2])
            return 1;
    return rc;
}

static const char *block_name(int b, int expected)
{
    static const char *const ncl[] = {"total density", "m_x", "m_y", "m_z"};
    if (b == 0)
        return "total";
    return expected == 3 ? ncl[b] : "magnetisation (ρ↑ − ρ↓)";
}

static dp_status read_blocks(dp_gscan *s, dp_run *run, const dp_read_opts *opts, bool density,
                             double volume, long long fsize_bound)
{
    char l[LINE_CAP];
    dp_grid *g = &run->grid;
    int rc;
    /* the blank line, the grid line */
    long long n[3];
    for (;;) {
        if ((rc = dp_gscan_line(s, l, sizeof l)) < 0)
            return s->err->code;
        if (rc == 0)
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: the file ends where the grid "
                           "size (NGX NGY NGZ) should be", s->path, s->line);
        if (!blank_line(l))
            break;
    }
    long gl = s->line - 1;
    if (!grid_numbers(l, n))
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: expected the grid size (three "
                       "whole numbers NGX NGY NGZ), found \"%.60s\"", s->path, gl, l);
    for (int k = 0; k < 3; k++)
        if (n[k] > MAX_N)
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: %lld grid points along axis "
                           "%d: more than %d", s->path, gl, n[k], k + 1, MAX_N);
    long long total = n[0] * n[1] * n[2]; /* ≤ 1e15: no overflow */
    if (total > MAX_POINTS)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: a grid of %lld × %lld × %lld "
                       "points is more than dftpost reads (%lld)", s->path, gl, n[0], n[1],
                       n[2], MAX_POINTS);
    if (fsize_bound > 0 && total > fsize_bound)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: %lld × %lld × %lld grid values "
                       "cannot fit in a file of %lld bytes", s->path, gl, n[0], n[1], n[2],
                       s->fsize);
    for (int k = 0; k < 3; k++)
        g->n[k] = (int)n[k];
    memcpy(g->lattice, run->frames[0].lattice, sizeof g->lattice);
    double divisor = density ? volume : 1.0;

    /* the total, then magnetisation blocks while the file has them */
    bool want_mag = density && !(opts && opts->grid_total_only);
    int nblocks = 0, expected = 1;
    double *blocks[4] = {0};
    for (int b = 0; b < 4; b++) {
        if (b > 0) {
            if (!want_mag)
                break;
            if ((rc = next_block(s, l, g->n)) < 0)
                goto fail;
            if (rc == 0)
                break;
            if (b == 2) /* a third block: noncollinear */
                expected = 3;
        }
        long block_line = s->line;
        blocks[b] = malloc((size_t)total * sizeof(double));
        if (!blocks[b]) {
            dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory for %lld grid values", s->path,
                    total);
            goto fail;
        }
        dp_gscan_result res;
        dp_gscan_stop stop = dp_gscan_grid(s, blocks[b], g->n, divisor, &res);
        if (stop == DP_GSCAN_ERROR)
            goto fail;
        if (stop == DP_GSCAN_EXTRA) {
            dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: more numbers than the grid size "
                    "%d × %d × %d says (%s block)", s->path, s->line, g->n[0], g->n[1],
                    g->n[2], block_name(b, expected));
            goto fail;
        }
        if (stop != DP_GSCAN_DONE) {
            long long p[3], got = res.got;
            point_of(got, g->n, p);
            char what[200];
            if (stop == DP_GSCAN_END)
                snprintf(what, sizeof what, "ends after %lld of %lld values (point %lld,%lld,%lld)",
                         got, total, p[0], p[1], p[2]);
            else if (stop == DP_GSCAN_UNEVEN)
                snprintf(what, sizeof what, "ends after %lld of %lld values (point %lld,%lld,%lld): "
                         "line %ld has %d numbers where the block's lines have %d, and more "
                         "follow", got, total, p[0], p[1], p[2], res.uneven_line,
                         res.uneven_count, res.per_line);
            else
                snprintf(what, sizeof what, "has \"%s\", not a number, at value %lld of %lld "
                         "(point %lld,%lld,%lld)", res.token, got + 1, total, p[0], p[1], p[2]);
            if (b == 0) {
                dp_fail(s->err, DP_ERR_FORMAT, "%s: grid %s, line %ld", s->path, what, s->line);
                goto fail;
            }
            snprintf(run->status.missing, sizeof run->status.missing, "%s block %d (%s) %s",
                     "magnetisation", b, block_name(b, expected), what);
            run->status.break_line = s->line;
            dp_run_warn(run, "%s: line %ld: the %s block (grid %d, from line %ld) %s: "
                        "magnetisation not read", s->path, s->line, block_name(b, expected),
                        b + 1, block_line, what);
            free(blocks[b]);
            blocks[b] = NULL;
            break;
        }
        nblocks++;
    }
    g->values = blocks[0];
    int nmag = nblocks - 1;
    if (nmag == 2)
        nmag = 0; /* m_x and m_y of a noncollinear file, m_z missing */
    if (nmag != nblocks - 1 && !run->status.missing[0]) {
        snprintf(run->status.missing, sizeof run->status.missing, "noncollinear magnetisation "
                 "blocks: %d of 3 in the file", nblocks - 1);
        dp_run_warn(run, "%s: %d magnetisation block(s) where a noncollinear file has 3: "
                    "magnetisation not read", s->path, nblocks - 1);
    }
    for (int b = 1; b < 4; b++) {
        if (b <= nmag)
            g->mag[b - 1] = blocks[b];
        else
            free(blocks[b]);
    }
    g->nmag = nmag;
    run->status.complete = run->status.missing[0] == '\0';
    run->has_grid = true;
    return DP_OK;
fail:
    for (int b = 0; b < 4; b++)
        free(blocks[b]);
    return s->err->code;
}

dp_status dp_chgcar_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    dp_error local;
    if (!err)
        err = &local;
    /* the structure: the POSCAR reader reads the header (species from the file, from
     * opts->species or a POTCAR beside it) and stops at the blank line after it */
    dp_read_opts popts = opts ? *opts : (dp_read_opts){0};
    popts.progress = NULL;
    dp_run *run = NULL;
    dp_status st = dp_poscar_read(path, &popts, &run, err);
    if (st)
        return st;
    snprintf(run->program, sizeof run->program, "vasp");
    const char *b = base_name(path);
    bool potential = has_prefix(b, "LOCPOT"), elf = has_prefix(b, "ELFCAR");
    snprintf(run->grid.quantity, sizeof run->grid.quantity, "%s",
             potential ? "potential" : elf ? "elf" : "density");
    snprintf(run->grid.format, sizeof run->grid.format, "chgcar");
    run->status.complete = false;

    dp_gscan s;
    if ((st = dp_gscan_open(&s, path, 1 << 20, err)) != DP_OK) {
        dp_run_free(run);
        return st;
    }
    if (opts) {
        s.progress = opts->progress;
        s.progress_ud = opts->progress_ud;
    }
    char l[LINE_CAP];
    long natoms = 0;
    int rc = skip_poscar_header(&s, l, &natoms);
    if (rc < 0)
        st = err->code;
    else if (rc == 0 || natoms != run->natoms) /* not reached: dp_poscar_read read it */
        st = dp_fail(err, DP_ERR_FORMAT, "%s: line %ld: the POSCAR header ends early", path,
                     s.line);
    if (!st) {
        double volume = fabs(dp_lattice_det(run->frames[0].lattice));
        long long bound = 0;
        if (s.fsize > 0)
            bound = gzdirect(s.f) ? s.fsize / 2 : s.fsize / 2 * GZIP_MAX_RATIO + 1;
        st = read_blocks(&s, run, opts, !potential && !elf, volume, bound);
    }
    dp_gscan_close(&s);
    if (st) {
        dp_run_free(run);
        return st;
    }
    *out = run;
    return DP_OK;
}
