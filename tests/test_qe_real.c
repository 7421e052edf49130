/* The QE readers on real files and the QE XML reader (parsers/pwout*.c, parsers/qexml.c):
 *  - synthetic QE XML files with every value known;
 *  - the real pw.x outputs of ../shared/data against tests/reference/
 *    ase_espresso.tsv (ASE 3.22.1's espresso-out reader, plain regular expressions
 *    on the file, and ../shared/data/qe/key_values.json; made by
 *    scripts/reference/ase_espresso.py), and each data/qe case's
 *    data-file-schema.xml against its pw.out.
 * Tolerances: energies 1e-5 eV against ASE (pw.x prints "!" energies to 1e-8 Ry =
 * 1.4e-7 eV; both sides read the same digits, so the margin is for ASE's unit
 * constant, which the test rescales: ASE converts with CODATA 2006, 13.605691933 eV
 * per Ry, dftpost and pw.x >= 6.6 with 13.605693122994, a 2.1e-4 eV difference on
 * Fe2_O2's -2377.7 eV); positions 1e-6 Å; Fermi levels and moments to the digits
 * pw.x prints (4 decimals in eV, 2 for the cell's magnetization).
 * usage: test_qe_real TESTDATA_DIR SHARED_DIR REFERENCE_DIR
 * (without SHARED_DIR/data only the synthetic XML checks run) */
#include "qe_test_common.h"

#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* ---- synthetic XML -------------------------------------------------------- */

/* A QE XML file into *xml (malloc'd, the caller frees). open_memstream writes
 * through the caller's own pointer: gcc 12 takes a buffer returned from a local one
 * for a pointer to that local (-Wdangling-pointer). */
static void gen_xml(char **xml, bool two_ef, bool crystal)
{
    size_t len;
    FILE *f = open_memstream(xml, &len);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<qes:espresso xmlns:qes=\"http://www.quantum-espresso.org/ns/qes/qes-1.0\">\n"
               "  <general_info>\n    <creator NAME=\"PWSCF\" VERSION=\"7.2\">XML file</creator>\n"
               "  </general_info>\n"
               "  <input><atomic_species ntyp=\"1\"><species name=\"Zz\"/></atomic_species></input>\n"
               "  <step n_step=\"1\"><total_energy><etot>1</etot></total_energy></step>\n"
               "  <output>\n"
               "    <convergence_info>\n      <scf_conv><convergence_achieved>true</convergence_achieved></scf_conv>\n"
               "      <opt_conv><convergence_achieved>false</convergence_achieved></opt_conv>\n"
               "    </convergence_info>\n"
               "    <atomic_species ntyp=\"2\">\n"
               "      <species name=\"Fe1\"><mass>5.5845e1</mass><pseudo_file>Fe.pbe.UPF</pseudo_file></species>\n"
               "      <species name=\"O\"><mass>1.6e1</mass><pseudo_file>dir/O.UPF</pseudo_file></species>\n"
               "    </atomic_species>\n"
               "    <atomic_structure nat=\"3\" alat=\"10\">\n"
               "      <%s>\n"
               "        <atom name=\"O\" index=\"1\">1.0 2.0 3.0</atom>\n"
               "        <atom name=\"Fe1\" index=\"2\">0.5e0 0 0</atom>\n"
               "        <atom name=\"O\" index=\"3\">-1 -2 -3</atom>\n"
               "      </%s>\n"
               "      <cell><a1>10 0 0</a1><a2>0 11 0</a2><a3>1 0 12</a3></cell>\n"
               "    </atomic_structure>\n"
               "    <magnetization><lsda>true</lsda><total>2.0</total><absolute>2.5</absolute>\n"
               "      <Scalar_Site_Magnetic_Moments nat=\"3\">\n"
               "        <SiteMagnetization species=\"O\" atom=\"1\" charge=\"6\">0.1</SiteMagnetization>\n"
               "        <SiteMagnetization species=\"Fe\" atom=\"2\" charge=\"6\">1.5</SiteMagnetization>\n"
               "        <SiteMagnetization species=\"O\" atom=\"3\" charge=\"6\">0.2</SiteMagnetization>\n"
               "      </Scalar_Site_Magnetic_Moments>\n"
               "    </magnetization>\n"
               "    <total_energy><etot>-1.0e2</etot><eband>1</eband><demet>-2.0e-3</demet></total_energy>\n"
               "    <band_structure><lsda>true</lsda><noncolin>false</noncolin><spinorbit>false</spinorbit>\n"
               "      %s\n"
               "      <smearing degauss=\"1.0e-2\">mp</smearing>\n"
               "      <ks_energies><k_point>0 0 0</k_point><eigenvalues size=\"2\">1 2</eigenvalues></ks_energies>\n"
               "      <ks_energies><k_point>0 0 0</k_point><eigenvalues size=\"2\">&bad; 2</eigenvalues></ks_energies>\n"
               "    </band_structure>\n"
               "    <forces rank=\"2\" dims=\"3 3\" order=\"F\">0.1 0.2 0.3 0 0 0 -0.1 -0.2 -0.3</forces>\n"
               "  </output>\n  <exit_status>0</exit_status>\n"
               "  <closed DATE=\"26 May 2023\" TIME=\"22:28:32\"></closed>\n</qes:espresso>\n",
            crystal ? "crystal_positions" : "atomic_positions",
            crystal ? "crystal_positions" : "atomic_positions",
            two_ef ? "<two_fermi_energies>-1.0e-1 -2.0e-1</two_fermi_energies>"
                   : "<highestOccupiedLevel>-0.25</highestOccupiedLevel>"
                     "<lowestUnoccupiedLevel>-0.05</lowestUnoccupiedLevel>");
    fclose(f);
}

static void synthetic_xml(void)
{
    const double HA = 2 * RYTOEV;
    for (int v = 0; v < 2; v++) {
        char *x = NULL;
        gen_xml(&x, v == 0, v == 1);
        dp_error err;
        dp_status st;
        /* the dropped <ks_energies> may hold anything, even an undefined entity */
        dp_run *r = read_text(v ? "s2.xml" : "s1.xml", x, strlen(x), NULL, &err, &st);
        if (st != DP_OK)
            fprintf(stderr, "synthetic XML: %s\n", err.msg);
        CHECK(st == DP_OK && r);
        if (r) {
            CHECK(!strcmp(r->program, "pw.x (XML)") && !strcmp(r->version, "7.2"));
            CHECK(r->natoms == 3 && r->ntypes == 2);
            CHECK(!strcmp(r->species[0].symbol, "Fe") && !strcmp(r->species[1].symbol, "O"));
            CHECK(r->atom_type[0] == 1 && r->atom_type[1] == 0 && r->atom_type[2] == 1);
            CHECK(!strcmp(r->species[1].potential, "O.UPF") && r->species[0].mass == 55.845);
            CHECK(isnan(r->species[0].zval));
            CHECK(r->nsteps == 1 && r->nframes == 1 && r->first_frame_step == 0);
            CHECK_NEAR(r->energies[0].e_free, -100 * HA, 1e-9);
            CHECK_NEAR(r->energies[0].e_noentropy, -99.998 * HA, 1e-9);
            CHECK_NEAR(r->energies[0].e_sigma0, -99.999 * HA, 1e-9);
            const dp_frame *f = &r->frames[0];
            CHECK_NEAR(f->lattice[2][0], 1 * BOHR, 1e-12);
            CHECK_NEAR(f->lattice[1][1], 11 * BOHR, 1e-12);
            double c[3];
            cart_of(f, 0, c);
            if (v == 0) {
                CHECK_NEAR(c[0], 1 * BOHR, 1e-12);
                CHECK_NEAR(c[2], 3 * BOHR, 1e-12);
            } else {
                CHECK_NEAR(f->frac[0][1], 2.0, 1e-12);
            }
            CHECK(f->forces != NULL);
            if (f->forces)
                CHECK_NEAR(f->forces[2][1], -0.2 * HA / BOHR, 1e-12);
            CHECK(r->params.ispin == 2 && !r->params.lnoncollinear && r->params.ismear == 1);
            CHECK_NEAR(r->params.sigma, 0.01 * HA, 1e-12);
            if (v == 0) {
                CHECK(r->has_efermi_spin && r->has_efermi && !r->has_homo);
                CHECK_NEAR(r->efermi, -0.1 * HA, 1e-12);
                CHECK_NEAR(r->efermi_spin[1], -0.2 * HA, 1e-12);
            } else {
                CHECK(!r->has_efermi && r->has_homo);
                CHECK_NEAR(r->homo, -0.25 * HA, 1e-12);
                CHECK_NEAR(r->lumo, -0.05 * HA, 1e-12);
            }
            CHECK(r->has_mag_total && r->mag_total == 2.0 && r->mag_abs == 2.5);
            CHECK(r->has_mag && r->mag.ncomp == 1 && r->mag.atom[1] == 1.5);
            CHECK_NEAR(r->mag.total[0], 1.8, 1e-12);
            /* opt_conv false wins over scf_conv true */
            CHECK(r->status.converged == -1 && r->status.complete);
            CHECK(count_warnings_with(r, "geometry optimisation did not converge") == 1);
        }
        dp_run_free(r);
        /* gzip */
        char p[512];
        snprintf(p, sizeof p, "%s/s.xml.gz", tmpdir);
        write_gz_bytes(p, x, strlen(x));
        r = NULL;
        CHECK(dp_read(p, NULL, &r, &err) == DP_OK && r && r->natoms == 3);
        dp_run_free(r);
        /* cut after the output's structure: kept, incomplete */
        size_t cut = (size_t)(strstr(x, "<magnetization>") - x);
        r = read_text("c.xml", x, cut, NULL, &err, &st);
        CHECK(st == DP_OK && r && !r->status.complete && r->nsteps == 0 && r->natoms == 3);
        CHECK(r && count_warnings_with(r, "incomplete file") == 1);
        dp_run_free(r);
        /* every cut: never a crash, an error naming the file or an incomplete run */
        int bad = 0;
        size_t n = strlen(x);
        size_t closed = (size_t)(strstr(x, "</qes:espresso>") - x) + 15;
        for (size_t l = 0; l < n; l += 7) {
            r = read_text("c.xml", x, l, NULL, &err, &st);
            if (st == DP_OK) {
                if (r->status.complete != (l >= closed) || !r->nwarnings)
                    bad++, fprintf(stderr, "xml cut at %zu: complete or no warning\n", l);
            } else if (!strstr(err.msg, "c.xml") || strchr(err.msg, '\n')) {
                bad++, fprintf(stderr, "xml cut at %zu: %s\n", l, err.msg);
            }
            dp_run_free(r);
        }
        CHECK(bad == 0);
        free(x);
    }
}

/* ---- the real files ------------------------------------------------------ */

/* The run of SHARED/file, read once for the rows that name it: a read is a check. */
static dp_run *load(const char *shared, const char *file)
{
    char p[4096];
    int w = snprintf(p, sizeof p, "%s/%s", shared, file);
    if (w < 0 || (size_t)w >= sizeof p) {
        fprintf(stderr, "%s/%s: path too long\n", shared, file);
        check_failed++;
        return NULL;
    }
    if (cached_run && !strcmp(cached_path, p))
        return cached_run;
    dp_error err = {0};
    dp_run *r = cache_read(p, NULL, &err);
    if (!r)
        fprintf(stderr, "%s: %s\n", p, err.msg);
    CHECK(r != NULL);
    return r;
}

static void idx2(const char *idx, int *i, int *axis)
{
    *i = atoi(idx) - 1;
    const char *d = strchr(idx, '.');
    *axis = d ? d[1] - 'x' : -1;
}

/* Shortest distance (no periodic images) between atoms of kinds a and b ("M" is
 * any Fe atom), in the last frame. */
static double shortest(const dp_run *r, const char *a, const char *b)
{
    const dp_frame *f = &r->frames[r->nframes - 1];
    double best = INFINITY;
    for (int i = 0; i < r->natoms; i++)
        for (int j = 0; j < r->natoms; j++) {
            if (i == j)
                continue;
            const char *si = r->species[r->atom_type[i]].symbol;
            const char *sj = r->species[r->atom_type[j]].symbol;
            bool mi = !strcmp(a, "M") ? !strcmp(si, "Fe") : !strcmp(si, a);
            bool mj = !strcmp(b, "M") ? !strcmp(sj, "Fe") : !strcmp(sj, b);
            if (!mi || !mj)
                continue;
            double ci[3], cj[3];
            cart_of(f, i, ci);
            cart_of(f, j, cj);
            double d = sqrt((ci[0] - cj[0]) * (ci[0] - cj[0]) + (ci[1] - cj[1]) * (ci[1] - cj[1]) +
                            (ci[2] - cj[2]) * (ci[2] - cj[2]));
            if (d < best)
                best = d;
        }
    return best;
}

static double angle_hoh(const dp_run *r)
{
    const dp_frame *f = &r->frames[r->nframes - 1];
    int o = -1, h[2], nh = 0;
    for (int i = 0; i < r->natoms; i++) {
        const char *s = r->species[r->atom_type[i]].symbol;
        if (!strcmp(s, "O"))
            o = i;
        else if (!strcmp(s, "H") && nh < 2)
            h[nh++] = i;
    }
    if (o < 0 || nh != 2)
        return NAN;
    double co[3], c1[3], c2[3];
    cart_of(f, o, co);
    cart_of(f, h[0], c1);
    cart_of(f, h[1], c2);
    double u[3], v[3], uv = 0, uu = 0, vv = 0;
    for (int k = 0; k < 3; k++) {
        u[k] = c1[k] - co[k], v[k] = c2[k] - co[k];
        uv += u[k] * v[k], uu += u[k] * u[k], vv += v[k] * v[k];
    }
    return acos(uv / sqrt(uu * vv)) * 180 / M_PI;
}

static double worst_energy; /* largest |dftpost − ASE| (ASE rescaled to RYTOEV), eV */

static void reference(const char *shared, const char *refdir)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/ase_espresso.tsv", refdir);
    FILE *f = fopen(p, "r");
    CHECK(f != NULL);
    if (!f) {
        fprintf(stderr, "cannot open %s\n", p);
        return;
    }
    char line[8192];
    int rows = 0;
    double ase_ry = NAN;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || !strncmp(line, "file\t", 5))
            continue;
        char *c[8];
        if (split_tsv(line, c, 8) != 5)
            continue;
        rows++;
        const char *file = c[0], *q = c[1], *idx = c[2], *src = c[4];
        double v = strtod(c[3], NULL);
        dp_run *r = load(shared, file);
        if (!r)
            continue;
        int fails = check_failed;
        const dp_frame *fr = r->nframes ? &r->frames[r->nframes - 1] : NULL;
        int i, axis;
        if (!strcmp(q, "ase_ry")) {
            ase_ry = v;
        } else if (!strcmp(q, "ase_bohr")) {
            CHECK(fabs(v / BOHR - 1) < 1e-8); /* CODATA 2006 vs 2018: 4.4e-9 */
        } else if (!strcmp(q, "nimages")) {
            CHECK(r->nsteps == (int)v);
        } else if (!strcmp(q, "natoms")) {
            CHECK(r->natoms == (int)v);
        } else if (!strcmp(q, "energy")) {
            int k = atoi(idx) - 1;
            CHECK(k >= 0 && k < r->nsteps && !isnan(ase_ry));
            if (k >= 0 && k < r->nsteps) {
                double want = v / ase_ry * RYTOEV;
                CHECK_NEAR(r->energies[k].e_free, want, 1e-5);
                double d = fabs(r->energies[k].e_free - want);
                if (d > worst_energy)
                    worst_energy = d;
            }
        } else if (!strcmp(q, "symbol")) {
            i = atoi(idx) - 1;
            CHECK(i >= 0 && i < r->natoms && !strcmp(r->species[r->atom_type[i]].symbol, c[3]));
        } else if (!strcmp(q, "pos") || !strcmp(q, "cell") || !strcmp(q, "force")) {
            idx2(idx, &i, &axis);
            CHECK(fr && r->first_frame_step == r->nsteps - 1 && axis >= 0 && axis < 3);
            if (!fr || axis < 0 || axis > 2)
                continue;
            if (q[0] == 'p' && i < r->natoms) {
                double x[3];
                cart_of(fr, i, x);
                CHECK_NEAR(x[axis], v * BOHR / 0.5291772083535413, 1e-6);
            } else if (q[0] == 'c' && i < 3) {
                CHECK_NEAR(fr->lattice[i][axis], v * BOHR / 0.5291772083535413, 1e-6);
            } else if (q[0] == 'f' && i < r->natoms) {
                CHECK(fr->forces != NULL);
                if (fr->forces) /* ASE: Ry/bohr with CODATA 2006 */
                    CHECK_NEAR(fr->forces[i][axis],
                               v * (RYTOEV / BOHR) / (ase_ry / 0.5291772083535413), 1e-6);
            }
        } else if (!strcmp(q, "magmom")) {
            i = atoi(idx) - 1;
            CHECK(r->has_mag && r->mag.ncomp == 1 && i >= 0 && i < r->natoms);
            if (r->has_mag && i >= 0 && i < r->natoms)
                CHECK(r->mag.atom[i] == v);
        } else if (!strcmp(q, "efermi")) {
            /* ASE: "the Fermi energy is", else the highest occupied level */
            CHECK(r->has_efermi ? r->efermi == v : (r->has_homo && r->homo == v));
        } else if (!strcmp(q, "e_Ry")) {
            int k = atoi(idx) - 1;
            CHECK(k >= 0 && k < r->nsteps);
            if (k >= 0 && k < r->nsteps)
                CHECK_NEAR(r->energies[k].e_free, v * RYTOEV, 1e-9);
        } else if (!strcmp(q, "internal_Ry")) {
            int k = atoi(idx) - 1;
            if (k >= 0 && k < r->nsteps)
                CHECK_NEAR(r->energies[k].e_noentropy, v * RYTOEV, 1e-9);
        } else if (!strcmp(q, "ts_Ry")) {
            int k = atoi(idx) - 1;
            /* E = F + TS to the rounding of the three printed numbers */
            if (k >= 0 && k < r->nsteps)
                CHECK_NEAR(r->energies[k].e_free - r->energies[k].e_noentropy, v * RYTOEV,
                           2e-8 * RYTOEV);
        } else if (!strcmp(q, "efermi_spin") || !strcmp(q, "homo") || !strcmp(q, "lumo")) {
            if (q[0] == 'h') {
                CHECK(r->has_homo && r->homo == v);
            } else if (q[0] == 'l') {
                CHECK(r->has_homo && r->lumo == v);
            } else {
                CHECK(r->has_efermi_spin && r->efermi_spin[idx[0] == 'd'] == v);
            }
        } else if (!strcmp(q, "mag_total") || !strcmp(q, "mag_abs")) {
            CHECK(r->has_mag_total);
            /* noncollinear: the length of the printed vector */
            if (!r->params.lnoncollinear || q[4] == 'a')
                CHECK((q[4] == 't' ? r->mag_total : r->mag_abs) == v);
            else
                CHECK(r->mag_total >= fabs(v));
        } else if (!strcmp(q, "job_done")) {
            CHECK(r->status.complete == ((int)v == 1));
        } else if (!strcmp(q, "E_Ry")) {
            CHECK(r->nsteps > 0 && r->energies[r->nsteps - 1].e_free == v * RYTOEV);
        } else if (!strcmp(q, "E_eV")) {
            CHECK_NEAR(r->energies[r->nsteps - 1].e_free, v, 1e-9);
        } else if (!strcmp(q, "Ef_eV")) {
            if (!*idx)
                CHECK(r->has_efermi && !r->has_efermi_spin && r->efermi == v);
            else
                CHECK(r->has_efermi_spin && r->efermi_spin[idx[0] == 'd'] == v);
        } else if (!strcmp(q, "tot_mag") || !strcmp(q, "abs_mag")) {
            CHECK(r->has_mag_total && (q[0] == 't' ? r->mag_total : r->mag_abs) == v);
        } else if (!strcmp(q, "nspin")) {
            CHECK(r->params.ispin == (int)v);
        } else if (!strcmp(q, "relax_converged")) {
            CHECK(r->status.converged == ((int)v ? 1 : -1));
        } else if (!strcmp(q, "geom")) {
            double got;
            if (!strcmp(idx, "H-O-H_deg")) {
                got = angle_hoh(r);
                CHECK_NEAR(got, v, 0.005 + 1e-9); /* 2 decimals in the file */
            } else {
                char a[8], b[8];
                CHECK(sscanf(idx, "%7[^-]-%7s", a, b) == 2);
                got = shortest(r, a, b);
                CHECK_NEAR(got, v, 0.00005 + 1e-9); /* 4 decimals in the file */
            }
        } else {
            fprintf(stderr, "unknown reference row: %s %s (%s)\n", file, q, src);
            CHECK(0);
        }
        if (check_failed != fails)
            fprintf(stderr, "  (row: %s %s %s %s %s)\n", file, q, idx, c[3], src);
    }
    fclose(f);
    cache_clear();
    printf("ase_espresso.tsv: %d rows; largest |e_free - ASE| (ASE rescaled to RYTOEV) = %.3g eV\n",
           rows, worst_energy);
    CHECK(rows > 500);
}

static double worst_xml_e, worst_xml_pos;

/* The data-file-schema.xml of each data/qe case against its pw.out. */
static void xml_vs_pwout(const char *shared)
{
    const char *cases[] = {"O2", "N2", "H2", "H2O", "Fe1", "Fe2", "Fe1_O2", "Fe2_O2",
                           "Fe2_O2_chg_AB", "Fe2_O2_chg_Fe2", "Fe2_O2_chg_O2", "H2O_ph"};
    int n = 0;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char px[1024], po[1024];
        snprintf(px, sizeof px, "%s/data/qe/%s/data-file-schema.xml", shared, cases[k]);
        snprintf(po, sizeof po, "%s/data/qe/%s/pw.out", shared, cases[k]);
        dp_run *x = NULL, *o = NULL;
        dp_error err;
        CHECK(dp_read(px, NULL, &x, &err) == DP_OK);
        CHECK(dp_read(po, NULL, &o, &err) == DP_OK);
        if (!x || !o) {
            dp_run_free(x);
            dp_run_free(o);
            continue;
        }
        int fails = check_failed;
        CHECK(!strcmp(x->program, "pw.x (XML)") && !strcmp(x->version, o->version));
        CHECK(x->natoms == o->natoms && x->ntypes == o->ntypes && x->nsteps == 1);
        const dp_energies *ex = &x->energies[0], *eo = &o->energies[o->nsteps - 1];
        if (fabs(ex->e_free - eo->e_free) > worst_xml_e)
            worst_xml_e = fabs(ex->e_free - eo->e_free);
        /* pw.out prints 8 decimals in Ry: half a unit is 6.8e-8 eV */
        CHECK_NEAR(ex->e_free, eo->e_free, 1e-7);
        CHECK_NEAR(ex->e_noentropy, eo->e_noentropy, 2e-7);
        CHECK_NEAR(ex->e_sigma0, eo->e_sigma0, 2e-7);
        const dp_frame *fx = &x->frames[0], *fo = &o->frames[o->nframes - 1];
        /* pw.out: positions 10 decimals in Å (relax) or 7 in alat units (scf); the
         * cell 6 decimals in alat units, celldm(1) 6 decimals in bohr */
        double alat = sqrt(fx->lattice[0][0] * fx->lattice[0][0] +
                           fx->lattice[0][1] * fx->lattice[0][1] +
                           fx->lattice[0][2] * fx->lattice[0][2]);
        double tol = 6e-7 * alat + 1e-9;
        for (int i = 0; i < 3; i++)
            for (int c = 0; c < 3; c++)
                CHECK_NEAR(fx->lattice[i][c], fo->lattice[i][c], tol);
        for (int a = 0; a < x->natoms && a < o->natoms; a++) {
            CHECK(!strcmp(x->species[x->atom_type[a]].symbol, o->species[o->atom_type[a]].symbol));
            double cx[3], co[3];
            cart_of(fx, a, cx);
            cart_of(fo, a, co);
            for (int c = 0; c < 3; c++) {
                CHECK_NEAR(cx[c], co[c], tol);
                if (fabs(cx[c] - co[c]) > worst_xml_pos)
                    worst_xml_pos = fabs(cx[c] - co[c]);
            }
            if (fx->forces && fo->forces)
                for (int c = 0; c < 3; c++) /* 8 decimals in Ry/bohr */
                    CHECK_NEAR(fx->forces[a][c], fo->forces[a][c], 1e-7 * RYTOEV / BOHR);
        }
        CHECK(fx->forces != NULL && fo->forces != NULL);
        CHECK(x->has_efermi == o->has_efermi && x->has_efermi_spin == o->has_efermi_spin);
        if (x->has_efermi)
            CHECK_NEAR(x->efermi, o->efermi, 5e-5 + 1e-9); /* 4 decimals */
        if (x->has_efermi_spin)
            for (int s = 0; s < 2; s++)
                CHECK_NEAR(x->efermi_spin[s], o->efermi_spin[s], 5e-5 + 1e-9);
        CHECK(x->has_mag_total == o->has_mag_total);
        if (x->has_mag_total) {
            CHECK_NEAR(x->mag_total, o->mag_total, 0.005 + 1e-9); /* 2 decimals */
            CHECK_NEAR(x->mag_abs, o->mag_abs, 0.005 + 1e-9);
        }
        CHECK(x->params.ispin == o->params.ispin);
        CHECK_NEAR(x->params.sigma, o->params.sigma, 1e-12);
        CHECK(x->status.converged == o->status.converged && x->status.complete);
        for (int t = 0; t < x->ntypes && t < o->ntypes; t++) {
            CHECK(!strcmp(x->species[t].potential, o->species[t].potential));
            CHECK(x->species[t].mass == o->species[t].mass);
        }
        if (check_failed != fails)
            fprintf(stderr, "  (XML vs pw.out of %s)\n", cases[k]);
        n++;
        dp_run_free(x);
        dp_run_free(o);
    }
    printf("XML vs pw.out: %d cases; largest differences: e_free %.3g eV, positions %.3g A\n",
           n, worst_xml_e, worst_xml_pos);
    /* the QE 7.0 XML of pymatgen-io-espresso: values stated in its file */
    char p[1024];
    snprintf(p, sizeof p, "%s/data/real/pymatgen-io-espresso/FeO/scf.xml", shared);
    dp_run *r = NULL;
    dp_error err;
    CHECK(dp_read(p, NULL, &r, &err) == DP_OK && r);
    if (r) {
        CHECK(!strcmp(r->version, "7.0") && r->natoms == 4 && r->ntypes == 3);
        CHECK(!strcmp(r->species[0].symbol, "Fe") && !strcmp(r->species[1].symbol, "Fe") &&
              !strcmp(r->species[2].symbol, "O"));
        CHECK_NEAR(r->energies[0].e_free, -2.761034262042910e2 * 2 * RYTOEV, 1e-9);
        CHECK_NEAR(r->energies[0].e_noentropy,
                   (-2.761034262042910e2 + 8.047169989994906e-4) * 2 * RYTOEV, 1e-9);
        CHECK_NEAR(r->efermi, 5.949320900919718e-1 * 2 * RYTOEV, 1e-9);
        CHECK(r->params.ispin == 2 && r->has_mag && r->mag.atom[1] == -3.303959333433145e0);
        CHECK(r->mag_total == -9.372615228830927e-5 && r->mag_abs == 7.533394417352826e0);
        CHECK_NEAR(r->params.sigma, 0.01 * 2 * RYTOEV, 1e-12);
        /* the cell: fcc-like, 8.19 bohr columns */
        CHECK_NEAR(r->frames[0].lattice[0][2], 8.19 * BOHR, 1e-12);
        CHECK(r->status.complete && r->status.converged == 1);
    }
    dp_run_free(r);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_qe_real TESTDATA_DIR SHARED_DIR REFERENCE_DIR\n");
        return 2;
    }
    if (!make_tmpdir())
        return 1;
    synthetic_xml();
    struct stat st;
    char data[1024];
    snprintf(data, sizeof data, "%s/data", argv[2]);
    bool have_shared = stat(data, &st) == 0;
    if (have_shared) {
        reference(argv[2], argv[3]);
        xml_vs_pwout(argv[2]);
    }
    remove_tmpdir();
    if (!have_shared)
        printf("NOTE: %s is absent: the real-file checks (ASE, key_values.json, XML vs "
               "pw.out) were not run\n", data);
    return check_report();
}
