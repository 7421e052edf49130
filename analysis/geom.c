/* Distances with periodic boundaries, neighbour lists, bonding by covalent radii. */
#include "dftpost.h"

#include <math.h>
#include <stdlib.h>

void dp_frame_cartesian(const dp_frame *f, int natoms, double (*cart)[3])
{
    for (int a = 0; a < natoms; a++)
        for (int k = 0; k < 3; k++)
            cart[a][k] = f->frac[a][0] * f->lattice[0][k] + f->frac[a][1] * f->lattice[1][k] +
                         f->frac[a][2] * f->lattice[2][k];
}

double dp_lattice_det(const double m[3][3])
{
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
           m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

/* Cofactors over the determinant: inv = adj(m) / det(m). */
bool dp_lattice_inverse(const double m[3][3], double inv[3][3])
{
    double det = dp_lattice_det(m);
    if (det == 0.0 || !isfinite(det))
        return false;
    inv[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
    inv[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
    inv[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
    inv[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
    inv[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
    inv[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
    inv[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
    inv[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
    inv[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
    return true;
}

void dp_cartesian_to_fractional(const double inv[3][3], const double cart[3], double frac[3])
{
    double c[3] = {cart[0], cart[1], cart[2]}; /* cart and frac may be the same array */
    for (int k = 0; k < 3; k++)
        frac[k] = c[0] * inv[0][k] + c[1] * inv[1][k] + c[2] * inv[2][k];
}

/* Squared length of the shortest image of the fractional difference df. */
static double mic_d2(const double lattice[3][3], const double df_in[3])
{
    double df[3];
    for (int k = 0; k < 3; k++)
        df[k] = df_in[k] - floor(df_in[k] + 0.5);
    double best = INFINITY;
    for (int a = -1; a <= 1; a++)
        for (int b = -1; b <= 1; b++)
            for (int c = -1; c <= 1; c++) {
                double u = df[0] + a, v = df[1] + b, w = df[2] + c, d2 = 0;
                for (int k = 0; k < 3; k++) {
                    double x = u * lattice[0][k] + v * lattice[1][k] + w * lattice[2][k];
                    d2 += x * x;
                }
                if (d2 < best)
                    best = d2;
            }
    return best;
}

double dp_mic_distance(const double lattice[3][3], const double a[3], const double b[3])
{
    double df[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    return sqrt(mic_d2(lattice, df));
}

dp_status dp_neighbours(const dp_frame *f, int natoms, double cutoff, dp_pair **pairs,
                        int *npairs, dp_error *err)
{
    size_t n = 0, cap = 256;
    dp_pair *p = malloc(cap * sizeof *p);
    if (!p)
        return dp_fail(err, DP_ERR_NOMEM, "out of memory for a neighbour list");
    double c2 = cutoff * cutoff;
    for (int i = 0; i < natoms; i++)
        for (int j = i + 1; j < natoms; j++) {
            double df[3] = {f->frac[j][0] - f->frac[i][0], f->frac[j][1] - f->frac[i][1],
                            f->frac[j][2] - f->frac[i][2]};
            double d2 = mic_d2(f->lattice, df);
            if (!(d2 <= c2))
                continue;
            if (n == cap) {
                dp_pair *q = realloc(p, (cap *= 2) * sizeof *p);
                if (!q) {
                    free(p);
                    return dp_fail(err, DP_ERR_NOMEM, "out of memory for a neighbour list");
                }
                p = q;
            }
            p[n++] = (dp_pair){i, j, sqrt(d2)};
        }
    *pairs = p;
    *npairs = (int)n;
    return DP_OK;
}

bool dp_bonded(const dp_run *run, int i, int j, double distance, double tolerance)
{
    double ri = dp_covalent_radius(run->species[run->atom_type[i]].symbol);
    double rj = dp_covalent_radius(run->species[run->atom_type[j]].symbol);
    return ri > 0 && rj > 0 && distance < tolerance * (ri + rj);
}
