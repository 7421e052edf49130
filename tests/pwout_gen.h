/* A synthetic pw.x output generator for test_qe_pw.c: writes the 5.x/6.1, 6.7 and 7.x
 * layouts with every value known (want_pos and the energies it emits are what the reader
 * must return). Header-only, included by one test. */
#ifndef DP_PWOUT_GEN_H
#define DP_PWOUT_GEN_H

#include "qe_test_common.h"

#include <stdbool.h>
#include <stdio.h>

/* ---- a synthetic pw.x output ------------------------------------------- */

#define NAT 4
#define MAXE 12

typedef struct {
    int version;       /* 51 (5.x/6.1 layout), 67, 72 */
    int nsteps;        /* relaxation steps ("!" energies before the final coordinates) */
    bool smear, lsda, ncl, exx, vc, two_ef, homo, lumo;
    const char *unit;  /* ATOMIC_POSITIONS unit */
    int end;           /* 0 normal, 1 last SCF fails, 2 bfgs failed, 3 max steps, 4 error */
    /* expected (filled by gen) */
    int ne;
    double e_free[MAXE], e_noent[MAXE];
    double cart[MAXE + 1][NAT][3], lat[MAXE + 1][3][3]; /* geometry of energy k */
    double force[MAXE][NAT][3];
    bool movable_flags;
    double efermi, ef[2], homo_v, lumo_v, mtot, mabs, site[3][NAT];
    int site_ncomp;
} gen;

static const char *LABEL[NAT] = {"Fe1", "O", "Fe2", "O"};
static const int TYPE[NAT] = {1, 0, 2, 0}; /* species order O, Fe1, Fe2 */
static const double ALAT = 20.0;           /* bohr */
static const double AXES[3][3] = {{1, 0, 0}, {0.1, 0.9, 0}, {0, 0.2, 1.1}};

/* Prints v with fmt and returns the number as printed. */
static double emit(FILE *f, const char *fmt, double v)
{
    char b[64];
    snprintf(b, sizeof b, fmt, v);
    fputs(b, f);
    return strtod(b, NULL);
}

/* Positions (Å) wanted for geometry k, before printing. */
static void want_pos(int k, int a, double p[3])
{
    static const double base[NAT][3] = {
        {0.1, 0.2, 0.3}, {0.25, 0.25, 0.45}, {0.6, 0.1, 0.2}, {0.35, 0.5, 0.75}};
    for (int c = 0; c < 3; c++)
        p[c] = base[a][c] * ALAT * BOHR + 0.0123456789 * k * (c + 1) * (a % 2 ? -1 : 1);
}

static void positions_card(FILE *f, gen *g, int k, const char *unit)
{
    fprintf(f, "\nATOMIC_POSITIONS (%s)\n", unit);
    double inv[3][3];
    if (!dp_lattice_inverse(g->lat[k], inv)) {
        fprintf(stderr, "test bug: the cell of geometry %d is degenerate\n", k);
        exit(1);
    }
    for (int a = 0; a < NAT; a++) {
        double p[3];
        want_pos(k, a, p);
        fprintf(f, "%-3.3s   ", LABEL[a]);
        double v[3];
        for (int c = 0; c < 3; c++) {
            if (!strcmp(unit, "angstrom"))
                v[c] = emit(f, "%20.10f", p[c]);
            else if (!strcmp(unit, "bohr"))
                v[c] = emit(f, "%20.10f", p[c] / BOHR) * BOHR;
            else if (!strcmp(unit, "alat"))
                v[c] = emit(f, "%20.10f", p[c] / (ALAT * BOHR)) * ALAT * BOHR;
            else { /* crystal */
                double fr = p[0] * inv[0][c] + p[1] * inv[1][c] + p[2] * inv[2][c];
                v[c] = emit(f, "%20.10f", fr);
            }
        }
        if (!strcmp(unit, "crystal")) {
            double fr[3] = {v[0], v[1], v[2]};
            for (int c = 0; c < 3; c++)
                v[c] = fr[0] * g->lat[k][0][c] + fr[1] * g->lat[k][1][c] + fr[2] * g->lat[k][2][c];
        }
        if (a == 1) { /* the first O is fixed */
            fprintf(f, "    0   0   0");
            g->movable_flags = true;
        }
        fprintf(f, "\n");
        memcpy(g->cart[k][a], v, sizeof v);
    }
}

static void cell_card(FILE *f, gen *g, int k)
{
    fprintf(f, "\nCELL_PARAMETERS (alat= %11.8f)\n", ALAT);
    for (int i = 0; i < 3; i++) {
        for (int c = 0; c < 3; c++)
            g->lat[k][i][c] = emit(f, "%14.9f", AXES[i][c] * (1 + 0.01 * k)) * ALAT * BOHR;
        fprintf(f, "\n");
    }
}

static void scf_block(FILE *f, gen *g, int k, bool fail)
{
    int ei = g->ne;
    fprintf(f, "\n     Self-consistent Calculation\n");
    for (int it = 1; it <= 2; it++) {
        fprintf(f, "\n     iteration #%3d     ecut=    30.00 Ry     beta= 0.30\n"
                   "     Davidson diagonalization with overlap\n\n"
                   "     total cpu time spent up to now is        1.%d secs\n\n"
                   "     total energy              =    %14.8f Ry\n"
                   "     estimated scf accuracy    <       0.00137133 Ry\n",
                it, it, -100.0 - it);
        if (g->lsda)
            fprintf(f, "\n     total magnetization       =     9.99 Bohr mag/cell\n"
                       "     absolute magnetization    =     9.99 Bohr mag/cell\n");
        if (g->ncl)
            fprintf(f, "\n     total magnetization       =     9.99     0.00    -0.00 Bohr mag/cell\n"
                       "     absolute magnetization    =     9.99 Bohr mag/cell\n");
    }
    if (fail) {
        fprintf(f, "\n     convergence NOT achieved after   2 iterations: stopping\n");
        return;
    }
    /* per-site moments, before "End of self-consistent calculation" */
    if (g->lsda) {
        g->site_ncomp = 1;
        fprintf(f, "\n     Magnetic moment per site%s\n",
                g->version == 72 ? "  (integrated on atomic sphere of radius R)" : ":");
        for (int a = 0; a < NAT; a++) {
            double m = 0.5 + 0.1 * a - 0.3 * (a == 2) + 0.001 * k;
            if (g->version == 72) {
                fprintf(f, "     atom%4d (R=0.200)  charge=%8.4f  magn=", a + 1, 6.5 + a);
                g->site[0][a] = emit(f, "%8.4f", m);
                fprintf(f, "\n");
            } else {
                fprintf(f, "     atom: %4d    charge: %9.4f    magn: ", a + 1, 6.5 + a);
                g->site[0][a] = emit(f, "%9.4f", m);
                fprintf(f, "    constr: %9.4f\n", 0.0);
            }
        }
    }
    if (g->ncl) {
        g->site_ncomp = 3;
        for (int a = 0; a < NAT; a++) {
            fprintf(f, "\n ==============================================================================\n"
                       "     atom number %4d relative position :    0.1000   0.2000   0.3000\n"
                       "     charge :     6.664635\n     magnetization :      ", a + 1);
            for (int c = 0; c < 3; c++)
                g->site[c][a] = emit(f, "%12.6f", c == 0 ? 1.5 + 0.01 * a + 0.001 * k : -0.1 * c);
            fprintf(f, "\n     magnetization/charge:    0.500000    0.000000    0.000000\n"
                       "     polar coord.: r, theta, phi [deg] :     3.332318   90.000000    0.000000\n\n"
                       " ==============================================================================\n");
        }
    }
    fprintf(f, "\n     End of self-consistent calculation\n\n"
               "          k = 0.0000 0.0000 0.0000 (  9403 PWs)   bands (ev):\n\n"
               "   -32.5810 -20.4933 -13.2726 -13.2553 -13.2553  -6.8995  -6.8995  -0.4207\n\n");
    if (g->two_ef) {
        fprintf(f, "     the spin up/dw Fermi energies are  ");
        g->ef[0] = emit(f, "%9.4f", -2.8216 - 0.001 * k);
        fprintf(f, " ");
        g->ef[1] = emit(f, "%9.4f", -7.0905 + 0.001 * k);
        fprintf(f, " ev\n");
        g->efermi = g->ef[0] > g->ef[1] ? g->ef[0] : g->ef[1];
    } else if (g->homo && g->lumo) {
        fprintf(f, "     highest occupied, lowest unoccupied level (ev): ");
        g->homo_v = emit(f, "%10.4f", -6.8995 - 0.001 * k);
        g->lumo_v = emit(f, "%10.4f", -0.4207);
        fprintf(f, "\n");
    } else if (g->homo) {
        fprintf(f, "     highest occupied level (ev): ");
        g->homo_v = emit(f, "%10.4f", -8.5036 + 0.002 * k);
        fprintf(f, "\n");
    } else {
        fprintf(f, "     the Fermi energy is ");
        g->efermi = emit(f, "%10.4f", 15.3088 - 0.01 * k);
        fprintf(f, " ev\n");
    }
    double e = -100.12345678 - 0.01 * k - 0.0000123 * k * k, ts = -0.00123456 - 0.0000001 * k;
    if (g->exx)
        fprintf(f, "\n!    total energy              =    %14.8f Ry\n"
                   "     estimated scf accuracy    <       0.00000017 Ry\n\n"
                   "     EXX: now go back to refine exchange calculation\n\n"
                   "     total energy              =    %14.8f Ry\n",
                e + 0.5, e + 0.25);
    fprintf(f, "\n%s    total energy              =    ", g->exx ? "!!" : "!");
    double ep = emit(f, "%14.8f", e);
    fprintf(f, " Ry\n     estimated scf accuracy    <       0.00000017 Ry\n");
    g->e_free[ei] = ep * RYTOEV;
    g->e_noent[ei] = ep * RYTOEV;
    if (g->smear && g->version != 51) {
        fprintf(f, "     smearing contrib. (-TS)   =    ");
        emit(f, "%14.8f", ts);
        fprintf(f, " Ry\n     internal energy E=F+TS    =    ");
        g->e_noent[ei] = emit(f, "%14.8f", e - ts) * RYTOEV;
        fprintf(f, " Ry\n");
    }
    fprintf(f, "\n     The total energy is %s the sum of the following terms:\n"
               "     one-electron contribution =    -122.33278766 Ry\n"
               "     hartree contribution      =      62.95968358 Ry\n"
               "     xc contribution           =     -13.61461220 Ry\n"
               "     ewald contribution        =       9.47903466 Ry\n",
            g->version == 51 ? "" : "F=E-TS. E is");
    if (g->smear && g->version == 51) {
        fprintf(f, "     smearing contrib. (-TS)   =    ");
        double tsp = emit(f, "%14.8f", ts);
        fprintf(f, " Ry\n");
        g->e_noent[ei] = (ep - tsp) * RYTOEV;
    }
    if (g->lsda) {
        fprintf(f, "\n     total magnetization       =    ");
        g->mtot = emit(f, "%5.2f", 2.0 + 0.01 * k);
        fprintf(f, " Bohr mag/cell\n     absolute magnetization    =    ");
        g->mabs = emit(f, "%5.2f", 2.5 + 0.01 * k);
        fprintf(f, " Bohr mag/cell\n");
    }
    if (g->ncl) {
        double v[3];
        fprintf(f, "\n     total magnetization       =");
        for (int c = 0; c < 3; c++)
            v[c] = emit(f, "%9.2f", c == 0 ? 3.0 + 0.01 * k : c == 1 ? 0.4 : 0.0);
        g->mtot = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        fprintf(f, " Bohr mag/cell\n     absolute magnetization    =    ");
        g->mabs = emit(f, "%5.2f", 3.3);
        fprintf(f, " Bohr mag/cell\n");
    }
    fprintf(f, "\n     convergence has been achieved in   7 iterations\n\n"
               "     Forces acting on atoms (cartesian axes, Ry/au):\n\n");
    for (int a = 0; a < NAT; a++) {
        fprintf(f, "     atom %4d type %2d   force = ", a + 1, TYPE[a] + 1);
        for (int c = 0; c < 3; c++)
            g->force[ei][a][c] = emit(f, "%14.8f", 0.001 * (a + 1) + 0.0001 * c - 0.00001 * k) *
                                RYTOEV / BOHR;
        fprintf(f, "\n");
    }
    fprintf(f, "\n     Total force =     0.028400     Total SCF correction =     0.001688\n");
    g->ne++;
}

static const char *DASHES = "=------------------------------------------------------------------------------=";

static char *gen_pwout(gen *g, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    g->ne = 0;
    g->movable_flags = false;
    const char *ver = g->version == 51 ? "6.1 (svn rev. 13591M)" : g->version == 67 ? "6.7MaX" : "7.2";
    fprintf(f, "\n     Program PWSCF v.%s starts on 26Nov2026 at  5:41: 0 \n\n"
               "     This program is part of the open-source Quantum ESPRESSO suite\n"
               "     for quantum simulation of materials; please cite\n\n"
               "     Parallel version (MPI), running on     2 processors\n"
               "     Reading input from pw.in\n"
               "     Message from routine read_cards :\n"
               "     ATOMIC_POSITIONS: units set to alat\n\n"
               "     Current dimensions of program PWSCF are:\n"
               "     Max number of different atomic species (ntypx) = 10\n\n",
            ver);
    fprintf(f, "     bravais-lattice index     =            0\n"
               "     lattice parameter (alat)  =      20.0000  a.u.\n"
               "     unit-cell volume          =    7920.0000 (a.u.)^3\n"
               "     number of atoms/cell      =            %d\n"
               "     number of atomic types    =            3\n"
               "     number of electrons       =        28.00%s\n"
               "     number of Kohn-Sham states=           18\n"
               "     kinetic-energy cutoff     =      30.0000  Ry\n"
               "     Exchange-correlation= %s\n"
               "                           (   1   4   3   4   0   0   0)\n",
            NAT, g->two_ef ? " (up:  15.00, down:  13.00)" : "", g->exx ? "PBE0" : "PBE");
    if (g->exx)
        fprintf(f, "     EXX-fraction              =        0.25\n");
    fprintf(f, "     nstep                     =           50\n\n");
    if (g->ncl)
        fprintf(f, "     Noncollinear calculation without spin-orbit\n\n");
    fprintf(f, "     celldm(1)=  %9.6f  celldm(2)=   0.000000  celldm(3)=   0.000000\n"
               "     celldm(4)=   0.000000  celldm(5)=   0.000000  celldm(6)=   0.000000\n\n"
               "     crystal axes: (cart. coord. in units of alat)\n",
            ALAT);
    for (int i = 0; i < 3; i++) {
        fprintf(f, "               a(%d) = (", i + 1);
        for (int c = 0; c < 3; c++)
            g->lat[0][i][c] = emit(f, "%11.6f", AXES[i][c]) * ALAT * BOHR;
        fprintf(f, " )  \n");
    }
    fprintf(f, "\n     reciprocal axes: (cart. coord. in units 2 pi/alat)\n"
               "               b(1) = (  1.000000  0.000000  0.000000 )  \n"
               "               b(2) = (  0.000000  1.000000  0.000000 )  \n"
               "               b(3) = (  0.000000  0.000000  1.000000 )  \n\n");
    const char *files[3] = {"../pseudo/O.pbe-rrkjus.UPF", "/abs/path/Fe.pbe-nd-rrkjus.UPF",
                            "Fe.pbe-spn.UPF"};
    const char *psd[3] = {"O", "Fe", "Fe"};
    for (int t = 0; t < 3; t++)
        fprintf(f, "\n     PseudoPot. #%2d for %-2s read from file:\n     %s\n"
                   "     MD5 check sum: 932f1ddd01dba2749558f1893c74a415\n"
                   "     Pseudo is Ultrasoft, Zval =  6.0\n"
                   "     Using radial grid of 1269 points,  4 beta functions with: \n"
                   "                l(1) =   0\n\n",
                t + 1, psd[t], files[t]);
    fprintf(f, "\n     atomic species   valence    mass     pseudopotential\n"
               "        O              6.00    15.99900     O ( 1.00)\n"
               "        Fe1            8.00    55.84500     Fe( 1.00)\n"
               "        Fe2           16.00    55.84500     ?" "?( 1.00)\n\n");
    if (g->lsda)
        fprintf(f, "     Starting magnetic structure \n     atomic species   magnetization\n"
                   "        O            0.000\n        Fe1          0.500\n"
                   "        Fe2         -0.500\n\n");
    fprintf(f, "     16 Sym. Ops., with inversion, found\n\n\n\n   Cartesian axes\n\n"
               "     site n.     atom                  positions (alat units)\n");
    for (int a = 0; a < NAT; a++) {
        double p[3];
        want_pos(0, a, p);
        fprintf(f, "      %4d        %-6s tau(%4d) = (", a + 1, LABEL[a], a + 1);
        for (int c = 0; c < 3; c++)
            g->cart[0][a][c] = emit(f, "%12.7f", p[c] / (ALAT * BOHR)) * ALAT * BOHR;
        fprintf(f, "  )\n");
    }
    if (g->smear)
        fprintf(f, "\n     number of k points=     1  Marzari-Vanderbilt smearing, width (Ry)=  0.0200\n");
    else
        fprintf(f, "\n     number of k points=     1\n");
    fprintf(f, "                       cart. coord. in units 2pi/alat\n"
               "        k(    1) = (   0.0000000   0.0000000   0.0000000), wk =   2.0000000\n\n"
               "     Dense  grid:   211851 G-vectors     FFT dimensions: (  96,  96,  96)\n\n"
               "     Initial potential from superposition of free atoms\n");
    bool relax = g->nsteps > 1 || g->vc;
    for (int k = 0; k < g->nsteps; k++) {
        bool last = k == g->nsteps - 1;
        scf_block(f, g, k, last && g->end == 1);
        if (last && g->end == 1)
            break;
        if (!relax)
            break;
        if (k == 0)
            fprintf(f, "\n     BFGS Geometry Optimization\n");
        fprintf(f, "\n     number of scf cycles    = %3d\n     number of bfgs steps    = %3d\n\n"
                   "     energy   new            =    -100.1234567800 Ry\n\n"
                   "     new trust radius        =       0.0200817865 bohr\n",
                k + 1, k);
        if (last)
            break;
        memcpy(g->lat[k + 1], g->lat[k], sizeof g->lat[k]);
        if (g->vc)
            cell_card(f, g, k + 1);
        positions_card(f, g, k + 1, g->unit);
        fprintf(f, "\n\n\n     Writing output data file ./tmp/x.save/\n"
                   "     NEW-OLD atomic charge density approx. for the potential\n");
    }
    if (relax && g->end != 1) {
        int k = g->ne - 1;
        if (g->end == 2)
            fprintf(f, "\n     bfgs failed after   %d scf cycles and   %d bfgs steps, convergence "
                       "not achieved\n     (criteria: energy <  1.0E-04 Ry, force <  1.0E-03 Ry/Bohr)\n\n"
                       "     End of BFGS Geometry Optimization\n",
                    g->nsteps, g->nsteps - 1);
        else if (g->end == 3)
            fprintf(f, "\n     The maximum number of steps has been reached.\n\n"
                       "     End of BFGS Geometry Optimization\n");
        else
            fprintf(f, "\n     bfgs converged in   %d scf cycles and   %d bfgs steps\n"
                       "     (criteria: energy <  1.0E-04 Ry, force <  1.0E-03 Ry/Bohr)\n\n"
                       "     End of BFGS Geometry Optimization\n",
                    g->nsteps, g->nsteps - 1);
        fprintf(f, "\n     Final energy   =    -100.1234567800 Ry\nBegin final coordinates\n");
        if (g->vc) {
            fprintf(f, "     new unit-cell volume =   7920.00000 a.u.^3 (  1173.62 Ang^3 )\n"
                       "     density =      1.23456 g/cm^3\n");
            memcpy(g->lat[k + 1], g->lat[k], sizeof g->lat[k]);
            cell_card(f, g, k + 1);
            positions_card(f, g, k + 1, "crystal");
        } else { /* a relax repeats the geometry of its last energy */
            double save[NAT][3];
            memcpy(save, g->cart[k], sizeof save);
            positions_card(f, g, k, g->unit);
            memcpy(g->cart[k], save, sizeof save); /* same numbers */
        }
        fprintf(f, "End final coordinates\n\n\n\n     Writing output data file ./tmp/x.save/\n");
        if (g->vc) {
            fprintf(f, "\n     A final scf calculation at the relaxed structure.\n"
                       "     The G-vectors are recalculated for the final unit cell\n"
                       "     Results may differ from those at the preceding step.\n");
            scf_block(f, g, k + 1, false);
        }
    }
    if (g->end == 4) {
        fprintf(f, "\n %%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%\n"
                   "     Error in routine c_bands (1):\n     too many bands are not converged\n"
                   " %%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%\n\n"
                   "     stopping ...\n");
    } else {
        fprintf(f, "\n     init_run     :      1.27s CPU      1.54s WALL (       1 calls)\n"
                   "     electrons    :     30.11s CPU     37.29s WALL (       4 calls)\n\n"
                   "     PWSCF        :     36.26s CPU     44.95s WALL\n\n\n"
                   "   This run was terminated on:   5:41:45  26Nov2026            \n\n"
                   "%s\n   JOB DONE.\n%s\n",
                DASHES, DASHES);
    }
    fclose(f);
    return buf;
}

/* The run read from a gen's text has what gen put in it. */

#endif
