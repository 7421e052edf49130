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
