/* Run settings from every reader of energies besides OSZICAR (test_oszicar.c): vasprun.xml
 * (<incar>), OUTCAR (VASP 6's INCAR echo, else the parameter listing), pw.x output and
 * QE XML; and dp_runs_differ across readers and codes.
 * usage: test_settings TESTDATA_DIR SHARED_DIR
 *
 * Where an expected value comes from:
 *   [file] the text of the file, read by hand (line cited); numbers as %.6g, QE's Ry
 *          converted with RYTOEV = 13.605693122994 eV (QE's Modules/constants.f90)
 *   [hand] worked out in the comment next to the check
 */
#include "check.h"
#include "dftpost.h"
#include "test_util.h"
#include "../analysis/comparable.h"

#include <sys/stat.h>
#include <unistd.h>

static const char *shared_dir;

/* The run's settings must be exactly want (keys not listed: not set). */
static void expect(const dp_run *r, const char *const (*want)[2], size_t n)
{
    if (!r)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *v = dp_run_setting(r, want[i][0]);
        if (!v || strcmp(v, want[i][1])) {
            fprintf(stderr, "%s: setting %s = %s, expected %s\n", r->path, want[i][0],
                    v ? v : "(none)", want[i][1]);
            check_failed++;
        } else {
            check_passed++;
        }
    }
    for (int k = 0; k < r->nsettings; k++) {
        bool listed = false;
        for (size_t i = 0; i < n; i++)
            listed = listed || !strcmp(r->settings[k].key, want[i][0]);
        if (!listed) {
            fprintf(stderr, "%s: unexpected setting %s = %s\n", r->path, r->settings[k].key,
                    r->settings[k].value);
            check_failed++;
        }
    }
}

#define EXPECT(r, ...)                                                                   \
    do {                                                                                 \
        static const char *const w_[][2] = {__VA_ARGS__};                                \
        expect((r), w_, sizeof w_ / sizeof *w_);                                         \
    } while (0)

static dp_run *shared_run(const char *rel)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/data/%s", shared_dir, rel);
    return read_ok(p, &(dp_read_opts){.skip_dos = true});
}

/* dp_runs_differ(a, b) must be n, and the description (if want is not NULL) want. */
static void differ(const dp_run *a, const dp_run *b, int n, const char *want)
{
    if (!a || !b)
        return;
    char what[1024];
    int d = dp_runs_differ(a, b, what, sizeof what);
    if (d != n || (want && strcmp(what, want))) {
        fprintf(stderr, "%s vs %s: %d differences (\"%s\"), expected %d (\"%s\")\n", a->path,
                b->path, d, what, n, want ? want : "");
        check_failed++;
    } else {
        check_passed++;
    }
}

/* ---- VASP ------------------------------------------------------------------------- */

static void vasp_same_run(void)
{
    /* pyiron full_job_aborted: vasprun.xml, OUTCAR and OSZICAR + INCAR of one killed run */
    dp_run *x = shared_run("real/pyiron_atomistics/full_job_aborted/vasprun.xml");
    dp_run *o = shared_run("real/pyiron_atomistics/full_job_aborted/OUTCAR");
    dp_run *z = shared_run("real/pyiron_atomistics/full_job_aborted/OSZICAR");
    /* [file] vasprun.xml: <generator> version "5.4.4.18Apr17-6-g9f103f2a35"; <incar>
     * PREC "normal", ISPIN 2, ENCUT 450.00000000, ISMEAR -1 (nothing else canonical);
     * atominfo pseudopotentials N, Nb_sv, Ni, Ti_sv */
    static const char *const potcar[][2] = {
        {"POTCAR", "PAW_PBE N 08APR2002 | PAW_PBE NB_SV 25MAY2007 | PAW_PBE NI 02AUG2007 | "
                   "PAW_PBE TI_SV 26SEP2005"}};
    EXPECT(x, {"CODE", "VASP"}, {"VERSION", "5.4"}, {"PREC", "NORMAL"}, {"ISPIN", "2"},
           {"ENCUT", "450"}, {"ISMEAR", "-1"}, {"POTCAR", potcar[0][1]});
    /* [file] OUTCAR (VASP 5: empty INCAR echo, line 12): the listing, lines 863 "PREC   =
     * normal", 866 "ISPIN  =      2", 870 "LASPH  =      F", 871 "METAGGA=      F" (none:
     * not set), 874 "ENCUT  =  450.0 eV", 921 "ISMEAR =    -1;   SIGMA  =   0.20", 966
     * "GGA     =    --" (not set), 969 "LHFCALC =     F"; TITEL lines as vasprun.xml's */
    EXPECT(o, {"CODE", "VASP"}, {"VERSION", "5.4"}, {"PREC", "NORMAL"}, {"ISPIN", "2"},
           {"LASPH", "F"}, {"ENCUT", "450"}, {"ISMEAR", "-1"}, {"SIGMA", "0.2"},
           {"LHFCALC", "F"}, {"POTCAR", potcar[0][1]});
    /* [file] INCAR: PREC=Normal, ENCUT=450, ISPIN=2, ISMEAR=-1; no POTCAR_info beside it */
    EXPECT(z, {"CODE", "VASP"}, {"PREC", "NORMAL"}, {"ISPIN", "2"}, {"ENCUT", "450"},
           {"ISMEAR", "-1"});
    /* one run: no difference (the OUTCAR's LASPH F and SIGMA 0.2 are VASP's defaults) */
    differ(x, o, 0, "");
    differ(o, x, 0, "");
    differ(x, z, 0, "");
    differ(o, z, 0, "");
    differ(z, o, 0, "");
    dp_run_free(x);
    dp_run_free(o);
    dp_run_free(z);
}

static void vasp_outcars(void)
{
    /* [file] OUTCAR_vasp_6.3.gz lines 13-33, the INCAR echo: ENCUT = 520, ISMEAR = -5,
     * ISPIN = 2, LASPH = True, PREC = Accurate, SIGMA = 0.05; first line "vasp.6.3.0";
     * TITEL La, Ga_d, O */
    dp_run *v6 = shared_run("real/pymatgen-core/vasp/OUTCAR_vasp_6.3.gz");
    EXPECT(v6, {"CODE", "VASP"}, {"VERSION", "6.3"}, {"ENCUT", "520"}, {"ISMEAR", "-5"},
           {"ISPIN", "2"}, {"LASPH", "T"}, {"PREC", "ACCURATE"}, {"SIGMA", "0.05"},
           {"POTCAR", "PAW_PBE LA 06SEP2000 | PAW_PBE GA_D 06JUL2010 | PAW_PBE O 08APR2002"});
    /* the echo wins over the listing: ENCUT 600 in the echo, 520.0 still in the listing */
    char p[1200];
    snprintf(p, sizeof p, "%s/data/real/pymatgen-core/vasp/OUTCAR_vasp_6.3.gz", shared_dir);
    size_t n;
    char *text = slurp(p, &n);
    if (text) {
        char *e = replace_first(text, "   ENCUT = 520\n", "   ENCUT = 600\n");
        char q[512];
        snprintf(q, sizeof q, "%s/OUTCAR", tmpdir);
        write_text(q, e);
        dp_run *r = read_ok(q, NULL);
        if (r) {
            CHECK(!strcmp(dp_run_setting(r, "ENCUT"), "600"));
            differ(v6, r, 1, "ENCUT: 520 vs 600");
            dp_run_free(r);
        }
        /* without the echo (VASP 5 style: " INCAR:" then the POTCAR lines), the
         * listing: the same values here, spelled "accura", "520.0 eV", "T" */
        char *start = strstr(e, " INCAR:\n"), *end = start ? strstr(start, "\n POTCAR:") : NULL;
        if (start && end) {
            memmove(start + 7, end, strlen(end) + 1);
            write_text(q, e);
            r = read_ok(q, NULL);
            CHECK(r && !strcmp(dp_run_setting(r, "ENCUT"), "520"));
            differ(v6, r, 0, "");
            dp_run_free(r);
        } else {
            CHECK(!"the INCAR echo of OUTCAR_vasp_6.3.gz");
        }
        free(e);
        free(text);
    }
    dp_run_free(v6);

    /* [file] OUTCAR.gz (VASP 5.2.11): listing lines 488 "PREC   = high", 491 ISPIN 2, 495
     * LASPH F, 499 ENCUT 500.0, 544 "ISMEAR =    -5;   SIGMA  =   0.05", 587 "LDA+U is
     * selected, type is set to LDAUTYPE =  2", 588 "LDAUL =     0    2    0", 589 "LDAUU =
     * 0.0  6.0  0.0", 590 "LDAUJ =   0.0  0.0  0.0", 595 "LHFCALC =     F" */
    dp_run *u = shared_run("real/pymatgen-core/vasp/OUTCAR.gz");
    EXPECT(u, {"CODE", "VASP"}, {"VERSION", "5.2"}, {"PREC", "HIGH"}, {"ISPIN", "2"},
           {"LASPH", "F"}, {"ENCUT", "500"}, {"ISMEAR", "-5"}, {"SIGMA", "0.05"},
           {"LDAU", "T"}, {"LDAUTYPE", "2"}, {"LDAUL", "0 2 0"}, {"LDAUU", "0 6 0"},
           {"LDAUJ", "0 0 0"}, {"LHFCALC", "F"},
           {"POTCAR", "PAW_PBE LI 17JAN2003 | PAW_PBE NI 06SEP2000 | PAW_PBE O 08APR2002"});
    /* [file] rsgrad OUTCAR_ispin2: " IVDW         = 12" (line 3657, the DFT-D3 block) */
    dp_run *d3 = shared_run("real/rsgrad/vasp/OUTCAR_ispin2");
    CHECK(d3 && dp_run_setting(d3, "IVDW") && !strcmp(dp_run_setting(d3, "IVDW"), "12"));
    /* [file] pyiron OUTCAR_8: "GGA    =     -.5221 ..." (line 16) belongs to a US POTCAR
     * echo, not to the listing (line 310 has only GGA_COMPAT): GGA is not set */
    dp_run *us = shared_run("real/pyiron_atomistics/vasp/OUTCAR_8");
    if (us) {
        CHECK(dp_run_setting(us, "GGA") == NULL);
        CHECK(!strcmp(dp_run_setting(us, "POTCAR"), "US H | US AG"));
        CHECK(!strcmp(dp_run_setting(us, "PREC"), "ACCURATE"));
    }
    /* two real VASP runs: LDAU on in one (default F in the other), ... */
    differ(u, d3, 6, NULL);
    dp_run_free(u);
    dp_run_free(d3);
    dp_run_free(us);
}

static void vasp_vasprun(void)
{
    /* [file] pymatgen vasprun.xml.gz: generator version 5.2.x; <incar> PREC "accurate",
     * ISPIN 2, ENCUT 500.00000000, ISMEAR 0, SIGMA 0.05000000 (MAGMOM spans two lines),
     * line 39 LHFCALC "T", line 41 HFSCREEN 0.20700000 (an HSE run) */
    dp_run *r = shared_run("real/pymatgen-core/vasp/vasprun.xml.gz");
    EXPECT(r, {"CODE", "VASP"}, {"VERSION", "5.2"}, {"PREC", "ACCURATE"}, {"ISPIN", "2"},
           {"ENCUT", "500"}, {"ISMEAR", "0"}, {"SIGMA", "0.05"}, {"LHFCALC", "T"},
           {"HFSCREEN", "0.207"},
           {"POTCAR", "PAW_PBE LI 17JAN2003 | PAW_PBE FE 06SEP2000 | PAW_PBE FE 06SEP2000 | "
                      "PAW_PBE P 17JAN2003 | PAW_PBE O 08APR2002"});
    dp_run_free(r);

    /* LDA+U, LASPH and GGA written in <incar>: taken as an INCAR would give them */
    char p[1200];
    snprintf(p, sizeof p, "%s/data/real/pyiron_atomistics/full_job_aborted/vasprun.xml",
             shared_dir);
    size_t n;
    char *text = slurp(p, &n);
    if (!text)
        return;
    char *e = replace_first(text, " </incar>",
                            "  <i type=\"logical\" name=\"LDAU\"> T  </i>\n"
                            "  <v type=\"int\" name=\"LDAUL\">     2    -1\n    -1    -1</v>\n"
                            "  <v name=\"LDAUU\">      5.30000000      0.00000000      0.0 0</v>\n"
                            "  <i type=\"logical\" name=\"LASPH\"> T  </i>\n"
                            "  <i type=\"string\" name=\"GGA\">PE</i>\n </incar>");
    char q[512];
    snprintf(q, sizeof q, "%s/vasprun.xml", tmpdir);
    write_text(q, e);
    dp_run *u = read_ok(q, NULL);
    if (u) {
        CHECK(!strcmp(dp_run_setting(u, "LDAU"), "T"));
        CHECK(!strcmp(dp_run_setting(u, "LDAUL"), "2 -1 -1 -1")); /* the <v> spans 2 lines */
        CHECK(!strcmp(dp_run_setting(u, "LDAUU"), "5.3 0 0 0"));
        CHECK(!strcmp(dp_run_setting(u, "LASPH"), "T"));
        CHECK(!strcmp(dp_run_setting(u, "GGA"), "PE"));
        CHECK(u->params.ispin == 2 && u->params.ismear == -1 && u->params.lorbit == 11);
        dp_run *o = shared_run("real/pyiron_atomistics/full_job_aborted/OUTCAR");
        /* against the OUTCAR of the run as it was: GGA PE vs unset is unknown (its
         * default comes from the POTCAR), LASPH and LDAU are not */
        differ(u, o, 2, "LASPH: T vs F; LDAU: T vs (not set)");
        dp_run_free(o);
        dp_run_free(u);
    }
    free(e);
    free(text);
}

/* ---- QE ------------------------------------------------------------------------------ */

static void qe_real(void)
{
    /* [file] qe/Fe1/pw.out: line 2 "Program PWSCF v.6.7MaX", 43 "kinetic-energy cutoff =
     * 30.0000 Ry" (30 x 13.605693122994 = 408.17079), 48 "Exchange-correlation= SLA  PW
     * PBE  PBE", 83 "Starting magnetic structure" (nspin 2), 96 "Gaussian smearing,
     * width (Ry)=  0.0200" (0.27211386 eV), 65-66 "PseudoPot. # 1 ... Fe.pbe-nd-rrkjus.UPF";
     * no Hubbard or dispersion lines in the header */
    dp_run *fe1 = shared_run("qe/Fe1/pw.out");
    EXPECT(fe1, {"CODE", "QE"}, {"VERSION", "6.7"}, {"XC", "PBE"}, {"ENCUT", "408.171"},
           {"ISPIN", "2"}, {"SMEARING", "GAUSSIAN"}, {"SIGMA", "0.272114"}, {"LDAU", "F"},
           {"IVDW", "0"}, {"POTCAR", "FE.PBE-ND-RRKJUS.UPF"});
    /* [file] qe/Fe1/data-file-schema.xml: creator VERSION "6.7MaX", output functional PBE,
     * ecutwfc 1.5e1 Ha, lsda true, smearing degauss 1e-2 Ha gaussian: the same run */
    dp_run *fe1x = shared_run("qe/Fe1/data-file-schema.xml");
    EXPECT(fe1x, {"CODE", "QE"}, {"VERSION", "6.7"}, {"XC", "PBE"}, {"ENCUT", "408.171"},
           {"ISPIN", "2"}, {"SMEARING", "GAUSSIAN"}, {"SIGMA", "0.272114"}, {"LDAU", "F"},
           {"IVDW", "0"}, {"POTCAR", "FE.PBE-ND-RRKJUS.UPF"});
    differ(fe1, fe1x, 0, "");
    /* [file] Fe1_O2/pw.out line 122: width (Ry)= 0.0100 → 0.136057 eV */
    dp_run *feo2 = shared_run("qe/Fe1_O2/pw.out");
    dp_run *feo2x = shared_run("qe/Fe1_O2/data-file-schema.xml");
    differ(feo2, feo2x, 0, "");
    differ(fe1, feo2, 1, "SIGMA: 0.272114 vs 0.136057");
    /* [file] H2O/pw.out: no "Starting magnetic structure" (nspin 1), line 53
     * "Exchange-correlation= SLA  PW   PBX  PBC" (PBE, spelled from the UPF), width 0.0100 */
    dp_run *h2o = shared_run("qe/H2O/pw.out");
    dp_run *h2ox = shared_run("qe/H2O/data-file-schema.xml");
    EXPECT(h2o, {"CODE", "QE"}, {"VERSION", "6.7"}, {"XC", "PBE"}, {"ENCUT", "408.171"},
           {"ISPIN", "1"}, {"SMEARING", "GAUSSIAN"}, {"SIGMA", "0.136057"}, {"LDAU", "F"},
           {"IVDW", "0"}, {"POTCAR", "O.PBE-RRKJUS.UPF | H.PBE-KJPAW.UPF"});
    differ(h2o, h2ox, 0, "");
    differ(h2o, feo2, 1, "ISPIN: 1 vs 2"); /* O.pbe-rrkjus.UPF in both: same */
    differ(h2o, fe1, 2, "ISPIN: 1 vs 2; SIGMA: 0.136057 vs 0.272114");
    /* [file] N2/pw.out line 52 "Exchange-correlation= PBE": the same functional as H2O's */
    dp_run *n2 = shared_run("qe/N2/pw.out");
    if (n2)
        CHECK(!strcmp(dp_run_setting(n2, "XC"), "PBE"));
    differ(h2o, n2, 0, "");

    /* [file] pymatgen-io-espresso FeO/scf.xml (QE 7.0): output dftU Hubbard_U Fe1, Fe2
     * "3d" 3.380937640160255e-1 Ry (x 13.605693122994 = 4.6000 eV), species Fe1 Fe2 O,
     * smearing degauss 1e-2 Ha "mv", lsda true, ecutwfc 1.5e1 Ha */
    dp_run *feo = shared_run("real/pymatgen-io-espresso/FeO/scf.xml");
    EXPECT(feo, {"CODE", "QE"}, {"VERSION", "7.0"}, {"XC", "PBE"}, {"ENCUT", "408.171"},
           {"ISPIN", "2"}, {"SMEARING", "MARZARI-VANDERBILT"}, {"SIGMA", "0.272114"},
           {"LDAU", "T"}, {"LDAUL", "2 2 -1"}, {"LDAUU", "4.6 4.6 0"}, {"IVDW", "0"},
           {"POTCAR", "FE.UPF | FE.UPF | O.UPF"});
    /* [file] q-e test-suite noncolin: "Noncollinear calculation without spin-orbit",
     * "SLA  PZ   NOGX NOGC ( 1  1  0  0 0 0)", Marzari-Vanderbilt width 0.0500 Ry */
    dp_run *ncl = shared_run("real/q-e/test-suite/benchmark.out.git.inp=noncolin.in");
    if (ncl) {
        CHECK(!strcmp(dp_run_setting(ncl, "ISPIN"), "NONCOLLINEAR"));
        CHECK(!strcmp(dp_run_setting(ncl, "XC"), "PZ"));
        CHECK(!strcmp(dp_run_setting(ncl, "SMEARING"), "MARZARI-VANDERBILT"));
        CHECK(!strcmp(dp_run_setting(ncl, "SIGMA"), "0.680285")); /* 0.05 x 13.6057 */
    }
    /* [file] pymatgen Si.pwscf.out: "number of k points=    2" alone: fixed occupations */
    dp_run *si = shared_run("real/pymatgen-core/qe/Si.pwscf.out");
    if (si) {
        CHECK(!strcmp(dp_run_setting(si, "SMEARING"), "FIXED"));
        CHECK(dp_run_setting(si, "SIGMA") == NULL);
        CHECK(!strcmp(dp_run_setting(si, "VERSION"), "5.1"));
    }

    /* mixed codes: VASP vs QE differ on CODE first; Fe's POTCAR title and UPF file are
     * both element Fe (PAW FE 03MAR1998 vs FE.PBE-ND-RRKJUS.UPF) */
    dp_run *vfe = shared_run("real/pyiron_atomistics/vasp/OUTCAR_3");
    if (vfe && fe1) {
        char what[1024];
        int d = dp_runs_differ(vfe, fe1, what, sizeof what);
        CHECK(d >= 2);
        CHECK(!strncmp(what, "CODE: VASP vs QE", 16));
        CHECK_STR_CONTAINS(what, "POTCAR: PAW FE 03MAR1998 vs FE.PBE-ND-RRKJUS.UPF");
    }
    dp_run *z = shared_run("real/pyiron_atomistics/full_job_aborted/OSZICAR");
    if (z && h2o) {
        char what[1024];
        CHECK(dp_runs_differ(z, h2o, what, sizeof what) >= 1);
        CHECK(!strncmp(what, "CODE: VASP vs QE", 16));
    }
    dp_run *runs[] = {fe1, fe1x, feo2, feo2x, h2o, h2ox, n2, feo, ncl, si, vfe, z};
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++)
        dp_run_free(runs[i]);
}

/* pw.x headers this data does not have: DFT+U (6.x table, 7.x lines), Grimme-D2, other
 * smearing; made by editing qe/Fe1/pw.out */
static void qe_edited(void)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/data/qe/Fe1/pw.out", shared_dir);
    size_t n;
    char *text = slurp(p, &n);
    if (!text)
        return;
    dp_run *plain = shared_run("qe/Fe1/pw.out");
    const char *mag = "     Starting magnetic structure \n";
    char *u6 = replace_first(text, mag,
                             "     Simplified LDA+U calculation (l_max = 2) with parameters (eV):\n"
                             "     atomic species    L          U    alpha       J0     beta\n"
                             "        Fe               2     4.6000   0.0000   0.0000   0.0000\n"
                             "\n"
                             "     -------------------------------------------------\n"
                             "     Parameters for Dispersion (Grimme-D2) Correction:\n"
                             "     -------------------------------------------------\n"
                             "       atom      VdW radius       C_6     \n"
                             "\n"
                             "     Starting magnetic structure \n");
    char *u7 = replace_first(text, mag,
                             "     Hubbard projectors: atomic\n"
                             "     Hubbard parameters of DFT+U (Dudarev formulation) in eV:\n"
                             "     U(Fe-3d)    =  4.6000\n"
                             "     J0(Fe-3d)   =  0.0000\n"
                             "\n"
                             "     Parameters for Dispersion (Grimme-D2) Correction:\n"
                             "     Starting magnetic structure \n");
    char *mv = replace_first(text, "Gaussian smearing", "Marzari-Vanderbilt smearing");
    const char *texts[] = {u6, u7, mv};
    dp_run *r[3] = {0};
    for (int k = 0; k < 3; k++) {
        char q[512];
        snprintf(q, sizeof q, "%s/pw%d.out", tmpdir, k);
        write_text(q, texts[k]);
        r[k] = read_ok(q, NULL);
    }
    /* [hand] the table / U( line above: Fe, L = 2 (d), U = 4.6 eV; D2 */
    for (int k = 0; k < 2; k++)
        EXPECT(r[k], {"CODE", "QE"}, {"VERSION", "6.7"}, {"XC", "PBE"}, {"ENCUT", "408.171"},
               {"ISPIN", "2"}, {"SMEARING", "GAUSSIAN"}, {"SIGMA", "0.272114"}, {"LDAU", "T"},
               {"LDAUL", "2"}, {"LDAUU", "4.6"}, {"IVDW", "DFT-D2"},
               {"POTCAR", "FE.PBE-ND-RRKJUS.UPF"});
    differ(r[0], r[1], 0, "");
    differ(plain, r[0], 2, "LDAU: F vs T; IVDW: 0 vs DFT-D2");
    differ(plain, r[2], 1, "SMEARING: GAUSSIAN vs MARZARI-VANDERBILT");
    for (int k = 0; k < 3; k++)
        dp_run_free(r[k]);
    dp_run_free(plain);
    free(u6);
    free(u7);
    free(mv);
    free(text);
}

/* ---- POTCAR elements of QE file names (hand-made settings) ----------------------------- */

static void upf_elements(void)
{
    dp_run a = {0}, b = {0};
    dp_run_set_setting(&a, "CODE", "QE");
    dp_run_set_setting(&b, "CODE", "QE");
    dp_run_set_setting(&a, "POTCAR", "Fe.pbe-spn-kjpaw_psl.0.2.1.UPF | O.pbe-n-kjpaw_psl.0.1.UPF");
    dp_run_set_setting(&b, "POTCAR", "Fe.pbe-spn-kjpaw_psl.0.2.1.UPF");
    differ(&a, &b, 0, ""); /* Fe alike, O in one run only */
    dp_run_set_setting(&b, "POTCAR", "fe_pbe_v1.5.uspp.F.UPF | O_pbe_v1.2.uspp.F.UPF");
    differ(&a, &b, 2, "POTCAR: FE.PBE-SPN-KJPAW_PSL.0.2.1.UPF vs FE_PBE_V1.5.USPP.F.UPF; "
                      "POTCAR: O.PBE-N-KJPAW_PSL.0.1.UPF vs O_PBE_V1.2.USPP.F.UPF");
    /* "OPBE": "Op" is no element, so O; "12.UPF" has no element: matched with nothing */
    dp_run_set_setting(&b, "POTCAR", "OPBE.UPF | 12.UPF | Co.pbe.UPF");
    differ(&a, &b, 1, "POTCAR: O.PBE-N-KJPAW_PSL.0.1.UPF vs OPBE.UPF");
    dp_run_set_setting(&b, "POTCAR", " |  | ");
    differ(&a, &b, 0, "");
    /* Co.pbe is cobalt, not C+O; C.pbe is carbon */
    dp_run_set_setting(&a, "POTCAR", "C.pbe-n-kjpaw.UPF");
    dp_run_set_setting(&b, "POTCAR", "Co.pbe.UPF");
    differ(&a, &b, 0, "");
    /* SMEARING is compared (QE runs) */
    dp_run_set_setting(&a, "SMEARING", "GAUSSIAN");
    dp_run_set_setting(&b, "SMEARING", "FIXED");
    differ(&a, &b, 1, "SMEARING: GAUSSIAN vs FIXED");
    free(a.settings);
    free(b.settings);
}

/* ---- hybrid functionals (hand-made settings) -------------------------------------------- */

static void hybrids(void)
{
    dp_run a = {0}, b = {0};
    dp_run_set_setting(&a, "CODE", "VASP");
    dp_run_set_setting(&b, "CODE", "VASP");
    dp_run_set_setting(&a, "LHFCALC", "T");
    dp_run_set_setting(&a, "HFSCREEN", "0.2");
    differ(&a, &b, 1, "LHFCALC: T vs (not set)"); /* VASP's default is F: HSE vs GGA */
    dp_run_set_setting(&b, "LHFCALC", "F");
    differ(&a, &b, 1, "LHFCALC: T vs F");
    dp_run_set_setting(&b, "LHFCALC", "T");
    dp_run_set_setting(&b, "HFSCREEN", "0");
    differ(&a, &b, 1, "HFSCREEN: 0.2 vs 0"); /* HSE vs PBE0 */
    dp_run_set_setting(&b, "HFSCREEN", "0.20");
    differ(&a, &b, 0, "");
    dp_run c = {0}, d = {0}; /* HFSCREEN without LHFCALC does nothing */
    dp_run_set_setting(&c, "CODE", "VASP");
    dp_run_set_setting(&d, "CODE", "VASP");
    dp_run_set_setting(&c, "HFSCREEN", "0.2");
    dp_run_set_setting(&d, "LHFCALC", "F");
    differ(&c, &d, 0, "");
    free(a.settings), free(b.settings), free(c.settings), free(d.settings);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_settings TESTDATA_DIR SHARED_DIR\n");
        return 2;
    }
    shared_dir = argv[2];
    upf_elements();
    hybrids();
    char probe[1200];
    snprintf(probe, sizeof probe, "%s/data/qe/Fe1/pw.out", shared_dir);
    struct stat st;
    if (stat(probe, &st) != 0) {
        printf("SKIP: %s absent (../shared absent): only the hand-made settings were checked\n",
               probe);
        int rc = check_report();
        return rc ? rc : CHECK_SKIP;
    }
    if (!make_tmpdir())
        return 1;
    vasp_same_run();
    vasp_outcars();
    vasp_vasprun();
    qe_real();
    qe_edited();
    remove_tmpdir();
    return check_report();
}
