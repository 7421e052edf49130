/* Vibrational modes for `thermo` and `fed` (see modes_input.h). */
#include "modes_input.h"
#include "common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int vib_modes_read(const char *path, bool quiet, vib_modes *m, char *msg, size_t size)
{
    double *cm1 = NULL;
    bool *imag = NULL;
    dp_error err = {0};
    msg[0] = '\0';
    *m = (vib_modes){0};
    /* a dynmat.x output or a list, else any file dftpost reads */
    dp_status st = dp_wavenumbers_read(path, &cm1, &imag, &m->n, &m->kind, &err);
    if (st == DP_ERR_FORMAT) {
        dp_read_opts ro = {.skip_dos = true};
        if (quiet) {
            if (dp_read(path, &ro, &m->run, &err) != DP_OK) {
                snprintf(msg, size, "%s", err.msg);
                return -1;
            }
        } else if (!(m->run = load_run(path, &ro))) {
            return -1;
        }
        if (!m->run->has_modes || m->run->modes.nmodes < 1) {
            snprintf(msg, size, "%.700s: no vibrational modes (an OUTCAR of an IBRION=5-8 run, "
                     "a dynmat.x output or a list of wavenumbers in cm-1)", path);
            return -1;
        }
        m->n = m->run->modes.nmodes;
        m->kind = m->run->program[0] ? m->run->program : "file";
    } else if (st != DP_OK) {
        snprintf(msg, size, "%s", err.msg);
        return -1;
    }
    m->mode = malloc((size_t)(m->n > 0 ? m->n : 1) * sizeof *m->mode);
    if (m->mode)
        for (int i = 0; i < m->n; i++) {
            m->mode[i].cm1 = m->run ? m->run->modes.cm1[i] : cm1[i];
            m->mode[i].imag = m->run ? m->run->modes.imaginary[i] : imag[i];
        }
    free(cm1);
    free(imag);
    if (!m->mode) {
        snprintf(msg, size, "out of memory");
        return -1;
    }
    return 0;
}

void vib_modes_free(vib_modes *m)
{
    free(m->mode);
    dp_run_free(m->run);
    *m = (vib_modes){0};
}

static int by_signed_desc(const void *a, const void *b)
{
    const vib_mode *x = a, *y = b;
    double vx = x->imag ? -x->cm1 : x->cm1, vy = y->imag ? -y->cm1 : y->cm1;
    return (vx < vy) - (vx > vy);
}

void vib_modes_sort_desc(vib_mode *mode, int n)
{
    qsort(mode, (size_t)n, sizeof *mode, by_signed_desc);
}

double *vib_modes_energies(const vib_mode *mode, int n, const dp_mode_policy *policy,
                           int *nused, int *ndropped, int *nraised)
{
    size_t cap = (size_t)(n > 0 ? n : 1);
    double *w = malloc(cap * sizeof *w), *ev = malloc(cap * sizeof *ev);
    bool *wi = malloc(cap * sizeof *wi);
    if (w && wi && ev) {
        for (int i = 0; i < n; i++) {
            w[i] = mode[i].cm1;
            wi[i] = mode[i].imag;
        }
        dp_thermo_select_modes(w, wi, n, policy, ev, nused, ndropped, nraised);
    } else {
        free(ev);
        ev = NULL;
    }
    free(w);
    free(wi);
    return ev;
}

/* Cartesian positions (Å) of the last frame, each atom at the minimum image of atom 1. */
static void whole_molecule(const dp_run *r, double (*cart)[3])
{
    const dp_frame *f = &r->frames[r->nframes - 1];
    for (int a = 0; a < r->natoms; a++) {
        double fr[3];
        for (int x = 0; x < 3; x++) {
            double d = f->frac[a][x] - f->frac[0][x];
            fr[x] = f->frac[0][x] + d - round(d);
        }
        for (int x = 0; x < 3; x++)
            cart[a][x] = fr[0] * f->lattice[0][x] + fr[1] * f->lattice[1][x] +
                         fr[2] * f->lattice[2][x];
    }
}

int gas_molecule_of(const dp_run *mol, const char *path, bool file_masses, gas_molecule *g,
                    char *msg, size_t size)
{
    double(*cart)[3] = malloc((size_t)mol->natoms * sizeof *cart);
    double *mass = malloc((size_t)mol->natoms * sizeof *mass);
    int rc = -1;
    dp_error err = {0};
    if (!cart || !mass) {
        snprintf(msg, size, "out of memory");
        goto done;
    }
    whole_molecule(mol, cart);
    for (int a = 0; a < mol->natoms; a++) {
        const dp_species *sp = &mol->species[mol->atom_type[a]];
        mass[a] = file_masses ? sp->mass : dp_atomic_mass(sp->symbol);
        if (!(mass[a] > 0)) {
            snprintf(msg, size, "%.700s: atom %d (%s): no mass %s", path, a + 1, sp->symbol,
                     file_masses ? "in the file (try --masses ase)" : "in the IUPAC table");
            goto done;
        }
    }
    if (dp_moments_of_inertia(mol->natoms, (const double(*)[3])cart, mass, g->inertia,
                              &g->mass, &err)) {
        snprintf(msg, size, "%.300s: %.600s", path, err.msg);
        goto done;
    }
    g->geometry = dp_geometry_from_inertia(mol->natoms, g->inertia);
    rc = 0;
done:
    free(cart);
    free(mass);
    return rc;
}
