/* Geometry against ASE 3.22.1 (Debian python3-ase): minimum-image distances
 * (atoms.get_distance(mic=True)) and, for the 140 *OOH structures of SAC_HOER_data,
 * the O–O pairs and the metals ASE's NeighborList(natural_cutoffs(mult=1.2)) bonds
 * to each O. References: tests/reference/ase_*.tsv, made by
 * scripts/reference/ase_geometry.py. Plus hand-made cells with known answers.
 * usage: test_geom REFERENCE_DIR SHARED_DIR */
#include "check.h"
#include "dftpost.h"
#include "test_util.h"

#include <sys/stat.h>

static void hand_cells(void)
{
    /* a cubic 10 Å cell: atoms at x = 0.05 and 0.95 are 1 Å apart through the face */
    dp_frame f = {.lattice = {{10, 0, 0}, {0, 10, 0}, {0, 0, 10}}};
    double a[3] = {0.05, 0.5, 0.5}, b[3] = {0.95, 0.5, 0.5};
    CHECK_NEAR(dp_mic_distance(f.lattice, a, b), 1.0, 1e-12);
    /* a hexagonal cell (a = 2.46 Å, 120°) as graphene: C at (1/3, 2/3) and (2/3, 1/3)
     * are a/sqrt(3) = 1.420281 Å apart (hand calculation) */
    double hex[3][3] = {{2.46, 0, 0}, {-1.23, 2.130422493, 0}, {0, 0, 15}};
    double c1[3] = {1.0 / 3, 2.0 / 3, 0.5}, c2[3] = {2.0 / 3, 1.0 / 3, 0.5};
    CHECK_NEAR(dp_mic_distance(hex, c1, c2), 2.46 / sqrt(3), 1e-8);
    /* the inverse lattice: volume a·(b×c) = 2.46 · 2.130422493 · 15, lattice · inv = 1,
     * and a Cartesian position back to the fractional one it came from */
    double inv[3][3];
    CHECK_NEAR(dp_lattice_det(hex), 2.46 * 2.130422493 * 15, 1e-12);
    CHECK(dp_lattice_inverse(hex, inv));
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            CHECK_NEAR(hex[i][0] * inv[0][j] + hex[i][1] * inv[1][j] + hex[i][2] * inv[2][j],
                       i == j, 1e-15);
    double x[3];
    for (int k = 0; k < 3; k++)
        x[k] = c1[0] * hex[0][k] + c1[1] * hex[1][k] + c1[2] * hex[2][k];
    dp_cartesian_to_fractional(inv, x, x); /* in place */
    CHECK_NEAR(x[0], 1.0 / 3, 1e-15);
    CHECK_NEAR(x[1], 2.0 / 3, 1e-15);
    CHECK_NEAR(x[2], 0.5, 1e-15);
    /* singular (two equal vectors) or not finite: no inverse, inv untouched */
    double flat[3][3] = {{1, 0, 0}, {1, 0, 0}, {0, 0, 1}}, nan_cell[3][3] = {{NAN}};
    inv[0][0] = 42;
    CHECK(!dp_lattice_inverse(flat, inv) && !dp_lattice_inverse(nan_cell, inv) && inv[0][0] == 42);
    /* the neighbours of one atom in a simple cubic 2 Å cell: itself in six images,
     * but a single atom has no pairs */
    double one[1][3] = {{0, 0, 0}};
    f.frac = one;
    dp_pair *p;
    int n;
    dp_error err;
    CHECK(dp_neighbours(&f, 1, 3.0, &p, &n, &err) == DP_OK && n == 0);
    free(p);
    CHECK_NEAR(dp_covalent_radius("Fe"), 1.32, 0); /* Cordero 2008, low-spin */
    CHECK_NEAR(dp_covalent_radius("Xx"), -1, 0);
    CHECK(dp_element_is_metal("Fe") && dp_element_is_metal("Na") && !dp_element_is_metal("O") &&
          !dp_element_is_metal("Si"));
}

static dp_run *load(const char *shared, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", shared, rel);
    dp_error err;
    dp_read_opts o = {.skip_dos = true};
    dp_run *r = cache_read(path, &o, &err);
    if (!r) {
        fprintf(stderr, "%s\n", err.msg);
        check_failed++;
    }
    return r;
}

/* All pairs < 3 Å of each file must be ASE's, with the same distances. */
static void distances(const char *ref, const char *shared)
{
    char path[1024], line[1024], file[512] = "";
    snprintf(path, sizeof path, "%s/ase_distances.tsv", ref);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    dp_pair *pairs = NULL;
    int npairs = 0, matched = 0, expected = 0, files = 0;
    while (fgets(line, sizeof line, f)) {
        char rel[512];
        int i, j;
        double d;
        if (line[0] == '#' || sscanf(line, "%511s %d %d %lf", rel, &i, &j, &d) != 4)
            continue;
        if (strcmp(rel, file)) {
            CHECK(matched == npairs); /* no pair of ours that ASE lacks */
            free(pairs);
            pairs = NULL;
            npairs = matched = 0;
            snprintf(file, sizeof file, "%s", rel);
            dp_run *run = load(shared, rel);
            dp_error err;
            if (!run || dp_neighbours(&run->frames[run->nframes - 1], run->natoms, 3.0, &pairs,
                                      &npairs, &err) != DP_OK) {
                check_failed++;
                npairs = 0;
                continue;
            }
            files++;
        }
        expected++;
        int k = 0;
        while (k < npairs && !(pairs[k].i == i - 1 && pairs[k].j == j - 1))
            k++;
        if (k == npairs) {
            check_failed++;
            fprintf(stderr, "%s: pair %d-%d (%.6f Å in ASE) missing\n", rel, i, j, d);
            continue;
        }
        matched++;
        CHECK_NEAR(pairs[k].distance, d, 1e-6);
    }
    CHECK(matched == npairs);
    free(pairs);
    fclose(f);
    printf("ase_distances.tsv: %d pairs in %d files\n", expected, files);
    CHECK(files >= 8 && expected > 3000);
}

static bool has_metal(const dp_adsorbate *a, int atom, int metal)
{
    for (int k = 0; k < a->nmetals; k++)
        if (a->partner[k] == atom && a->metal[k] == metal)
            return true;
    return false;
}

/* "Fe12 Co13" → count of listed metals, each bound to atom per dp_find_adsorbates */
static int check_metals(const dp_run *run, const dp_adsorbate *a, int atom, const char *list)
{
    int n = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        int idx = atoi(t + strcspn(t, "0123456789")) - 1;
        CHECK(has_metal(a, atom, idx));
        (void)run;
        n++;
    }
    int ours = 0;
    for (int k = 0; k < a->nmetals; k++)
        ours += a->partner[k] == atom;
    CHECK(ours == n);
    return n;
}

static void adsorbates(const char *ref, const char *shared)
{
    char path[1024], line[2048];
    snprintf(path, sizeof path, "%s/ase_adsorbates.tsv", ref);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    int rows = 0, modes[4] = {0};
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || !strncmp(line, "file\t", 5))
            continue;
        char *cols[6];
        if (split_tsv(line, cols, 6) != 6)
            continue;
        dp_run *run = load(shared, cols[0]);
        if (!run)
            continue;
        rows++;
        int i = atoi(cols[1]) - 1, j = atoi(cols[2]) - 1;
        dp_adsorbate *ads;
        int n;
        dp_error err;
        CHECK(dp_find_adsorbates(run, &run->frames[run->nframes - 1], "O", 1.7, 1.2, &ads, &n,
                                 &err) == DP_OK);
        int k = 0;
        while (k < n && !(ads[k].i == i && ads[k].j == j))
            k++;
        CHECK(k < n);
        if (k < n) {
            CHECK_NEAR(ads[k].length, atof(cols[3]), 1e-6);
            int ni = check_metals(run, &ads[k], i, cols[4]);
            int nj = check_metals(run, &ads[k], j, cols[5]);
            /* mode from ASE's bonds: the same rule as dftpost's */
            const char *want = !ni && !nj ? "free" : (!ni || !nj) ? "end-on" : NULL;
            if (want)
                CHECK(!strcmp(ads[k].mode, want));
            modes[!strcmp(ads[k].mode, "free")   ? 0
                  : !strcmp(ads[k].mode, "end-on") ? 1
                  : !strcmp(ads[k].mode, "side-on") ? 2 : 3]++;
        }
        free(ads);
    }
    fclose(f);
    printf("ase_adsorbates.tsv: %d O-O units: %d free, %d end-on, %d side-on, %d bridge\n", rows,
           modes[0], modes[1], modes[2], modes[3]);
    CHECK(rows >= 100);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_geom REFERENCE_DIR SHARED_DIR\n");
        return 2;
    }
    hand_cells();
    struct stat st;
    if (stat(argv[2], &st) == 0) {
        distances(argv[1], argv[2]);
        adsorbates(argv[1], argv[2]);
    } else {
        printf("SKIP (partly): %s is absent; the ASE comparisons need ../shared\n", argv[2]);
    }
    cache_clear();
    return check_report();
}
