/* The Gaussian cube reader: small cubes written here (Bohr and Å units, an MO cube,
 * species order, hostile headers, cuts at every byte, gzip), and the three pp.x cubes of
 * ../shared/data/qe/Fe2_O2_chg_* (80³, QE 6.7).
 * usage: test_cube TESTDATA_DIR SHARED_DATA_DIR REFERENCE_DIR
 *
 * Where an expected number comes from:
 *   [gen]   the values this file writes (hand calculation beside each check)
 *   [file]  the text of the file, line given
 *   [pw]    pw.out of the same run: "number of electrons" and the "site n." positions
 *           (alat units; alat = celldm(1) bohr)
 */
#include "dftpost.h"
#include "test_util.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define BOHR 0.529177210903 /* Å, CODATA 2018, as the reader */

/* A 2 × 3 × 4 cube; value(i, j, k) = 100 i + 10 j + k; sign -1 for Å units. */
static size_t make_cube(char *buf, size_t size, int sign, bool mo, int nmo, int drop)
{
    size_t u = 0;
#define OUT(...) u += (size_t)snprintf(buf + u, size - u, __VA_ARGS__)
    OUT(" test cube\n second comment line\n");
    OUT("%5d%12.6f%12.6f%12.6f\n", mo ? -3 : 3, 0.1, 0.2, 0.3);
    OUT("%5d%12.6f%12.6f%12.6f\n", 2 * sign, 0.5, 0.0, 0.0);
    OUT("%5d%12.6f%12.6f%12.6f\n", 3 * sign, 0.0, 0.6, 0.0);
    OUT("%5d%12.6f%12.6f%12.6f\n", 4 * sign, 0.0, 0.0, 0.7);
    OUT("%5d%12.6f%12.6f%12.6f%12.6f\n", 26, 8.0, 0.6, 0.8, 1.0);
    OUT("%5d%12.6f%12.6f%12.6f%12.6f\n", 8, 8.0, 0.1, 0.2, 0.3);
    OUT("%5d%12.6f%12.6f%12.6f%12.6f\n", 26, 8.0, 1.1, 2.0, 3.1);
    if (mo) {
        OUT("%5d", nmo);
        for (int k = 0; k < nmo; k++)
            OUT("%5d", 7 + k);
        OUT("\n");
    }
    int n = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++) {
                if (n >= 24 - drop)
                    break;
                OUT("%13.5E", 100.0 * i + 10 * j + k);
                if (++n % 6 == 0)
                    OUT("\n");
            }
    if (n % 6)
        OUT("\n");
#undef OUT
    return u;
}

static void synthetic(void)
{
    char buf[8192];
    size_t n = make_cube(buf, sizeof buf, 1, false, 0, 0);
    write_file(tpath("a.cube"), buf, n);
    dp_run *r = read_ok(tpath("a.cube"), NULL);
    if (r) {
        CHECK(!strcmp(r->program, "cube") && r->has_grid && r->natoms == 3);
        CHECK(r->grid.n[0] == 2 && r->grid.n[1] == 3 && r->grid.n[2] == 4);
        CHECK(!strcmp(r->grid.quantity, "density"));
        /* [gen] lattice = n × voxel, Bohr → Å */
        CHECK_NEAR(r->grid.lattice[0][0], 1.0 * BOHR, 1e-12);
        CHECK_NEAR(r->grid.lattice[1][1], 1.8 * BOHR, 1e-12);
        CHECK_NEAR(r->grid.lattice[2][2], 2.8 * BOHR, 1e-12);
        CHECK_NEAR(r->grid.lattice[0][1], 0.0, 0);
        CHECK_NEAR(r->grid.origin[2], 0.3 * BOHR, 1e-12);
        /* [gen] value (1, 2, 3) = 123 e/bohr³, index (1·3 + 2)·4 + 3 = 23 */
        CHECK_NEAR(r->grid.values[23], 123.0 / (BOHR * BOHR * BOHR), 1e-9);
        CHECK_NEAR(r->grid.values[6], 12.0 / (BOHR * BOHR * BOHR), 1e-9);
        /* [gen] species in file order: Fe, O, Fe → three entries, atom order kept */
        CHECK(r->ntypes == 3 && !strcmp(r->species[0].symbol, "Fe") &&
              !strcmp(r->species[1].symbol, "O") && !strcmp(r->species[2].symbol, "Fe"));
        CHECK(r->atom_type[0] == 0 && r->atom_type[1] == 1 && r->atom_type[2] == 2);
        CHECK_NEAR(r->species[0].zval, 8.0, 0); /* charge 8 ≠ Z 26: a valence */
        CHECK(isnan(r->species[1].zval));       /* charge 8 = Z: not one */
        /* [gen] atom 1 at origin + (0.5, 0.6, 0.7) bohr = (1/2, 1/3, 1/4) of the cell */
        CHECK(r->nframes == 1);
        CHECK_NEAR(r->frames[0].frac[0][0], 0.5, 1e-9);
        CHECK_NEAR(r->frames[0].frac[0][1], 1.0 / 3, 1e-9);
        CHECK_NEAR(r->frames[0].frac[0][2], 0.25, 1e-9);
        CHECK_NEAR(r->frames[0].frac[1][0], 0.0, 1e-9);
        CHECK_NEAR(r->frames[0].frac[2][2], 1.0, 1e-9);
        dp_run_free(r);
    }
    /* the same, gzip */
    gzFile g = gzopen(tpath("a.cube.gz"), "wb");
    gzwrite(g, buf, (unsigned)n);
    gzclose(g);
    r = read_ok(tpath("a.cube.gz"), NULL);
    if (r) {
        CHECK(r->has_grid);
        CHECK_NEAR(r->grid.values[23], 123.0 / (BOHR * BOHR * BOHR), 1e-9);
        dp_run_free(r);
    }
    /* Å units: no conversion */
    n = make_cube(buf, sizeof buf, -1, false, 0, 0);
    write_file(tpath("b.cube"), buf, n);
    r = read_ok(tpath("b.cube"), NULL);
    if (r) {
        CHECK_NEAR(r->grid.lattice[2][2], 2.8, 1e-12);
        CHECK_NEAR(r->grid.values[23], 123.0, 1e-12);
        CHECK_NEAR(r->grid.origin[0], 0.1, 1e-12);
        dp_run_free(r);
    }
    /* an MO cube with one orbital; with two: refused */
    n = make_cube(buf, sizeof buf, 1, true, 1, 0);
    write_file(tpath("mo.cube"), buf, n);
    r = read_ok(tpath("mo.cube"), NULL);
    if (r) {
        CHECK(!strcmp(r->grid.quantity, "orbital 7"));
        CHECK_NEAR(r->grid.values[23], 123.0 / pow(BOHR, 1.5), 1e-9);
        dp_run_free(r);
    }
    dp_error err;
    n = make_cube(buf, sizeof buf, 1, true, 2, 0);
    write_file(tpath("mo2.cube"), buf, n);
    CHECK(read_status(tpath("mo2.cube"), NULL, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "2 orbitals");
    /* values that end early: the grid point named */
    n = make_cube(buf, sizeof buf, 1, false, 0, 3);
    write_file(tpath("short.cube"), buf, n);
    CHECK(read_status(tpath("short.cube"), NULL, &err) == DP_ERR_INCOMPLETE);
    CHECK_STR_CONTAINS(err.msg, "short.cube");
    CHECK_STR_CONTAINS(err.msg, "after 21 of 24");
    CHECK_STR_CONTAINS(err.msg, "grid point (2, 3, 2)");
    /* extra values: a warning */
    n = make_cube(buf, sizeof buf, 1, false, 0, 0);
    snprintf(buf + n, sizeof buf - n, "  1.0\n");
    write_file(tpath("long.cube"), buf, strlen(buf));
    r = read_ok(tpath("long.cube"), NULL);
    if (r) {
        CHECK(has_warning(r, "ignored what follows"));
        dp_run_free(r);
    }
    /* garbage among the values */
    n = make_cube(buf, sizeof buf, 1, false, 0, 0);
    char *p = strstr(buf, "1.00000E+01");
    if (p)
        memcpy(p, "1.0000xE+01", 11);
    write_file(tpath("garbage.cube"), buf, n);
    CHECK(read_status(tpath("garbage.cube"), NULL, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 10");
    CHECK_STR_CONTAINS(err.msg, "grid point (1, 2, 1)");
    /* hostile headers: refused before any allocation */
    const char *heads[][2] = {
        {"c\nc\n 1 0 0 0\n 100000 1 0 0\n 100000 0 1 0\n 100000 0 0 1\n 1 1 0 0 0\n 1.0\n",
         "more than dftpost reads"},
        {"c\nc\n 1 0 0 0\n 1000 1 0 0\n 1000 0 1 0\n 1000 0 0 1\n 1 1 0 0 0\n 1.0\n",
         "cannot fit"},
        {"c\nc\n 1 0 0 0\n 0 1 0 0\n 2 0 1 0\n 2 0 0 1\n 1 1 0 0 0\n 1.0\n", "line 4"},
        {"c\nc\n 1 0 0 0\n 2 1 0 0\n -2 0 1 0\n 2 0 0 1\n 1 1 0 0 0\n 1.0\n", "mix"},
        {"c\nc\n 1 0 0 0 2\n 1 1 0 0\n 1 0 1 0\n 1 0 0 1\n 1 1 0 0 0\n 1.0\n", "2 values"},
        {"c\nc\n 1 0 0 0\n 1 1 0 0\n 1 1 0 0\n 1 0 0 1\n 1 1 0 0 0\n 1.0\n", "no volume"},
        {"c\nc\n 2.5 0 0 0\n 1 1 0 0\n 1 0 1 0\n 1 0 0 1\n 1 1 0 0 0\n 1.0\n", "natoms"},
        {"c\nc\n 1 0 0 0\n 1 1 0 0\n 1 0 1 0\n 1 0 0 1\n", "line 7"},
    };
    for (size_t k = 0; k < sizeof heads / sizeof *heads; k++) {
        write_file(tpath("h.cube"), heads[k][0], strlen(heads[k][0]));
        dp_run *rr = NULL;
        dp_status st = dp_cube_read(tpath("h.cube"), NULL, &rr, &err);
        CHECK(st != DP_OK && rr == NULL);
        CHECK_STR_CONTAINS(err.msg, heads[k][1]);
    }
    /* the same hostile grid in a gzip file (no size to check): no huge allocation */
    g = gzopen(tpath("h.cube.gz"), "wb");
    gzputs(g, heads[1][0]);
    gzclose(g);
    CHECK(read_status(tpath("h.cube.gz"), NULL, &err) == DP_ERR_INCOMPLETE);
    CHECK_STR_CONTAINS(err.msg, "after 1 of 1000000000");
    /* cut at every byte: no crash; an error until the last value has begun */
    n = make_cube(buf, sizeof buf, 1, false, 0, 0);
    size_t last = (size_t)(strstr(buf, "1.23000E+02") - buf);
    int wrong = 0;
    for (size_t cut = 0; cut < n; cut++) {
        write_file(tpath("cut.cube"), buf, cut);
        dp_run *rr = NULL;
        dp_status st = dp_cube_read(tpath("cut.cube"), NULL, &rr, &err);
        if ((cut < last && st == DP_OK) || (st != DP_OK && rr))
            wrong++;
        dp_run_free(rr);
    }
    CHECK(wrong == 0);
}

/* ---- the pp.x cubes of shared/data/qe ------------------------------------------------ */

static void real_cube(const char *data, const char *kase, double electrons, int nel_line)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/qe/%s/%s_rho.cube", data, kase, kase);
    dp_run *r = read_ok(p, NULL);
    if (!r)
        return;
    dp_grid *g = &r->grid;
    CHECK(g->n[0] == 80 && g->n[1] == 80 && g->n[2] == 80);
    /* [file] line 4: 80 0.236216 bohr: the cell is 80 × 0.236216 = 18.89728 bohr */
    CHECK_NEAR(g->lattice[0][0], 80 * 0.236216 * BOHR, 1e-9);
    double lat[3][3]; /* a copy: gcc 12 -O2 -fsanitize takes g->lattice for one 24-byte row */
    memcpy(lat, g->lattice, sizeof lat);
    double vol = dp_lattice_det(lat) / (80.0 * 80 * 80), sum = 0;
    for (size_t i = 0; i < 512000; i++)
        sum += g->values[i];
    /* [pw] number of electrons (pseudo valence density, augmentation included) */
    printf("%s: ∫ρ = %.6f electrons (pw.out line %d: %.2f)\n", kase, sum * vol, nel_line,
           electrons);
    CHECK_NEAR(sum * vol, electrons, 0.01);
    /* pp.x writes the atomic numbers in the charge column: ZVAL unknown, not Z */
    for (int t = 0; t < r->ntypes; t++)
        CHECK(isnan(r->species[t].zval));
    CHECK(!has_warning(r, "atomic numbers"));
    dp_run_free(r);
}

static void real(const char *data)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/qe/Fe2_O2_chg_AB/Fe2_O2_chg_AB_rho.cube", data);
    dp_run *r = read_ok(p, NULL);
    if (!r)
        return;
    const double b3 = BOHR * BOHR * BOHR;
    /* [file] line 11 starts with -0.64121E-05; line 89610 ends with -0.98234E-05 */
    CHECK_NEAR(r->grid.values[0], -0.64121e-5 / b3, 1e-15);
    CHECK_NEAR(r->grid.values[511999], -0.98234e-5 / b3, 1e-15);
    /* [file] line 12 = values 6..11: its first is -0.14546E-04 */
    CHECK_NEAR(r->grid.values[6], -0.14546e-4 / b3, 1e-15);
    CHECK(r->natoms == 4 && r->ntypes == 2 && !strcmp(r->species[1].symbol, "O"));
    /* [pw] pw.out lines 52, 110-113: celldm(1) = 18.897261 bohr, tau in alat units; the
     * cube's cell is the alat cube, so fractional = tau */
    static const double tau[4][3] = {{0.4025502, 0.5, 0.4098906},
                                     {0.5974498, 0.5, 0.4098906},
                                     {0.4281311, 0.5, 0.5901094},
                                     {0.5718689, 0.5, 0.5901094}};
    double cart[4][3];
    dp_frame_cartesian(&r->frames[0], 4, cart);
    double worst = 0;
    for (int a = 0; a < 4; a++)
        for (int k = 0; k < 3; k++) {
            double want = tau[a][k] * 18.897261 * BOHR;
            CHECK_NEAR(cart[a][k], want, 2e-5);
            CHECK_NEAR(r->frames[0].frac[a][k], tau[a][k], 1e-6);
            if (fabs(cart[a][k] - want) > worst)
                worst = fabs(cart[a][k] - want);
        }
    printf("cube atoms vs pw.out: largest deviation %.2g Å\n", worst);
    /* the pw.x reader, where it works, gives the same positions */
    snprintf(p, sizeof p, "%s/qe/Fe2_O2_chg_AB/pw.out", data);
    dp_run *pw = NULL;
    dp_error err;
    if (dp_read(p, NULL, &pw, &err) == DP_OK && pw->nframes && pw->natoms == 4) {
        double pc[4][3];
        dp_frame_cartesian(&pw->frames[pw->nframes - 1], 4, pc);
        for (int a = 0; a < 4; a++)
            for (int k = 0; k < 3; k++)
                CHECK_NEAR(cart[a][k], pc[a][k], 1e-4);
    } else {
        printf("note: pw.out not read (%s): positions checked against its text only\n",
               pw ? "no frame" : err.msg);
    }
    dp_run_free(pw);
    dp_run_free(r);
    real_cube(data, "Fe2_O2_chg_AB", 28.0, 42);
    real_cube(data, "Fe2_O2_chg_Fe2", 16.0, 41);
    real_cube(data, "Fe2_O2_chg_O2", 12.0, 41);
}

int main(int argc, char **argv)
{
    if (!make_tmpdir())
        return 1;
    synthetic();
    struct stat st;
    char p[1024];
    snprintf(p, sizeof p, "%s/qe/Fe2_O2_chg_AB", argc >= 3 ? argv[2] : "");
    bool shared = argc >= 3 && stat(p, &st) == 0;
    if (shared)
        real(argv[2]);
    remove_tmpdir();
    if (!shared)
        printf("SKIP (partly): %s/qe is absent; the real-file checks need ../shared\n",
               argc >= 3 ? argv[2] : "SHARED_DATA_DIR");
    return check_report();
}
