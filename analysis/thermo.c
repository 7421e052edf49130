/* Harmonic and ideal-gas thermochemistry (see thermo.h). The formulas are those of
 * ASE 3.22.1's ase.thermochemistry (HarmonicThermo, IdealGasThermo); the constants
 * are ASE's CODATA 2014 values (thermo.h), so the results equal ASE's to rounding. */
#include "thermo.h"
#include "elements.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <string.h>

/* Σ e/(exp(e/kT) − 1): ASE's _vibrational_energy_contribution (eV). */
static double vib_energy(const double *ev, int n, double kT)
{
    double u = 0;
    for (int i = 0; i < n; i++)
        u += ev[i] / expm1(ev[i] / kT);
    return u;
}

/* kB Σ [x/(exp(x) − 1) − ln(1 − exp(−x))], x = e/kT: _vibrational_entropy_contribution. */
static double vib_entropy(const double *ev, int n, double kT)
{
    double s = 0;
    for (int i = 0; i < n; i++) {
        double x = ev[i] / kT;
        s += x / expm1(x) - log1p(-exp(-x));
    }
    return DP_KB_EV * s;
}

static dp_status check_modes(const double *ev, int n, double T, dp_error *err)
{
    if (!(T > 0) || !isfinite(T))
        return dp_fail(err, DP_ERR_USAGE, "temperature %g K: it must be > 0", T);
    for (int i = 0; i < n; i++)
        if (!(ev[i] > 0) || !isfinite(ev[i]))
            return dp_fail(err, DP_ERR_USAGE,
                           "vibrational energy %g eV: modes must be real and > 0", ev[i]);
    return DP_OK;
}

dp_status dp_thermo_harmonic(const double *ev, int n, double T, dp_thermo *out,
                             dp_error *err)
{
    dp_status st = check_modes(ev, n, T, err);
    if (st)
        return st;
    double kT = DP_KB_EV * T, zpe = 0;
    for (int i = 0; i < n; i++)
        zpe += 0.5 * ev[i];
    out->zpe = zpe;
    out->cp_int = vib_energy(ev, n, kT);
    out->s = vib_entropy(ev, n, kT);
    out->ts = T * out->s;
    out->h_corr = out->zpe + out->cp_int;
    out->g_corr = out->h_corr - out->ts;
    return DP_OK;
}

int dp_thermo_ideal_gas_nvib(int natoms, dp_geometry geometry)
{
    int n = geometry == DP_GEOM_NONLINEAR ? 3 * natoms - 6
            : geometry == DP_GEOM_LINEAR  ? 3 * natoms - 5
                                          : 0;
    return n < 0 ? 0 : n;
}

dp_status dp_thermo_ideal_gas(const double *ev, int n, dp_geometry geometry, double mass_amu,
                              const double inertia[3], int symmetry, double spin, double T,
                              double pressure, dp_thermo *out, dp_error *err)
{
    dp_status st = check_modes(ev, n, T, err);
    if (st)
        return st;
    if (!(mass_amu > 0))
        return dp_fail(err, DP_ERR_USAGE, "molecular mass %g amu: it must be > 0", mass_amu);
    if (symmetry < 1)
        return dp_fail(err, DP_ERR_USAGE, "symmetry number %d: it must be at least 1", symmetry);
    if (!(spin >= 0) || fabs(2 * spin - round(2 * spin)) > 1e-9)
        return dp_fail(err, DP_ERR_USAGE, "spin %g: it must be 0, 0.5, 1, 1.5...", spin);
    if (!(pressure > 0) || !isfinite(pressure))
        return dp_fail(err, DP_ERR_USAGE, "pressure %g Pa: it must be > 0", pressure);
    if (geometry != DP_GEOM_MONATOMIC) {
        double need = geometry == DP_GEOM_LINEAR ? inertia[2] : inertia[0];
        if (!(need > 0))
            return dp_fail(err, DP_ERR_USAGE,
                           "moments of inertia %g %g %g amu Å²: a %s molecule needs %s",
                           inertia[0], inertia[1], inertia[2],
                           geometry == DP_GEOM_LINEAR ? "linear" : "nonlinear",
                           geometry == DP_GEOM_LINEAR ? "a nonzero one" : "all three > 0");
    }
    const double kB = DP_KB_EV, kT = kB * T, h2 = DP_HPLANCK * DP_HPLANCK;
    double zpe = 0;
    for (int i = 0; i < n; i++)
        zpe += 0.5 * ev[i];
    /* Enthalpy: IdealGasThermo.get_enthalpy without the potential energy. */
    double cv_rot = geometry == DP_GEOM_NONLINEAR ? 1.5 * kB
                    : geometry == DP_GEOM_LINEAR  ? kB
                                                  : 0.0;
    double cp_int = 1.5 * kB * T + cv_rot * T + vib_energy(ev, n, kT) + kT;

    /* Entropy: IdealGasThermo.get_entropy; the terms inside the logs in SI units. */
    double m = mass_amu * DP_AMU; /* kg per molecule */
    double st_arg = pow(2 * M_PI * m * DP_KBOLTZ * T / h2, 1.5) * DP_KBOLTZ * T /
                    DP_REFERENCE_PRESSURE;
    double s = kB * (log(st_arg) + 2.5);
    const double si = DP_AMU / 1e20; /* amu Å² → kg m² */
    if (geometry == DP_GEOM_NONLINEAR) {
        double prod = inertia[0] * si * inertia[1] * si * inertia[2] * si;
        double sr = sqrt(M_PI * prod) / symmetry *
                    pow(8.0 * M_PI * M_PI * DP_KBOLTZ * T / h2, 1.5);
        s += kB * (log(sr) + 1.5);
    } else if (geometry == DP_GEOM_LINEAR) {
        double I = fmax(fmax(inertia[0], inertia[1]), inertia[2]) * si;
        double sr = 8 * M_PI * M_PI * I * DP_KBOLTZ * T / symmetry / h2;
        s += kB * (log(sr) + 1.0);
    }
    s += kB * log(2 * spin + 1);                      /* electronic */
    s += vib_entropy(ev, n, kT);                      /* vibrational */
    s += -kB * log(pressure / DP_REFERENCE_PRESSURE); /* 1 bar -> P */

    out->zpe = zpe;
    out->cp_int = cp_int;
    out->s = s;
    out->ts = T * s;
    out->h_corr = zpe + cp_int;
    out->g_corr = out->h_corr - out->ts;
    return DP_OK;
}

dp_status dp_moments_of_inertia(int natoms, const double (*cart)[3], const double *mass,
                                double inertia[3], double *total_mass, dp_error *err)
{
    if (natoms < 1)
        return dp_fail(err, DP_ERR_USAGE, "no atoms for the moments of inertia");
    double M = 0, com[3] = {0, 0, 0};
    for (int a = 0; a < natoms; a++) {
        if (!(mass[a] > 0))
            return dp_fail(err, DP_ERR_USAGE, "atom %d: mass %g amu", a + 1, mass[a]);
        M += mass[a];
        for (int x = 0; x < 3; x++)
            com[x] += mass[a] * cart[a][x];
    }
    for (int x = 0; x < 3; x++)
        com[x] /= M;
    double t[3][3] = {{0}};
    for (int a = 0; a < natoms; a++) {
        double r[3] = {cart[a][0] - com[0], cart[a][1] - com[1], cart[a][2] - com[2]};
        double r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                t[i][j] += mass[a] * ((i == j ? r2 : 0.0) - r[i] * r[j]);
    }
    gsl_matrix_view mv = gsl_matrix_view_array(&t[0][0], 3, 3);
    gsl_vector *eval = gsl_vector_alloc(3);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(3);
    if (!eval || !w) {
        if (eval)
            gsl_vector_free(eval);
        if (w)
            gsl_eigen_symm_free(w);
        return dp_fail(err, DP_ERR_NOMEM, "out of memory");
    }
    gsl_eigen_symm(&mv.matrix, eval, w);
    for (int i = 0; i < 3; i++)
        inertia[i] = gsl_vector_get(eval, i);
    gsl_vector_free(eval);
    gsl_eigen_symm_free(w);
    for (int i = 0; i < 3; i++) /* ascending */
        for (int j = i + 1; j < 3; j++)
            if (inertia[j] < inertia[i]) {
                double tmp = inertia[i];
                inertia[i] = inertia[j];
                inertia[j] = tmp;
            }
    for (int i = 0; i < 3; i++)
        if (inertia[i] < 0) /* rounding of an exact zero */
            inertia[i] = 0;
    if (total_mass)
        *total_mass = M;
    return DP_OK;
}

dp_geometry dp_geometry_from_inertia(int natoms, const double inertia[3])
{
    if (natoms <= 1)
        return DP_GEOM_MONATOMIC;
    return inertia[0] < 1e-6 * inertia[2] ? DP_GEOM_LINEAR : DP_GEOM_NONLINEAR;
}

/* by atomic number: MASSES[Z - 1] */
static const double MASSES[] = {
    /* ase.data.atomic_masses_iupac2016 (ASE 3.22.1), Z = 1..118 */
    1.008, 4.002602, 6.94, 9.0121831, 10.81, 12.011, 14.007, 15.999, 18.998403163, 20.1797,
    22.98976928, 24.305, 26.9815385, 28.085, 30.973761998, 32.06, 35.45, 39.948, 39.0983, 40.078,
    44.955908, 47.867, 50.9415, 51.9961, 54.938044, 55.845, 58.933194, 58.6934, 63.546, 65.38,
    69.723, 72.63, 74.921595, 78.971, 79.904, 83.798, 85.4678, 87.62, 88.90584, 91.224, 92.90637,
    95.95, 97.90721, 101.07, 102.9055, 106.42, 107.8682, 112.414, 114.818, 118.71, 121.76, 127.6,
    126.90447, 131.293, 132.90545196, 137.327, 138.90547, 140.116, 140.90766, 144.242, 144.91276,
    150.36, 151.964, 157.25, 158.92535, 162.5, 164.93033, 167.259, 168.93422, 173.054, 174.9668,
    178.49, 180.94788, 183.84, 186.207, 190.23, 192.217, 195.084, 196.966569, 200.592, 204.38,
    207.2, 208.9804, 208.98243, 209.98715, 222.01758, 223.01974, 226.02541, 227.02775, 232.0377,
    231.03588, 238.02891, 237.04817, 244.06421, 243.06138, 247.07035, 247.07031, 251.07959, 252.083,
    257.09511, 258.09843, 259.101, 262.11, 267.122, 268.126, 271.134, 270.133, 269.1338, 278.156,
    281.165, 281.166, 285.177, 286.182, 289.19, 289.194, 293.204, 293.208, 294.214,
};
_Static_assert(sizeof MASSES / sizeof *MASSES == DP_MAX_Z, "one mass per Z");

double dp_atomic_mass(const char *symbol)
{
    int z = dp_atomic_number(symbol);
    return z ? MASSES[z - 1] : NAN;
}

void dp_thermo_select_modes(const double *cm1, const bool *imaginary, int n,
                            const dp_mode_policy *policy, double *ev, int *nused,
                            int *ndropped, int *nraised)
{
    int used = 0, dropped = 0, raised = 0;
    double cut = policy && policy->cutoff > 0 ? policy->cutoff : 0;
    for (int i = 0; i < n; i++) {
        bool imag = imaginary && imaginary[i];
        double w = cm1[i];
        if (imag) {
            if (cut > 0 && policy->raise_imaginary) {
                ev[used++] = cut * DP_INVCM_EV;
                raised++;
            } else {
                dropped++;
            }
            continue;
        }
        if (cut > 0 && w < cut) {
            ev[used++] = cut * DP_INVCM_EV;
            raised++;
        } else if (!(w > 0)) {
            dropped++; /* a zero mode has no finite entropy */
        } else {
            ev[used++] = w * DP_INVCM_EV;
        }
    }
    *nused = used;
    if (ndropped)
        *ndropped = dropped;
    if (nraised)
        *nraised = raised;
}
