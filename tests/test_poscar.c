/* The POSCAR/CONTCAR reader: the synthetic files of testdata/vasp/FeCo-N6 (written by
 * scripts/make-testdata-vasprun from the same numbers as its vasprun.xml), small
 * files written here (negative and three scale factors, VASP 4 with a POTCAR,
 * overlapping atoms, hostile input), and real files from ../shared/data/real.
 * usage: test_poscar TESTDATA_DIR SHARED_DATA_DIR
 *
 * Where an expected number comes from:
 *   [ASE]  Debian python3-ase 3.22.1 run with /usr/bin/python3:
 *          a = ase.io.read(path, format="vasp"); a.get_scaled_positions(wrap=False),
 *          a.get_volume(), a.cell, a.constraints (gzip files read through gzip.open)
 *   [gen]  the generator's numbers (scripts/make-testdata-vasprun, feco(): Cartesian
 *          positions / (12, 12, 15))
 *   [hand] worked out in the comment next to the check
 */
#include "check.h"
#include "dftpost.h"
#include "test_util.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Reads text written to a temporary POSCAR; returns the status, err filled. */
static dp_status read_text(const char *text, const dp_read_opts *o, dp_run **r, dp_error *err)
{
    char p[512];
    snprintf(p, sizeof p, "%s/POSCAR", tmpdir);
    write_text(p, text);
    *r = NULL;
    return dp_poscar_read(p, o, r, err);
}

static dp_status text_err(const char *text, dp_error *err)
{
    dp_run *r;
    dp_status st = read_text(text, NULL, &r, err);
    dp_run_free(r);
    if (st != DP_OK && !strstr(err->msg, tmpdir)) {
        fprintf(stderr, "error does not name the file: %s\n", err->msg);
        check_failed++;
    }
    return st;
}

static double volume(const double L[3][3])
{
    return L[0][0] * (L[1][1] * L[2][2] - L[1][2] * L[2][1]) -
           L[0][1] * (L[1][0] * L[2][2] - L[1][2] * L[2][0]) +
           L[0][2] * (L[1][0] * L[2][1] - L[1][1] * L[2][0]);
}

static void synthetic(const char *td)
{
    char p[1024];
    dp_error err;
    snprintf(p, sizeof p, "%s/vasp/FeCo-N6/CONTCAR", td);
    dp_run *c = read_ok(p, NULL);
    if (!c)
        return;
    char formula[64];
    dp_run_formula(c, formula, sizeof formula);
    CHECK(!strcmp(formula, "FeCoN6") && !strcmp(c->program, "POSCAR"));
    CHECK(c->natoms == 8 && c->ntypes == 3 && c->nframes == 1 && c->first_frame_step == -1);
    CHECK(c->status.complete && c->nwarnings == 0 && c->frames[0].movable == NULL);
    CHECK(c->nsteps == 0 && !c->has_dos && c->frames[0].forces == NULL);
    CHECK_NEAR(c->frames[0].lattice[2][2], 15.0, 0);                  /* [gen] */
    CHECK_NEAR(volume(c->frames[0].lattice), 2160.0, 1e-9);            /* [ASE] get_volume() */
    CHECK_NEAR(c->frames[0].frac[0][0], 0.4000000000000001, 1e-15);    /* [ASE] 4.8/12 */
    CHECK_NEAR(c->frames[0].frac[7][1], 0.3666666666666667, 1e-15);    /* [ASE] 4.4/12 */
    CHECK_NEAR(c->frames[0].frac[7][0], 0.7000000000000001, 1e-15);    /* [ASE] 8.4/12 */

    /* the VASP 4 POSCAR beside it: no species line, no POTCAR */
    snprintf(p, sizeof p, "%s/vasp/FeCo-N6/POSCAR", td);
    dp_run *r = NULL;
    CHECK(dp_read(p, NULL, &r, &err) == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, p);
    CHECK_STR_CONTAINS(err.msg, "line 6: a VASP 4 POSCAR does not name its species");
    CHECK_STR_CONTAINS(err.msg, "--species");
    dp_read_opts sp = {.species = "Fe Co N"};
    r = read_ok(p, &sp);
    if (r) {
        /* scale 3.0, Cartesian positions / 3: the same structure as the CONTCAR [gen] */
        dp_run_formula(r, formula, sizeof formula);
        CHECK(!strcmp(formula, "FeCoN6") && r->species[2].count == 6);
        CHECK_NEAR(r->frames[0].lattice[0][0], 12.0, 1e-12);
        int worst = 0;
        for (int i = 0; i < 8; i++)
            for (int k = 0; k < 3; k++)
                if (fabs(r->frames[0].frac[i][k] - c->frames[0].frac[i][k]) > 1e-12)
                    worst++;
        CHECK(worst == 0);
        /* Selective dynamics: metals F F F, N T T F (the generator's flags) */
        CHECK(r->frames[0].movable != NULL);
        if (r->frames[0].movable) {
            CHECK(!r->frames[0].movable[0][0] && !r->frames[0].movable[1][2]);
            CHECK(r->frames[0].movable[2][0] && r->frames[0].movable[2][1] &&
                  !r->frames[0].movable[2][2]);
            CHECK(r->frames[0].movable[7][1] && !r->frames[0].movable[7][2]);
        }
        CHECK(isnan(r->species[0].zval));
    }
    dp_run_free(r);
    /* counts in the species list are checked against the file's */
    dp_read_opts sp_ok = {.species = "Fe1 Co1 N6"}, sp_bad = {.species = "Fe Co N5"},
                 sp_short = {.species = "Fe Co"};
    r = read_ok(p, &sp_ok);
    dp_run_free(r);
    r = NULL;
    CHECK(dp_read(p, &sp_bad, &r, &err) == DP_ERR_USAGE && !r);
    CHECK_STR_CONTAINS(err.msg, "the file has 6 atoms of species 3, the species list says N5");
    CHECK(dp_read(p, &sp_short, &r, &err) == DP_ERR_USAGE && !r);
    CHECK_STR_CONTAINS(err.msg, "3 atom counts, the species list \"Fe Co\" names 2 species");
    dp_run_free(c);
}

static void written_here(void)
{
    dp_run *r;
    dp_error err;
    char p[512];

    /* Negative scale = the cell volume: |det| = 6, so the factor is cbrt(48 / 6) = 2
     * (pymatgen 2022.11.7 Poscar gives this lattice, diag 2, 4, 6); Cartesian positions
     * are scaled by it too (VASP wiki, POSCAR: "the ion positions are scaled with this
     * factor"), so (1, 1, 1) -> (2, 2, 2) -> fractional (1, 1/2, 1/3) [hand]. (pymatgen
     * 2022.11.7 scales them by -48 instead, ASE 3.22.1 takes -48 as a plain factor:
     * neither is a reference here.) */
    const char *neg = "negative scale\n  -48.0\n 1 0 0\n 0 2 0\n 0 0 3\n Fe O\n 1 1\nCartesian\n"
                      " 0 0 0\n 1.0 1.0 1.0\n";
    CHECK(read_text(neg, NULL, &r, &err) == DP_OK);
    if (r) {
        CHECK_NEAR(r->frames[0].lattice[0][0], 2.0, 1e-12);
        CHECK_NEAR(r->frames[0].lattice[1][1], 4.0, 1e-12);
        CHECK_NEAR(r->frames[0].lattice[2][2], 6.0, 1e-12);
        CHECK_NEAR(volume(r->frames[0].lattice), 48.0, 1e-9);
        CHECK_NEAR(r->frames[0].frac[1][0], 1.0, 1e-12);
        CHECK_NEAR(r->frames[0].frac[1][1], 0.5, 1e-12);
        CHECK_NEAR(r->frames[0].frac[1][2], 1.0 / 3.0, 1e-12);
    }
    dp_run_free(r);

    /* Three scale factors scale the x, y, z Cartesian components (VASP wiki, POSCAR):
     * rows (1,0,0) (0,1,0) (0.5,0.5,1) -> (2,0,0) (0,3,0) (1,1.5,4), volume 24; the
     * Cartesian (0.5, 0.5, 0.5) -> (1, 1.5, 2): f3 = 2/4 = 0.5, 2 f1 + 0.5 = 1,
     * 3 f2 + 0.75 = 1.5, so (0.25, 0.25, 0.5) [hand; ASE 3.22.1 ignores the 2nd and
     * 3rd factor]. "Fe_pv" keeps "Fe". */
    const char *three = "three scales\n 2.0 3.0 4.0\n 1 0 0\n 0 1 0\n 0.5 0.5 1\n Fe_pv\n 2\n"
                        "cartesian\n 0 0 0\n 0.5 0.5 0.5\n";
    CHECK(read_text(three, NULL, &r, &err) == DP_OK);
    if (r) {
        CHECK(!strcmp(r->species[0].symbol, "Fe"));
        CHECK_NEAR(r->frames[0].lattice[1][1], 3.0, 1e-12);
        CHECK_NEAR(r->frames[0].lattice[2][1], 1.5, 1e-12);
        CHECK_NEAR(volume(r->frames[0].lattice), 24.0, 1e-12);
        CHECK_NEAR(r->frames[0].frac[1][0], 0.25, 1e-12);
        CHECK_NEAR(r->frames[0].frac[1][1], 0.25, 1e-12);
        CHECK_NEAR(r->frames[0].frac[1][2], 0.5, 1e-12);
    }
    dp_run_free(r);

    /* VASP 6 species with hashes, "sel" selective dynamics, "k" Cartesian, labels after
     * the flags, a velocities block that is ignored */
    const char *v6 = "vasp6\n1.0\n 5 0 0\n 0 5 0\n 0 0 5\n Ni/5e1a2b3c   O_s/ff00\n 1 1\n"
                     "sel\nK\n 0 0 0 T F T Ni\n 2.5 2.5 2.5 F F F O\n\n 0.1 0.2 0.3\n 0 0 0\n";
    CHECK(read_text(v6, NULL, &r, &err) == DP_OK);
    if (r) {
        CHECK(!strcmp(r->species[0].symbol, "Ni") && !strcmp(r->species[1].symbol, "O"));
        CHECK(r->frames[0].movable && r->frames[0].movable[0][0] && !r->frames[0].movable[0][1]);
        CHECK_NEAR(r->frames[0].frac[1][2], 0.5, 1e-12);
    }
    dp_run_free(r);

    /* VASP 4 with a POTCAR beside it: TITEL gives the species, POMASS/ZVAL the rest */
    snprintf(p, sizeof p, "%s/POTCAR", tmpdir);
    write_text(p, "  PAW_PBE Fe_pv 02Aug2007\n 14.0000000000000000\n parameters from PSCTR are:\n"
                  "   VRHFIN =Fe: 3p4s3d\n   TITEL  = PAW_PBE Fe_pv 02Aug2007\n"
                  "   POMASS =   55.847; ZVAL   =   14.000    mass and valenz\n"
                  " End of Dataset\n  PAW_PBE N 08Apr2002\n   VRHFIN =N: s2p3\n"
                  "   TITEL  = PAW_PBE N 08Apr2002\n"
                  "   POMASS =   14.001; ZVAL   =    5.000    mass and valenz\n End of Dataset\n");
    const char *v4 = "FeN\n 4.0\n 1 0 0\n 0 1 0\n 0 0 1\n 1 1\nDirect\n 0 0 0\n 0.5 0.5 0.5\n";
    CHECK(read_text(v4, NULL, &r, &err) == DP_OK);
    if (r) {
        CHECK(!strcmp(r->species[0].symbol, "Fe") && !strcmp(r->species[1].symbol, "N"));
        CHECK_NEAR(r->species[0].zval, 14.0, 0);
        CHECK_NEAR(r->species[1].mass, 14.001, 1e-12);
        CHECK(!strcmp(r->species[0].potential, "PAW_PBE Fe_pv 02Aug2007"));
        CHECK_NEAR(r->frames[0].lattice[2][2], 4.0, 0);
    }
    dp_run_free(r);
    /* an explicit species list wins over the POTCAR */
    dp_read_opts sp = {.species = "Co O"};
    CHECK(read_text(v4, &sp, &r, &err) == DP_OK && r && !strcmp(r->species[0].symbol, "Co"));
    dp_run_free(r);
    /* a POTCAR with VRHFIN only */
    write_text(p, "  US Ni\n   VRHFIN =Ni: d9 s1\n End of Dataset\n  US O\n   VRHFIN =O: s2p4\n");
    CHECK(read_text(v4, NULL, &r, &err) == DP_OK && r && !strcmp(r->species[0].symbol, "Ni") &&
          !strcmp(r->species[1].symbol, "O"));
    dp_run_free(r);
    write_text(p, "   TITEL  = PAW_PBE Fe 06Sep2000\n");
    CHECK(text_err(v4, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "the file has 2 atom counts, the POTCAR beside it");
    unlink(p);

    /* overlapping atoms: x = 0.01 and 0.99 of a 10 Å cell are 0.2 Å apart through the
     * boundary (minimum image) [hand] — a warning, not an error */
    const char *ov = "overlap\n1.0\n 10 0 0\n 0 10 0\n 0 0 10\n Fe C\n 2 1\nDirect\n"
                     " 0.01 0.5 0.5\n 0.99 0.5 0.5\n 0.5 0.5 0.5\n";
    CHECK(read_text(ov, NULL, &r, &err) == DP_OK);
    CHECK(r && r->nwarnings == 1);
    if (r && r->nwarnings) {
        CHECK_STR_CONTAINS(r->warnings[0], "atoms 1 (Fe) and 2 (Fe) are 0.200 Å apart");
        CHECK_STR_CONTAINS(r->warnings[0], "1 pair(s)");
    }
    dp_run_free(r);

    /* The cell list against brute force: 3000 atoms in a skewed cell, a few placed
     * close to others (some across the boundary). Pairs closer than 0.5 Å are counted
     * here by trying all pairs and the 27 images of each. */
    {
        enum { N = 3000 };
        static double f[N][3];
        double L[3][3] = {{20, 0, 0}, {6, 18, 0}, {2, 3, 25}};
        unsigned s = 7;
        for (int i = 0; i < N; i++)
            for (int k = 0; k < 3; k++)
                f[i][k] = ((s = s * 1103515245u + 12345u) >> 8 & 0xFFFF) / 65536.0;
        for (int i = 0; i < 40; i++) { /* 40 near-copies, shifted by ~0.01-0.04 */
            int j = 100 + 50 * i;
            for (int k = 0; k < 3; k++)
                f[j][k] = f[i][k] + 0.001 * (1 + i % 4) * (k == 0 ? 1 : -1);
            if (i % 5 == 0)
                f[j][0] += 1.0; /* the same point through a periodic image */
        }
        long brute = 0;
        for (int i = 0; i < N; i++)
            for (int j = i + 1; j < N; j++) {
                double best = INFINITY;
                double d0[3];
                for (int k = 0; k < 3; k++)
                    d0[k] = f[j][k] - f[i][k] - round(f[j][k] - f[i][k]);
                for (int a = -1; a <= 1; a++)
                    for (int b = -1; b <= 1; b++)
                        for (int cc = -1; cc <= 1; cc++) {
                            double d[3] = {d0[0] + a, d0[1] + b, d0[2] + cc}, x[3];
                            for (int k = 0; k < 3; k++)
                                x[k] = d[0] * L[0][k] + d[1] * L[1][k] + d[2] * L[2][k];
                            double r2 = x[0] * x[0] + x[1] * x[1] + x[2] * x[2];
                            if (r2 < best)
                                best = r2;
                        }
                if (best < 0.25)
                    brute++;
            }
        size_t cap = 200 + (size_t)N * 80;
        char *text = malloc(cap), *w = text;
        w += sprintf(w, "many\n1.0\n");
        for (int i = 0; i < 3; i++)
            w += sprintf(w, " %.1f %.1f %.1f\n", L[i][0], L[i][1], L[i][2]);
        w += sprintf(w, " Pt\n %d\nDirect\n", N);
        for (int i = 0; i < N; i++)
            w += sprintf(w, " %.17g %.17g %.17g\n", f[i][0], f[i][1], f[i][2]);
        CHECK(read_text(text, NULL, &r, &err) == DP_OK);
        char want[64];
        snprintf(want, sizeof want, "%ld pair(s)", brute);
        CHECK(brute >= 40);
        CHECK(r && r->nwarnings == 1);
        if (r && r->nwarnings)
            CHECK_STR_CONTAINS(r->warnings[0], want);
        dp_run_free(r);
        free(text);
    }
}

static void hostile(void)
{
    dp_error err;
    const char *head = "x\n1.0\n 3 0 0\n 0 3 0\n 0 0 3\n Fe O\n";

    CHECK(text_err("", &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "file is empty");

    char buf[2048];
#define WITH(tail) (snprintf(buf, sizeof buf, "%s%s", head, tail), buf)
    /* fewer positions than the counts say: the line where the next was due */
    CHECK(text_err(WITH(" 2 1\nDirect\n 0 0 0\n 0.5 0.5 0.5\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 11: the file ends after 2 of the 3 atom positions");
    /* more */
    CHECK(text_err(WITH(" 1 1\nDirect\n 0 0 0\n 0.5 0.5 0.5\n 0.2 0.2 0.2\n"), &err) ==
          DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 11: another position after the 2 atoms");
    /* a blank line inside the positions */
    CHECK(text_err(WITH(" 2 1\nDirect\n 0 0 0\n\n 0.5 0.5 0.5\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 10: atom 2: expected a position");
    /* species and counts disagree */
    CHECK(text_err(WITH(" 2 1 1\nDirect\n 0 0 0\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 7: 3 atom counts for the 2 species");
    /* not numbers, NaN, infinity, Fortran overflow */
    CHECK(text_err(WITH(" 1 1\nDirect\n 0 0 0\n nan 0.5 0.5\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 10: atom 2: expected a position");
    CHECK(text_err(WITH(" 1 1\nDirect\n 0 0 1e999\n 0 0.5 0.5\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 9: atom 1: position is not finite");
    CHECK(text_err("x\n1.0\n 3 0 0\n 0 three 0\n 0 0 3\n Fe\n 1\nDirect\n 0 0 0\n", &err) ==
          DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 4: lattice vector 2: expected three numbers");
    CHECK(text_err("x\n****\n 3 0 0\n 0 3 0\n 0 0 3\n Fe\n 1\nDirect\n 0 0 0\n", &err) ==
          DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 2: expected one scale factor or three");
    CHECK(text_err("x\n0.0\n 3 0 0\n 0 3 0\n 0 0 3\n Fe\n 1\nDirect\n 0 0 0\n", &err) ==
          DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 2: bad scale factor 0");
    /* a singular lattice */
    CHECK(text_err("x\n1.0\n 3 0 0\n 0 3 0\n 6 6 0\n Fe\n 1\nDirect\n 0 0 0\n", &err) ==
          DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 5: the lattice vectors are linearly dependent");
    /* absurd counts are refused before anything is allocated */
    CHECK(text_err(WITH(" 99999999 1\nDirect\n 0 0 0\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 7: atom count 99999999 is out of range");
    CHECK(text_err(WITH(" 9000000 9000000\nDirect\n 0 0 0\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "add up to more than 10000000 atoms");
    CHECK(text_err(WITH(" 1 -1\nDirect\n 0 0 0\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "out of range");
    CHECK(text_err(WITH(" 1 1.5\nDirect\n 0 0 0\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "expected atom counts (whole numbers), found \"1.5\"");
    /* not an element */
    CHECK(text_err("x\n1.0\n 3 0 0\n 0 3 0\n 0 0 3\n Fe Qq\n 1 1\nDirect\n 0 0 0\n 1 1 1\n",
                   &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 6: \"Qq\" is not an element symbol");
    /* the mode line is missing: a position where "Direct" belongs */
    CHECK(text_err(WITH(" 1 1\n 0 0 0\n 0.5 0.5 0.5\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 8: expected \"Direct\" or \"Cartesian\", found \"0\"");
    /* bad selective-dynamics flags */
    CHECK(text_err(WITH(" 1 1\nSelective\nDirect\n 0 0 0 T T\n 0.5 0.5 0.5 T T T\n"), &err) ==
          DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 10: atom 1: expected three T/F selective-dynamics flags");
    /* the file ends early in the header */
    CHECK(text_err("x\n1.0\n 3 0 0\n", &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 4: the file ends where lattice vector 2 should be");
    CHECK(text_err(WITH(" 1 1\n"), &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 8: the file ends where \"Direct\" or \"Cartesian\"");
    /* a very long line: cut, read as far as it goes */
    {
        size_t n = 100000;
        char *t = malloc(n + 200);
        strcpy(t, "long comment ");
        memset(t + 13, 'x', n);
        strcpy(t + 13 + n, "\n1.0\n 3 0 0\n 0 3 0\n 0 0 3\n Fe\n 1\nDirect\n 0 0 0\n");
        dp_run *r;
        CHECK(read_text(t, NULL, &r, &err) == DP_OK && r && r->natoms == 1);
        dp_run_free(r);
        free(t);
    }
    /* random bytes */
    unsigned char junk[4096];
    unsigned s = 99;
    for (size_t i = 0; i < sizeof junk - 1; i++)
        junk[i] = (unsigned char)(((s = s * 1103515245u + 12345u) >> 16) | 1);
    junk[sizeof junk - 1] = 0;
    CHECK(text_err((const char *)junk, &err) == DP_ERR_FORMAT);
    /* a corrupt gzip stream */
    {
        char p[512];
        snprintf(p, sizeof p, "%s/bad.gz", tmpdir);
        unsigned char gz[64] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
        memcpy(gz + 10, junk, sizeof gz - 10);
        FILE *f = fopen(p, "wb");
        fwrite(gz, 1, sizeof gz, f);
        fclose(f);
        dp_run *r = NULL;
        CHECK(dp_poscar_read(p, NULL, &r, &err) != DP_OK && !r);
        CHECK_STR_CONTAINS(err.msg, p);
    }
    CHECK(dp_poscar_read("/nonexistent/POSCAR", NULL, &(dp_run *){NULL}, &err) == DP_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/POSCAR: cannot open");
#undef WITH
}

/* Every prefix of a file, cut at a line end or inside a line: an error that names the
 * file and a line, or (cut after the last position) the whole structure. Never a
 * crash (the sanitizer build runs this too). */
static void truncations(const char *path)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return;
    static char whole[1 << 16];
    int n = gzread(g, whole, sizeof whole - 1);
    gzclose(g);
    CHECK(n > 0);
    if (n <= 0)
        return;
    char cut[512];
    snprintf(cut, sizeof cut, "%s/cut", tmpdir);
    int ok = 0, refused = 0, badmsg = 0;
    for (int len = 0; len < n; len += 1 + len / 40) {
        FILE *f = fopen(cut, "wb");
        fwrite(whole, 1, (size_t)len, f);
        fclose(f);
        dp_run *r = NULL;
        dp_error err = {0};
        dp_status st = dp_poscar_read(cut, NULL, &r, &err);
        if (st == DP_OK)
            ok++;
        else if (!strstr(err.msg, cut) || (len > 0 && !strstr(err.msg, ": line ")))
            badmsg++, fprintf(stderr, "bad message at %d: %s\n", len, err.msg);
        else
            refused++;
        dp_run_free(r);
    }
    printf("%s: %d prefixes read, %d refused with file and line\n", path, ok, refused);
    CHECK(badmsg == 0 && refused > 0);
}

static void real_files(const char *shared)
{
    char p[1024];
    dp_run *r;

    /* SAC_HOER_data CONTCAR (VASP 5, 130 atoms, skewed cell, velocities block) [ASE] */
    snprintf(p, sizeof p, "%s/real/SAC_HOER_data/RawData/0N0_Ag_OOH/CONTCAR", shared);
    r = read_ok(p, NULL);
    if (r) {
        char formula[64];
        dp_run_formula(r, formula, sizeof formula);
        CHECK(r->natoms == 130 && !strcmp(formula, "AgHC126O2") && r->nwarnings == 0);
        CHECK_NEAR(volume(r->frames[0].lattice), 10062.4108048858, 1e-6);
        CHECK_NEAR(r->frames[0].lattice[1][0], -9.94039909196182, 1e-12);
        CHECK_NEAR(r->frames[0].lattice[1][2], 0.022838791650295, 1e-14);
        CHECK_NEAR(r->frames[0].frac[0][0], 0.4373543110006159, 1e-15);
        CHECK_NEAR(r->frames[0].frac[129][2], 0.5055149443918318, 1e-15);
        CHECK(!strcmp(r->species[3].symbol, "O") && r->species[2].count == 126);
    }
    dp_run_free(r);

    /* vaspy FePc.vasp: Selective dynamics, only atom 33 (Fe) fixed (ASE 3.22.1:
     * constraints [FixAtoms(indices=[32])]) [ASE] */
    snprintf(p, sizeof p, "%s/real/vaspy/FePc.vasp", shared);
    r = read_ok(p, NULL);
    if (r) {
        CHECK(r->natoms == 57 && r->frames[0].movable != NULL);
        int fixed = 0, first = -1;
        for (int i = 0; r->frames[0].movable && i < 57; i++)
            if (!r->frames[0].movable[i][0] && !r->frames[0].movable[i][1] &&
                !r->frames[0].movable[i][2])
                fixed++, first = first < 0 ? i : first;
        CHECK(fixed == 1 && first == 32);
        CHECK(!strcmp(r->species[r->atom_type[32]].symbol, "Fe"));
        CHECK_NEAR(volume(r->frames[0].lattice), 8000.0, 1e-9);
        CHECK_NEAR(r->frames[0].frac[56][0], 0.8818108239068513, 1e-15);
    }
    dp_run_free(r);

    /* pyiron H2O POSCAR: Cartesian; atom 2 at x = -0.7 Å stays -0.07 (not wrapped);
     * ASE get_scaled_positions(wrap=False)[0] = 0.06999999999999999 [ASE] */
    snprintf(p, sizeof p, "%s/real/pyiron_atomistics/bader_test_H2O/POSCAR", shared);
    r = read_ok(p, NULL);
    if (r) {
        CHECK(r->natoms == 3 && !strcmp(r->species[1].symbol, "O"));
        CHECK_NEAR(r->frames[0].frac[0][0], 0.07, 1e-15);
        CHECK_NEAR(r->frames[0].frac[1][0], -0.07, 1e-15);
        CHECK_NEAR(volume(r->frames[0].lattice), 1000.0, 1e-9);
    }
    dp_run_free(r);

    /* LobsterPy: gzip, lowercase "direct", element labels after the positions [ASE] */
    snprintf(p, sizeof p, "%s/real/LobsterPy/BaTiO3/CONTCAR.gz", shared);
    r = read_ok(p, NULL);
    if (r) {
        CHECK(r->natoms == 5 && !strcmp(r->species[1].symbol, "Ti"));
        CHECK_NEAR(volume(r->frames[0].lattice), 67.9703270192, 1e-9);
        CHECK_NEAR(r->frames[0].frac[4][2], 0.973753, 1e-15);
    }
    dp_run_free(r);
    snprintf(p, sizeof p, "%s/real/LobsterPy/AlN_v51/POSCAR.lobster.vasp.gz", shared);
    r = read_ok(p, NULL);
    if (r) {
        CHECK(r->natoms == 4 && r->ntypes == 2);
        CHECK_NEAR(volume(r->frames[0].lattice), 42.5272830782, 1e-9);
        CHECK_NEAR(r->frames[0].frac[3][2], 0.380713, 1e-15);
    }
    dp_run_free(r);
    for (int k = 0; k < 2; k++) {
        snprintf(p, sizeof p, "%s/real/LobsterPy/%s/CONTCAR.gz", shared,
                 k ? "NaCl_spin" : "NaCl_comp_range");
        r = read_ok(p, NULL);
        CHECK(r && r->natoms == 2 && !strcmp(r->species[1].symbol, "Cl"));
        dp_run_free(r);
    }

    /* An empty CONTCAR, as a killed run leaves (SAC_HOER_data 2N2_W_OH) */
    snprintf(p, sizeof p, "%s/real/SAC_HOER_data/RawData/2N2_W_OH/CONTCAR", shared);
    dp_error err;
    r = NULL;
    CHECK(dp_read(p, NULL, &r, &err) == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "file is empty");

    /* All SAC_HOER_data CONTCARs: 700 directories, one without a CONTCAR and one
     * with an empty one (PROVENANCE.md): 698 read, none with overlapping atoms */
    int nread = 0, nfail = 0, nwarn = 0, nabsent = 0;
    snprintf(p, sizeof p, "%s/real/SAC_HOER_data/RawData", shared);
    DIR *dir = opendir(p);
    for (struct dirent *de; dir && (de = readdir(dir));) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/real/SAC_HOER_data/RawData/%s/CONTCAR", shared, de->d_name);
        struct stat sb;
        if (stat(p, &sb) != 0) {
            nabsent++;
            continue;
        }
        r = NULL;
        if (dp_read(p, NULL, &r, &err) == DP_OK) {
            nread++;
            nwarn += r->nwarnings;
        } else {
            nfail++;
        }
        dp_run_free(r);
    }
    if (dir)
        closedir(dir);
    printf("SAC_HOER_data: %d CONTCARs read, %d refused, %d absent, %d warnings\n", nread, nfail,
           nabsent, nwarn);
    CHECK(nread + nfail + nabsent == 700);
    CHECK(nread == 698 && nfail == 1 && nabsent == 1 && nwarn == 0);

    snprintf(p, sizeof p, "%s/real/SAC_HOER_data/RawData/0N0_Ag_OOH/CONTCAR", shared);
    truncations(p);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_poscar TESTDATA_DIR SHARED_DATA_DIR\n");
        return 2;
    }
    if (!make_tmpdir())
        return 1;
    char p[1024];
    synthetic(argv[1]);
    written_here();
    hostile();
    snprintf(p, sizeof p, "%s/vasp/FeCo-N6/CONTCAR", argv[1]);
    truncations(p);
    struct stat st;
    if (stat(argv[2], &st) == 0)
        real_files(argv[2]);
    else
        printf("SKIP (partly): %s is absent; real-file checks need ../shared\n", argv[2]);
    remove_tmpdir();
    return check_report();
}
