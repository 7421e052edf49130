/* CHGCAR-type reader, grid writers and the charge-density difference.
 * usage: test_chgcar TESTDATA_DIR SHARED_DIR   (tests/reference is TESTDATA_DIR/../tests/reference)
 *
 * Where an expected number comes from:
 *   [gen]       the small files this test writes: value of file index m (x fastest) is
 *               m + 1, so point (i, j, k) of an n0 × n1 × n2 grid holds
 *               (i + n0·j + n0·n1·k + 1) / V_cell after the reader's division (hand calc.)
 *   [strtod]    glibc's strtod, the correctly rounded conversion
 *   [pymatgen]  tests/reference/chgcar.tsv, scripts/reference/pymatgen_chgcar.py
 *               (pymatgen 2022.11.7 Chgcar.from_file; numpy for the QE chgdiff rows)
 *   [analytic]  Poisson's equation for a cosine charge wave, and the dipole of two sheets
 */
#include "../analysis/chgdiff.h"
#include "../parsers/chgcar.h"
#include "dftpost.h"
#include "test_util.h"

#include <math.h>
#include <stdint.h>

/* ---- the number scanner ----------------------------------------------------- */

static void test_numbers(void)
{
    static const char *const fixed[] = {
        "0.15229118148E+03", "-.76001653512E-02", "0.5849736E-25",   "1.0",
        "-5",                ".5",                "0.12345678901234567E+05", "1e-300",
        "9.999999999999999E+22", "123456789012345678", "0.0E+00", "-0.000000000000E+00",
        "4.9406564584124654E-324", "1.7976931348623157E+308", "2.2250738585072014E-308"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        double v = -1;
        size_t n = dp_gscan_number(fixed[i], strlen(fixed[i]), &v);
        CHECK(n == strlen(fixed[i]));
        double w = strtod(fixed[i], NULL); /* [strtod] */
        CHECK(memcmp(&v, &w, sizeof v) == 0);
    }
    /* Fortran spellings [strtod of the C spelling] */
    double v;
    CHECK(dp_gscan_number("1.5D+02", 7, &v) == 7 && v == 150.0);
    CHECK(dp_gscan_number("0.1234-100", 10, &v) == 10 && v == strtod("0.1234E-100", NULL));
    CHECK(dp_gscan_number("0.5+003", 7, &v) == 7 && v == 500.0);
    /* not numbers */
    static const char *const bad[] = {"abc", "1.2.3", "1E", "1E+", "*****", "nan", "inf",
                                      "-", ".", "1.5x", "0x10", "1E999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(dp_gscan_number(bad[i], strlen(bad[i]), &v) == 0);
    /* 200000 random values in the formats VASP and others write, bit for bit [strtod] */
    uint64_t s = 12345;
    static const char *const fmts[] = {"%.11E", "%.5E", "%.16E", "%.7f", "%.12e", "%.3E"};
    long mismatches = 0;
    for (int i = 0; i < 200000; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double mant = (double)(s >> 11) / 9007199254740992.0;
        int ex = (int)((s >> 3) % 64) - 40;
        double x = (s & 1 ? -1 : 1) * mant * pow(10, ex);
        char tok[64];
        snprintf(tok, sizeof tok, fmts[i % 6], x);
        double got = 0, want = strtod(tok, NULL);
        if (dp_gscan_number(tok, strlen(tok), &got) != strlen(tok) ||
            memcmp(&got, &want, sizeof got) != 0) {
            if (mismatches++ < 5)
                fprintf(stderr, "number \"%s\": %.17g, strtod %.17g\n", tok, got, want);
        }
    }
    CHECK(mismatches == 0);
}

/* ---- small files ------------------------------------------------------------ */

typedef struct {
    bool vasp4, chg, spin, ncl, aug, cut_mag;
    int drop;        /* values left out of the total block */
    const char *grid_line;
    const char *junk; /* replaces value 5 */
} gen_opts;

/* A CHGCAR of Li2 in a 2 × 2 × 2 Å cube (V = 8) on a 2 × 3 × 4 grid. */
static char *make_chgcar(const gen_opts *o)
{
    size_t size = 1 << 16, u = 0;
    char *buf = malloc(size);
#define OUT(...) u += (size_t)snprintf(buf + u, size - u, __VA_ARGS__)
    OUT("Li2 test\n   1.00000000000000\n");
    OUT("     2.000000    0.000000    0.000000\n     0.000000    2.000000    0.000000\n"
        "     0.000000    0.000000    2.000000\n");
    if (!o->vasp4)
        OUT("   Li\n");
    OUT("     2\nDirect\n  0.000000  0.000000  0.000000\n  0.500000  0.500000  0.500000\n \n");
    OUT("%s\n", o->grid_line ? o->grid_line : "    2    3    4");
    int nblocks = 1 + (o->spin ? 1 : 0) + (o->ncl ? 3 : 0);
    int per_line = o->chg ? 10 : 5;
    for (int b = 0; b < nblocks; b++) {
        if (b > 0) {
            OUT(o->chg ? " 0.100E+01 0.200E+01\n" : "   0.100000000000E+01   0.200000000000E+01\n");
            OUT("    2    3    4\n");
        }
        int nv = b == 0 ? 24 - o->drop : (o->cut_mag && b == nblocks - 1 ? 13 : 24);
        for (int m = 0; m < nv; m++) {
            double x = (b == 0 ? 1 : -(double)b) * (m + 1);
            if (b == 0 && m == 4 && o->junk)
                OUT(" %s", o->junk);
            else
                OUT(o->chg ? " %.5E" : " %17.11E", x);
            if (m % per_line == per_line - 1 || m == nv - 1)
                OUT("\n");
        }
        if (o->aug && !o->chg)
            OUT("augmentation occupancies   1  3\n  0.1E+00  0.2E+00  0.3E+00\n"
                "augmentation occupancies   2  3\n  0.1E+00  0.2E+00  0.3E+00\n");
    }
#undef OUT
    return buf;
}

static dp_run *read_text(const char *name, const char *text, const dp_read_opts *o, dp_error *err,
                         dp_status *st)
{
    write_text(tpath(name), text);
    dp_run *r = NULL;
    *st = dp_read(tpath(name), o, &r, err);
    return r;
}

/* Point (i, j, k) of the [gen] grid holds (i + 2 j + 6 k + 1)·sign / div. */
static bool grid_is(const double *v, double sign, double div)
{
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++)
                if (v[(i * 3 + j) * 4 + k] != sign * (i + 2 * j + 6 * k + 1) / div)
                    return false;
    return true;
}

static void test_small(void)
{
    dp_error err;
    dp_status st;
    dp_run *r;
    char *t;

    /* VASP 5 CHGCAR with augmentation, no spin [gen] */
    t = make_chgcar(&(gen_opts){.aug = true});
    r = read_text("CHGCAR", t, NULL, &err, &st);
    CHECK(st == DP_OK && r);
    if (r) {
        CHECK(r->has_grid && r->grid.n[0] == 2 && r->grid.n[1] == 3 && r->grid.n[2] == 4);
        CHECK(grid_is(r->grid.values, 1, 8)); /* transposed, ÷ V = 8 Å³ */
        CHECK(r->grid.nmag == 0 && r->natoms == 2 && !strcmp(r->species[0].symbol, "Li"));
        CHECK(!strcmp(r->grid.quantity, "density") && !strcmp(r->grid.format, "chgcar"));
        CHECK(r->status.complete && r->nframes == 1);
        CHECK_NEAR(r->frames[0].frac[1][2], 0.5, 0);
    }
    dp_run_free(r);
    /* same file under another name: found by its content; as .gz too */
    r = read_text("grid.vasp", t, NULL, &err, &st);
    CHECK(st == DP_OK && r && r->has_grid && grid_is(r->grid.values, 1, 8));
    dp_run_free(r);
    write_gz_bytes(tpath("grid.vasp.gz"), t, strlen(t));
    r = NULL;
    CHECK(dp_read(tpath("grid.vasp.gz"), NULL, &r, &err) == DP_OK && r &&
          grid_is(r->grid.values, 1, 8));
    dp_run_free(r);
    /* LOCPOT and ELFCAR: values as written */
    r = read_text("LOCPOT", t, NULL, &err, &st);
    CHECK(st == DP_OK && r && !strcmp(r->grid.quantity, "potential") &&
          grid_is(r->grid.values, 1, 1));
    dp_run_free(r);
    r = read_text("ELFCAR", t, NULL, &err, &st);
    CHECK(st == DP_OK && r && !strcmp(r->grid.quantity, "elf"));
    dp_run_free(r);
    free(t);

    /* ISPIN=2: magnetisation block after the moment line; grid_total_only skips it */
    t = make_chgcar(&(gen_opts){.aug = true, .spin = true});
    r = read_text("CHGCAR_spin", t, NULL, &err, &st);
    CHECK(st == DP_OK && r && r->grid.nmag == 1 && grid_is(r->grid.values, 1, 8) &&
          grid_is(r->grid.mag[0], -1, 8) && r->status.complete);
    dp_run_free(r);
    dp_read_opts tot = {.grid_total_only = true};
    r = read_text("CHGCAR_spin", t, &tot, &err, &st);
    CHECK(st == DP_OK && r && r->grid.nmag == 0 && !r->grid.mag[0] &&
          grid_is(r->grid.values, 1, 8));
    dp_run_free(r);
    free(t);
    /* the magnetisation block cut: the total kept, status incomplete, a warning */
    t = make_chgcar(&(gen_opts){.aug = true, .spin = true, .cut_mag = true});
    r = read_text("CHGCAR_cutmag", t, NULL, &err, &st);
    CHECK(st == DP_OK && r && r->grid.nmag == 0 && !r->status.complete &&
          grid_is(r->grid.values, 1, 8) && has_warning(r, "ends after 13 of 24"));
    dp_run_free(r);
    free(t);
    /* noncollinear: three blocks; CHG layout (10 a line, 6 digits) */
    t = make_chgcar(&(gen_opts){.aug = true, .ncl = true});
    r = read_text("CHGCAR_ncl", t, NULL, &err, &st);
    CHECK(st == DP_OK && r && r->grid.nmag == 3 && grid_is(r->grid.mag[2], -3, 8));
    dp_run_free(r);
    free(t);
    t = make_chgcar(&(gen_opts){.chg = true, .spin = true});
    r = read_text("CHG", t, NULL, &err, &st);
    CHECK(st == DP_OK && r && r->grid.nmag == 1 && grid_is(r->grid.values, 1, 8) &&
          grid_is(r->grid.mag[0], -1, 8));
    dp_run_free(r);
    free(t);

    /* VASP 4: species from opts->species, else an error naming --species */
    t = make_chgcar(&(gen_opts){.vasp4 = true});
    dp_read_opts sp = {.species = "Li"};
    r = read_text("CHGCAR4", t, &sp, &err, &st);
    CHECK(st == DP_OK && r && !strcmp(r->species[0].symbol, "Li") && grid_is(r->grid.values, 1, 8));
    dp_run_free(r);
    r = read_text("CHGCAR4", t, NULL, &err, &st);
    CHECK(st != DP_OK && !r);
    CHECK_STR_CONTAINS(err.msg, "--species");
    free(t);

    /* the total block ends early: an error naming file, count and point */
    t = make_chgcar(&(gen_opts){.drop = 7});
    r = read_text("CHGCAR_short", t, NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "CHGCAR_short: grid ends after 17 of 24 values (point 2,3,3)");
    free(t);
    /* a spin file whose total ends early: the moment line and the grid line that follow
     * are numbers too, but come after a short line (1 value, line 17: 21 = 4·5 + 1) */
    t = make_chgcar(&(gen_opts){.drop = 3, .spin = true});
    r = read_text("CHGCAR_short2", t, NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "ends after 21 of 24 values (point 2,2,4): line 17 has 1 "
                       "numbers where the block's lines have 5");
    free(t);
    /* more values than the grid says, on the last line */
    t = make_chgcar(&(gen_opts){.grid_line = "2 3 3"});
    r = read_text("CHGCAR_long", t, NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "more numbers than the grid size 2 × 3 × 3 says");
    free(t);
    /* junk in the values, absurd and bad grid lines */
    t = make_chgcar(&(gen_opts){.junk = "0.1E+0x"});
    r = read_text("CHGCAR_junk", t, NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "\"0.1E+0x\", not a number, at value 5 of 24 (point 1,3,1)");
    free(t);
    static const struct {
        const char *line, *msg;
    } grids[] = {{"100000 100000 100000", "more than dftpost reads"},
                 {"1000 1000 1000", "cannot fit in a file of"},
                 {"200000 1 1", "more than 100000"},
                 {"99999999999999999999 1 1", "expected the grid size"},
                 {"2 3", "expected the grid size"},
                 {"0 3 4", "expected the grid size"},
                 {"-2 3 4", "expected the grid size"},
                 {"2.0 3.0 4.0", "expected the grid size"}};
    for (size_t i = 0; i < sizeof grids / sizeof *grids; i++) {
        t = make_chgcar(&(gen_opts){.grid_line = grids[i].line});
        r = read_text("CHGCAR_grid", t, NULL, &err, &st);
        CHECK(st == DP_ERR_FORMAT && !r);
        CHECK_STR_CONTAINS(err.msg, grids[i].msg);
        /* the gzip bound (1032-fold expansion at most) */
        write_gz_bytes(tpath("CHGCAR_grid.gz"), t, strlen(t));
        r = NULL;
        CHECK(dp_read(tpath("CHGCAR_grid.gz"), NULL, &r, &err) != DP_OK && !r);
        free(t);
    }
    /* a CONTCAR (blank line, then velocities) stays a structure */
    const char *contcar = "Li2\n1.0\n2 0 0\n0 2 0\n0 0 2\nLi\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n"
                          "\n  0.00000000E+00  0.00000000E+00  0.00000000E+00\n"
                          "  0.00000000E+00  0.00000000E+00  0.00000000E+00\n";
    r = read_text("structure.vasp", contcar, NULL, &err, &st);
    CHECK(st == DP_OK && r && !r->has_grid && r->natoms == 2 && !strcmp(r->program, "POSCAR"));
    dp_run_free(r);
    CHECK(!dp_chgcar_sniff(tpath("structure.vasp")));
    CHECK(dp_chgcar_name("a/b/CHGCAR.gz") && dp_chgcar_name("AECCAR2") && dp_chgcar_name("CHG") &&
          dp_chgcar_name("x/PARCHG.0012.ALLK") && !dp_chgcar_name("CHGX") &&
          !dp_chgcar_name("CHGCAR/POSCAR"));
}

/* ---- the writers: read → write → read ---------------------------------------- */

static double max_rel(const double *a, const double *b, size_t n)
{
    double amax = 0, d = 0;
    for (size_t i = 0; i < n; i++)
        amax = fmax(amax, fabs(a[i]));
    for (size_t i = 0; i < n; i++)
        d = fmax(d, fabs(a[i] - b[i]) / fmax(fabs(a[i]), 1e-300));
    return amax > 0 ? d : 0;
}

static void round_trip(const char *path)
{
    dp_run *a = read_ok(path, NULL);
    if (!a)
        return;
    size_t n = (size_t)a->grid.n[0] * a->grid.n[1] * a->grid.n[2];
    dp_error err;
    CHECK(dp_grid_write_chgcar(a, &a->grid, tpath("rt.vasp"), &err) == DP_OK);
    dp_run *b = read_ok(tpath("rt.vasp"), NULL);
    if (b) {
        CHECK(b->grid.n[0] == a->grid.n[0] && b->grid.n[1] == a->grid.n[1] &&
              b->grid.n[2] == a->grid.n[2] && b->grid.nmag == a->grid.nmag);
        CHECK(b->natoms == a->natoms && b->ntypes == a->ntypes);
        double d = max_rel(a->grid.values, b->grid.values, n);
        for (int m = 0; m < a->grid.nmag && m < b->grid.nmag; m++) {
            double dm = 0;
            for (size_t i = 0; i < n; i++) /* relative to the block's largest value */
                dm = fmax(dm, fabs(a->grid.mag[m][i] - b->grid.mag[m][i]));
            double mm = 0;
            for (size_t i = 0; i < n; i++)
                mm = fmax(mm, fabs(a->grid.mag[m][i]));
            CHECK(dm <= 1e-10 * mm);
        }
        if (!(d <= 1e-10))
            fprintf(stderr, "%s: CHGCAR round trip differs by %g relative\n", path, d);
        CHECK(d <= 1e-10); /* 12 significant digits written */
        CHECK_NEAR(b->frames[0].frac[0][2], a->frames[0].frac[0][2], 1e-15);
    }
    dp_run_free(b);
    CHECK(dp_grid_write_cube(a, &a->grid, tpath("rt.cube"), &err) == DP_OK);
    b = read_ok(tpath("rt.cube"), NULL);
    if (b) {
        double d = max_rel(a->grid.values, b->grid.values, n);
        CHECK(d <= 1e-5); /* "%13.5E": 6 significant digits */
        CHECK(!strcmp(b->grid.format, "cube") && b->natoms == a->natoms);
        CHECK_NEAR(b->grid.lattice[2][2], a->grid.lattice[2][2], 1e-5);
    }
    dp_run_free(b);
    dp_run_free(a);
}

/* ---- the pymatgen table ----------------------------------------------------- */

static void test_reference(const char *refdir, const char *shared)
{
    char path[8192], line[4096];
    snprintf(path, sizeof path, "%s/chgcar.tsv", refdir);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char *c[5];
    bool header = false;
    int rows = 0, agree[2] = {0}, total[2] = {0};
    dp_run *abr = NULL, *ar = NULL, *br = NULL;
    dp_grid diff = {0};
    dp_planar pl[3] = {0};
    while (next_reference_row(f, line, sizeof line, c, 5, &header)) {
        rows++;
        int fails = check_failed;
        const char *q = c[1], *idx = c[2];
        double v = strtod(c[3], NULL);
        if (!strcmp(c[4], "numpy")) {
            if (!abr) { /* the QE cube triple */
                char p[3][4200];
                const char *parts[] = {"AB", "Fe2", "O2"};
                for (int k = 0; k < 3; k++)
                    snprintf(p[k], sizeof p[k], "%s/data/qe/Fe2_O2_chg_%s/Fe2_O2_chg_%s_rho.cube",
                             shared, parts[k], parts[k]);
                abr = read_ok(p[0], NULL), ar = read_ok(p[1], NULL), br = read_ok(p[2], NULL);
                if (!abr || !ar || !br)
                    break;
                const dp_grid *pg[2] = {&ar->grid, &br->grid};
                const char *pn[2] = {"Fe2", "O2"};
                dp_error err;
                CHECK(dp_chgdiff(&abr->grid, "AB", pg, pn, 2, &diff, &err) == DP_OK);
                CHECK(dp_chgdiff_planar(&diff, 2, false, &pl[2], &err) == DP_OK);
                CHECK(dp_chgdiff_planar(&diff, 0, false, &pl[0], &err) == DP_OK);
            }
            int ax = idx[0] == 'a' ? 0 : 2;
            int k = idx[0] && idx[1] == ',' ? atoi(idx + 2) : -1;
            double tol = 1e-9 * fmax(fabs(v), 1e-3);
            if (!strcmp(q, "int_drho"))
                CHECK_NEAR(pl[2].integral, v, 1e-9);
            else if (!strcmp(q, "transferred"))
                CHECK_NEAR(pl[2].transferred, v, tol);
            else if (!strcmp(q, "lambda") && k >= 0 && k < pl[ax].n)
                CHECK_NEAR(pl[ax].lambda[k], v, tol);
            else if (!strcmp(q, "dq") && k >= 0 && k < pl[ax].n)
                CHECK_NEAR(pl[ax].dq[k], v, tol);
            else if (!strcmp(q, "peak_plane"))
                CHECK(pl[ax].peak == (int)v);
            else if (!strcmp(q, "peak_dq"))
                CHECK_NEAR(pl[ax].dq[pl[ax].peak], v, tol);
            else
                CHECK(!"unknown numpy row");
            tally_reference_row(c, 1, fails, agree, total);
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", shared, c[0]);
        dp_run *r = load_cached(path, NULL);
        if (!r)
            continue;
        const dp_grid *g = &r->grid;
        long long n = (long long)g->n[0] * g->n[1] * g->n[2];
        double vol = fabs(dp_lattice_det(g->lattice));
        double rel = 1e-10 * fmax(fabs(v), 1e-300);
        int pt[3] = {-1, -1, -1};
        if (idx[0])
            sscanf(idx, "%d,%d,%d", &pt[0], &pt[1], &pt[2]);
        long long at = ((long long)pt[0] * g->n[1] + pt[1]) * g->n[2] + pt[2];
        if (!strcmp(q, "n0") || !strcmp(q, "n1") || !strcmp(q, "n2"))
            CHECK(g->n[q[1] - '0'] == (int)v);
        else if (!strcmp(q, "natoms"))
            CHECK(r->natoms == (int)v);
        else if (!strcmp(q, "volume"))
            CHECK_NEAR(vol, v, rel);
        else if (!strcmp(q, "nmag"))
            CHECK(g->nmag == (int)v);
        else if (!strcmp(q, "nelect") || !strcmp(q, "abs_mag") || !strcmp(q, "mag_sum")) {
            double s = 0;
            if (q[0] == 'n')
                for (long long i = 0; i < n; i++)
                    s += g->values[i];
            else
                for (int m = 0; m < g->nmag; m++)
                    for (long long i = 0; i < n; i++)
                        s += q[0] == 'a' ? fabs(g->mag[m][i]) : g->mag[m][i];
            CHECK_NEAR(s * vol / (double)n, v, q[0] == 'm' ? 1e-10 * fabs(v) + 1e-15 : rel);
        } else if (!strcmp(q, "total") && at >= 0 && at < n)
            CHECK_NEAR(g->values[at] * vol, v, rel);
        else if (!strcmp(q, "mag") && at >= 0 && at < n && g->nmag >= 1)
            CHECK_NEAR(g->mag[0][at] * vol, v, rel);
        else if (!strcmp(q, "mag_z") && at >= 0 && at < n && g->nmag == 3)
            CHECK_NEAR(g->mag[2][at] * vol, v, rel);
        else
            CHECK(!"row not understood");
        tally_reference_row(c, 0, fails, agree, total);
    }
    fclose(f);
    cache_clear();
    for (int k = 0; k < 3; k++)
        dp_planar_free(&pl[k]);
    free(diff.values);
    dp_run_free(abr), dp_run_free(ar), dp_run_free(br);
    printf("reference: %d rows; agree: pymatgen %d/%d, numpy %d/%d\n", rows, agree[0], total[0],
           agree[1], total[1]);
    CHECK(rows > 150 && total[1] > 20 && agree[0] == total[0] && agree[1] == total[1]);
}

/* ---- cuts at many byte offsets ----------------------------------------------- */

/* Every cut either fails with a message naming the file, or reads a total equal to the
 * whole file's (never a silently wrong value). */
static void sweep(const char *path, size_t step, bool gz)
{
    dp_run *full = read_ok(path, NULL);
    if (!full)
        return;
    size_t n = 0;
    char *raw = slurp_raw(path, &n);
    CHECK(raw != NULL);
    if (!raw) {
        dp_run_free(full);
        return;
    }
    size_t m;
    size_t *lens = cut_lengths(n, step, n, &m);
    int ok = 0, failed = 0, partial = 0;
    size_t npts = (size_t)full->grid.n[0] * full->grid.n[1] * full->grid.n[2];
    for (size_t i = 0; i < m; i++) {
        const char *name = gz ? "cut.gz" : "CHGCAR_cut";
        write_file(tpath(name), raw, lens[i]);
        dp_run *r = NULL;
        dp_error err;
        dp_status st = dp_chgcar_read(tpath(name), NULL, &r, &err);
        if (st != DP_OK) {
            failed++;
            CHECK(!r && strstr(err.msg, name));
            continue;
        }
        ok++;
        CHECK(r->grid.n[0] == full->grid.n[0] &&
              memcmp(r->grid.values, full->grid.values, npts * sizeof(double)) == 0);
        if (r->grid.nmag < full->grid.nmag) {
            partial++;
            CHECK(r->grid.nmag == 0);
        } else if (r->grid.nmag) {
            CHECK(memcmp(r->grid.mag[0], full->grid.mag[0], npts * sizeof(double)) == 0);
        }
        dp_run_free(r);
    }
    printf("sweep %s: %zu cuts, %d read (%d without magnetisation), %d failed\n", path, m, ok,
           partial, failed);
    CHECK(failed > 0 && ok > 0);
    free(lens);
    free(raw);
    dp_run_free(full);
}

/* ---- chgdiff on made-up grids [analytic] ------------------------------------------ */

static void test_chgdiff(void)
{
    const int n0 = 4, n1 = 3, n2 = 32;
    const double L[3] = {3.0, 2.0, 16.0};
    dp_grid g = {.n = {n0, n1, n2}};
    for (int k = 0; k < 3; k++)
        g.lattice[k][k] = L[k];
    size_t np = (size_t)n0 * n1 * n2;
    g.values = calloc(np, sizeof(double));
    /* Δρ = A cos(2π z / L_c): ∇²φ = 4π k_e Δρ → φ = −4π k_e A cos(Gz) / G², G = 2π/L_c */
    const double A = 0.01, G = 2 * M_PI / L[2];
    for (size_t i = 0; i < np; i++)
        g.values[i] = A * cos(G * (double)(i % n2) * L[2] / n2);
    dp_planar p;
    dp_error err;
    CHECK(dp_chgdiff_planar(&g, 2, true, &p, &err) == DP_OK);
    double ke = dp_coulomb_constant();
    /* e/(4πε0) in V·Å from GSL's CODATA 2006 constants: 1.602176487e-19 C /
     * (4π · 8.854187817e-12 F/m) · 1e10 = 14.3996441 (CODATA 2018: 14.3996454) */
    CHECK_NEAR(ke, 14.39964415, 1e-7);
    for (int k = 0; k < n2; k++) {
        double z = k * L[2] / n2;
        CHECK_NEAR(p.z[k], z, 1e-12);
        CHECK_NEAR(p.lambda[k], A * cos(G * z) * L[0] * L[1], 1e-12); /* λ = Δρ·A */
        CHECK_NEAR(p.dphi[k], -4 * M_PI * ke * A * cos(G * z) / (G * G), 1e-9);
    }
    CHECK_NEAR(p.integral, 0, 1e-12);
    CHECK_NEAR(p.transferred, 0.5 * A * L[0] * L[1] * L[2] * 2 / M_PI, 1e-3 * A * 100);
    dp_planar_free(&p);
    /* two sheets: +1 e of electrons at plane 8 (z = 4 Å), −1 e at plane 16 (z = 8 Å):
     * charge −Δρ: −1 at 4 Å, +1 at 8 Å → p = +4 e·Å; ΔΦ = −4π k_e p / A, A = 6 Å² */
    memset(g.values, 0, np * sizeof(double));
    double dv = L[0] * L[1] * L[2] / (double)np;
    for (int i = 0; i < n0; i++)
        for (int j = 0; j < n1; j++) {
            g.values[((size_t)i * n1 + j) * n2 + 8] = 1.0 / (n0 * n1 * dv);
            g.values[((size_t)i * n1 + j) * n2 + 16] = -1.0 / (n0 * n1 * dv);
        }
    CHECK(dp_chgdiff_planar(&g, 2, true, &p, &err) == DP_OK);
    CHECK_NEAR(p.dipole, 4.0, 1e-12);
    CHECK_NEAR(p.dwork, -4 * M_PI * ke * 4.0 / 6.0, 1e-9);
    CHECK_NEAR(p.dq[8], 1.0, 1e-12);
    CHECK_NEAR(p.dq[16], 0.0, 1e-12);
    CHECK(p.peak == 8);
    CHECK_NEAR(p.transferred, 1.0, 1e-12);
    dp_planar_free(&p);
    /* axis a: 4 planes of area 2 × 16 */
    CHECK(dp_chgdiff_planar(&g, 0, false, &p, &err) == DP_OK);
    CHECK(p.n == 4 && p.dphi == NULL);
    CHECK_NEAR(p.area, 32.0, 1e-12);
    CHECK_NEAR(p.dq[3], 0.0, 1e-12);
    dp_planar_free(&p);
    /* mismatches */
    dp_grid h = g;
    h.n[2] = 30;
    dp_grid out;
    const dp_grid *parts[1] = {&h};
    const char *names[1] = {"B.cube"};
    CHECK(dp_chgdiff(&g, "AB", parts, names, 1, &out, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "AB has 4 × 3 × 32 points, B.cube 4 × 3 × 30");
    h.n[2] = 32;
    h.lattice[2][2] = 16.001;
    CHECK(dp_chgdiff(&g, "AB", parts, names, 1, &out, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "lattice vector c of AB");
    h.lattice[2][2] = 16.00005; /* within 1e-4 Å */
    CHECK(dp_chgdiff(&g, "AB", parts, names, 1, &out, &err) == DP_OK);
    for (size_t i = 0; i < np; i++)
        if (out.values[i] != 0)
            CHECK(!"Δρ of a grid minus itself is not 0");
    free(out.values);
    CHECK(dp_chgdiff_axis("x") == 0 && dp_chgdiff_axis("b") == 1 && dp_chgdiff_axis("z") == 2 &&
          dp_chgdiff_axis("d") == -1 && dp_chgdiff_axis("cc") == -1);
    free(g.values);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_chgcar TESTDATA_DIR SHARED_DIR\n");
        return 2;
    }
    if (!make_tmpdir())
        return 1;
    test_numbers();
    test_small();
    test_chgdiff();
    char p[4096];
    snprintf(p, sizeof p, "%s/data/real/vaspy/CHGCAR_spin", argv[2]);
    FILE *probe = fopen(p, "r");
    if (!probe) {
        printf("SKIP (shared data): %s absent\n", p);
        remove_tmpdir();
        int rc = check_report();
        return rc ? rc : 77;
    }
    fclose(probe);
    static const char *const rt[] = {"data/real/vaspy/CHGCAR_spin",
                                     "data/real/bader-rs/vasp_Ni_fcc/CHGCAR_ncl",
                                     "data/real/pymatgen-core/vasp/CHGCAR.nospin.gz",
                                     "data/real/pyiron_atomistics/bader_test_H2O/AECCAR2"};
    for (size_t i = 0; i < sizeof rt / sizeof *rt; i++) {
        snprintf(p, sizeof p, "%s/%s", argv[2], rt[i]);
        round_trip(p);
    }
    char ref[4096];
    snprintf(ref, sizeof ref, "%s/../tests/reference", argv[1]);
    test_reference(ref, argv[2]);
    snprintf(p, sizeof p, "%s/data/real/vaspy/CHGCAR_spin", argv[2]);
    sweep(p, 37, false);
    snprintf(p, sizeof p, "%s/data/real/pymatgen-core/vasp/CHGCAR.nospin.gz", argv[2]);
    sweep(p, 4999, true);
    remove_tmpdir();
    return check_report();
}
