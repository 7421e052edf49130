/*
 * Thermochemistry from vibrational modes: the harmonic model (adsorbates) and the
 * ideal-gas model (molecules), with the formulas of ASE's
 * ase.thermochemistry.HarmonicThermo and IdealGasThermo (ASE 3.22.1) and the
 * physical constants ASE 3.22 uses (ase.units, CODATA 2014), so that the numbers
 * agree with ASE to rounding (tests/test_thermo.c checks 1e-4 eV; in practice ~1e-12).
 *
 * All energies eV, entropies eV/K, temperatures K, pressures Pa, wavenumbers cm-1.
 */
#ifndef DP_THERMO_H
#define DP_THERMO_H

#include "dftpost.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CODATA 2014, exactly as ase.units (__codata_version__ = '2014') in ASE 3.22. */
#define DP_C_LIGHT 299792458.0       /* m/s */
#define DP_HPLANCK 6.626070040e-34   /* J s */
#define DP_ECHARGE 1.6021766208e-19  /* C (J per eV) */
#define DP_KBOLTZ 1.38064852e-23     /* J/K */
#define DP_AMU 1.660539040e-27       /* kg */
#define DP_KB_EV (DP_KBOLTZ / DP_ECHARGE) /* eV/K: ase.units.kB */
/* 1 cm-1 in eV: ase.units.invcm = 100 c h / e */
#define DP_INVCM_EV (100.0 * DP_C_LIGHT * DP_HPLANCK / DP_ECHARGE)
#define DP_REFERENCE_PRESSURE 1.0e5  /* Pa: IdealGasThermo.referencepressure */

/* Thermochemical corrections (add the electronic energy E to get H or G). */
typedef struct {
    double zpe;    /* zero-point energy ½Σhν, eV */
    double cp_int; /* ∫Cp dT from 0 to T, eV: harmonic: vibrational only (ASE's
                    * "Cv_harm (0->T)"); ideal gas: translation 3/2 kT + rotation
                    * (kT linear, 3/2 kT nonlinear) + vibration + kT (Cv -> Cp) */
    double s;      /* entropy S, eV/K */
    double ts;     /* T·S, eV */
    double h_corr; /* zpe + cp_int: harmonic: U − E; ideal gas: H − E */
    double g_corr; /* zpe + cp_int − ts: harmonic: F − E (ASE's Helmholtz energy),
                    * ideal gas: G − E */
} dp_thermo;

typedef enum { DP_GEOM_MONATOMIC, DP_GEOM_LINEAR, DP_GEOM_NONLINEAR } dp_geometry;

/* Harmonic thermochemistry of n vibrational energies ev[n] (eV, all > 0) at T > 0:
 * ASE's HarmonicThermo. DP_ERR_USAGE for a mode ≤ 0 or T ≤ 0. */
dp_status dp_thermo_harmonic(const double *ev, int n, double T, dp_thermo *out,
                             dp_error *err);

/* Ideal-gas thermochemistry: ASE's IdealGasThermo. ev[n] are the vibrational energies
 * actually used (the caller has dropped translations/rotations: see
 * dp_thermo_ideal_gas_nvib); mass_amu the molecular mass; inertia[3] the principal
 * moments (amu Å², ascending, from dp_moments_of_inertia); symmetry the rotational
 * symmetry number; spin the total electronic spin S (0, 0.5, 1...); pressure in Pa. */
dp_status dp_thermo_ideal_gas(const double *ev, int n, dp_geometry geometry, double mass_amu,
                              const double inertia[3], int symmetry, double spin, double T,
                              double pressure, dp_thermo *out, dp_error *err);

/* Vibrations of a molecule of natoms: 3N−6 nonlinear, 3N−5 linear, 0 monatomic. */
int dp_thermo_ideal_gas_nvib(int natoms, dp_geometry geometry);

/* Principal moments of inertia (amu Å², ascending) of natoms point masses at
 * cart[natoms] (Å) about their centre of mass, as ASE's get_moments_of_inertia.
 * Also returns the total mass. */
dp_status dp_moments_of_inertia(int natoms, const double (*cart)[3], const double *mass,
                                double inertia[3], double *total_mass, dp_error *err);

/* Linear when the smallest moment is below 1e-6 of the largest (and natoms > 1);
 * monatomic for one atom. */
dp_geometry dp_geometry_from_inertia(int natoms, const double inertia[3]);

/* Standard atomic weight (amu) as ASE's ase.data.atomic_masses (IUPAC 2016: Meija et
 * al., Pure Appl. Chem. 88, 265 (2016), conventional weights for ranged elements,
 * most stable isotope for the radioactive ones), or NaN for an unknown symbol. */
double dp_atomic_mass(const char *symbol);

/* How imaginary and soft modes are treated (see dp_thermo_select_modes). */
typedef struct {
    double cutoff;        /* cm-1; > 0: real modes below it are raised to it */
    bool raise_imaginary; /* with cutoff > 0: imaginary modes are raised to it too
                           * (otherwise they are dropped) */
} dp_mode_policy;

/* Turns wavenumbers (cm1[n] ≥ 0, imaginary[n] flags) into vibrational energies (eV)
 * under the policy: imaginary modes dropped (or raised to the cutoff), zero modes
 * dropped (or raised), real modes below the cutoff raised. ev must hold n values;
 * *nused is set; the counts of dropped and raised modes go to ndropped and nraised
 * (either may be NULL). */
void dp_thermo_select_modes(const double *cm1, const bool *imaginary, int n,
                            const dp_mode_policy *policy, double *ev, int *nused,
                            int *ndropped, int *nraised);

/* Reads wavenumbers from a text file: a QE dynmat.x output (its "# mode [cm-1]"
 * table) or a plain list of numbers in cm-1 (whitespace or newline separated, '#'
 * starts a comment; a negative number is an imaginary mode, as dynmat.x prints them).
 * *cm1 (magnitudes) and *imaginary are malloc'd (caller frees); *kind is set to
 * "dynmat.x" or "list". DP_ERR_FORMAT when the file is neither (the caller may then
 * try dp_read), DP_ERR_INCOMPLETE for a dynmat.x output without a mode table. */
dp_status dp_wavenumbers_read(const char *path, double **cm1, bool **imaginary, int *n,
                              const char **kind, dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
