/* The vasprun.xml reader: synthetic files with known contents (testdata/vasp, made
 * by scripts/make-testdata-vasprun, whose Gaussians give the expected numbers),
 * real files from ../shared/data/real, truncation at many bytes, hostile input.
 * usage: test_vasprun TESTDATA_DIR SHARED_DATA_DIR */
#include "check.h"
#include "dftpost.h"
#include "test_util.h"

#include <sys/stat.h>
#include <unistd.h>

static dp_status read_err(const char *path, dp_error *err)
{
    dp_run *r = NULL;
    dp_status st = dp_read(path, NULL, &r, err);
    dp_run_free(r);
    return st;
}

static double band_center(const dp_run *r, const char *atoms, dp_spin spin)
{
    bool *a = calloc((size_t)r->natoms, 1), o[DP_MAX_ORB];
    double *c = malloc(sizeof(double) * (size_t)r->dos.nedos);
    double *e = malloc(sizeof(double) * (size_t)r->dos.nedos);
    dp_error err;
    dp_band_stats s = {.center = NAN};
    if (!dp_select_atoms(r, atoms, a, &err) && !dp_select_orbitals(r, "d", o, &err) &&
        !dp_pdos_sum(r, a, o, spin, c, &err)) {
        for (int i = 0; i < r->dos.nedos; i++)
            e[i] = r->dos.energy[i] - r->efermi;
        dp_band_stats_compute(e, c, r->dos.nedos, -INFINITY, INFINITY, &s, &err);
    }
    free(a);
    free(c);
    free(e);
    return s.center;
}

static void synthetic(const char *td)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/vasp/FeCo-N6/vasprun.xml.gz", td);
    dp_read_opts all = {.all_frames = true};
    dp_run *r = read_ok(p, &all);
    if (!r)
        return;
    char formula[64];
    dp_run_formula(r, formula, sizeof formula);
    CHECK(!strcmp(formula, "FeCoN6"));
    CHECK(!strcmp(r->program, "vasp") && !strcmp(r->version, "6.3.2"));
    CHECK(r->natoms == 8 && r->ntypes == 3 && r->nsteps == 3);
    CHECK(r->params.ispin == 2 && r->params.lorbit == 11 && r->params.nedos == 301);
    CHECK(!r->params.lnoncollinear && r->params.ismear == 0);
    CHECK_NEAR(r->params.sigma, 0.05, 1e-12);
    CHECK_NEAR(r->species[0].zval, 8.0, 0);
    CHECK_NEAR(r->species[1].mass, 58.933, 1e-9);
    CHECK(r->status.complete && r->has_dos && r->has_pdos);
    CHECK(r->dos.nedos == 301 && r->dos.ncomp == 2 && r->dos.norb == 9);
    CHECK(!strcmp(r->dos.orb_names[8], "x2-y2"));
    CHECK_NEAR(r->efermi, -2.1, 1e-12);
    CHECK_NEAR(r->dos.energy[0], -12.1, 1e-12);
    /* the generator's last electronic step is e_final + 0.002 (fr), +0.004 (wo), +0.003 (0) */
    CHECK_NEAR(r->energies[2].e_free, -76.54121, 1e-8);
    CHECK_NEAR(r->energies[2].e_noentropy, -76.53921, 1e-8);
    CHECK_NEAR(r->energies[2].e_sigma0, -76.54021, 1e-8);
    CHECK(r->nframes == 4 && r->first_frame_step == -1); /* initial + 3 ionic steps */
    CHECK_NEAR(r->frames[3].lattice[2][2], 15.0, 1e-12);
    CHECK_NEAR(r->frames[3].frac[0][0] * 12.0, 4.8, 1e-7);
    /* Hand calculation from the generator's Gaussians (4-decimal rounding in the file
     * costs < 1e-3): Fe = N(-3, 1) up + N(-1, 0.8) down → centre -2; up alone -3;
     * Co = N(-2.5, 0.9) + N(-1.5, 0.9) → centre -2. */
    CHECK_NEAR(band_center(r, "Fe", DP_SPIN_TOTAL), -2.0, 1e-3);
    CHECK_NEAR(band_center(r, "Fe", DP_SPIN_UP), -3.0, 1e-3);
    CHECK_NEAR(band_center(r, "1", DP_SPIN_DOWN), -1.0, 1e-3);
    CHECK_NEAR(band_center(r, "Co", DP_SPIN_TOTAL), -2.0, 1e-3);
    dp_run_free(r);

    /* default: only the last structure is kept */
    r = read_ok(p, NULL);
    CHECK(r && r->nframes == 1 && r->first_frame_step == 2);
    dp_run_free(r);

    /* keep_atom: only what is asked for is stored */
    snprintf(p, sizeof p, "%s/vasp/FeCo-N6/vasprun.xml.gz", td);
    bool keep_fe(const dp_run *run, int atom, void *ud);
    dp_read_opts only = {.keep_atom = keep_fe};
    r = read_ok(p, &only);
    CHECK(r && r->has_pdos && r->dos.pdos[0] && !r->dos.pdos[1] && !r->dos.pdos[7]);
    dp_run_free(r);

    snprintf(p, sizeof p, "%s/vasp/NiO-lorbit10-f.xml", td);
    r = read_ok(p, NULL);
    CHECK(r && r->dos.norb == 4 && r->dos.ncomp == 1 && r->params.lorbit == 10);
    CHECK(r && !strcmp(r->dos.orb_names[3], "f"));
    CHECK_NEAR(band_center(r, "Ni", DP_SPIN_TOTAL), -2.0, 1e-3);
    dp_run_free(r);

    snprintf(p, sizeof p, "%s/vasp/NiO-noncollinear.xml", td);
    r = read_ok(p, NULL);
    CHECK(r && r->dos.ncomp == 4 && r->params.lnoncollinear);
    /* total = the charge component alone (the generator's mz block is 0.1 × it and
     * must not be added): centre stays at -2 */
    CHECK_NEAR(band_center(r, "Ni", DP_SPIN_TOTAL), -2.0, 1e-3);
    dp_run_free(r);

    snprintf(p, sizeof p, "%s/vasp/NiO-spin-vasp52.xml", td);
    r = read_ok(p, NULL);
    CHECK(r && r->params.lorbit == -1 && r->dos.ncomp == 2); /* LORBIT written as " F " */
    CHECK(r && !strcmp(r->dos.orb_names[8], "dx2"));
    bool o[DP_MAX_ORB];
    dp_error err;
    CHECK(r && dp_select_orbitals(r, "dx2-y2", o, &err) == DP_OK && o[8]);
    dp_run_free(r);

    snprintf(p, sizeof p, "%s/vasp/NiO-overflow.xml", td);
    r = read_ok(p, NULL);
    CHECK(r && r->nwarnings == 1);
    if (r && r->nwarnings)
        CHECK_STR_CONTAINS(r->warnings[0], "3 number field(s) overflowed");
    CHECK(r && isnan(r->energies[0].e_noentropy) && !isnan(r->energies[0].e_free));
    CHECK(r && isnan(r->dos.pdos[0][5 * r->dos.nedos]) && !isnan(r->dos.pdos[0][4 * r->dos.nedos]));
    dp_run_free(r);

    snprintf(p, sizeof p, "%s/vasp/NiO-nodos.xml", td);
    r = read_ok(p, NULL);
    CHECK(r && r->status.complete && !r->has_dos && !r->has_pdos && r->dos.norb == 0);
    CHECK(r && r->nsteps == 1 && !r->has_efermi);
    dp_run_free(r);
}

bool keep_fe(const dp_run *run, int atom, void *ud)
{
    (void)ud;
    return !strcmp(run->species[run->atom_type[atom]].symbol, "Fe");
}

static void real_files(const char *shared)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/real/pymatgen-core/vasp/vasprun.bad.xml.gz", shared);
    dp_run *r = read_ok(p, NULL);
    /* cut off after the first </calculation> (pymatgen with exception_on_bad_xml=False
     * also finds 1 ionic step at -269.00551374 eV, tests/reference/pymatgen_energy.tsv) */
    CHECK(r && !r->status.complete && r->nsteps == 1 && !r->has_dos);
    if (r) {
        CHECK_NEAR(r->energies[0].e_free, -269.00551374, 1e-8);
        CHECK_STR_CONTAINS(r->status.missing, "DOS");
        CHECK(r->nwarnings >= 1);
        if (r->nwarnings)
            CHECK_STR_CONTAINS(r->warnings[0], "cut off");
    }
    dp_run_free(r);

    snprintf(p, sizeof p, "%s/real/pyiron_atomistics/full_job_aborted/vasprun.xml", shared);
    r = read_ok(p, NULL);
    /* killed in the first ionic step's electronic loop (ZHEGV error; PROVENANCE.md) */
    CHECK(r && !r->status.complete && r->nsteps == 0 && r->natoms == 253);
    if (r)
        CHECK_STR_CONTAINS(r->status.missing, "ionic step 1 (cut off)");
    dp_run_free(r);

    /* VASP 5.x shifts the ionic-step energy fields (e_wo_entrp holds sigma->0, e_0_energy
     * holds -TS): e_noentropy is rebuilt from the last electronic step, whose
     * e_wo_entrp the file gives as 83.00870831 (= e_fr 83.00831576 - eentropy -0.00039255) */
    snprintf(p, sizeof p, "%s/real/pyiron_atomistics/bader_test_H2O/vasprun.xml", shared);
    r = read_ok(p, NULL);
    if (r) {
        CHECK_NEAR(r->energies[0].e_free, 83.00831576, 1e-8);
        CHECK_NEAR(r->energies[0].e_noentropy, 83.00870831, 1e-8);
        CHECK_NEAR(r->energies[0].e_sigma0, 83.00851204, 1e-8);
        CHECK(r->has_dos && !r->has_pdos && r->params.lorbit == 0);
    }
    dp_run_free(r);

    /* pymatgen's own test of this file (test_outputs.py:223-300, PROVENANCE.md): 29 ionic
     * steps, final energy -269.38319884, pDOS of site 1 's' spin up at index 16 = 0.0026,
     * 'pz' spin down at 16 = 0.0012, 301 points */
    snprintf(p, sizeof p, "%s/real/pymatgen-core/vasp/vasprun.xml.gz", shared);
    r = read_ok(p, NULL);
    if (r) {
        CHECK(r->nsteps == 29 && r->dos.nedos == 301);
        CHECK_NEAR(r->energies[28].e_sigma0, -269.38319884, 1e-8);
        CHECK_NEAR(r->dos.pdos[0][0 * 301 + 16], 0.0026, 1e-12);
        CHECK_NEAR(r->dos.pdos[0][(1 * 9 + 2) * 301 + 16], 0.0012, 1e-12);
    }
    dp_run_free(r);
}

/* Cut a file at many byte offsets: every prefix must read as DP_OK (incomplete, keeping
 * only whole ionic steps) or fail with a message naming the file; never crash. */
static void truncations(const char *path, int cuts)
{
    size_t n;
    char *whole = slurp(path, &n);
    CHECK(whole != NULL);
    if (!whole)
        return;
    dp_run *full = read_ok(path, NULL);
    if (!full) {
        free(whole);
        return;
    }
    char cut[512];
    snprintf(cut, sizeof cut, "%s/cut.xml", tmpdir);
    const char *modeling_end = strstr(whole, "</modeling>");
    size_t complete_at = modeling_end ? (size_t)(modeling_end - whole) + strlen("</modeling>") : n;
    int ok = 0, failed = 0, bad = 0;
    for (int k = 0; k <= cuts; k++) {
        size_t len = (size_t)((double)n * k / cuts);
        if (k == cuts)
            len = complete_at - 1; /* one byte short of the end tag */
        write_file(cut, whole, len);
        dp_run *r = NULL;
        dp_error err = {0};
        dp_status st = dp_read(cut, NULL, &r, &err);
        if (st == DP_OK) {
            ok++;
            if (r->status.complete || r->nsteps > full->nsteps)
                bad++;
            /* a DOS kept from a cut file is the whole DOS */
            if (r->has_pdos && (r->dos.nedos != full->dos.nedos ||
                                r->dos.pdos[0][r->dos.nedos - 1] != full->dos.pdos[0][full->dos.nedos - 1]))
                bad++;
            for (int i = 0; i < r->nsteps; i++)
                if (r->energies[i].e_free != full->energies[i].e_free)
                    bad++;
        } else {
            failed++;
            if (!strstr(err.msg, cut) || (st != DP_ERR_FORMAT && st != DP_ERR_IO))
                bad++, fprintf(stderr, "bad error for cut at %zu: %s\n", len, err.msg);
        }
        dp_run_free(r);
    }
    printf("%s: %d cuts read as incomplete runs, %d refused\n", path, ok, failed);
    CHECK(bad == 0);
    CHECK(ok > cuts / 2); /* most of a file lies after <atominfo> */
    dp_run_free(full);
    free(whole);
}

static void hostile(void)
{
    char p[512];
    dp_error err;
    snprintf(p, sizeof p, "%s/h.xml", tmpdir);

    write_file(p, "", 0);
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "empty");

    unsigned char junk[4096];
    fill_junk(junk, sizeof junk, 12345);
    write_file(p, junk, sizeof junk);
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, p);

    const char *html = "<?xml version=\"1.0\"?>\n<html><body>hi</body></html>\n";
    write_file(p, html, strlen(html));
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "not a vasprun.xml (root element is <html>");

    /* entity expansion ("billion laughs") and external entities are refused */
    const char *laughs =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE modeling [\n <!ENTITY a \"aaaaaaaaaa\">\n"
        " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n"
        "<modeling><generator><i name=\"program\">&c;</i></generator></modeling>\n";
    write_file(p, laughs, strlen(laughs));
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, p);
    const char *dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE modeling [<!ENTITY a \"x\">]>\n"
                      "<modeling><generator/></modeling>\n";
    write_file(p, dtd, strlen(dtd));
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "DTD is not allowed");
    const char *xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE modeling [<!ENTITY x SYSTEM "
                      "\"file:///etc/passwd\">]>\n<modeling>&x;</modeling>\n";
    write_file(p, xxe, strlen(xxe));
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);

    /* counts that would allocate absurd memory are refused before allocating */
    const char *huge = "<?xml version=\"1.0\"?>\n<modeling>\n <atominfo>\n  <atoms> 99999999999 </atoms>\n"
                       " </atominfo>\n</modeling>\n";
    write_file(p, huge, strlen(huge));
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 4");
    CHECK_STR_CONTAINS(err.msg, "out of range");

    const char *mismatch =
        "<modeling>\n<atominfo>\n<atoms> 2 </atoms>\n<types> 1 </types>\n"
        "<array name=\"atoms\"><field>element</field><field>atomtype</field><set>\n"
        "<rc><c>Fe</c><c>1</c></rc><rc><c>Fe</c><c>1</c></rc><rc><c>Fe</c><c>1</c></rc>\n"
        "</set></array>\n</atominfo>\n</modeling>\n";
    write_file(p, mismatch, strlen(mismatch));
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "more atom rows than <atoms> = 2");

    /* a DOS row with a word where a number belongs */
    const char *badrow =
        "<modeling>\n<atominfo>\n<atoms> 1 </atoms>\n<types> 1 </types>\n"
        "<array name=\"atoms\"><field>element</field><field>atomtype</field><set>\n"
        "<rc><c>Fe</c><c>1</c></rc></set></array>\n"
        "<array name=\"atomtypes\"><field>atomspertype</field><field>element</field><set>\n"
        "<rc><c>1</c><c>Fe</c></rc></set></array>\n</atominfo>\n"
        "<calculation><dos><i name=\"efermi\"> 1.0 </i><total><array><field>energy</field>"
        "<field>total</field><field>integrated</field><set><set comment=\"spin 1\">\n"
        "<r> 1.0 2.0 3.0 </r>\n<r> 1.1 two 3.0 </r>\n</set></set></array></total></dos>"
        "</calculation>\n</modeling>\n";
    write_file(p, badrow, strlen(badrow));
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 12: total DOS row"); /* the 12th line of the text above */

    /* errors after a block the reader drops unread (<eigenvalues>, <projected>) still
     * name the line of the file: line 17 of this text (14 in the stream libxml2 sees) */
    const char *after_drop =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<modeling>\n"
        "<incar><i type=\"string\" name=\"SYSTEM\">Fe\xC5 \xE9t\xE9</i></incar>\n"
        "<atominfo>\n<atoms> 1 </atoms>\n<types> 1 </types>\n"
        "<array name=\"atoms\"><field>element</field><field>atomtype</field><set>\n"
        "<rc><c>Fe</c><c>1</c></rc></set></array>\n"
        "<array name=\"atomtypes\"><field>atomspertype</field><field>element</field><set>\n"
        "<rc><c>1</c><c>Fe</c></rc></set></array>\n</atominfo>\n"
        "<calculation><eigenvalues>\n<r> 1 </r>\n<r> 2 </r>\n</eigenvalues>\n"
        "<energy><i name=\"e_fr_energy\"> 1.0 </i>\n<i name=\"e_wo_entrp\"> x </i></energy>\n"
        "</calculation>\n</modeling>\n";
    write_file(p, after_drop, strlen(after_drop));
    CHECK(read_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 17: expected one number"); /* and Latin-1 bytes read fine */

    /* a corrupt gzip stream */
    unsigned char gz[64] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    memcpy(gz + 10, junk, sizeof gz - 10);
    write_file(p, gz, sizeof gz);
    CHECK(read_err(p, &err) != DP_OK);
    CHECK_STR_CONTAINS(err.msg, p);

    CHECK(read_err("/nonexistent/vasprun.xml", &err) == DP_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/vasprun.xml: cannot open");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_vasprun TESTDATA_DIR SHARED_DATA_DIR\n");
        return 2;
    }
    if (!make_tmpdir())
        return 1;
    char p[1024];
    synthetic(argv[1]);
    hostile();
    snprintf(p, sizeof p, "%s/vasp/FeCo-N6/vasprun.xml.gz", argv[1]);
    truncations(p, 300);
    struct stat st;
    if (stat(argv[2], &st) == 0) {
        real_files(argv[2]);
        snprintf(p, sizeof p, "%s/real/pymatgen-core/vasp/vasprun.Al.xml.gz", argv[2]);
        truncations(p, 300);
    } else {
        printf("SKIP (partly): %s is absent; real-file checks need ../shared\n", argv[2]);
    }
    remove_tmpdir();
    return check_report();
}
