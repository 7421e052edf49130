#!/usr/bin/python3
"""Reference thermochemistry from ASE (Debian python3-ase 3.22.1) for dftpost's tests.

Writes tests/reference/ase_thermo.tsv (run from the repository root):
  case, model, T, P, zpe, cp_int, s, ts, g_corr, h_corr   (eV, eV/K; P in Pa)
with cp_int the ∫Cp dT part of ASE's U (harmonic: "Cv_harm (0->T)") or H (ideal gas:
translation + rotation + vibration + kT), g_corr = zpe + cp_int − T S (harmonic:
HarmonicThermo.get_helmholtz_energy, ideal gas: IdealGasThermo.get_gibbs_energy, both
with potentialenergy = 0), h_corr = zpe + cp_int (internal energy / enthalpy).

Cases:
  nh3_outcar   HarmonicThermo on the 9 real ("f  =") modes of
               data/real/rsgrad/vasp/OUTCAR_vibrations (NH3; its 3 "f/i=" imaginary
               modes dropped, as dftpost thermo does by default; ASE refuses them)
  ooh_list     HarmonicThermo on a made-up *OOH-like list (tests/data: see ooh_cm1)
  h2o_qe       IdealGasThermo, nonlinear, symmetry 2, spin 0, 101325 Pa: the 3 largest
               modes of data/qe/H2O_ph/dynmat.out, geometry (last) of data/qe/H2O/pw.out
  o2_list      IdealGasThermo, linear, symmetry 2, spin 1, 101325 Pa: one mode
               (o2_cm1) and the geometry of data/qe/O2/pw.out
each at 298.15 K and 500 K. Masses: ASE's defaults (ase.data.atomic_masses, IUPAC 2016).
usage: /usr/bin/python3 scripts/reference/ase_thermo.py [SHARED_DIR]
"""
import os
import re
import sys
import datetime

import ase
import ase.io
from ase import units
from ase.thermochemistry import HarmonicThermo, IdealGasThermo

SHARED = sys.argv[1] if len(sys.argv) > 1 else "../shared"
D = os.path.join(SHARED, "data")

# *OOH-like adsorbate modes (cm-1), chosen by hand: O-H stretch, O-O-H bend,
# O-O stretch, M-O stretch and frustrated motions, incl. two soft ones.
OOH_CM1 = [3520.0, 1290.0, 1115.0, 540.0, 430.0, 355.0, 210.0, 120.0, 65.0]
O2_CM1 = [1556.0]  # O2 stretch (experimental fundamental ~1556 cm-1)


def outcar_real_modes(path):
    real, imag = [], []
    with open(path) as f:
        lines = f.readlines()
    # the last block of frequencies (VASP may print it twice: keep one copy)
    blocks, cur = [], []
    for line in lines:
        m = re.match(r"\s*(\d+)\s+f(/i)?\s*=.*?([-\d.]+)\s+cm-1", line)
        if m:
            if int(m.group(1)) == 1 and cur:
                blocks.append(cur)
                cur = []
            cur.append((float(m.group(3)), m.group(2) is not None))
    if cur:
        blocks.append(cur)
    for w, im in blocks[-1]:
        (imag if im else real).append(w)
    return real, imag


def dynmat_modes(path):
    out, on = [], False
    with open(path) as f:
        for line in f:
            if line.strip().startswith("# mode") and "[cm-1]" in line:
                on = True
                continue
            if on:
                p = line.split()
                if len(p) >= 2 and p[0].isdigit():
                    out.append(float(p[1]))
                else:
                    on = False
    return out


rows = []


def harmonic(case, cm1):
    e = [w * units.invcm for w in cm1]
    th = HarmonicThermo(e, potentialenergy=0.0)
    for T in (298.15, 500.0):
        zpe = th.get_ZPE_correction()
        u = th.get_internal_energy(T, verbose=False)
        s = th.get_entropy(T, verbose=False)
        f = th.get_helmholtz_energy(T, verbose=False)
        rows.append((case, "harmonic", T, float("nan"), zpe, u - zpe, s, T * s, f, u))


def ideal_gas(case, cm1, atoms, geometry, sigma, spin, P=101325.0):
    e = sorted(w * units.invcm for w in cm1)
    th = IdealGasThermo(e, geometry, potentialenergy=0.0, atoms=atoms,
                        symmetrynumber=sigma, spin=spin)
    for T in (298.15, 500.0):
        zpe = th.get_ZPE_correction()
        h = th.get_enthalpy(T, verbose=False)
        s = th.get_entropy(T, P, verbose=False)
        g = th.get_gibbs_energy(T, P, verbose=False)
        rows.append((case, "ideal-gas", T, P, zpe, h - zpe, s, T * s, g, h))


real, imag = outcar_real_modes(os.path.join(D, "real/rsgrad/vasp/OUTCAR_vibrations"))
assert len(real) == 9 and len(imag) == 3, (real, imag)
harmonic("nh3_outcar", real)
harmonic("ooh_list", OOH_CM1)
h2o = ase.io.read(os.path.join(D, "qe/H2O/pw.out"), format="espresso-out", index=-1)
ideal_gas("h2o_qe", dynmat_modes(os.path.join(D, "qe/H2O_ph/dynmat.out")), h2o,
          "nonlinear", 2, 0)
o2 = ase.io.read(os.path.join(D, "qe/O2/pw.out"), format="espresso-out", index=-1)
ideal_gas("o2_list", O2_CM1, o2, "linear", 2, 1)

out = os.path.join("tests", "reference", "ase_thermo.tsv")
with open(out, "w") as f:
    f.write("# ASE %s thermochemistry (ase.thermochemistry, CODATA %s), %s; made by "
            "scripts/reference/ase_thermo.py\n" % (ase.__version__, units.__codata_version__,
                                                   datetime.date.today()))
    f.write("# ooh_list cm-1: %s; o2_list cm-1: %s\n" % (" ".join("%g" % w for w in OOH_CM1),
                                                         " ".join("%g" % w for w in O2_CM1)))
    f.write("case\tmodel\tT\tP\tzpe\tcp_int\ts\tts\tg_corr\th_corr\n")
    for r in rows:
        f.write("%s\t%s\t%.2f\t%.1f\t" % r[:4] + "\t".join("%.12g" % v for v in r[4:]) + "\n")
print("wrote", out, len(rows), "rows")
