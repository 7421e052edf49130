/* The pw.x output reader (parsers/pwout*.c):
 *  - synthetic pw.x outputs written here in the 5.x/6.1, 6.7 and 7.x layouts (relax,
 *    vc-relax, smearing or not, LSDA with one or two Fermi energies, HOMO/LUMO,
 *    noncollinear, hybrid functionals, runs that fail in several ways), with every
 *    value known;
 *  - hostile input (empty, garbage, absurd counts, DTDs, entities, cut XML);
 *  - truncation: every prefix of a file reads as a run keeping its complete steps
 *    (the same energies and structures as the whole file) or fails with one line
 *    naming the file; never a crash — on the synthetic files and, when ../shared is
 *    there, on two real pw.x outputs and a gzip one cut in its compressed stream.
 * The real files against ASE and the XML reader are in test_qe_real.c.
 * usage: test_qe_pw TESTDATA_DIR SHARED_DIR REFERENCE_DIR
 * (without SHARED_DIR/data only the synthetic checks run: they always can, so the
 * test never exits 77) */
#include "qe_test_common.h"

#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pwout_gen.h"

static void check_gen_run(const dp_run *r, const gen *g, bool all_frames, const char *what)
{
    int fails = check_failed;
    CHECK(!strcmp(r->program, "pw.x"));
    CHECK(!strcmp(r->version, g->version == 51 ? "6.1" : g->version == 67 ? "6.7MaX" : "7.2"));
    CHECK(r->natoms == NAT && r->ntypes == 3);
    if (r->natoms != NAT || r->ntypes != 3)
        return;
    CHECK(!strcmp(r->species[0].symbol, "O") && !strcmp(r->species[1].symbol, "Fe") &&
          !strcmp(r->species[2].symbol, "Fe"));
    CHECK(r->species[0].count == 2 && r->species[1].count == 1 && r->species[2].count == 1);
    for (int a = 0; a < NAT; a++)
        CHECK(r->atom_type[a] == TYPE[a]);
    CHECK(r->species[0].zval == 6 && r->species[2].zval == 16 && r->species[1].mass == 55.845);
    CHECK(!strcmp(r->species[0].potential, "O.pbe-rrkjus.UPF"));
    CHECK(!strcmp(r->species[1].potential, "Fe.pbe-nd-rrkjus.UPF"));
    CHECK(!strcmp(r->species[2].potential, "Fe.pbe-spn.UPF"));
    CHECK(r->nsteps == g->ne);
    for (int k = 0; k < r->nsteps && k < g->ne; k++) {
        CHECK_NEAR(r->energies[k].e_free, g->e_free[k], 1e-9);
        CHECK_NEAR(r->energies[k].e_noentropy, g->e_noent[k], 1e-9);
        CHECK_NEAR(r->energies[k].e_sigma0, 0.5 * (g->e_free[k] + g->e_noent[k]), 1e-9);
        CHECK(isnan(r->energies[k].e_sigma0_raw));
    }
    /* frames: -1 the initial structure, k that of energy k */
    if (all_frames) {
        CHECK(r->nframes == g->ne + 1 && r->first_frame_step == -1);
    } else {
        CHECK(r->nframes == 1 && r->first_frame_step == g->ne - 1);
    }
    for (int i = 0; i < r->nframes; i++) {
        int step = r->first_frame_step + i;
        int geo = step < 0 ? 0 : step;
        const dp_frame *fr = &r->frames[i];
        for (int a = 0; a < NAT; a++) {
            double c[3];
            cart_of(fr, a, c);
            for (int k = 0; k < 3; k++)
                CHECK_NEAR(c[k], g->cart[geo][a][k], 1e-9);
        }
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++)
                CHECK_NEAR(fr->lattice[j][k], g->lat[geo][j][k], 1e-9);
        if (step >= 0) {
            CHECK(fr->forces != NULL);
            for (int a = 0; fr->forces && a < NAT; a++)
                for (int k = 0; k < 3; k++)
                    CHECK_NEAR(fr->forces[a][k], g->force[step][a][k], 1e-9);
        }
        /* if_pos flags from the ATOMIC_POSITIONS blocks (not for the initial one) */
        if (geo > 0 && g->movable_flags) {
            CHECK(fr->movable != NULL);
            if (fr->movable)
                CHECK(fr->movable[1][0] == 0 && fr->movable[0][2] == 1);
        }
    }
    /* values of the last step */
    if (g->two_ef) {
        CHECK(r->has_efermi_spin && r->has_efermi);
        CHECK(r->efermi_spin[0] == g->ef[0] && r->efermi_spin[1] == g->ef[1]);
        CHECK(r->efermi == g->efermi);
    } else if (g->homo) {
        CHECK(r->has_homo && !r->has_efermi && r->homo == g->homo_v);
        CHECK(g->lumo ? r->lumo == g->lumo_v : isnan(r->lumo));
    } else {
        CHECK(r->has_efermi && !r->has_efermi_spin && r->efermi == g->efermi);
    }
    if (g->lsda || g->ncl) {
        CHECK(r->has_mag_total);
        CHECK_NEAR(r->mag_total, g->mtot, 1e-12);
        CHECK(r->mag_abs == g->mabs);
        CHECK(r->has_mag && r->mag.ncomp == g->site_ncomp && r->mag.ncols == 1 &&
              !strcmp(r->mag.cols[0], "tot"));
        for (int c = 0; r->has_mag && c < r->mag.ncomp && c < 3; c++) {
            double sum = 0;
            for (int a = 0; a < NAT; a++) {
                CHECK(r->mag.atom[c * NAT + a] == g->site[c][a]);
                sum += g->site[c][a];
            }
            CHECK_NEAR(r->mag.total[c], sum, 1e-12);
        }
    } else {
        CHECK(!r->has_mag_total && !r->has_mag);
    }
    CHECK(r->params.ispin == (g->lsda ? 2 : 1));
    CHECK(r->params.lnoncollinear == g->ncl);
    CHECK(g->smear ? fabs(r->params.sigma - 0.02 * RYTOEV) < 1e-12 : r->params.sigma == 0);
    CHECK(r->params.lorbit == -1);
    if (check_failed != fails)
        fprintf(stderr, "  (in %s)\n", what);
}

static void synthetic_case(const char *what, gen g, bool gz)
{
    size_t n;
    char *text = gen_pwout(&g, &n);
    dp_error err;
    dp_status st;
    char name[64];
    snprintf(name, sizeof name, "synthetic.out%s", gz ? ".gz" : "");
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    dp_run *r = NULL;
    if (gz) {
        write_gz_bytes(p, text, n);
        err.msg[0] = '\0';
        st = dp_read(p, NULL, &r, &err);
    } else {
        r = read_text(name, text, n, NULL, &err, &st);
    }
    if (st != DP_OK)
        fprintf(stderr, "%s: unexpected error: %s\n", what, err.msg);
    CHECK(st == DP_OK);
    if (r) {
        check_gen_run(r, &g, false, what);
        bool failed = g.end == 1 || g.end == 2 || g.end == 3;
        CHECK(r->status.converged == (failed ? -1 : 1));
        CHECK(r->status.complete == (g.end != 4));
        if (g.end == 0)
            CHECK(r->nwarnings == 0);
        if (g.end == 1)
            CHECK(count_warnings_with(r, "SCF did not converge") == 1);
        if (g.end == 2)
            CHECK(count_warnings_with(r, "bfgs failed") == 1);
        if (g.end == 3)
            CHECK(count_warnings_with(r, "maximum number of steps") == 1);
        if (g.end == 4) {
            CHECK_STR_CONTAINS(r->status.missing, "JOB DONE (pw.x stopped with \"Error in routine "
                                                  "c_bands (1): too many bands are not converged\"");
            CHECK(count_warnings_with(r, "incomplete file") == 1);
        }
    }
    dp_run_free(r);
    /* every frame */
    dp_read_opts all = {.all_frames = true};
    r = NULL;
    if (gz)
        st = dp_read(p, &all, &r, &err);
    else
        r = read_text(name, text, n, &all, &err, &st);
    CHECK(st == DP_OK);
    if (r)
        check_gen_run(r, &g, true, what);
    dp_run_free(r);
    /* dp_pwout_read directly: the same */
    r = NULL;
    st = dp_pwout_read(p, NULL, &r, &err);
    CHECK(st == DP_OK && r && r->nsteps == g.ne);
    dp_run_free(r);
    free(text);
}

static void synthetic(void)
{
    gen base = {.version = 67, .nsteps = 4, .smear = true, .lsda = true, .two_ef = true,
                .unit = "angstrom"};
    synthetic_case("6.7 relax, smearing, LSDA, two Fermi energies", base, false);
    synthetic_case("the same, gzip", base, true);
    gen g = base;
    g.version = 51;
    g.unit = "bohr";
    g.two_ef = false;
    synthetic_case("6.1 layout (smearing term after the terms), bohr", g, false);
    g = base;
    g.version = 72;
    g.unit = "alat";
    synthetic_case("7.x site moments, alat", g, false);
    g = base;
    g.vc = true;
    g.unit = "crystal";
    synthetic_case("vc-relax, crystal", g, false);
    g = base;
    g.smear = false;
    g.lsda = false;
    g.two_ef = false;
    g.homo = true;
    synthetic_case("no smearing, HOMO", g, false);
    g.lumo = true;
    g.nsteps = 1;
    synthetic_case("scf, HOMO and LUMO", g, false);
    g = base;
    g.lsda = false;
    g.two_ef = false;
    g.ncl = true;
    synthetic_case("noncollinear", g, false);
    g = base;
    g.exx = true;
    synthetic_case("hybrid functional (\"!!\")", g, false);
    for (int end = 1; end <= 4; end++) {
        g = base;
        g.end = end;
        char what[64];
        snprintf(what, sizeof what, "a run that fails (%d)", end);
        synthetic_case(what, g, false);
    }

    /* details the generator does not vary */
    size_t n;
    g = base;
    char *text = gen_pwout(&g, &n);
    dp_error err;
    dp_status st;
    /* a second run appended: only the first is read, with a warning */
    size_t n2 = 2 * n;
    char *two = malloc(n2 + 1);
    memcpy(two, text, n);
    memcpy(two + n, text, n);
    two[n2] = '\0';
    dp_run *r = read_text("two.out", two, n2, NULL, &err, &st);
    CHECK(st == DP_OK && r && r->nsteps == g.ne && r->status.complete);
    CHECK(count_warnings_with(r, "a second pw.x run starts here") == 1);
    dp_run_free(r);
    free(two);
    /* "*****" for an energy: NaN, one warning */
    char *stars = replace_first(text, "-100.12345678 Ry\n     estimated", "************* Ry\n     estimated");
    r = read_text("stars.out", stars, strlen(stars), NULL, &err, &st);
    CHECK(st == DP_OK && r && r->nsteps == g.ne && isnan(r->energies[0].e_free));
    CHECK(count_warnings_with(r, "overflowed") == 1);
    dp_run_free(r);
    free(stars);
    /* CRLF line ends */
    char *crlf = malloc(2 * n + 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n')
            crlf[m++] = '\r';
        crlf[m++] = text[i];
    }
    r = read_text("crlf.out", crlf, m, NULL, &err, &st);
    CHECK(st == DP_OK && r && r->nsteps == g.ne && r->status.complete);
    if (r)
        check_gen_run(r, &g, false, "CRLF");
    dp_run_free(r);
    free(crlf);
    /* a label that is no species */
    char *bad = replace_first(text, "        Fe2           16.00", "        Xq2           16.00");
    r = read_text("bad.out", bad, strlen(bad), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "bad.out: line ");
    CHECK_STR_CONTAINS(err.msg, "species Xq2: no element");
    dp_run_free(r);
    free(bad);
    /* a short positions table */
    bad = replace_first(text, "         4        O      tau(   4)", "\n     number of k points=     1");
    r = read_text("bad.out", bad, strlen(bad), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "atomic positions have 3 rows");
    dp_run_free(r);
    free(bad);
    /* an ATOMIC_POSITIONS block with atoms in another order */
    bad = replace_first(text, "\nFe1   ", "\nO     ");
    r = read_text("bad.out", bad, strlen(bad), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "ATOMIC_POSITIONS row 1 is a \"O\", atom 1 is a \"Fe1\"");
    dp_run_free(r);
    free(bad);
    /* absurd counts are refused before anything is allocated */
    bad = replace_first(text, "number of atoms/cell      =            4",
                  "number of atoms/cell      = 999999999999");
    r = read_text("bad.out", bad, strlen(bad), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "number of atoms/cell = 1e+12 is out of range");
    dp_run_free(r);
    free(bad);
    bad = replace_first(text, "number of atomic types    =            3",
                  "number of atomic types    =           -3");
    r = read_text("bad.out", bad, strlen(bad), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "number of atomic types = -3 is out of range");
    dp_run_free(r);
    free(bad);
    /* a count far above the rows that follow: refused, nothing big allocated first */
    bad = replace_first(text, "number of atoms/cell      =            4",
                  "number of atoms/cell      =      9999999");
    r = read_text("bad.out", bad, strlen(bad), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "atomic positions have 4 rows, \"number of atoms/cell\" = 9999999");
    dp_run_free(r);
    free(bad);
    /* a row longer than the line buffer */
    size_t lp = (size_t)(strstr(text, "ATOMIC_POSITIONS (angstrom)\n") - text) + 28;
    char *longrow = malloc(n + 70000);
    memcpy(longrow, text, lp);
    memset(longrow + lp, ' ', 69000);
    strcpy(longrow + lp + 69000, text + lp);
    r = read_text("bad.out", longrow, strlen(longrow), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "ATOMIC_POSITIONS: line longer than 65536 characters");
    dp_run_free(r);
    free(longrow);
    /* an input echo before the header is no step of the run */
    char *echo = replace_first(text, "     Reading input from pw.in\n",
                         "     Reading input from pw.in\nATOMIC_POSITIONS angstrom\nO 1 2 3\n"
                         "CELL_PARAMETERS angstrom\n1 0 0\n0 1 0\n0 0 1\n");
    r = read_text("echo.out", echo, strlen(echo), NULL, &err, &st);
    CHECK(st == DP_OK && r);
    if (r)
        check_gen_run(r, &g, false, "input echo");
    dp_run_free(r);
    free(echo);
    /* an nscf run: no "!" energy, the Fermi level of "End of band structure calculation" */
    const char *at = strstr(text, "\n     Self-consistent Calculation");
    const char *ef = strstr(text, "     the spin up/dw Fermi energies are");
    char *nscf = malloc(n + 200);
    size_t h = (size_t)(at - text);
    memcpy(nscf, text, h);
    size_t l = (size_t)snprintf(nscf + h, 200, "\n     Band Structure Calculation\n\n"
                                                "     End of band structure calculation\n\n");
    size_t efl = strcspn(ef, "\n") + 1;
    memcpy(nscf + h + l, ef, efl);
    snprintf(nscf + h + l + efl, 200, "\n   JOB DONE.\n");
    r = read_text("nscf.out", nscf, strlen(nscf), NULL, &err, &st);
    CHECK(st == DP_OK && r && r->nsteps == 0 && r->nframes == 1 && r->first_frame_step == -1);
    CHECK(r && r->has_efermi_spin && r->efermi_spin[0] == -2.8216 && r->status.complete);
    dp_run_free(r);
    free(nscf);
    free(text);
}

/* ---- truncation ---------------------------------------------------------- */

static bool same_frame(const dp_frame *a, const dp_frame *b, int natoms)
{
    size_t n = (size_t)natoms;
    return !memcmp(a->frac, b->frac, sizeof *a->frac * n) &&
           !memcmp(a->lattice, b->lattice, sizeof a->lattice) &&
           (!a->forces || (b->forces && !memcmp(a->forces, b->forces, sizeof *a->forces * n)));
}

/* Every prefix of a file (cut every `step` bytes, and just before JOB DONE) reads as
 * DP_OK, incomplete, with the steps it completed — the same energies (to 2e-7 eV:
 * a cut between "smearing contrib." and "internal energy" computes E = F + TS
 * from the printed F and -TS, which pw.x rounds separately) and the same
 * structure as the whole file's — or fails with a message naming the file. */
static void truncations(const char *label, const char *whole, size_t n, size_t step, bool gz)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cut%s", tmpdir, gz ? ".out.gz" : ".out");
    write_file(path, whole, n);
    dp_read_opts all = {.all_frames = true};
    dp_run *full = NULL;
    dp_error err = {0};
    dp_status st = dp_read(path, &all, &full, &err);
    CHECK(st == DP_OK);
    if (!full) {
        fprintf(stderr, "%s: %s\n", label, err.msg);
        return;
    }
    size_t done_at = mark_at(whole, n, gz, "JOB DONE");
    int ok = 0, failed = 0, bad = 0, cuts = 0;
    size_t m, *lens = cut_lengths(n, step, done_at, &m);
    for (size_t c = 0; c < m; c++) {
        size_t l = lens[c];
        cuts++;
        write_file(path, whole, l);
        dp_run *r = NULL;
        err.msg[0] = '\0';
        st = dp_read(path, NULL, &r, &err);
        if (st == DP_OK) {
            ok++;
            if (r->nsteps > full->nsteps || (l < done_at && r->status.complete) ||
                (l == n && r->status.complete != full->status.complete))
                bad++, fprintf(stderr, "%s: cut at %zu: nsteps %d complete %d\n", label, l,
                               r->nsteps, r->status.complete);
            for (int i = 0; i < r->nsteps && i < full->nsteps; i++) {
                const dp_energies *a = &r->energies[i], *b = &full->energies[i];
                if (memcmp(&a->e_free, &b->e_free, sizeof a->e_free) ||
                    !(fabs(a->e_noentropy - b->e_noentropy) <= 2e-7))
                    bad++, fprintf(stderr, "%s: cut at %zu: energy %d differs\n", label, l, i);
            }
            /* the structure kept is the full file's of the same step */
            int f = r->first_frame_step - full->first_frame_step;
            if (r->nframes != 1 || r->first_frame_step != r->nsteps - 1 || f < 0 ||
                f >= full->nframes || !same_frame(&r->frames[0], &full->frames[f], r->natoms))
                bad++, fprintf(stderr, "%s: cut at %zu: frame of step %d differs\n", label, l,
                               r->first_frame_step);
            if (!r->status.complete &&
                (r->nwarnings < 1 || !strstr(r->status.missing, "JOB DONE (")))
                bad++, fprintf(stderr, "%s: cut at %zu: no warning or missing \"%s\"\n", label,
                               l, r->status.missing);
        } else {
            failed++;
            if (!strstr(err.msg, path) || strchr(err.msg, '\n') ||
                (st != DP_ERR_FORMAT && st != DP_ERR_IO))
                bad++, fprintf(stderr, "%s: bad error for cut at %zu: %s\n", label, l, err.msg);
        }
        dp_run_free(r);
    }
    free(lens);
    printf("%s: %d cuts: %d read as incomplete runs, %d refused\n", label, cuts, ok, failed);
    CHECK(bad == 0);
    CHECK(ok > cuts / 3);
    dp_run_free(full);
}

/* ---- hostile input ------------------------------------------------------- */

static void expect_error(const char *name, const void *data, size_t n, const char *needle)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    write_file(p, data, n);
    dp_run *r = NULL;
    dp_error err = {0};
    dp_status st = dp_read(p, NULL, &r, &err);
    CHECK(st != DP_OK && r == NULL);
    CHECK_STR_CONTAINS(err.msg, p);
    CHECK_STR_CONTAINS(err.msg, needle);
    CHECK(strchr(err.msg, '\n') == NULL);
    dp_run_free(r);
    /* the readers called directly say the same kind of thing */
    r = NULL;
    if (strstr(name, ".xml"))
        st = dp_qexml_read(p, NULL, &r, &err);
    else
        st = dp_pwout_read(p, NULL, &r, &err);
    CHECK(st != DP_OK && r == NULL);
    CHECK_STR_CONTAINS(err.msg, p);
}

static void hostile(void)
{
    char p[512];
    dp_run *r = NULL;
    dp_error err;
    snprintf(p, sizeof p, "%s/empty.out", tmpdir);
    write_file(p, "", 0);
    CHECK(dp_pwout_read(p, NULL, &r, &err) == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "empty.out: file is empty");
    CHECK(dp_qexml_read(p, NULL, &r, &err) == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "empty.out");
    snprintf(p, sizeof p, "%s/missing.out", tmpdir);
    CHECK(dp_pwout_read(p, NULL, &r, &err) == DP_ERR_IO && !r);
    CHECK_STR_CONTAINS(err.msg, "missing.out: cannot open");
    CHECK(dp_qexml_read(p, NULL, &r, &err) == DP_ERR_IO && !r);
    const char junk[] = "\x01\x02 binary \xff\xfe garbage\n\n\x7f";
    expect_error("junk.out", junk, sizeof junk, "unrecognised");
    snprintf(p, sizeof p, "%s/junk.out", tmpdir);
    CHECK(dp_pwout_read(p, NULL, &r, &err) == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "not a pw.x output");
    const char head[] = "\n     Program PWSCF v.6.7MaX starts on 26Nov2026\n"
                        "     number of atoms/cell      =            2\n";
    expect_error("head.out", head, strlen(head), "file ends before the atom list");
    const char nocounts[] = "     Program PWSCF v.7.2 starts\n"
                            "     atomic species   valence    mass     pseudopotential\n";
    expect_error("nocounts.out", nocounts, strlen(nocounts),
                 "line 2: the species table before \"number of atoms/cell\"");
    /* a very long line is cut, not a problem */
    size_t big = 300000;
    char *longl = malloc(big + 200);
    if (!longl) {
        perror("malloc");
        exit(1);
    }
    int w = sprintf(longl, "     Program PWSCF v.6.7MaX starts\n");
    memset(longl + w, 'x', big);
    strcpy(longl + w + big, "\n");
    expect_error("long.out", longl, strlen(longl), "file ends before the atom list");
    free(longl);

    /* XML */
    const char notxml[] = "<?xml version=\"1.0\"?>\n<qes:espresso xmlns:qes=\"x\"><general_info";
    expect_error("cut.xml", notxml, strlen(notxml), "the file ends before the structure");
    const char dtd[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\">"
                       "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
                       "<qes:espresso xmlns:qes=\"x\"><general_info>&b;</general_info>"
                       "</qes:espresso>\n";
    expect_error("dtd.xml", dtd, strlen(dtd), "a DTD is not allowed");
    const char ent[] = "<?xml version=\"1.0\"?>\n<qes:espresso xmlns:qes=\"x\"><output>"
                       "<total_energy><etot>&undefined;</etot></total_energy></output>"
                       "</qes:espresso>\n";
    snprintf(p, sizeof p, "%s/ent.xml", tmpdir);
    write_file(p, ent, strlen(ent));
    r = NULL;
    dp_status st = dp_qexml_read(p, NULL, &r, &err);
    CHECK(st != DP_OK && !r);
    CHECK_STR_CONTAINS(err.msg, "ent.xml");
    dp_run_free(r);
    const char other[] = "<?xml version=\"1.0\"?>\n<modeling><x/></modeling>\n";
    snprintf(p, sizeof p, "%s/other.xml", tmpdir);
    write_file(p, other, strlen(other));
    CHECK(dp_qexml_read(p, NULL, &r, &err) == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "not a QE XML file (root element <modeling>");
    const char noout[] = "<?xml version=\"1.0\"?>\n<qes:espresso xmlns:qes=\"x\">"
                         "<general_info><creator NAME=\"PWSCF\" VERSION=\"7.2\"/></general_info>"
                         "</qes:espresso>\n";
    expect_error("noout.xml", noout, strlen(noout), "no <output> with <atomic_species>");
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_qe_pw TESTDATA_DIR SHARED_DIR REFERENCE_DIR\n");
        return 2;
    }
    if (!make_tmpdir())
        return 1;
    synthetic();
    hostile();
    gen g = {.version = 67, .nsteps = 3, .smear = true, .lsda = true, .two_ef = true,
             .unit = "angstrom"};
    size_t n;
    char *text = gen_pwout(&g, &n);
    truncations("synthetic relax", text, n, 7, false);
    free(text);
    g.vc = true;
    g.version = 51;
    g.unit = "crystal";
    text = gen_pwout(&g, &n);
    truncations("synthetic vc-relax (6.1 layout)", text, n, 11, false);
    free(text);

    bool have_shared = false;
    struct stat st;
    char data[1024];
    snprintf(data, sizeof data, "%s/data", argv[2]);
    if (stat(data, &st) == 0) {
        have_shared = true;
        char p[1024];
        const char *sweep[] = {"data/qe/Fe1_O2/pw.out", "data/real/q-e/test-suite/"
                                                        "benchmark.out.git.inp=relax.in"};
        for (int k = 0; k < 2; k++) {
            snprintf(p, sizeof p, "%s/%s", argv[2], sweep[k]);
            char *whole = slurp(p, &n);
            CHECK(whole != NULL);
            if (whole)
                truncations(sweep[k], whole, n, k ? 61 : 149, false);
            free(whole);
        }
        /* a gzip file cut anywhere in its compressed stream */
        snprintf(p, sizeof p, "%s/data/qe/O2/pw.out", argv[2]);
        char *whole = slurp(p, &n);
        if (whole) {
            char gzp[600];
            snprintf(gzp, sizeof gzp, "%s/o2.out.gz", tmpdir);
            write_gz_bytes(gzp, whole, n);
            size_t gn = 0;
            char *gzraw = slurp_raw(gzp, &gn);
            if (gzraw)
                truncations("O2/pw.out gzip (compressed bytes)", gzraw, gn, 97, true);
            free(gzraw);
        }
        free(whole);
    }
    remove_tmpdir();
    /* Without ../shared the synthetic, hostile and truncation checks still run, so
     * the test passes or fails on them rather than reporting a skip. */
    if (!have_shared)
        printf("NOTE: %s is absent: the real-file truncation sweeps were not run\n", data);
    return check_report();
}

