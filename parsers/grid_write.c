/*
 * Writers for a grid and a run's structure (its last frame): a VASP 5 CHGCAR-type file
 * and a Gaussian cube. See dftpost.h.
 *
 * CHGCAR: the POSCAR header with 16 decimals (VASP writes 6, which would change the cell
 * volume, and with it every value, in the 7th digit on reading back), a blank line, the
 * grid line, the values in VASP's order (x fastest) five to a line as " %17.11E" (12
 * significant digits: a value read back differs by < 5e-12 relative), a density
 * multiplied by V_cell (VASP's ρ·V), a potential or ELF as it is. For nmag > 0 each
 * magnetisation block follows a line of per-atom moments (zeros: the model does not keep
 * VASP's, and readers skip the line) and the grid line again, as VASP lays them out.
 * No augmentation occupancies (the model has none; VASP and pymatgen read files
 * without them).
 *
 * Cube: two comment lines, natoms and the origin, n_i and the voxel vectors (Bohr), atoms
 * (Z, charge = ZVAL where known else Z, position in Bohr), values with the last index
 * fastest, six to a line as "%13.5E" and a new line after each row along c: densities in
 * e/bohr³, other quantities as they are. Only the total is written (a cube holds one
 * quantity).
 */
#include "dftpost.h"
#include "../analysis/elements.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOHR 0.529177210903 /* Å, CODATA 2018, as cube.c */

static bool is_density(const dp_grid *g)
{
    /* "density", and a "density difference" from dp_chgdiff */
    return g->quantity[0] == '\0' || !strncmp(g->quantity, "density", 7);
}

static dp_status check(const dp_run *run, const dp_grid *g, const char *path, dp_error *err)
{
    if (!g->values || g->n[0] < 1 || g->n[1] < 1 || g->n[2] < 1)
        return dp_fail(err, DP_ERR_USAGE, "%s: no grid to write", path);
    if (!run || run->nframes < 1 || (run->natoms > 0 && !run->frames[run->nframes - 1].frac))
        return dp_fail(err, DP_ERR_USAGE, "%s: no structure to write with the grid", path);
    if (g->nmag != 0 && g->nmag != 1 && g->nmag != 3)
        return dp_fail(err, DP_ERR_USAGE, "%s: %d magnetisation blocks (0, 1 or 3)", path,
                       g->nmag);
    for (int m = 0; m < g->nmag; m++)
        if (!g->mag[m])
            return dp_fail(err, DP_ERR_USAGE, "%s: magnetisation block %d was not read", path,
                           m + 1);
    double v = dp_lattice_det(g->lattice);
    if (!isfinite(v) || fabs(v) < 1e-12)
        return dp_fail(err, DP_ERR_USAGE, "%s: the grid's cell has no volume", path);
    return DP_OK;
}

/* Opens path for writing, buffered in buf (which must outlive the FILE). */
static dp_status create(const char *path, char *buf, size_t size, FILE **f, dp_error *err)
{
    *f = fopen(path, "w");
    if (!*f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    setvbuf(*f, buf, _IOFBF, size);
    return DP_OK;
}

static dp_status finish(FILE *f, const char *path, dp_error *err)
{
    bool bad = ferror(f) != 0;
    int e = errno;
    if (fclose(f) != 0 || bad)
        return dp_fail(err, DP_ERR_IO, "%s: cannot write: %s", path, strerror(bad ? e : errno));
    return DP_OK;
}

/* One block in VASP's order (x fastest), five a line. */
static void chgcar_block(FILE *f, const double *v, const int n[3], double factor)
{
    int col = 0;
    for (int k = 0; k < n[2]; k++)
        for (int j = 0; j < n[1]; j++)
            for (int i = 0; i < n[0]; i++) {
                double x = v[((size_t)i * (size_t)n[1] + (size_t)j) * (size_t)n[2] + (size_t)k];
                fprintf(f, " %17.11E", x * factor);
                if (++col == 5) {
                    fputc('\n', f);
                    col = 0;
                }
            }
    if (col)
        fputc('\n', f);
}

dp_status dp_grid_write_chgcar(const dp_run *run, const dp_grid *grid, const char *path,
                               dp_error *err)
{
    dp_status st = check(run, grid, path, err);
    if (st)
        return st;
    if (grid->origin[0] != 0 || grid->origin[1] != 0 || grid->origin[2] != 0)
        return dp_fail(err, DP_ERR_USAGE, "%s: the grid's origin is (%g, %g, %g) Å: a CHGCAR "
                       "has none (write a cube instead)", path, grid->origin[0],
                       grid->origin[1], grid->origin[2]);
    char buf[1 << 16];
    FILE *f;
    if ((st = create(path, buf, sizeof buf, &f, err)))
        return st;
    const dp_frame *fr = &run->frames[run->nframes - 1];
    char formula[256];
    dp_run_formula(run, formula, sizeof formula);
    fprintf(f, "%s (%s, written by dftpost)\n", formula[0] ? formula : "unknown system",
            grid->quantity[0] ? grid->quantity : "density");
    fprintf(f, "   1.00000000000000\n");
    for (int i = 0; i < 3; i++)
        fprintf(f, " %22.16f %22.16f %22.16f\n", grid->lattice[i][0], grid->lattice[i][1],
                grid->lattice[i][2]);
    for (int t = 0; t < run->ntypes; t++)
        fprintf(f, "   %-2s", run->species[t].symbol);
    fputc('\n', f);
    for (int t = 0; t < run->ntypes; t++)
        fprintf(f, " %5d", run->species[t].count);
    fprintf(f, "\nDirect\n");
    for (int a = 0; a < run->natoms; a++)
        fprintf(f, " %20.16f %20.16f %20.16f\n", fr->frac[a][0], fr->frac[a][1], fr->frac[a][2]);
    const int *n = grid->n;
    fprintf(f, " \n %4d %4d %4d\n", n[0], n[1], n[2]);
    double factor = is_density(grid) ? fabs(dp_lattice_det(grid->lattice)) : 1.0;
    chgcar_block(f, grid->values, n, factor);
    for (int m = 0; m < grid->nmag; m++) {
        for (int a = 0; a < (run->natoms > 0 ? run->natoms : 1); a++)
            fprintf(f, " %19.12E%s", 0.0, (a % 5 == 4 || a == run->natoms - 1) ? "\n" : "");
        if (run->natoms < 1)
            fputc('\n', f);
        fprintf(f, " %4d %4d %4d\n", n[0], n[1], n[2]);
        chgcar_block(f, grid->mag[m], n, factor);
    }
    return finish(f, path, err);
}

dp_status dp_grid_write_cube(const dp_run *run, const dp_grid *grid, const char *path,
                             dp_error *err)
{
    dp_status st = check(run, grid, path, err);
    if (st)
        return st;
    if (run->natoms < 1)
        return dp_fail(err, DP_ERR_USAGE, "%s: a cube needs at least one atom", path);
    char buf[1 << 16];
    FILE *f;
    if ((st = create(path, buf, sizeof buf, &f, err)))
        return st;
    const dp_frame *fr = &run->frames[run->nframes - 1];
    const int *n = grid->n;
    char formula[256];
    dp_run_formula(run, formula, sizeof formula);
    bool density = is_density(grid);
    fprintf(f, "%s %s, written by dftpost\n", formula, density ? "density (e/bohr^3)" :
            grid->quantity);
    fprintf(f, "OUTER LOOP: X, MIDDLE LOOP: Y, INNER LOOP: Z\n");
    fprintf(f, "%5d %12.6f %12.6f %12.6f\n", run->natoms, grid->origin[0] / BOHR,
            grid->origin[1] / BOHR, grid->origin[2] / BOHR);
    for (int i = 0; i < 3; i++)
        fprintf(f, "%5d %12.6f %12.6f %12.6f\n", n[i], grid->lattice[i][0] / n[i] / BOHR,
                grid->lattice[i][1] / n[i] / BOHR, grid->lattice[i][2] / n[i] / BOHR);
    for (int a = 0; a < run->natoms; a++) {
        const dp_species *sp = &run->species[run->atom_type[a]];
        int z = dp_atomic_number(sp->symbol);
        double charge = isfinite(sp->zval) ? sp->zval : (double)z;
        double c[3];
        for (int k = 0; k < 3; k++)
            c[k] = grid->origin[k] + fr->frac[a][0] * grid->lattice[0][k] +
                   fr->frac[a][1] * grid->lattice[1][k] + fr->frac[a][2] * grid->lattice[2][k];
        fprintf(f, "%5d %12.6f %12.6f %12.6f %12.6f\n", z, charge, c[0] / BOHR, c[1] / BOHR,
                c[2] / BOHR);
    }
    double factor = density ? BOHR * BOHR * BOHR : 1.0;
    const double *v = grid->values;
    for (long long ij = 0; ij < (long long)n[0] * n[1]; ij++) {
        for (int k = 0; k < n[2]; k++)
            fprintf(f, " %12.5E%s", v[ij * n[2] + k] * factor,
                    (k % 6 == 5 || k == n[2] - 1) ? "\n" : "");
    }
    return finish(f, path, err);
}
