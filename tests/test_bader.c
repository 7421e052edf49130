/* Bader analysis (analysis/bader*.c, grid_refine.c).
 * usage: test_bader TESTDATA_DIR SHARED_DIR
 * Synthetic grids (expected values by symmetry and by direct sums, stated beside each
 * check) always run. The 30 cases of SHARED_DIR/reference/bader (the Bader program v1.05's
 * ACF.dat for the same method on the same grid: every population within 0.005 e, the
 * volumes, MIN DIST, vacuum charge and volume, the electron count) need SHARED_DIR: without
 * it the program says SKIP and exits 77 once the synthetic checks have passed. */
#include "check.h"
#include "../analysis/bader.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOHR 0.529177210903

/* ---- synthetic grids ---------------------------------------------------------- */

/* A cell a×b×c (orthorhombic), n points, values from f(i, j, k). */
static dp_grid make_grid(const int n[3], const double len[3], double (*f)(int, int, int, const int *))
{
    dp_grid g = {0};
    size_t np = (size_t)n[0] * n[1] * n[2];
    for (int a = 0; a < 3; a++)
        g.n[a] = n[a], g.lattice[a][a] = len[a];
    g.values = malloc(np * sizeof *g.values);
    for (int i = 0; i < n[0]; i++)
        for (int j = 0; j < n[1]; j++)
            for (int k = 0; k < n[2]; k++)
                g.values[((size_t)i * n[1] + j) * n[2] + k] = f(i, j, k, n);
    return g;
}

/* Periodic Gaussian of width 3 voxels at voxel coordinates c (half-integers allowed: the
 * squared distances of mirror-image points are then equal to the last bit). */
static double gauss(int i, int j, int k, const int *n, const double c[3])
{
    double s = 0;
    int p[3] = {i, j, k};
    for (int x = -1; x <= 1; x++) {
        double d0 = p[0] - c[0] + x * n[0];
        for (int y = -1; y <= 1; y++) {
            double d1 = p[1] - c[1] + y * n[1];
            for (int z = -1; z <= 1; z++) {
                double d2 = p[2] - c[2] + z * n[2];
                s += exp(-(d0 * d0 + d1 * d1 + d2 * d2) / 9.0);
            }
        }
    }
    return s;
}

/* Two equal Gaussians at x = n/4 + 1/2 and 3n/4 + 1/2 voxels: mirror images in the planes
 * x = 1/2 and x = n/2 + 1/2, which hold no grid point, so each atom has exactly half. */
static double two(int i, int j, int k, const int *n)
{
    double a[3] = {n[0] / 4.0 + 0.5, n[1] / 2.0, n[2] / 2.0};
    double b[3] = {3 * n[0] / 4.0 + 0.5, n[1] / 2.0, n[2] / 2.0};
    return gauss(i, j, k, n, a) + gauss(i, j, k, n, b);
}

static double one(int i, int j, int k, const int *n)
{
    double a[3] = {0, 0, 0};
    return 2.0 * gauss(i, j, k, n, a);
}

static double grid_sum(const dp_grid *g)
{
    double s = 0;
    for (size_t c = 0; c < (size_t)g->n[0] * g->n[1] * g->n[2]; c++)
        s += g->values[c];
    return s * fabs(dp_lattice_det(g->lattice)) / ((double)g->n[0] * g->n[1] * g->n[2]);
}

static void synthetic(void)
{
    int n[3] = {32, 20, 22};
    double len[3] = {8.0, 5.0, 5.5};
    dp_grid g = make_grid(n, len, two);
    double fr[2][3] = {{(n[0] / 4.0 + 0.5) / n[0], 0.5, 0.5}, {(3 * n[0] / 4.0 + 0.5) / n[0], 0.5, 0.5}};
    dp_frame fm = {.frac = fr};
    double total = grid_sum(&g);
    dp_error err;
    for (int m = 0; m < 3; m++) {
        dp_bader_opts o = dp_bader_defaults();
        o.method = (dp_bader_method)m;
        dp_bader_result r;
        CHECK(dp_bader_run(&g, &g, &fm, 2, &o, &r, &err) == DP_OK);
        /* symmetry: halves; conservation: the sum of the grid */
        CHECK_NEAR(r.population[0], total / 2, 1e-9 * total);
        CHECK_NEAR(r.population[1], total / 2, 1e-9 * total);
        CHECK_NEAR(r.volume[0], 4 * 5 * 5.5, 1e-9 * 220);
        CHECK_NEAR(r.total_electrons, total, 1e-12 * total);
        /* each Gaussian peaks between two grid points of equal density: near-grid and
         * weight find one maximum, on-grid (strictly higher neighbours only, as the
         * program) stops at both of the pair */
        CHECK(r.nmaxima == (o.method == DP_BADER_ONGRID ? 4 : 2));
        /* atom 1 (x = 8.5 voxels, on the grid line y = 10, z = 11) owns x = 1..16; its
         * surface points x = 1 and 16 are 7.5 voxels × 0.25 Å = 1.875 Å away */
        CHECK_NEAR(r.min_dist[0], r.min_dist[1], 1e-12);
        CHECK_NEAR(r.min_dist[0], 1.875, 1e-12);
        dp_bader_result_free(&r);
    }
    /* a single atom: all of it, the whole cell, one maximum */
    dp_grid s = make_grid(n, len, one);
    double f1[1][3] = {{0, 0, 0}};
    dp_frame f1m = {.frac = f1};
    double tot1 = grid_sum(&s);
    for (int m = 0; m < 3; m++) {
        dp_bader_opts o = dp_bader_defaults();
        o.method = (dp_bader_method)m;
        dp_bader_result r;
        CHECK(dp_bader_run(&s, &s, &f1m, 1, &o, &r, &err) == DP_OK);
        CHECK_NEAR(r.population[0], tot1, 1e-12 * tot1);
        CHECK_NEAR(r.volume[0], 220.0, 1e-9);
        CHECK(r.nmaxima == 1);
        dp_bader_result_free(&r);
        /* vacuum: exactly the points at or below the threshold, summed here */
        o.vacuum = true, o.vacuum_threshold = 0.05;
        CHECK(dp_bader_run(&s, &s, &f1m, 1, &o, &r, &err) == DP_OK);
        double vq = 0, np = (double)n[0] * n[1] * n[2], dv = 220.0 / np;
        size_t nv = 0;
        for (size_t c = 0; c < (size_t)np; c++)
            if (s.values[c] <= 0.05)
                vq += s.values[c], nv++;
        CHECK(nv > 0);
        CHECK_NEAR(r.vacuum_charge, vq * dv, 1e-12);
        CHECK_NEAR(r.vacuum_volume, nv * dv, 1e-9);
        CHECK_NEAR(r.population[0] + r.vacuum_charge, tot1, 1e-12 * tot1);
        CHECK_NEAR(r.volume[0] + r.vacuum_volume, 220.0, 1e-9);
        dp_bader_result_free(&r);
    }
    /* magnetisation: a moment of +1 μB/Å³·... on atom 1's half only → all on atom 1 */
    g.nmag = 1;
    g.mag[0] = calloc((size_t)n[0] * n[1] * n[2], sizeof(double));
    for (int i = 0; i < n[0] / 2; i++)
        for (int j = 0; j < n[1]; j++)
            for (int k = 0; k < n[2]; k++)
                g.mag[0][((size_t)(i + 1) * n[1] + j) * n[2] + k] = 0.5; /* x = 1..16: atom 1 */
    dp_bader_opts o = dp_bader_defaults();
    dp_bader_result r;
    CHECK(dp_bader_run(&g, &g, &fm, 2, &o, &r, &err) == DP_OK);
    CHECK(r.nmag == 1);
    CHECK_NEAR(r.moment[0], 0.5 * 110.0, 1e-9); /* 0.5 μB/Å³ over half of 220 Å³ */
    CHECK_NEAR(r.moment[1], 0.0, 1e-12);
    dp_bader_result_free(&r);
    /* a grid of another size: refused */
    int n2[3] = {16, 20, 22};
    dp_grid h = make_grid(n2, len, two);
    CHECK(dp_bader_run(&h, &g, &fm, 2, &o, &r, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "differ");
    free(h.values), free(g.values), free(g.mag[0]), free(s.values);
}

/* ---- Fourier interpolation ------------------------------------------------------ */

static const double PI = 3.14159265358979323846;

/* Band-limited for n = (8, 6, 5): includes the Nyquist cosines of the even axes. */
static double smooth(double x, double y, double z)
{
    return 1.0 + 0.3 * cos(2 * PI * x) + 0.2 * sin(2 * PI * 2 * y) * cos(2 * PI * z) +
           0.1 * cos(2 * PI * 4 * x) + 0.05 * cos(2 * PI * 3 * y) + 0.07 * sin(2 * PI * 2 * z) +
           0.04 * cos(2 * PI * (3 * x + y));
}

static double smooth_at(int i, int j, int k, const int *n)
{
    return smooth((double)i / n[0], (double)j / n[1], (double)k / n[2]);
}

static void refine(void)
{
    int n[3] = {8, 6, 5};
    double len[3] = {3, 4, 5};
    dp_grid g = make_grid(n, len, smooth_at);
    dp_error err;
    for (int f = 1; f <= 3; f++) {
        dp_grid h;
        CHECK(dp_grid_refine(&g, f, &h, &err) == DP_OK);
        double worst = 0;
        for (int i = 0; i < h.n[0]; i++)
            for (int j = 0; j < h.n[1]; j++)
                for (int k = 0; k < h.n[2]; k++) {
                    double want = smooth((double)i / h.n[0], (double)j / h.n[1], (double)k / h.n[2]);
                    double got = h.values[((size_t)i * h.n[1] + j) * h.n[2] + k];
                    worst = fmax(worst, fabs(got - want));
                }
        CHECK(h.n[0] == 8 * f && h.n[1] == 6 * f && h.n[2] == 5 * f);
        CHECK_NEAR(worst, 0, 1e-10); /* the interpolant of a band-limited function is it */
        CHECK_NEAR(grid_sum(&h), grid_sum(&g), 1e-12 * grid_sum(&g)); /* 60 (= 1 × 60 Å³) */
        free(h.values);
    }
    dp_grid h;
    CHECK(dp_grid_refine(&g, 0, &h, &err) == DP_ERR_USAGE);
    free(g.values);
}

/* ---- the Bader program's reference cases ------------------------------------------ */

typedef struct {
    int natoms;
    double charge[64], mindist[64], vol[64], vac_charge, vac_vol, nelec;
} acf;

static bool read_acf(const char *path, acf *a, double len, double vol)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[512];
    memset(a, 0, sizeof *a);
    while (fgets(line, sizeof line, f)) {
        int idx;
        double x, y, z, q, d, v;
        if (sscanf(line, "%d %lf %lf %lf %lf %lf %lf", &idx, &x, &y, &z, &q, &d, &v) == 7 &&
            idx == a->natoms + 1 && idx <= 64) {
            a->charge[a->natoms] = q, a->mindist[a->natoms] = d * len;
            a->vol[a->natoms++] = v * vol;
        } else if (strstr(line, "VACUUM CHARGE:")) {
            a->vac_charge = atof(strchr(line, ':') + 1);
        } else if (strstr(line, "VACUUM VOLUME:")) {
            a->vac_vol = atof(strchr(line, ':') + 1) * vol;
        } else if (strstr(line, "NUMBER OF ELECTRONS:")) {
            a->nelec = atof(strchr(line, ':') + 1);
        }
    }
    fclose(f);
    return a->natoms > 0;
}

/* The value of "key": "..." in a run.json, into buf. */
static bool json_string(const char *path, const char *key, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[4096], pat[64];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    bool ok = false;
    while (!ok && fgets(line, sizeof line, f)) {
        char *p = strstr(line, pat);
        if (p) {
            p += strlen(pat);
            size_t n = strcspn(p, "\"");
            snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), p);
            ok = true;
        }
    }
    fclose(f);
    return ok;
}

static dp_run *read_grid(const char *path)
{
    dp_read_opts ro = {.skip_dos = true};
    dp_run *run = NULL;
    dp_error err;
    if (dp_read(path, &ro, &run, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    return run;
}

/* AECCAR0 + AECCAR2 of the pyiron case (the reference's CHGCAR_sum) into run's grid. */
static bool add_grid(dp_run *run, const char *path)
{
    dp_run *x = read_grid(path);
    if (!x)
        return false;
    size_t np = (size_t)run->grid.n[0] * run->grid.n[1] * run->grid.n[2];
    for (size_t c = 0; c < np; c++)
        run->grid.values[c] += x->grid.values[c];
    dp_run_free(x);
    return true;
}

static double worst[3];
static int ncases;

static void one_case(const char *shared, const char *dir)
{
    char rj[1200], cs[1024], cmd[512], path[1200], acfp[1200];
    if (snprintf(rj, sizeof rj, "%s/run.json", dir) >= (int)sizeof rj ||
        snprintf(acfp, sizeof acfp, "%s/ACF.dat", dir) >= (int)sizeof acfp)
        return;
    if (!json_string(rj, "case", cs, sizeof cs) || !json_string(rj, "command", cmd, sizeof cmd))
        return;
    ncases++;
    const char *rel = strncmp(cs, "shared/", 7) ? cs : cs + 7;
    snprintf(path, sizeof path, "%s/%s", shared, rel);
    bool weight = strstr(cmd, "-b weight") != NULL, vac = strstr(cmd, "-vac auto") != NULL;
    bool sum = strstr(rel, "CHGCAR_sum") != NULL, refsum = strstr(cmd, "-ref CHGCAR_sum") != NULL;
    char dirpath[1200];
    snprintf(dirpath, sizeof dirpath, "%s", path);
    *strrchr(dirpath, '/') = '\0';
    char a0[1300], a2[1300];
    snprintf(a0, sizeof a0, "%s/AECCAR0", dirpath);
    snprintf(a2, sizeof a2, "%s/AECCAR2", dirpath);
    dp_run *run = read_grid(sum ? a2 : path);
    CHECK(run != NULL);
    if (!run)
        return;
    if (sum)
        CHECK(add_grid(run, a0)); /* CHGCAR_sum = AECCAR0 + AECCAR2 (run.json) */
    dp_run *ref = NULL;
    if (refsum && (ref = read_grid(a2)))
        CHECK(add_grid(ref, a0));
    bool cube = !strcmp(run->grid.format, "cube");
    double cellvol = fabs(dp_lattice_det(run->grid.lattice));
    dp_bader_opts o = dp_bader_defaults();
    o.method = weight ? DP_BADER_WEIGHT : DP_BADER_NEARGRID;
    o.vacuum = vac;
    o.vacuum_threshold = cube ? 1e-3 / (BOHR * BOHR * BOHR) : 1e-3; /* -vac auto */
    dp_bader_result r;
    dp_error err;
    dp_status st = dp_bader_run(ref ? &ref->grid : &run->grid, &run->grid,
                                &run->frames[run->nframes - 1], run->natoms, &o, &r, &err);
    CHECK(st == DP_OK);
    if (st) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        dp_run_free(run), dp_run_free(ref);
        return;
    }
    /* conservation: the populations and the vacuum add up to the grid's integral */
    double total = grid_sum(&run->grid), s = r.vacuum_charge;
    for (int a = 0; a < r.natoms; a++)
        s += r.population[a];
    CHECK_NEAR(s, total, 1e-6 * fabs(total));
    acf A;
    double L = cube ? BOHR : 1.0;
    if (!read_acf(acfp, &A, L, L * L * L)) {
        /* the program failed here ("some volume not assigned", run.json); dftpost still
         * has to account for every electron, checked above */
        char failed[256] = "";
        json_string(rj, "failed", failed, sizeof failed);
        printf("  %-80s no ACF.dat (the program failed: %.60s)\n", rel, failed);
        CHECK(failed[0] != '\0');
        dp_bader_result_free(&r);
        dp_run_free(run), dp_run_free(ref);
        return;
    }
    CHECK(A.natoms == r.natoms);
    double dq = 0, dvol = 0, dmin = 0;
    for (int a = 0; a < r.natoms && a < A.natoms; a++) {
        CHECK_NEAR(r.population[a], A.charge[a], 0.005);
        dq = fmax(dq, fabs(r.population[a] - A.charge[a]));
        dvol = fmax(dvol, fabs(r.volume[a] - A.vol[a]));
        dmin = fmax(dmin, fabs(r.min_dist[a] - A.mindist[a]));
        /* volumes: within 0.2 % of the cell (the program rounds to 1e-6 bohr³/Å³; the
         * weight method's ties in flat vacuum differ slightly) */
        CHECK_NEAR(r.volume[a], A.vol[a], 2e-3 * cellvol);
        CHECK_NEAR(r.min_dist[a], A.mindist[a], 2e-3); /* the program: single precision */
    }
    CHECK_NEAR(r.vacuum_charge, A.vac_charge, 1e-4);    /* ACF: 4 decimals */
    CHECK_NEAR(r.vacuum_volume, A.vac_vol, 1e-4 * L * L * L + 1e-4);
    CHECK_NEAR(r.total_electrons, A.nelec, 1e-4);
    int m = weight ? 1 : 0;
    worst[m] = fmax(worst[m], dq);
    printf("  %-72s %-8s max |Δpop| %.2e e, |Δvol| %.2e Å³, |Δmin_dist| %.1e Å\n", rel,
           weight ? "weight" : "neargrid", dq, dvol, dmin);
    /* the same answer on 1 and 2 threads, to the last bit */
    o.threads = 2;
    dp_bader_result r2;
    if (dp_bader_run(ref ? &ref->grid : &run->grid, &run->grid, &run->frames[run->nframes - 1],
                     run->natoms, &o, &r2, &err) == DP_OK) {
        o.threads = 1;
        dp_bader_result r1;
        CHECK(dp_bader_run(ref ? &ref->grid : &run->grid, &run->grid,
                           &run->frames[run->nframes - 1], run->natoms, &o, &r1, &err) == DP_OK);
        CHECK(!memcmp(r1.population, r2.population, (size_t)r.natoms * sizeof(double)));
        CHECK(!memcmp(r1.min_dist, r2.min_dist, (size_t)r.natoms * sizeof(double)));
        CHECK(!memcmp(r1.volume, r2.volume, (size_t)r.natoms * sizeof(double)));
        size_t nm = (size_t)r1.nmag * (size_t)r.natoms;
        CHECK(r1.nmag == r2.nmag && (!nm || !memcmp(r1.moment, r2.moment, nm * sizeof(double))));
        CHECK(r1.vacuum_charge == r2.vacuum_charge);
        CHECK(r1.nmaxima == r2.nmaxima &&
              !memcmp(r1.maximum_atom, r2.maximum_atom, (size_t)r1.nmaxima * sizeof(int)));
        dp_bader_result_free(&r1);
        dp_bader_result_free(&r2);
    }
    dp_bader_result_free(&r);
    dp_run_free(run), dp_run_free(ref);
}

static void walk(const char *shared, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char sub[200][1100];
    int n = 0;
    while ((e = readdir(d)) && n < 200)
        if (e->d_name[0] != '.')
            snprintf(sub[n++], sizeof sub[0], "%s/%s", dir, e->d_name);
    closedir(d);
    qsort(sub, (size_t)n, sizeof sub[0], (int (*)(const void *, const void *))strcmp);
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(sub[i], &st) || !S_ISDIR(st.st_mode))
            continue;
        char rj[1200];
        if (snprintf(rj, sizeof rj, "%s/run.json", sub[i]) >= (int)sizeof rj)
            continue;
        if (!access(rj, R_OK))
            one_case(shared, sub[i]);
        else
            walk(shared, sub[i]);
    }
}

int main(int argc, char **argv)
{
    synthetic();
    refine();
    const char *shared = argc > 2 ? argv[2] : "../shared";
    char refdir[1100];
    snprintf(refdir, sizeof refdir, "%s/reference/bader", shared);
    struct stat st;
    if (stat(refdir, &st)) {
        printf("SKIP: %s absent: the Bader program's reference cases were not run\n", refdir);
        check_report();
        return check_failed ? 1 : CHECK_SKIP;
    }
    walk(shared, refdir);
    CHECK(ncases == 30);
    printf("%d reference cases; max |Δpopulation| near-grid %.2e e, weight %.2e e\n", ncases,
           worst[0], worst[1]);
    return check_report();
}
