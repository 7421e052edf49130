/* The DOSCAR reader: the synthetic DOSCARs of testdata/vasp (scripts/make-testdata-
 * vasprun writes them from the same numbers as the vasprun.xml files beside them),
 * small files written here (layouts, Fortran number forms, hostile input), cuts at
 * many bytes, and the real vaspy DOSCAR_spin from ../shared/data/real.
 * usage: test_doscar TESTDATA_DIR SHARED_DATA_DIR
 *
 * Where an expected number comes from:
 *   [vasprun] the same quantity from the vasprun.xml of the same numbers, read by
 *             dp_vasprun_read (the generator writes every DOSCAR pDOS value of FeCo-N6
 *             so that it rounds to the vasprun.xml's 4-decimal number)
 *   [gen]     the generator's Gaussians (hand calculation, as in test_vasprun.c):
 *             Fe d = N(-3, 1) up + N(-1, 0.8) down -> centre -2, up -3, down -1;
 *             Co d = N(-2.5, 0.9) + N(-1.5, 0.9) -> centre -2; NiO: Ni d = N(-2, 1)
 *   [ASE]     Debian python3-ase 3.22.1 run with /usr/bin/python3:
 *             d = ase.calculators.vasp.VaspDos(path); d.energy, d.dos, d.integrated_dos,
 *             d.site_dos(atom, "dxy-up")
 *   [file]    the text of the file, line given
 */
#include "check.h"
#include "dftpost.h"
#include "test_util.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static dp_status read_err(const char *path, const dp_read_opts *o, dp_error *err)
{
    dp_run *r = NULL;
    dp_status st = dp_read(path, o, &r, err);
    CHECK(st == DP_OK || r == NULL);
    dp_run_free(r);
    return st;
}

/* d-band statistics of the atoms selected, through the library's API. */
static double band_center(const dp_run *r, const char *atoms, const char *orbs, dp_spin spin)
{
    bool *a = calloc((size_t)r->natoms, 1), o[DP_MAX_ORB];
    double *c = malloc(sizeof(double) * (size_t)r->dos.nedos);
    double *e = malloc(sizeof(double) * (size_t)r->dos.nedos);
    dp_error err;
    dp_band_stats s = {.center = NAN};
    if (!dp_select_atoms(r, atoms, a, &err) && !dp_select_orbitals(r, orbs, o, &err) &&
        !dp_pdos_sum(r, a, o, spin, c, &err)) {
        for (int i = 0; i < r->dos.nedos; i++)
            e[i] = r->dos.energy[i] - r->efermi;
        dp_band_stats_compute(e, c, r->dos.nedos, -INFINITY, INFINITY, &s, &err);
    } else {
        fprintf(stderr, "band_center: %s\n", err.msg);
    }
    free(a);
    free(c);
    free(e);
    return s.center;
}

static bool keep_fe(const dp_run *run, int atom, void *ud)
{
    (void)ud;
    return !strcmp(run->species[run->atom_type[atom]].symbol, "Fe");
}

static void feco(const char *td)
{
    char p[1024], x[1024];
    snprintf(p, sizeof p, "%s/vasp/FeCo-N6/DOSCAR.gz", td);
    snprintf(x, sizeof x, "%s/vasp/FeCo-N6/vasprun.xml.gz", td);
    dp_run *r = read_ok(p, NULL), *v = read_ok(x, NULL);
    if (!r || !v) {
        dp_run_free(r);
        dp_run_free(v);
        return;
    }
    char formula[64];
    dp_run_formula(r, formula, sizeof formula);
    /* atoms from the CONTCAR beside it */
    CHECK(!strcmp(formula, "FeCoN6") && !strcmp(r->program, "vasp (DOSCAR)"));
    CHECK(r->status.complete && r->has_dos && r->has_pdos && r->nwarnings == 0);
    CHECK(r->dos.nedos == 301 && r->dos.ncomp == 2 && r->dos.norb == 9);
    CHECK(r->params.ispin == 2 && !r->params.lnoncollinear && r->params.nedos == 301);
    CHECK(!strcmp(r->dos.orb_names[0], "s") && !strcmp(r->dos.orb_names[8], "x2-y2"));
    CHECK(r->nframes == 1 && r->first_frame_step == -1 && r->nsteps == 0);
    CHECK_NEAR(r->frames[0].frac[7][1], 4.4 / 12, 1e-15); /* [gen] */
    CHECK(r->has_efermi);
    CHECK_NEAR(r->efermi, v->efermi, 0);                   /* -2.1 [vasprun] */
    /* every number against the vasprun.xml's: energies 3 decimals vs 4 (the grid is
     * on 0.05 eV: equal), pDOS within the 4-decimal rounding, total DOS (>= 1 at
     * places) within E12.4's 4 significant digits */
    double de = 0, dp = 0, dt = 0;
    for (int i = 0; i < 301; i++) {
        de = fmax(de, fabs(r->dos.energy[i] - v->dos.energy[i]));
        for (int c = 0; c < 2; c++) {
            double a = r->dos.total[c * 301 + i], b = v->dos.total[c * 301 + i];
            dt = fmax(dt, fabs(a - b) / fmax(1.0, fabs(b)));
            a = r->dos.integrated[c * 301 + i], b = v->dos.integrated[c * 301 + i];
            dt = fmax(dt, fabs(a - b) / fmax(1.0, fabs(b)));
        }
    }
    for (int a = 0; a < 8; a++)
        for (size_t k = 0; k < 2 * 9 * 301; k++)
            dp = fmax(dp, fabs(r->dos.pdos[a][k] - v->dos.pdos[a][k]));
    CHECK(de < 1e-9);
    CHECK(dp <= 5e-5 + 1e-12);
    CHECK(dt <= 1e-3);
    printf("FeCo-N6 DOSCAR vs vasprun.xml: energy %.1e, pDOS %.1e, total (relative) %.1e\n", de,
           dp, dt);
    /* the d-band centre, through dp_select_* / dp_pdos_sum / dp_band_stats_compute */
    static const struct {
        const char *atoms;
        dp_spin spin;
        double hand;
    } bc[] = {{"Fe", DP_SPIN_TOTAL, -2.0}, {"Fe", DP_SPIN_UP, -3.0}, {"1", DP_SPIN_DOWN, -1.0},
              {"Co", DP_SPIN_TOTAL, -2.0}, {"1,2", DP_SPIN_TOTAL, -2.0}};
    for (size_t k = 0; k < sizeof bc / sizeof *bc; k++) {
        double cd = band_center(r, bc[k].atoms, "d", bc[k].spin);
        double cv = band_center(v, bc[k].atoms, "d", bc[k].spin);
        CHECK_NEAR(cd, cv, 2e-4);          /* [vasprun] */
        CHECK_NEAR(cd, bc[k].hand, 1e-3);  /* [gen] */
    }
    CHECK_NEAR(band_center(r, "Fe", "t2g", DP_SPIN_TOTAL),
               band_center(v, "Fe", "t2g", DP_SPIN_TOTAL), 2e-4);
    dp_run_free(r);

    /* keep_atom: only Fe's block is stored */
    dp_read_opts only = {.keep_atom = keep_fe};
    r = read_ok(p, &only);
    CHECK(r && r->has_pdos && r->dos.pdos[0] && !r->dos.pdos[1] && !r->dos.pdos[7]);
    if (r) {
        CHECK_NEAR(band_center(r, "Fe", "d", DP_SPIN_TOTAL),
                   band_center(v, "Fe", "d", DP_SPIN_TOTAL), 2e-4);
        bool a[8] = {false, true}, o[DP_MAX_ORB] = {true};
        double out[301];
        dp_error err;
        CHECK(dp_pdos_sum(r, a, o, DP_SPIN_TOTAL, out, &err) == DP_ERR_INCOMPLETE);
    }
    dp_run_free(r);

    /* skip_dos: what is there, without the numbers */
    dp_read_opts skip = {.skip_dos = true};
    r = read_ok(p, &skip);
    CHECK(r && r->has_dos && r->has_pdos && r->status.complete && !r->dos.energy &&
          !r->dos.pdos && r->params.ispin == 2 && r->natoms == 8);
    dp_run_free(r);

    /* the vasprun.xml as the structure: the same atoms, its parameters */
    dp_read_opts sx = {.structure = x};
    r = read_ok(p, &sx);
    CHECK(r && r->natoms == 8 && r->params.lorbit == 11 && r->nframes == 1 &&
          r->first_frame_step == 2 && r->nwarnings == 0);
    CHECK(r && r->params.ismear == 0 && fabs(r->params.sigma - 0.05) < 1e-12);
    dp_run_free(r);

    /* a structure of another size is refused */
    char other[1024];
    snprintf(other, sizeof other, "%s/vasp/NiO-lorbit10-f.xml", td);
    dp_read_opts so = {.structure = other};
    dp_error err;
    CHECK(read_err(p, &so, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 1: the DOSCAR has 8 ions");
    CHECK_STR_CONTAINS(err.msg, "has 2 atoms: not the structure of this run");
    /* a DOSCAR is not a structure */
    dp_read_opts sd = {.structure = p};
    CHECK(read_err(p, &sd, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "is a DOSCAR");

    /* alone in a directory: species from opts (a symbol without a count is one atom) */
    size_t n;
    char *whole = slurp(p, &n);
    char alone[512];
    snprintf(alone, sizeof alone, "%s/DOSCAR", tmpdir);
    write_file(alone, whole, n);
    free(whole);
    CHECK(read_err(alone, NULL, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "needs the atoms: put a CONTCAR/POSCAR beside it or pass --species");
    dp_read_opts s1 = {.species = "Fe Co N6"}, s2 = {.species = "Fe Co N"};
    r = read_ok(alone, &s1);
    CHECK(r && r->natoms == 8 && r->nframes == 0 && r->has_pdos);
    if (r)
        CHECK_NEAR(band_center(r, "Co", "d", DP_SPIN_TOTAL),
                   band_center(v, "Co", "d", DP_SPIN_TOTAL), 2e-4);
    dp_run_free(r);
    CHECK(read_err(alone, &s2, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "the DOSCAR has 8 ions, the species list \"Fe Co N\" adds up to 3");
    /* an empty CONTCAR beside it (a killed run) is skipped with a warning */
    char cc[512];
    snprintf(cc, sizeof cc, "%s/CONTCAR", tmpdir);
    write_text(cc, "");
    r = read_ok(alone, &s1);
    CHECK(r && r->natoms == 8 && r->nwarnings == 1);
    if (r && r->nwarnings)
        CHECK_STR_CONTAINS(r->warnings[0], "skipped CONTCAR beside it");
    dp_run_free(r);
    CHECK(read_err(alone, NULL, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "(CONTCAR beside it is unreadable:");
    unlink(cc);
    unlink(alone);
    dp_run_free(v);
}

static void nio(const char *td)
{
    char p[1024], x[1024];
    dp_error err;
    /* ISPIN=1, LORBIT=10 with f: 4 orbital columns */
    snprintf(p, sizeof p, "%s/vasp/NiO-lorbit10-f.DOSCAR", td);
    snprintf(x, sizeof x, "%s/vasp/NiO-lorbit10-f.xml", td);
    dp_read_opts sx = {.structure = x};
    dp_run *r = read_ok(p, &sx), *v = read_ok(x, NULL);
    if (r && v) {
        CHECK(r->dos.ncomp == 1 && r->dos.norb == 4 && r->params.lorbit == 10);
        CHECK(!strcmp(r->dos.orb_names[1], "p") && !strcmp(r->dos.orb_names[3], "f"));
        /* whole-d columns reach 3.19 states/eV: 4 significant digits in the DOSCAR */
        CHECK_NEAR(band_center(r, "Ni", "d", DP_SPIN_TOTAL),
                   band_center(v, "Ni", "d", DP_SPIN_TOTAL), 5e-4);      /* [vasprun] */
        CHECK_NEAR(band_center(r, "Ni", "d", DP_SPIN_TOTAL), -2.0, 1e-3); /* [gen] */
    }
    dp_run_free(r);
    dp_run_free(v);
    dp_read_opts sp = {.species = "Ni O"};
    r = read_ok(p, &sp);
    CHECK(r && r->natoms == 2 && r->dos.norb == 4 && r->params.lorbit == -1);
    dp_run_free(r);

    /* noncollinear LORBIT=10: 16 columns = s p d f x (total, mx, my, mz); the
     * vasprun.xml beside it (also the structure) says LNONCOLLINEAR = T */
    snprintf(p, sizeof p, "%s/vasp/NiO-ncl-lorbit10/DOSCAR", td);
    snprintf(x, sizeof x, "%s/vasp/NiO-ncl-lorbit10/vasprun.xml", td);
    r = read_ok(p, NULL);
    v = read_ok(x, NULL);
    if (r && v) {
        CHECK(r->dos.ncomp == 4 && r->dos.norb == 4 && r->params.lnoncollinear);
        CHECK(r->nwarnings == 0 && r->has_pdos && r->natoms == 2);
        CHECK(!strcmp(r->dos.orb_names[2], "d"));
        /* only the charge part of the total DOS is in a noncollinear DOSCAR */
        CHECK(!isnan(r->dos.total[5]) && isnan(r->dos.total[101 + 5]) &&
              isnan(r->dos.integrated[3 * 101 + 100]));
        CHECK_NEAR(r->dos.total[50], v->dos.total[50], 5e-4 * fmax(1, v->dos.total[50]));
        /* the charge part alone is the total; mz = 0.1 x it has the same centre [gen] */
        CHECK_NEAR(band_center(r, "Ni", "d", DP_SPIN_TOTAL), -2.0, 1e-3);
        CHECK_NEAR(band_center(r, "Ni", "d", DP_SPIN_MZ), -2.0, 1e-3);
        CHECK_NEAR(band_center(r, "Ni", "d", DP_SPIN_MZ), band_center(v, "Ni", "d", DP_SPIN_MZ),
                   5e-4);                                                 /* [vasprun] */
        bool a[2] = {true, false}, o[DP_MAX_ORB] = {false};
        double out[101];
        o[2] = true;
        CHECK(dp_pdos_sum(r, a, o, DP_SPIN_UP, out, &err) == DP_ERR_USAGE);
    }
    dp_run_free(v);
    dp_run_free(r);
    /* the same file with no vasprun.xml: 16 columns read as lm with f, ISPIN=1, and a
     * warning that says so */
    size_t n;
    char *whole = slurp(p, &n);
    char alone[512];
    snprintf(alone, sizeof alone, "%s/DOSCAR", tmpdir);
    write_file(alone, whole, n);
    free(whole);
    r = read_ok(alone, &sp);
    CHECK(r && r->dos.ncomp == 1 && r->dos.norb == 16 && r->nwarnings == 1);
    if (r) {
        CHECK(!strcmp(r->dos.orb_names[9], "fy3x2") && !strcmp(r->dos.orb_names[15], "fx3"));
        if (r->nwarnings)
            CHECK_STR_CONTAINS(r->warnings[0], "16 projected-DOS columns and no vasprun.xml");
    }
    dp_run_free(r);
    unlink(alone);
}

/* Cuts the FeCo DOSCAR at many bytes: every prefix reads as DP_OK with what was
 * complete (the whole total DOS or none, the complete ion blocks, equal to the full
 * file's) or fails with a message that names the file. */
static void truncations(const char *td)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/vasp/FeCo-N6/DOSCAR.gz", td);
    size_t n;
    char *whole = slurp(p, &n);
    CHECK(whole != NULL);
    if (!whole)
        return;
    dp_read_opts sp = {.species = "Fe Co N6"};
    dp_run *full = read_ok(p, NULL);
    char cut[512];
    snprintf(cut, sizeof cut, "%s/DOSCAR", tmpdir);
    int ok = 0, failed = 0, bad = 0, with_pdos = 0;
    const int cuts = 400;
    for (int k = 0; k <= cuts && full; k++) {
        size_t len = (size_t)((double)n * k / cuts);
        if (k == cuts)
            len = n - 1; /* the last newline missing: still complete */
        write_file(cut, whole, len);
        dp_run *r = NULL;
        dp_error err = {0};
        dp_status st = dp_read(cut, &sp, &r, &err);
        if (st == DP_OK) {
            ok++;
            if (k < cuts && r->status.complete)
                bad++, fprintf(stderr, "cut at %zu reads as complete\n", len);
            if (k == cuts && !r->status.complete)
                bad++, fprintf(stderr, "no final newline reads as incomplete: %s\n",
                               r->status.missing);
            if (!r->status.complete && (!r->status.missing[0] || !r->nwarnings))
                bad++;
            if (r->has_dos && (r->dos.nedos != 301 || r->dos.total[301 + 300] !=
                                                          full->dos.total[301 + 300]))
                bad++;
            if (r->has_pdos) {
                with_pdos++;
                for (int a = 0; a < 8; a++)
                    if (r->dos.pdos[a] && memcmp(r->dos.pdos[a], full->dos.pdos[a],
                                                 2 * 9 * 301 * sizeof(double)))
                        bad++, fprintf(stderr, "cut at %zu: ion %d differs\n", len, a + 1);
            }
        } else {
            failed++;
            if (!strstr(err.msg, cut) || st != DP_ERR_FORMAT)
                bad++, fprintf(stderr, "bad error for cut at %zu: %s\n", len, err.msg);
        }
        dp_run_free(r);
    }
    printf("DOSCAR cuts: %d read as incomplete runs (%d with some pDOS), %d refused\n", ok,
           with_pdos, failed);
    CHECK(bad == 0 && ok > cuts * 9 / 10 && with_pdos > cuts / 2);

    /* a cut inside ion 5: ions 1-4 kept, 5-8 missing and named */
    const char *at = whole;
    for (int line = 0; line < 6 + 301 + 4 * 302 + 100; line++)
        at = strchr(at, '\n') + 1;
    write_file(cut, whole, (size_t)(at - whole) + 30);
    dp_run *r = read_ok(cut, &sp);
    if (r) {
        CHECK(!r->status.complete && r->has_dos && r->has_pdos);
        CHECK(r->dos.pdos[3] && !r->dos.pdos[4] && !r->dos.pdos[7]);
        CHECK_STR_CONTAINS(r->status.missing, "projected DOS of ions 5-8 (cut off in ion 5)");
        CHECK(r->nwarnings == 1);
        if (r->nwarnings)
            CHECK_STR_CONTAINS(r->warnings[0], "incomplete file: it ends at line");
        /* Fe (ion 1) is usable; N (ion 5) says it was not read */
        CHECK_NEAR(band_center(r, "Fe", "d", DP_SPIN_TOTAL),
                   band_center(full, "Fe", "d", DP_SPIN_TOTAL), 0);
        bool a[8] = {false, false, false, false, true}, o[DP_MAX_ORB] = {true};
        double out[301];
        dp_error err;
        CHECK(dp_pdos_sum(r, a, o, DP_SPIN_TOTAL, out, &err) == DP_ERR_INCOMPLETE);
        CHECK_STR_CONTAINS(err.msg, "projected DOS of atom 5 was not read");
    }
    dp_run_free(r);
    /* skip_dos counts the same cut */
    dp_read_opts sk = {.species = "Fe Co N6", .skip_dos = true};
    r = read_ok(cut, &sk);
    CHECK(r && !r->status.complete && r->has_dos && !r->has_pdos);
    if (r)
        CHECK_STR_CONTAINS(r->status.missing, "(cut off in ion 5)");
    dp_run_free(r);
    /* a cut in the total DOS: no DOS at all */
    write_file(cut, whole, 2000);
    r = read_ok(cut, &sp);
    CHECK(r && !r->status.complete && !r->has_dos && !r->has_pdos && !r->dos.energy);
    if (r)
        CHECK_STR_CONTAINS(r->status.missing, "total DOS (cut off after");
    dp_run_free(r);
    /* a cut gzip file is a cut file, not an error */
    {
        gzFile g = gzopen(p, "rb");
        (void)g;
        gzclose(g);
        FILE *f = fopen(p, "rb");
        static unsigned char gzb[1 << 17];
        size_t m = fread(gzb, 1, sizeof gzb, f);
        fclose(f);
        char cg[512];
        snprintf(cg, sizeof cg, "%s/DOSCAR.gz", tmpdir);
        write_file(cg, gzb, m / 2);
        r = read_ok(cg, &sp);
        CHECK(r && !r->status.complete && r->has_dos);
        dp_run_free(r);
        unlink(cg);
    }
    unlink(cut);
    dp_run_free(full);
    free(whole);
}

static void hostile(void)
{
    char p[512];
    dp_error err;
    dp_run *r;
    snprintf(p, sizeof p, "%s/DOSCAR", tmpdir);
    dp_read_opts sp = {.species = "Fe O"};
    const char *hdr = "   2   2   1   0\n  0.1000000E+02  0.3000000E-09  0.3000000E-09  "
                      "0.3000000E-09  0.5000000E-15\n  1.000000000000000E-004\n  CAR \n test\n";
    char buf[8192];

    /* Fortran number forms: "0.1234-100" (no E), "1.0D+00", an overflow "*****"; the
     * smallest file with 3 points, ISPIN=1, LORBIT=10 (s p d) */
    snprintf(buf, sizeof buf,
             "%s      1.00000000     -1.00000000    3      0.00000000      1.00000000\n"
             "     -1.000  0.1000E+01  0.1000E+01\n      0.000  0.2000E+01  0.3000E+01\n"
             "      1.000  0.1000E+01  0.4000E+01\n"
             "      1.00000000     -1.00000000    3      0.00000000      1.00000000\n"
             "     -1.000  0.1234-100  0.1000D+00  **********\n"
             "      0.000  0.1000E+00  0.2000E+00  0.3000E+00\n"
             "      1.000  0.1000E+00  0.2000E+00  0.3000E+00\n"
             "      1.00000000     -1.00000000    3      0.00000000      1.00000000\n"
             "     -1.000  0.1000E+00  0.2000E+00  0.3000E+00\n"
             "      0.000  0.1000E+00  0.2000E+00  0.3000E+00\n"
             "      1.000  0.1000E+00  0.2000E+00  0.3000E+00\n", hdr);
    write_text(p, buf);
    CHECK(dp_doscar_read(p, &sp, &r, &err) == DP_OK);
    if (r) {
        CHECK(r->dos.ncomp == 1 && r->dos.norb == 3 && r->status.complete && r->has_pdos);
        CHECK_NEAR(r->dos.pdos[0][0], 1.234e-101, 1e-114);
        CHECK_NEAR(r->dos.pdos[0][3], 0.1, 1e-15);
        CHECK(isnan(r->dos.pdos[0][6]) && !isnan(r->dos.pdos[0][7]));
        CHECK_NEAR(r->dos.integrated[2], 4.0, 0);
        CHECK(r->nwarnings == 1);
        if (r->nwarnings)
            CHECK_STR_CONTAINS(r->warnings[0], "1 number field(s) overflowed");
        CHECK(!strcmp(r->dos.orb_names[2], "d"));
    }
    dp_run_free(r);

#define DOS3 "      1.00000000     -1.00000000    3      0.00000000      1.00000000\n"
    /* a layout no VASP writes: 5 orbital columns */
    snprintf(buf, sizeof buf, "%s" DOS3 " -1 1 1\n 0 1 2\n 1 1 3\n" DOS3 " -1 1 1 1 1 1\n", hdr);
    write_text(p, buf);
    CHECK(read_err(p, &sp, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 11: projected DOS rows have 5 orbital columns");
    /* a word in a total-DOS row */
    snprintf(buf, sizeof buf, "%s" DOS3 " -1 1 1\n 0 one 2\n 1 1 3\n", hdr);
    write_text(p, buf);
    CHECK(read_err(p, &sp, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 8: total-DOS point 2 of 3: expected 3 numbers, found a "
                                "non-number");
    /* a total DOS of 4 columns */
    snprintf(buf, sizeof buf, "%s" DOS3 " -1 1 1 1\n", hdr);
    write_text(p, buf);
    CHECK(read_err(p, &sp, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 7: a total-DOS row has 4 numbers");
    /* the header of an ion block is wrong */
    snprintf(buf, sizeof buf, "%s" DOS3 " -1 1 1\n 0 1 2\n 1 1 3\n hello\n", hdr);
    write_text(p, buf);
    CHECK(read_err(p, &sp, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 10: expected the header of ion 1's projected DOS");
    /* a row of another length inside an ion block */
    snprintf(buf, sizeof buf, "%s" DOS3 " -1 1 1\n 0 1 2\n 1 1 3\n" DOS3 " -1 1 1 1\n 0 1 1\n",
             hdr);
    write_text(p, buf);
    CHECK(read_err(p, &sp, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 12: ion 1, point 2: expected 4 numbers, found another");
    /* absurd sizes are refused before anything is allocated */
    snprintf(buf, sizeof buf, "%s      1.0  -1.0 2000000000  0.0  1.0\n", hdr);
    write_text(p, buf);
    CHECK(read_err(p, &sp, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 6: NEDOS = 2e+09 is out of range");
    write_text(p, "  99999999  99999999   1   0\n 1\n 1\n CAR\n x\n 1 -1 3 0 1\n");
    CHECK(read_err(p, &sp, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 1: NIONS");
    CHECK_STR_CONTAINS(err.msg, "out of range");
    /* NEDOS larger than the file: a cut file, no allocation of NEDOS rows up front */
    snprintf(buf, sizeof buf, "%s      1.0  -1.0 9000000  0.0  1.0\n -1 1 1\n", hdr);
    write_text(p, buf);
    CHECK(dp_doscar_read(p, &sp, &r, &err) == DP_OK && r && !r->has_dos &&
          !r->status.complete);
    dp_run_free(r);
    /* ends in the header */
    write_text(p, "   2   2   1   0\n  0.1E+02\n");
    CHECK(dp_doscar_read(p, &sp, &r, &err) == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "line 3: the file ends in the header, where TEBEG should be");
    write_text(p, "");
    CHECK(dp_doscar_read(p, &sp, &r, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "file is empty");
    /* no projected DOS, and the header says so: complete */
    snprintf(buf, sizeof buf,
             "   2   2   0   0\n 1\n 1\n CAR\n x\n" DOS3 " -1 1 1\n 0 1 2\n 1 1 3\n\n");
    write_text(p, buf);
    CHECK(dp_doscar_read(p, &sp, &r, &err) == DP_OK && r && r->status.complete && r->has_dos &&
          !r->has_pdos && r->dos.norb == 0);
    dp_run_free(r);
    /* ... and when it says one follows: incomplete */
    snprintf(buf, sizeof buf, "%s" DOS3 " -1 1 1\n 0 1 2\n 1 1 3\n", hdr);
    write_text(p, buf);
    CHECK(dp_doscar_read(p, &sp, &r, &err) == DP_OK && r && !r->status.complete && r->has_dos);
    if (r)
        CHECK_STR_CONTAINS(r->status.missing, "projected DOS (not reached");
    dp_run_free(r);
    /* a last row without its newline, cut in its last field: dropped */
    snprintf(buf, sizeof buf, "%s" DOS3 " -1 1 1\n 0 1 2\n 1  0.1000E+01  0.30", hdr);
    write_text(p, buf);
    CHECK(dp_doscar_read(p, &sp, &r, &err) == DP_OK && r && !r->has_dos);
    dp_run_free(r);
    snprintf(buf, sizeof buf, "%s" DOS3 " -1 1 1\n 0 1 2\n 1  0.1000E+01  0.3000E+01", hdr);
    write_text(p, buf);
    CHECK(dp_doscar_read(p, &sp, &r, &err) == DP_OK && r && r->has_dos);
    dp_run_free(r);
    /* random bytes, and a corrupt gzip stream */
    unsigned char junk[4096];
    fill_junk(junk, sizeof junk, 4242);
    write_file(p, junk, sizeof junk);
    CHECK(dp_doscar_read(p, &sp, &r, &err) == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, p);
    unsigned char gz[64] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    memcpy(gz + 10, junk, sizeof gz - 10);
    write_file(p, gz, sizeof gz);
    CHECK(dp_doscar_read(p, &sp, &r, &err) != DP_OK && !r);
    CHECK_STR_CONTAINS(err.msg, p);
    CHECK(dp_doscar_read("/nonexistent/DOSCAR", &sp, &r, &err) == DP_ERR_IO);
    unlink(p);
#undef DOS3
}

static void real_files(const char *shared)
{
    char p[1024], s2[1024];
    dp_error err;
    snprintf(p, sizeof p, "%s/real/vaspy/DOSCAR_spin", shared);
    /* no structure beside it (PROVENANCE.md) */
    CHECK(read_err(p, NULL, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "needs the atoms");
    /* The species: the system is "CuPcF" (line 5); its per-ion blocks show ions 1-32
     * with s and p weight (C), ion 33 the only one with d weight (the metal), 34-49
     * with s only (H), 50-57 with s and p (N): the order of FePc.vasp (C32 Fe H16 N8)
     * with Cu for Fe. */
    dp_read_opts sp = {.species = "C32 Cu1 H16 N8"};
    dp_run *r = read_ok(p, &sp);
    if (r) {
        CHECK(r->natoms == 57 && r->dos.ncomp == 2 && r->dos.norb == 9 && r->dos.nedos == 31);
        CHECK(r->status.complete && r->has_dos && r->has_pdos && r->nwarnings == 0);
        CHECK_NEAR(r->efermi, -4.37399435, 0);                   /* [file] line 6 */
        CHECK_NEAR(r->dos.energy[0], -26.938, 0);               /* [ASE] d.energy[0] */
        /* row 28 (E = -0.053): total 6.508 / 6.492, integrated 115.2 [ASE; file line 35] */
        CHECK_NEAR(r->dos.energy[28], -0.053, 0);
        CHECK_NEAR(r->dos.total[28], 6.508, 0);
        CHECK_NEAR(r->dos.total[31 + 28], 6.492, 0);
        CHECK_NEAR(r->dos.integrated[31 + 28], 115.2, 0);
        /* Cu (ion 33) dxy up 3.607e-05, dxy down 3.777e-05, x2-y2 down 1.051e-4 at row
         * 28 [ASE site_dos(32, "dxy-up"/"dxy-down"/"dx2-down")[28]; file line 1091] */
        const double *cu = r->dos.pdos[32];
        CHECK_NEAR(cu[(0 * 9 + 4) * 31 + 28], 3.607e-05, 0);
        CHECK_NEAR(cu[(1 * 9 + 4) * 31 + 28], 3.777e-05, 0);
        CHECK_NEAR(cu[(1 * 9 + 8) * 31 + 28], 1.051e-4, 0);
        /* N (ion 57) s up at row 2: 0.07345, pz down 8.075e-20 [ASE] */
        CHECK_NEAR(r->dos.pdos[56][2], 0.07345, 0);
        CHECK_NEAR(r->dos.pdos[56][(1 * 9 + 2) * 31 + 2], 8.075e-20, 0);
        double c = band_center(r, "Cu", "d", DP_SPIN_TOTAL);
        CHECK(isfinite(c));
        printf("DOSCAR_spin: Cu d-band centre %.4f eV\n", c);
    }
    dp_run_free(r);
    /* FePc.vasp has 57 atoms too, but not this cell (20 Å cube; the DOSCAR's line 2
     * says 40 x 40 x 30 Å): read, with a warning */
    snprintf(s2, sizeof s2, "%s/real/vaspy/FePc.vasp", shared);
    dp_read_opts ss = {.structure = s2};
    r = read_ok(p, &ss);
    CHECK(r && r->natoms == 57 && r->nwarnings == 1 && r->nframes == 1);
    if (r && r->nwarnings)
        CHECK_STR_CONTAINS(r->warnings[0], "is not the DOSCAR's (40, 40, 30 Å, line 2)");
    dp_run_free(r);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_doscar TESTDATA_DIR SHARED_DATA_DIR\n");
        return 2;
    }
    if (!make_tmpdir())
        return 1;
    feco(argv[1]);
    nio(argv[1]);
    truncations(argv[1]);
    hostile();
    struct stat st;
    if (stat(argv[2], &st) == 0)
        real_files(argv[2]);
    else
        printf("SKIP (partly): %s is absent; real-file checks need ../shared\n", argv[2]);
    remove_tmpdir();
    return check_report();
}
