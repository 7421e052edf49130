/* A synthetic OUTCAR generator for test_outcar.c, in both the VASP 5.4+ and the VASP
 * 5.2.2 order of blocks; every value it writes comes from the *_of functions, which
 * are what the reader must return. Header-only, included by one test. */
#ifndef DP_OUTCAR_GEN_H
#define DP_OUTCAR_GEN_H

#include "test_util.h"

#include <stdbool.h>
#include <stdio.h>

/* ---- a synthetic OUTCAR ------------------------------------------------- */

typedef struct {
    int natoms;        /* 1 (Fe) or 2 (Fe, O) */
    int nsteps;
    bool energy_first; /* VASP 5.2.2: the energy block before forces and positions */
    bool ncl;          /* LNONCOLLINEAR: magnetization (x), (y), (z) */
    bool modes;        /* a plain and a mass-divided block of modes at the end */
    bool big_cell;     /* c = 120 Å: the lattice columns touch */
    bool timing;       /* the end-of-job block */
    bool soft_stop;
} gen_opts;

static const double LAT[3][3] = {{4, 0, 0}, {0, 5, 0}, {1, 0, 8}};

static void lattice_of(const gen_opts *g, double l[3][3])
{
    memcpy(l, LAT, sizeof LAT);
    if (g->big_cell)
        l[2][0] = 0, l[2][2] = 120;
}

static void frac_of(int step, int atom, double f[3])
{
    if (atom == 0)
        f[0] = 0.1 + 0.01 * step, f[1] = 0.2, f[2] = 0.3;
    else
        f[0] = 0.5, f[1] = 0.5 - 0.01 * step, f[2] = 0.5;
}

static void force_of(int step, int atom, double f[3])
{
    if (atom == 0)
        f[0] = 0.1 * step + 0.01, f[1] = -0.02, f[2] = 0.03;
    else
        f[0] = -0.01, f[1] = 0.02, f[2] = -0.03 - 0.1 * step;
}

static double e_free_of(int step) { return -10 - 0.1 * step - 0.00012345; }
static double mag_d_of(int step) { return 2.345 + 0.001 * step; }

static void lattice_block(FILE *f, const gen_opts *g)
{
    double l[3][3];
    lattice_of(g, l);
    fprintf(f, "      direct lattice vectors                 reciprocal lattice vectors\n");
    for (int i = 0; i < 3; i++)
        fprintf(f, "   %13.9f%13.9f%13.9f   %13.9f%13.9f%13.9f\n", l[i][0], l[i][1], l[i][2],
                0.1, 0.2, 0.3);
    fprintf(f, "  length of vectors\n\n");
}

static void mag_tables(FILE *f, const gen_opts *g, int step)
{
    const char *comp = g->ncl ? "xyz" : "x";
    for (const char *c = comp; *c; c++) {
        bool zero = g->ncl && *c != 'z';
        double d = zero ? 0 : mag_d_of(step);
        fprintf(f, " magnetization (%c)\n \n# of ion       s       p       d       tot\n"
                "------------------------------------------\n", *c);
        fprintf(f, "    1        %6.3f  %6.3f  %6.3f  %6.3f\n", zero ? 0 : 0.012, zero ? 0 : 0.034,
                d, zero ? 0 : 0.046 + d);
        if (g->natoms == 2) {
            fprintf(f, "    2       %6.3f  %6.3f  %6.3f  %6.3f\n", zero ? 0 : -0.001,
                    zero ? 0 : 0.102, 0.0, zero ? 0 : 0.101);
            fprintf(f, "--------------------------------------------------\n");
            fprintf(f, "tot          %6.3f  %6.3f  %6.3f  %6.3f\n", zero ? 0 : 0.011,
                    zero ? 0 : 0.136, d, zero ? 0 : 0.147 + d);
        }
        fprintf(f, " \n\n");
    }
}

static void positions_block(FILE *f, const gen_opts *g, int step)
{
    double l[3][3];
    lattice_of(g, l);
    fprintf(f, " POSITION                                       TOTAL-FORCE (eV/Angst)\n"
               " -----------------------------------------------------------------------------------\n");
    for (int a = 0; a < g->natoms; a++) {
        double fr[3], fo[3], c[3];
        frac_of(step, a, fr);
        force_of(step, a, fo);
        for (int k = 0; k < 3; k++)
            c[k] = fr[0] * l[0][k] + fr[1] * l[1][k] + fr[2] * l[2][k];
        fprintf(f, " %12.5f %12.5f %12.5f   %14.6f %14.6f %14.6f\n", c[0], c[1], c[2], fo[0],
                fo[1], fo[2]);
    }
    fprintf(f, " -----------------------------------------------------------------------------------\n"
               "    total drift:                                0.000000     -0.000000      0.000000\n\n");
}

static void energy_block(FILE *f, int step)
{
    double e = e_free_of(step);
    fprintf(f, "--------------------------------------------------------------------------------------------------------\n\n"
               "  FREE ENERGIE OF THE ION-ELECTRON SYSTEM (eV)\n"
               "  ---------------------------------------------------\n"
               "  free  energy   TOTEN  =     %14.8f eV\n\n"
               "  energy  without entropy=   %14.8f  energy(sigma->0) =   %14.8f\n\n",
            e, e + 0.002, e + 0.001);
}

static void modes_block(FILE *f, const gen_opts *g, bool mass_divided)
{
    int n = 3 * g->natoms;
    if (mass_divided)
        fprintf(f, " Eigenvectors after division by SQRT(mass)\n\n");
    fprintf(f, " Eigenvectors and eigenvalues of the dynamical matrix\n"
               " ----------------------------------------------------\n\n\n");
    for (int m = 0; m < n; m++) {
        bool imag = m == n - 1;
        double cm = m == 0 ? 13912.749672 : 1000.0 - 100 * m; /* the first touches "2PiTHz" */
        double thz = cm / 33.35641, mev = cm / 8.0655439;
        fprintf(f, "%4d %s %11.6f THz %11.6f 2PiTHz%12.6f cm-1 %12.6f meV\n", m + 1,
                imag ? "f/i=" : "f  =", thz, thz * 6.283185307, cm, mev);
        fprintf(f, "             X         Y         Z           dx          dy          dz\n");
        for (int a = 0; a < g->natoms; a++)
            fprintf(f, "      %9.6f %9.6f %9.6f   %10.6f  %10.6f  %10.6f  \n", 0.5 * a, 0.0, 0.0,
                    (mass_divided ? 0.5 : 1.0) * (0.1 * m + 0.01 * a), -0.2, 0.3);
        fprintf(f, "\n");
    }
    fprintf(f, "\n\n--------------------------------------------------------------------------------\n\n");
}

/* Returns a malloc'd text. */
static char *gen_outcar(const gen_opts *g, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    fprintf(f, " vasp.6.3.0 20Jan22 (build Feb 22 2022 12:35:36) complex\n  \n"
               " executed on             LinuxIFC date 2023.01.01  00:00:00\n"
               " running on    1 total cores\n\n INCAR:\n   ISPIN = 2\n   ISMEAR = 1\n"
               " POTCAR:    PAW_PBE Fe_pv 02Aug2007\n");
    if (g->natoms == 2)
        fprintf(f, " POTCAR:    PAW_PBE O 08Apr2002\n");
    fprintf(f, "   VRHFIN =Fe: 3p4s3d\n   LEXCH  = PE\n\n   TITEL  = PAW_PBE Fe_pv 02Aug2007\n"
               "   POMASS =   55.847; ZVAL   =   14.000    mass and valenz\n\n");
    if (g->natoms == 2)
        fprintf(f, "   VRHFIN =O: s2p4\n   TITEL  = PAW_PBE O 08Apr2002\n"
                   "   POMASS =   16.000; ZVAL   =    6.000    mass and valenz\n\n");
    /* VASP 6 prints the positions once before the atom list: it must be passed over */
    lattice_block(f, g);
    fprintf(f, "  position of ions in fractional coordinates (direct lattice)\n"
               "     0.90000000  0.90000000  0.90000000\n\n");
    fprintf(f, " Dimension of arrays:\n"
               "   number of dos      NEDOS =    301   number of ions     NIONS = %6d\n"
               "   ions per type =            %s\n\n", g->natoms,
            g->natoms == 2 ? "   1   1" : "   1");
    fprintf(f, " Startparameter for this run:\n"
               "   ISPIN  =      2    spin polarized calculation?\n"
               "   LNONCOLLINEAR =      %s non collinear calculations\n"
               "   LSORBIT =      F    spin-orbit coupling\n"
               "   ISMEAR =     0;   SIGMA  =   0.05  broadening in eV -4-tet -1-fermi 0-gaus\n"
               "  Mass of Ions in am\n   POMASS =  55.85%s\n  Ionic Valenz\n   ZVAL   =  14.00%s\n"
               "   LORBIT =     11    0 simple, 1 ext, 2 COOP (PROOUT)\n\n",
            g->ncl ? "T" : "F", g->natoms == 2 ? " 16.00" : "", g->natoms == 2 ? "  6.00" : "");
    lattice_block(f, g);
    fprintf(f, " position of ions in fractional coordinates (direct lattice) \n");
    for (int a = 0; a < g->natoms; a++) {
        double fr[3];
        frac_of(0, a, fr);
        fprintf(f, "   %10.8f  %10.8f  %10.8f\n", fr[0] - 0.05, fr[1], fr[2]);
    }
    fprintf(f, "\n");
    for (int s = 0; s < g->nsteps; s++) {
        fprintf(f, "----------------------------------------- Iteration %4d(   1)  ---------------------------------------\n\n"
                   "  free energy    TOTEN  =        44.19769573 eV\n"
                   "  energy without entropy =       44.18881582  energy(sigma->0) =       44.19473576\n\n"
                   " E-fermi :   %6.4f     XC(G=0): -12.9840     alpha+bet :-13.0529\n\n",
                s + 1, 1.5 + 0.1 * s);
        mag_tables(f, g, s);
        if (g->energy_first)
            energy_block(f, s);
        fprintf(f, " VOLUME and BASIS-vectors are now :\n");
        lattice_block(f, g);
        positions_block(f, g, s);
        if (!g->energy_first)
            energy_block(f, s);
    }
    if (g->soft_stop)
        fprintf(f, "\n soft stop encountered!  aborting job ...\n\n");
    if (g->modes) {
        modes_block(f, g, false);
        modes_block(f, g, true);
    }
    if (g->timing)
        fprintf(f, "\n General timing and accounting informations for this job:\n"
                   " ========================================================\n\n"
                   "                  Total CPU time used (sec):        0.761\n"
                   "                 Voluntary context switches:          226\n");
    fclose(f);
    *len = n;
    return buf;
}

#endif
