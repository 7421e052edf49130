/* The OUTCAR reader: synthetic files with known contents (written here, in both the
 * VASP 5.4+ and the VASP 5.2.2 order of blocks), hostile input, truncation at many
 * bytes, the real files of ../shared/data/real against tests/reference/
 * pymatgen_outcar.tsv (pymatgen's Outcar, ASE's vasp-out reader, and the file text;
 * made by scripts/reference/pymatgen_outcar.py) and the values stated in
 * ../shared/data/real/PROVENANCE.md.
 * usage: test_outcar TESTDATA_DIR SHARED_DATA_DIR REFERENCE_DIR
 * (exit 77 when SHARED_DATA_DIR is absent and everything that needs no shared data
 * passed) */
#include "check.h"
#include "dftpost.h"
#include "test_util.h"

#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* ---- helpers ------------------------------------------------------------- */

/* dp_outcar_read directly (dp_read would refuse non-OUTCARs before it). */
static dp_status outcar_err(const char *path, dp_error *err)
{
    dp_run *r = NULL;
    err->msg[0] = '\0';
    dp_status st = dp_outcar_read(path, NULL, &r, err);
    CHECK((st == DP_OK) == (r != NULL));
    dp_run_free(r);
    return st;
}

static dp_run *text_run(const char *text, size_t n, const dp_read_opts *o, dp_error *err,
                        dp_status *st)
{
    char p[512];
    snprintf(p, sizeof p, "%s/t.OUTCAR", tmpdir);
    write_file(p, text, n);
    dp_run *r = NULL;
    *st = dp_outcar_read(p, o, &r, err);
    return r;
}

/* 1-based line number of the first occurrence of needle. */
static long line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    long l = 1;
    for (const char *p = text; p < at; p++)
        l += *p == '\n';
    return l;
}

#include "outcar_gen.h"

static void check_synthetic_run(const dp_run *r, const gen_opts *g, bool all_frames)
{
    CHECK(!strcmp(r->program, "vasp") && !strcmp(r->version, "6.3.0"));
    CHECK(r->natoms == g->natoms && r->ntypes == g->natoms);
    CHECK(!strcmp(r->species[0].symbol, "Fe") && r->species[0].count == 1);
    CHECK(!strcmp(r->species[0].potential, "PAW_PBE Fe_pv 02Aug2007"));
    CHECK_NEAR(r->species[0].zval, 14.0, 0);
    CHECK_NEAR(r->species[0].mass, 55.847, 1e-12); /* 3 decimals of the POTCAR, not 55.85 */
    if (g->natoms == 2) {
        CHECK(!strcmp(r->species[1].symbol, "O"));
        CHECK_NEAR(r->species[1].zval, 6.0, 0);
    }
    CHECK(r->params.ispin == 2 && r->params.lorbit == 11 && r->params.nedos == 301);
    CHECK(r->params.ismear == 0 && r->params.lnoncollinear == g->ncl && !r->params.lsorbit);
    CHECK_NEAR(r->params.sigma, 0.05, 1e-12);
    CHECK(r->nsteps == g->nsteps);
    for (int s = 0; s < r->nsteps && s < g->nsteps; s++) {
        CHECK_NEAR(r->energies[s].e_free, e_free_of(s), 1e-9);
        CHECK_NEAR(r->energies[s].e_noentropy, e_free_of(s) + 0.002, 1e-9);
        CHECK_NEAR(r->energies[s].e_sigma0, e_free_of(s) + 0.001, 1e-9);
        CHECK(r->energies[s].e_sigma0 == r->energies[s].e_sigma0_raw);
    }
    CHECK(r->has_efermi);
    CHECK_NEAR(r->efermi, 1.5 + 0.1 * (g->nsteps - 1), 1e-12);
    double l[3][3];
    lattice_of(g, l);
    int nf = all_frames ? g->nsteps + 1 : 1;
    CHECK(r->nframes == nf);
    CHECK(r->first_frame_step == (all_frames ? -1 : g->nsteps - 1));
    for (int k = 0; k < r->nframes; k++) {
        int step = r->first_frame_step + k;
        const dp_frame *f = &r->frames[k];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                CHECK_NEAR(f->lattice[i][j], l[i][j], 1e-12);
        for (int a = 0; a < g->natoms; a++) {
            double fr[3], fo[3];
            frac_of(step < 0 ? 0 : step, a, fr);
            if (step < 0)
                fr[0] -= 0.05; /* the initial structure */
            for (int j = 0; j < 3; j++)
                CHECK_NEAR(f->frac[a][j], fr[j], 1e-9);
            CHECK((step < 0) == (f->forces == NULL));
            if (f->forces) {
                force_of(step, a, fo);
                for (int j = 0; j < 3; j++)
                    CHECK_NEAR(f->forces[a][j], fo[j], 1e-9);
            }
        }
    }
    CHECK(r->has_mag && r->mag.ncols == 4 && r->mag.ncomp == (g->ncl ? 3 : 1));
    if (r->has_mag) {
        const dp_magnetization *m = &r->mag;
        int z = m->ncomp - 1;
        CHECK(!strcmp(m->cols[2], "d") && !strcmp(m->cols[3], "tot"));
        double d = mag_d_of(g->nsteps - 1); /* the last set */
        CHECK_NEAR(m->atom[((size_t)z * r->natoms + 0) * 4 + 2], round(d * 1000) / 1000, 1e-12);
        CHECK_NEAR(m->total[z * 4 + 3], round((g->natoms == 2 ? 0.147 : 0.046) * 1000 + d * 1000) / 1000,
                   1e-9);
        if (g->ncl)
            CHECK_NEAR(m->atom[2], 0.0, 0); /* x component, atom 1, d */
    }
    CHECK(r->status.complete == (g->timing && !g->soft_stop));
    CHECK(r->has_modes == g->modes);
    if (g->modes && r->has_modes) {
        int n = 3 * g->natoms;
        CHECK(r->modes.nmodes == n);
        CHECK_NEAR(r->modes.cm1[0], 13912.749672, 1e-9);
        CHECK_NEAR(r->modes.cm1[1], 900.0, 1e-9);
        CHECK(!r->modes.imaginary[0] && r->modes.imaginary[n - 1]);
        CHECK(r->modes.disp != NULL);
        if (r->modes.disp) /* the plain block, not the mass-divided one (x 0.5) */
            CHECK_NEAR(r->modes.disp[((size_t)1 * g->natoms + 0) * 3 + 0], 0.1, 1e-9);
    }
}

static void synthetic(void)
{
    char p[512];
    snprintf(p, sizeof p, "%s/OUTCAR", tmpdir);
    gen_opts base = {.natoms = 2, .nsteps = 3, .timing = true, .modes = true};
    gen_opts variants[] = {
        base,
        {.natoms = 2, .nsteps = 3, .timing = true, .energy_first = true},
        {.natoms = 2, .nsteps = 2, .timing = true, .ncl = true},
        {.natoms = 1, .nsteps = 2, .timing = true, .modes = true}, /* no "tot" row */
        {.natoms = 2, .nsteps = 1, .timing = true, .big_cell = true},
        {.natoms = 2, .nsteps = 2, .timing = true, .soft_stop = true},
    };
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
        size_t n;
        char *text = gen_outcar(&variants[v], &n);
        write_file(p, text, n);
        dp_read_opts all = {.all_frames = true};
        dp_run *r = read_ok(p, &all);
        if (r)
            check_synthetic_run(r, &variants[v], true);
        if (r && !variants[v].soft_stop)
            CHECK(r->nwarnings == 0);
        if (r && variants[v].soft_stop) {
            CHECK_STR_CONTAINS(r->status.missing, "stopped early");
            CHECK(count_warnings_with(r, "soft stop encountered") == 1);
        }
        dp_run_free(r);
        r = read_ok(p, NULL);
        if (r)
            check_synthetic_run(r, &variants[v], false);
        dp_run_free(r);
        free(text);
    }

    /* gzip, CRLF line ends and NUL bytes read the same */
    size_t n;
    char *text = gen_outcar(&base, &n);
    snprintf(p, sizeof p, "%s/OUTCAR.gz", tmpdir);
    write_gz_bytes(p, text, n);
    dp_run *r = read_ok(p, NULL);
    if (r)
        check_synthetic_run(r, &base, false);
    dp_run_free(r);
    char *crlf = malloc(2 * n + 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n')
            crlf[m++] = '\r';
        crlf[m++] = text[i];
    }
    snprintf(p, sizeof p, "%s/OUTCAR", tmpdir);
    write_file(p, crlf, m);
    r = read_ok(p, NULL);
    if (r)
        check_synthetic_run(r, &base, false);
    dp_run_free(r);
    free(crlf);
    char *withnul = malloc(n);
    memcpy(withnul, text, n);
    withnul[strstr(text, "executed on") - text + 8] = '\0'; /* a NUL inside a line */
    write_file(p, withnul, n);
    r = read_ok(p, NULL);
    if (r)
        check_synthetic_run(r, &base, false);
    dp_run_free(r);
    free(withnul);

    /* a line far longer than any buffer (300 kB) keeps the line count in step: the
     * error below names the right line */
    char *longline = malloc(300002);
    memset(longline, 'x', 300000);
    strcpy(longline + 300000, "\n");
    char *lt = replace_first(text, " running on", longline);
    free(longline);
    dp_error err;
    dp_status st;
    r = text_run(lt, strlen(lt), NULL, &err, &st);
    CHECK(st == DP_OK && r && r->nsteps == 3 && r->status.complete);
    dp_run_free(r);
    char *bad = replace_first(lt, "      0.70000", "      0.7x000");
    r = text_run(bad, strlen(bad), NULL, &err, &st);
    char want[64];
    snprintf(want, sizeof want, "line %ld: position and force of ion 1", line_of(bad, "0.7x000"));
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, want);
    free(bad);
    free(lt);

    /* overflowed fields: "*****" and glued to a neighbour */
    /* one run of '*' standing for two columns (widened), one glued to a number */
    char *ov = replace_first(text, "      -0.020000       0.030000", " *****************************");
    char *ov2 = replace_first(ov, "   2.345   2.391", "   2.345*******");
    r = text_run(ov2, strlen(ov2), NULL, &err, &st);
    CHECK(st == DP_OK && r);
    if (r) {
        CHECK(r->nsteps == 3);
        CHECK(count_warnings_with(r, "3 number field(s) overflowed") == 1);
    }
    dp_run_free(r);
    dp_read_opts all = {.all_frames = true};
    r = text_run(ov2, strlen(ov2), &all, &err, &st);
    if (r && r->nframes == 4) {
        CHECK_NEAR(r->frames[1].forces[0][0], 0.01, 1e-12);
        CHECK(isnan(r->frames[1].forces[0][1]) && isnan(r->frames[1].forces[0][2]));
    }
    dp_run_free(r);
    free(ov);
    free(ov2);
    free(text);
}

/* Every prefix of a file must read as DP_OK (incomplete, keeping only whole ionic
 * steps, the same energies as the full file) or fail with a message naming the file;
 * never crash. Cuts every `step` bytes, and one just before the timing block. */
static void truncations(const char *label, const char *whole, size_t n, size_t step, bool gz)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cut%s", tmpdir, gz ? ".gz" : "");
    write_file(path, whole, n);
    dp_read_opts all = {.all_frames = true};
    dp_run *full = read_ok(path, &all);
    if (!full)
        return;
    size_t timing_at = mark_at(whole, n, gz, "General timing and accounting");
    int ok = 0, failed = 0, bad = 0, cuts = 0;
    /* every step bytes, the whole file, and one byte before the timing block */
    size_t m, *lens = cut_lengths(n, step, timing_at, &m);
    for (size_t c = 0; c < m; c++) {
        size_t l = lens[c];
        cuts++;
        write_file(path, whole, l);
        dp_run *r = NULL;
        dp_error err = {0};
        dp_status st = dp_read(path, NULL, &r, &err);
        if (st == DP_OK) {
            ok++;
            if (r->nsteps > full->nsteps || (l < timing_at && r->status.complete) ||
                (l == n && r->status.complete != full->status.complete))
                bad++, fprintf(stderr, "%s: cut at %zu: nsteps %d complete %d\n", label, l,
                               r->nsteps, r->status.complete);
            for (int i = 0; i < r->nsteps && i < full->nsteps; i++)
                if (memcmp(&r->energies[i], &full->energies[i], sizeof r->energies[i]))
                    bad++, fprintf(stderr, "%s: cut at %zu: energy %d differs\n", label, l, i);
            /* the structure kept is the full file's of the same step */
            if (r->nframes == 1) {
                int f = r->first_frame_step - full->first_frame_step;
                const dp_frame *a = &r->frames[0];
                const dp_frame *b = f >= 0 && f < full->nframes ? &full->frames[f] : NULL;
                size_t na = (size_t)r->natoms;
                if (!b || r->first_frame_step != r->nsteps - 1 ||
                    memcmp(a->frac, b->frac, sizeof *a->frac * na) ||
                    memcmp(a->lattice, b->lattice, sizeof a->lattice) ||
                    (!a->forces) != (!b->forces) ||
                    (a->forces && memcmp(a->forces, b->forces, sizeof *a->forces * na)))
                    bad++, fprintf(stderr, "%s: cut at %zu: frame of step %d differs\n", label,
                                   l, r->first_frame_step);
            } else if (r->nframes != 0 || r->nsteps != 0) {
                bad++, fprintf(stderr, "%s: cut at %zu: %d frames\n", label, l, r->nframes);
            }
            if (!r->status.complete && r->nwarnings < 1)
                bad++, fprintf(stderr, "%s: cut at %zu: no warning\n", label, l);
        } else {
            failed++;
            if (!strstr(err.msg, path) || (st != DP_ERR_FORMAT && st != DP_ERR_IO))
                bad++, fprintf(stderr, "%s: bad error for cut at %zu: %s\n", label, l, err.msg);
        }
        dp_run_free(r);
    }
    free(lens);
    printf("%s: %d cuts: %d read as incomplete runs, %d refused\n", label, cuts, ok, failed);
    CHECK(bad == 0);
    CHECK(ok > cuts / 2); /* most of an OUTCAR lies after the atom list */
    dp_run_free(full);
}

static void hostile(void)
{
    char p[512];
    dp_error err;
    snprintf(p, sizeof p, "%s/h.OUTCAR", tmpdir);

    write_file(p, "", 0);
    CHECK(outcar_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "empty");

    unsigned char junk[4096];
    fill_junk(junk, sizeof junk, 12345);
    write_file(p, junk, sizeof junk);
    CHECK(outcar_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, p);
    dp_run *r = NULL;
    CHECK(dp_read(p, NULL, &r, &err) == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, p);

    const char *poscar = "Fe2\n1.0\n2.8 0 0\n0 2.8 0\n0 0 2.8\nFe\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n";
    write_file(p, poscar, strlen(poscar));
    CHECK(outcar_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 1: not an OUTCAR");

    /* a header that never reaches the atom list */
    const char *header = " vasp.5.4.4 (build x)\n executed on LinuxIFC\n";
    write_file(p, header, strlen(header));
    CHECK(outcar_err(p, &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "before the atom list");

    gen_opts g = {.natoms = 2, .nsteps = 2, .timing = true};
    size_t n;
    char *text = gen_outcar(&g, &n);
    dp_status st;

    /* absurd NIONS: refused at its line, before anything is allocated for it */
    char *t1 = replace_first(text, "NIONS =      2", "NIONS = 99999999");
    r = text_run(t1, strlen(t1), NULL, &err, &st);
    char want[80];
    snprintf(want, sizeof want, "line %ld: NIONS = \"99999999\"", line_of(t1, "NIONS = 9"));
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, want);
    free(t1);
    t1 = replace_first(text, "NIONS =      2", "NIONS = -5");
    r = text_run(t1, strlen(t1), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    free(t1);

    /* counts that do not add up */
    t1 = replace_first(text, "   1   1\n", "   1   7\n");
    r = text_run(t1, strlen(t1), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "do not add up to NIONS = 2");
    free(t1);

    /* a malformed number in the middle of a positions block: an error at its line */
    t1 = replace_first(text, "      0.70000", "      0.7.000");
    r = text_run(t1, strlen(t1), NULL, &err, &st);
    snprintf(want, sizeof want, "line %ld:", line_of(t1, "0.7.000"));
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, want);
    free(t1);

    /* a positions block with fewer rows than NIONS while the file goes on */
    const char *row2 = strstr(strstr(text, " POSITION "), "      2.50000");
    size_t cut = (size_t)(row2 - text);
    t1 = malloc(n + 1);
    memcpy(t1, text, cut);
    strcpy(t1 + cut, strchr(row2, '\n') + 1); /* drop ion 2's row */
    r = text_run(t1, strlen(t1), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "the positions block has 1 rows, NIONS = 2");
    /* ...but the same block cut by the end of the file is a killed run */
    r = text_run(text, cut, NULL, &err, &st);
    CHECK(st == DP_OK && r && !r->status.complete && r->nsteps == 0);
    if (r) {
        CHECK_STR_CONTAINS(r->status.missing, "ionic step 1 (cut off), timing block");
        CHECK(count_warnings_with(r, "cut off") == 1);
        CHECK(r->nframes == 1 && r->first_frame_step == -1); /* the initial structure */
    }
    dp_run_free(r);
    free(t1);

    /* a magnetization table with a row missing, and one with a bad ion index */
    t1 = replace_first(text, "    2       -0.001", "    3       -0.001");
    r = text_run(t1, strlen(t1), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "expected the row of ion 2");
    free(t1);

    /* an energy block without its numbers */
    t1 = replace_first(text, "free  energy   TOTEN  =  ", "free  energy   TOTEN  = x");
    r = text_run(t1, strlen(t1), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "energy block");
    free(t1);

    /* hex, nan, inf are not numbers in an OUTCAR */
    t1 = replace_first(text, "      0.70000", "        nan  ");
    r = text_run(t1, strlen(t1), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    free(t1);

    /* a malformed mode line */
    gen_opts gm = {.natoms = 1, .nsteps = 1, .timing = true, .modes = true};
    size_t nm;
    char *tm = gen_outcar(&gm, &nm);
    t1 = replace_first(tm, "2PiTHz", "2PiTHx");
    r = text_run(t1, strlen(t1), NULL, &err, &st);
    CHECK(st == DP_ERR_FORMAT && !r);
    CHECK_STR_CONTAINS(err.msg, "vibrational mode: cannot read");
    free(t1);
    free(tm);

    /* "ions per type" in I4 columns that touch (1000 atoms and more) */
    t1 = replace_first(text, "NIONS =      2", "NIONS =   1004");
    char *t2 = replace_first(t1, "   1   1\n", "   41000\n");
    /* stop before the structure */
    r = text_run(t2, (size_t)(strstr(t2, " Startparameter") - t2), NULL, &err, &st);
    CHECK(st == DP_OK && r && r->natoms == 1004 && r->species[0].count == 4 &&
          r->species[1].count == 1000 && !r->status.complete);
    dp_run_free(r);
    free(t1);
    free(t2);
    free(text);

    /* a corrupt gzip stream; a missing file */
    unsigned char gz[64] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    memcpy(gz + 10, junk, sizeof gz - 10);
    snprintf(p, sizeof p, "%s/h.OUTCAR.gz", tmpdir);
    write_file(p, gz, sizeof gz);
    CHECK(outcar_err(p, &err) != DP_OK);
    CHECK_STR_CONTAINS(err.msg, p);
    CHECK(outcar_err("/nonexistent/OUTCAR", &err) == DP_ERR_IO);
    CHECK_STR_CONTAINS(err.msg, "/nonexistent/OUTCAR: cannot open");
}

/* ---- real files against the reference ---------------------------------- */

#define MAXCOL 8

static dp_run *load(const char *shared, const char *file)
{
    char path[4096];
    /* file is relative to shared/: data/real/... ; shared here is shared/data */
    snprintf(path, sizeof path, "%.2000s/%.2000s", shared, file + (strncmp(file, "data/", 5) ? 0 : 5));
    return load_cached(path, NULL);
}

static int species_count(const dp_run *r, const char *sym)
{
    int n = 0;
    for (int t = 0; t < r->ntypes; t++)
        if (!strcmp(r->species[t].symbol, sym))
            n += r->species[t].count;
    return n;
}

/* "3.x" -> ion 2 (0-based), axis 0; "3" -> ion 2, axis -1 */
static void ion_axis(const char *idx, int *ion, int *axis)
{
    char *end;
    *ion = (int)strtol(idx, &end, 10) - 1;
    *axis = *end == '.' ? end[1] - 'x' : -1;
}

static int skipped_rows;

static void skip_row(const char *file, const char *q, const char *why)
{
    static char last[256];
    char key[256];
    snprintf(key, sizeof key, "%s %s", file, q);
    if (strcmp(key, last))
        printf("  not compared: %s %s (%s)\n", file, q, why);
    snprintf(last, sizeof last, "%s", key);
    skipped_rows++;
}

static void reference(const char *shared, const char *refdir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/pymatgen_outcar.tsv", refdir);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[4096], *c[MAXCOL];
    bool header = false;
    int rows = 0, before_fail = check_failed;
    int agree[3] = {0}, total[3] = {0}; /* pymatgen, ase, file-text */
    while (next_reference_row(f, line, sizeof line, c, MAXCOL, &header)) {
        rows++;
        const char *file = c[0], *q = c[1], *idx = c[2], *val = c[3], *src = c[4];
        int si = !strcmp(src, "pymatgen") ? 0 : !strcmp(src, "ase") ? 1 : 2;
        double v = strtod(val, NULL);
        dp_run *r = load(shared, file);
        if (!r)
            continue;
        int fails = check_failed;
        int ion, axis;
        const dp_frame *fr = r->nframes ? &r->frames[r->nframes - 1] : NULL;
        if (!strcmp(q, "complete")) {
            /* a STOPCAR run ends its file properly but is reported incomplete */
            bool stopped = strstr(r->status.missing, "stopped early") != NULL;
            CHECK(r->status.complete == ((int)v && !stopped));
        } else if (!strcmp(q, "stopped") || !strcmp(q, "is_stopped")) {
            CHECK(((int)v == 1) == (strstr(r->status.missing, "stopped early") != NULL));
        } else if (!strcmp(q, "nsteps")) {
            CHECK(r->nsteps == (int)v);
        } else if (!strcmp(q, "nions") || !strcmp(q, "natoms")) {
            CHECK(r->natoms == (int)v);
        } else if (!strncmp(q, "count_", 6)) {
            CHECK(species_count(r, q + 6) == (int)v);
        } else if (!strncmp(q, "zval_", 5)) {
            bool found = false;
            for (int t = 0; t < r->ntypes; t++)
                if (!strcmp(r->species[t].symbol, q + 5)) {
                    CHECK(r->species[t].zval == v);
                    found = true;
                }
            CHECK(found);
        } else if (!strcmp(q, "e_free") || !strcmp(q, "e_noentropy") || !strcmp(q, "e_sigma0")) {
            int step = *idx ? atoi(idx) - 1 : r->nsteps - 1;
            CHECK(step >= 0 && step < r->nsteps);
            if (step >= 0 && step < r->nsteps) {
                const dp_energies *e = &r->energies[step];
                double got = q[2] == 'f' ? e->e_free : q[2] == 'n' ? e->e_noentropy : e->e_sigma0;
                CHECK_NEAR(got, v, 1e-6);
            }
        } else if (!strcmp(q, "efermi") || !strcmp(q, "efermi_last")) {
            CHECK(r->has_efermi);
            CHECK_NEAR(r->efermi, v, 1e-6);
        } else if (!strcmp(q, "pos") || !strcmp(q, "force")) {
            ion_axis(idx, &ion, &axis);
            CHECK(fr && r->first_frame_step == r->nsteps - 1 && ion < r->natoms && axis >= 0);
            if (fr && ion < r->natoms && axis >= 0 && axis < 3) {
                if (q[0] == 'p') {
                    double x = 0;
                    for (int k = 0; k < 3; k++)
                        x += fr->frac[ion][k] * fr->lattice[k][axis];
                    CHECK_NEAR(x, v, 1e-5);
                } else {
                    CHECK(fr->forces != NULL);
                    if (fr->forces)
                        CHECK_NEAR(fr->forces[ion][axis], v, 1e-5);
                }
            }
        } else if (!strncmp(q, "mag_", 4)) {
            ion_axis(idx, &ion, &axis);
            const dp_magnetization *m = &r->mag;
            int col = -1;
            for (int k = 0; k < m->ncols; k++)
                if (!strcmp(m->cols[k], q + 4))
                    col = k;
            int comp = axis < 0 ? 0 : axis;
            CHECK(r->has_mag && col >= 0 && ion < r->natoms && comp < m->ncomp &&
                  (axis < 0) == (m->ncomp == 1));
            if (r->has_mag && col >= 0 && ion < r->natoms && comp < m->ncomp)
                CHECK(m->atom[((size_t)comp * r->natoms + ion) * m->ncols + col] == v); /* exact */
        } else if (!strncmp(q, "freq_", 5) && strncmp(q, "freq_mev_", 9)) {
            int k = atoi(idx) - 1;
            CHECK(r->has_modes && k >= 0 && k < r->modes.nmodes);
            if (r->has_modes && k >= 0 && k < r->modes.nmodes) {
                if (!strcmp(q, "freq_imag"))
                    CHECK(r->modes.imaginary[k] == ((int)v == 1));
                else
                    CHECK(v == (q[5] == 't' ? r->modes.thz[k] : q[5] == 'c' ? r->modes.cm1[k]
                                                                           : r->modes.mev[k]));
            }
        } else if (!strcmp(q, "freq_mev_real") || !strcmp(q, "freq_mev_imag")) {
            /* ASE lists every "THz" line of the file: with NWRITE=3 each mode twice */
            bool im = q[9] == 'i';
            double list[4096];
            int nl = 0;
            for (int k = 0; r->has_modes && k < r->modes.nmodes && nl < 4096; k++)
                if (r->modes.imaginary[k] == im)
                    list[nl++] = r->modes.mev[k];
            int k = atoi(idx) - 1;
            CHECK(nl > 0);
            if (nl > 0)
                CHECK(list[k % nl] == v);
        } else if (!strcmp(q, "e_sigma0_scf")) {
            skip_row(file, q, "pymatgen's last energy(sigma->0) is an electronic step after "
                     "the last complete ionic step; dftpost keeps complete steps only");
            CHECK(r->nsteps == 0 || r->energies[r->nsteps - 1].e_sigma0 != v);
            continue;
        } else if (!strcmp(q, "efermi_first_line")) {
            skip_row(file, q, "pymatgen's efermi is the first E-fermi line of an ISPIN=1 file; "
                     "dftpost's is the last, checked against efermi_last");
            continue;
        } else if (!strcmp(q, "total_mag")) {
            skip_row(file, q, "the cell's total moment from the electronic steps; not in the model");
            continue;
        } else {
            fprintf(stderr, "unhandled reference quantity %s (%s)\n", q, file);
            check_failed++;
        }
        tally_reference_row(c, si, fails, agree, total);
    }
    fclose(f);
    cache_clear();
    printf("reference: %d rows; agree: pymatgen %d/%d, ase %d/%d, file-text %d/%d; %d not "
           "comparable\n", rows, agree[0], total[0], agree[1], total[1], agree[2], total[2],
           skipped_rows);
    CHECK(rows > 1000);
    CHECK(check_failed == before_fail);
}

static dp_run *real(const char *shared, const char *rel)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/real/%s", shared, rel);
    return read_ok(p, NULL);
}

static double mag(const dp_run *r, int comp, int ion, const char *col)
{
    for (int k = 0; r->has_mag && k < r->mag.ncols; k++)
        if (!strcmp(r->mag.cols[k], col) && comp < r->mag.ncomp)
            return r->mag.atom[((size_t)comp * r->natoms + (ion - 1)) * r->mag.ncols + k];
    return NAN;
}

/* The values PROVENANCE.md states, and the completeness of the cut runs. */
static void provenance(const char *shared)
{
    dp_run *r = real(shared, "pymatgen-core/vasp/OUTCAR.gz");
    if (r) {
        CHECK(r->has_mag && r->mag.ncomp == 1 && r->mag.ncols == 4);
        CHECK(mag(r, 0, 2, "d") == 0.798 && mag(r, 0, 2, "p") == 0.008);
        CHECK(mag(r, 0, 2, "s") == 0.007 && mag(r, 0, 2, "tot") == 0.813);
        CHECK(mag(r, 0, 1, "tot") == 0.005);
        CHECK(mag(r, 0, 5, "p") == -0.165 && mag(r, 0, 5, "tot") == -0.162);
        CHECK(r->has_mag && r->mag.total[3] == 1.083 && r->mag.total[2] == 1.595);
        CHECK(r->nsteps == 5 && r->status.complete);
    }
    dp_run_free(r);

    r = real(shared, "pymatgen-core/vasp/OUTCAR.NiO_SOC.gz");
    if (r) {
        CHECK(r->params.lnoncollinear && r->params.lsorbit && r->mag.ncomp == 3);
        CHECK(mag(r, 2, 1, "d") == 1.674 && mag(r, 2, 1, "tot") == 1.671);
        CHECK(mag(r, 2, 2, "d") == -1.674);
        CHECK(mag(r, 0, 1, "d") == 0 && mag(r, 1, 1, "d") == 0);
    }
    dp_run_free(r);

    r = real(shared, "pymatgen-core/vasp/OUTCAR.total_tensor.Li2O.gz");
    if (r) {
        CHECK(r->has_modes && r->modes.nmodes == 36 && r->modes.disp != NULL);
        int nimag = 0;
        for (int k = 0; r->has_modes && k < r->modes.nmodes; k++) {
            nimag += r->modes.imaginary[k];
            if (k < 3)
                CHECK(r->modes.cm1[k] == 712.892411 && !r->modes.imaginary[k]);
            if (k >= 33)
                CHECK(r->modes.cm1[k] == 3.041786 && r->modes.imaginary[k]);
        }
        CHECK(nimag == 3);
    }
    dp_run_free(r);

    r = real(shared, "rsgrad/vasp/OUTCAR_vibrations");
    if (r) {
        static const double cm1[6] = {3627.910256, 3620.673620, 3431.763448,
                                      1551.740811, 1537.186276, 388.963336};
        CHECK(r->has_modes && r->modes.nmodes == 12);
        for (int k = 0; r->has_modes && k < 6; k++)
            CHECK(r->modes.cm1[k] == cm1[k] && !r->modes.imaginary[k]);
        /* The file has six "f/i=" lines, but they are modes 10-12 printed twice: once in
         * the plain block and once after "Eigenvectors after division by SQRT(mass)"
         * (NWRITE=3). Per block: 9 real, 3 imaginary. */
        int nimag = 0;
        for (int k = 0; r->has_modes && k < r->modes.nmodes; k++)
            nimag += r->modes.imaginary[k];
        CHECK(nimag == 3);
        CHECK(r->has_modes && r->modes.imaginary[9] && r->modes.imaginary[10] &&
              r->modes.imaginary[11] && !r->modes.imaginary[8]);
        /* the plain block's eigenvector (N of mode 1: dy 0.305756), not the mass-divided
         * one (0.081714) */
        CHECK(r->has_modes && r->modes.disp && r->modes.disp[(0 * 4 + 3) * 3 + 1] == 0.305756);
        CHECK(r->nsteps == 25);
    }
    dp_run_free(r);

    /* stopped, unfinished and aborted runs keep their complete steps */
    r = real(shared, "pymatgen-core/vasp/OUTCAR.stopped.gz");
    if (r) {
        CHECK(!r->status.complete && r->nsteps == 1 && r->nframes == 1);
        CHECK_STR_CONTAINS(r->status.missing, "stopped early");
        CHECK_NEAR(r->energies[0].e_free, -396.104188, 1e-9);
        CHECK(count_warnings_with(r, "soft stop") == 1);
    }
    dp_run_free(r);
    r = real(shared, "rsgrad/vasp/OUTCAR_unfinished");
    if (r) {
        CHECK(!r->status.complete && r->nsteps == 1 && r->first_frame_step == 0);
        CHECK_STR_CONTAINS(r->status.missing, "timing block");
        CHECK_NEAR(r->energies[0].e_sigma0, -253.61858820, 1e-9);
        CHECK(count_warnings_with(r, "incomplete file") == 1);
    }
    dp_run_free(r);
    r = real(shared, "pyiron_atomistics/full_job_aborted/OUTCAR");
    if (r) {
        CHECK(!r->status.complete && r->nsteps == 0 && r->natoms == 253);
        CHECK(r->nframes == 1 && r->first_frame_step == -1); /* the initial structure */
        CHECK_STR_CONTAINS(r->status.missing, "ionic step 1 (cut off), timing block");
        CHECK(count_warnings_with(r, "Error EDDDAV: Call to ZHEGV failed") == 1);
    }
    dp_run_free(r);
    /* VASP 5.2.2: energies before positions; ASE and pymatgen cannot read this file */
    r = real(shared, "pyiron_atomistics/vasp/OUTCAR_8");
    if (r) {
        CHECK(r->nsteps == 1 && r->nframes == 1 && r->first_frame_step == 0 && r->frames[0].forces);
        if (r->nframes == 1 && r->frames[0].forces) {
            /* ion 2: -0.04354 0 0, force -0.001184 0 0 in a cubic 8.172 cell */
            CHECK_NEAR(r->frames[0].frac[1][0] * 8.172, -0.04354, 1e-9);
            CHECK_NEAR(r->frames[0].forces[1][0], -0.001184, 1e-12);
        }
        CHECK(r->nwarnings == 0);
    }
    dp_run_free(r);
    r = real(shared, "pymatgen-core/vasp/OUTCAR_vasp_6.3.gz");
    if (r) {
        CHECK(r->mag.ncols == 5 && !strcmp(r->mag.cols[3], "f"));
        CHECK(!strcmp(r->species[0].symbol, "La") && r->species[0].zval == 11.0);
    }
    dp_run_free(r);
}

static void on_progress(long long done, long long total, void *ud)
{
    long long *seen = ud;
    if (done < seen[1])
        check_failed++, fprintf(stderr, "progress went back: %lld < %lld\n", done, seen[1]);
    seen[0]++;
    seen[1] = done;
    seen[2] = total;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_outcar TESTDATA_DIR SHARED_DATA_DIR REFERENCE_DIR\n");
        return 2;
    }
    if (!make_tmpdir())
        return 1;
    synthetic();
    hostile();
    gen_opts g = {.natoms = 2, .nsteps = 3, .timing = true, .modes = true, .ncl = true};
    size_t n;
    char *text = gen_outcar(&g, &n);
    truncations("synthetic", text, n, 13, false);
    free(text);

    bool have_shared = false;
    struct stat st;
    if (stat(argv[2], &st) == 0) {
        have_shared = true;
        reference(argv[2], argv[3]);
        provenance(argv[2]);
        char p[1024];
        const char *sweep[] = {"pyiron_atomistics/vasp/OUTCAR_3", "rsgrad/vasp/OUTCAR_ispin2"};
        for (int k = 0; k < 2; k++) {
            snprintf(p, sizeof p, "%s/real/%s", argv[2], sweep[k]);
            char *whole = slurp(p, &n);
            CHECK(whole != NULL);
            if (whole)
                truncations(sweep[k], whole, n, 200, false);
            free(whole);
        }
        /* a gzip file cut anywhere in its compressed stream */
        snprintf(p, sizeof p, "%s/real/pymatgen-core/vasp/OUTCAR.NiO_SOC.gz", argv[2]);
        char *gzraw = slurp_raw(p, &n);
        CHECK(gzraw != NULL);
        if (gzraw)
            truncations("OUTCAR.NiO_SOC.gz (compressed bytes)", gzraw, n, 701, true);
        free(gzraw);

        /* timing of the largest OUTCAR (7 MB uncompressed); progress reports */
        snprintf(p, sizeof p, "%s/real/pymatgen-core/vasp/OUTCAR.stopped.gz", argv[2]);
        double t0 = now();
        dp_run *r = read_ok(p, NULL);
        double t1 = now();
        printf("parsing %s: %.3f s\n", p, t1 - t0);
        dp_run_free(r);
        long long seen[3] = {0, 0, 0}; /* calls, last done, total */
        dp_read_opts prog = {.progress = on_progress, .progress_ud = seen};
        r = read_ok(p, &prog);
        struct stat fst;
        CHECK(stat(p, &fst) == 0 && seen[2] == (long long)fst.st_size); /* compressed bytes */
        CHECK(seen[0] > 5 && seen[1] > 0 && seen[1] <= seen[2]);
        dp_run_free(r);
    }
    remove_tmpdir();
    if (!have_shared) {
        int rc = check_report();
        if (rc)
            return rc;
        printf("SKIP: %s is absent; the real-file checks need ../shared (synthetic and hostile "
               "checks passed)\n", argv[2]);
        return CHECK_SKIP;
    }
    return check_report();
}
