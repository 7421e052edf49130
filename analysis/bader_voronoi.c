/*
 * Voronoi (Wigner–Seitz) cell of the voxel lattice, for the weight method: the neighbour
 * vectors R whose bisecting planes bound the cell and the flux factors alpha = facet area
 * / |R| (Yu & Trinkle 2011; the Bader program's ws_voronoi). Neighbours up to 3 voxels
 * away are tried, in the program's order (first index slowest).
 */
#include "bader_internal.h"

#include <math.h>
#include <stdlib.h>

#define RANGE 3
#define MAXN ((2 * RANGE + 1) * (2 * RANGE + 1) * (2 * RANGE + 1) - 1)
#define TOL 1e-8

static double dot(const double *a, const double *b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

static bool in_cell(const double r[3], int n, double (*R)[3], const double *half2)
{
    for (int m = 0; m < n; m++)
        if (dot(r, R[m]) > half2[m] + TOL)
            return false;
    return true;
}

/* Solves the 3×3 system rows·x = b; false when singular. */
static bool solve3(double m[3][3], const double b[3], double x[3])
{
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                 m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                 m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if (fabs(det) < TOL)
        return false;
    for (int c = 0; c < 3; c++) {
        double t[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                t[i][j] = j == c ? b[i] : m[i][j];
        x[c] = (t[0][0] * (t[1][1] * t[2][2] - t[1][2] * t[2][1]) -
                t[0][1] * (t[1][0] * t[2][2] - t[1][2] * t[2][0]) +
                t[0][2] * (t[1][0] * t[2][1] - t[1][1] * t[2][0])) /
               det;
    }
    return true;
}

typedef struct {
    double r[3], phi;
} vertex;

static int by_phi(const void *a, const void *b)
{
    double x = ((const vertex *)a)->phi, y = ((const vertex *)b)->phi;
    return (x > y) - (x < y);
}

int bader_voronoi(const double lat2car[3][3], int (*vect)[3], double *alpha)
{
    int cand[MAXN][3];
    double(*R)[3] = malloc(MAXN * sizeof *R);
    double *half2 = malloc(MAXN * sizeof *half2);
    int(*nv)[3] = malloc(MAXN * sizeof *nv);
    vertex *vert = NULL;
    int nc = 0, count = 0;
    if (!R || !half2 || !nv)
        goto done;
    for (int a = -RANGE; a <= RANGE; a++)
        for (int b = -RANGE; b <= RANGE; b++)
            for (int c = -RANGE; c <= RANGE; c++) {
                if (!a && !b && !c)
                    continue;
                cand[nc][0] = a, cand[nc][1] = b, cand[nc][2] = c;
                for (int j = 0; j < 3; j++)
                    R[nc][j] = lat2car[j][0] * a + lat2car[j][1] * b + lat2car[j][2] * c;
                half2[nc] = 0.5 * dot(R[nc], R[nc]);
                nc++;
            }
    /* the planes that touch the cell: R/2 inside it */
    double(*S)[3] = malloc(MAXN * sizeof *S);
    double *s2 = malloc(MAXN * sizeof *s2);
    int ns = 0;
    if (!S || !s2) {
        free(S), free(s2);
        goto done;
    }
    for (int m = 0; m < nc; m++) {
        double h[3] = {0.5 * R[m][0], 0.5 * R[m][1], 0.5 * R[m][2]};
        if (in_cell(h, nc, R, half2)) {
            for (int j = 0; j < 3; j++)
                S[ns][j] = R[m][j], nv[ns][j] = cand[m][j];
            s2[ns++] = half2[m];
        }
    }
    if (!(vert = malloc((size_t)ns * (size_t)ns * sizeof *vert))) {
        free(S), free(s2);
        goto done;
    }
    for (int m = 0; m < ns; m++) {
        int nvx = 0;
        for (int a = 0; a < ns; a++)
            for (int b = a + 1; b < ns; b++) {
                double M[3][3], rhs[3] = {s2[m], s2[a], s2[b]}, x[3];
                for (int j = 0; j < 3; j++)
                    M[0][j] = S[m][j], M[1][j] = S[a][j], M[2][j] = S[b][j];
                if (a == m || b == m || !solve3(M, rhs, x) || !in_cell(x, ns, S, s2))
                    continue;
                vert[nvx].r[0] = x[0], vert[nvx].r[1] = x[1], vert[nvx].r[2] = x[2];
                nvx++;
            }
        if (nvx < 3)
            continue;
        /* the facet polygon, vertices by angle around R */
        double len = sqrt(dot(S[m], S[m])), u[3], v[3];
        double p = dot(vert[0].r, S[m]) / (len * len);
        for (int j = 0; j < 3; j++)
            u[j] = vert[0].r[j] - p * S[m][j];
        double ul = sqrt(dot(u, u));
        if (!(ul > 0))
            continue;
        for (int j = 0; j < 3; j++)
            u[j] /= ul;
        v[0] = S[m][1] * u[2] - S[m][2] * u[1];
        v[1] = S[m][2] * u[0] - S[m][0] * u[2];
        v[2] = S[m][0] * u[1] - S[m][1] * u[0];
        for (int j = 0; j < 3; j++)
            v[j] /= len;
        for (int t = 0; t < nvx; t++)
            vert[t].phi = atan2(dot(vert[t].r, v), dot(vert[t].r, u));
        qsort(vert, (size_t)nvx, sizeof *vert, by_phi);
        double area2 = 0; /* Σ (r_t × r_t+1)·R = 2·area·|R| */
        for (int t = 0; t < nvx; t++) {
            const double *a = vert[t].r, *b = vert[(t + 1) % nvx].r;
            double x[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                           a[0] * b[1] - a[1] * b[0]};
            area2 += dot(x, S[m]);
        }
        double al = area2 * 0.25 / s2[m]; /* = area / |R| */
        if (fabs(al) < TOL)
            continue;
        vect[count][0] = nv[m][0], vect[count][1] = nv[m][1], vect[count][2] = nv[m][2];
        alpha[count++] = al;
    }
    free(S), free(s2);
done:
    free(R), free(half2), free(nv), free(vert);
    return count;
}
