#!/usr/bin/python3
"""Reference values for dftpost's LOBSTER COHPCAR, CHARGE.lobster and lobsterout
readers, from pymatgen's Cohpcar, Cohp, Charge and Lobsterout.

Usage (from the repository root, with Debian's python3-pymatgen 2022.11.7; plain
"python3" may be another interpreter without it):

    /usr/bin/python3 scripts/reference/pymatgen_lobster_cohp.py [SHARED] > tests/reference/pymatgen_lobster_cohp.tsv

SHARED defaults to ../shared relative to the repository root. Read: every
COHPCAR*/COOPCAR*/COBICAR*, CHARGE.lobster* and lobsterout* under SHARED/data/real.

Output: "# " comment lines, a header line, then one row per value (long format):
  file      path relative to SHARED (data/real/...)
  quantity  see below
  index     "" for a scalar, else as below
  value     repr() of a float as pymatgen holds it (the file's digits), an int, a word
  source    pymatgen

Cohpcar(filename=f) rows (COOPCAR/COBICAR files: are_coops/are_cobis from the name).
BOND is pymatgen's key of cohp_data: "average", or "N" for the Nth whole bond
(LOBSTER's ICOHPLIST numbering: pymatgen counts the labels without orbitals); an
orbital-wise curve is "N/ORB1-ORB2" with the orbitals as LOBSTER writes them
("4s-4p_x"), rebuilt from pymatgen's orb_res_cohp[N][..]["orbitals"] (n, Orbital)
with pymatgen's own orb_labs list. POINT is 1-based, SPIN up|down.
  efermi        Cohpcar.efermi (the header's last number)
  spin_polarized 1/0
  npoints       len(Cohpcar.energies)
  nbonds        whole bonds: len(cohp_data) - 1 (the average)
  norbital      orbital-wise curves: sum of len(orb_res_cohp[N])
  energy        Cohpcar.energies[POINT - 1], index POINT
  sites         cohp_data[N]["sites"] (0-based atoms, "i j"), index N, every bond
  length        cohp_data[N]["length"] (Å), index N, every bond
  cohp, icohp   cohp_data[BOND]["COHP"/"ICOHP"][SPIN][POINT - 1], index BOND:POINT:SPIN,
                for the average, the first three and the last bond, the first two and
                the last orbital-wise curve of the first and of the last bond that
                have them, at points 1, 2, the middle and the last
  interp_icohp  Cohp(efermi, energies, cohp, icohp=icohp).get_interpolated_value(E,
                integrated=True)[SPIN] (linear interpolation of LOBSTER's integrated
                column), index BOND:E:SPIN, for the average, bond 1 and the last bond,
                at E = 0 (E_F) and the energies listed in INTERP_E that lie inside the
                grid (pymatgen refuses E at or below the first grid energy)
Charge(filename=f) rows:
  natoms        Charge.num_atoms
  element       Charge.types[ATOM - 1], index ATOM (1-based)
  mulliken      Charge.Mulliken[ATOM - 1]
  loewdin       Charge.Loewdin[ATOM - 1]
Lobsterout(filename=f) rows:
  version       Lobsterout.lobster_version ("v4.1.0")
  nspin         Lobsterout.number_of_spins
  chargespilling, totalspilling   the fraction per spin channel, index SPIN (1, 2)
  nwarnings     len(Lobsterout.warninglines)
"""
import datetime
import os
import sys

import numpy
import pymatgen.core
from pymatgen.electronic_structure.cohp import Cohp
from pymatgen.electronic_structure.core import Spin
from pymatgen.io.lobster import Charge, Cohpcar, Lobsterout

# pymatgen 2022.11.7's Cohpcar._get_bond_data: Orbital(i) is orb_labs[i]
ORB_LABS = ["s", "p_y", "p_z", "p_x", "d_xy", "d_yz", "d_z^2", "d_xz", "d_x^2-y^2",
            "f_y(3x^2-y^2)", "f_xyz", "f_yz^2", "f_z^3", "f_xz^2", "f_z(x^2-y^2)",
            "f_x(x^2-3y^2)"]
INTERP_E = [-1.234, 0.5, 2.0]
SPINS = {Spin.up: "up", Spin.down: "down"}

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared"))


def row(f, q, idx, v):
    print(f"{f}\t{q}\t{idx}\t{v!r}\tpymatgen" if isinstance(v, float) else
          f"{f}\t{q}\t{idx}\t{v}\tpymatgen")


def points(n):
    return sorted({1, min(2, n), n // 2 + 1, n})


def orb_key(orbitals):
    return "-".join(f"{n}{ORB_LABS[o.value]}" for n, o in orbitals)


def cohpcar(path, rel):
    name = os.path.basename(path)
    c = Cohpcar(filename=path, are_coops="COOPCAR" in name, are_cobis="COBICAR" in name)
    n = len(c.energies)
    bonds = [k for k in c.cohp_data if k != "average"]
    orb = c.orb_res_cohp or {}
    row(rel, "efermi", "", float(c.efermi))
    row(rel, "spin_polarized", "", int(c.is_spin_polarized))
    row(rel, "npoints", "", n)
    row(rel, "nbonds", "", len(bonds))
    row(rel, "norbital", "", sum(len(v) for v in orb.values()))
    for p in points(n):
        row(rel, "energy", p, float(c.energies[p - 1]))
    for b in bonds:
        d = c.cohp_data[b]
        row(rel, "sites", b, " ".join(str(s) for s in d["sites"]))
        row(rel, "length", b, float(d["length"]))
    curves = [("average", c.cohp_data["average"])]
    curves += [(b, c.cohp_data[b]) for b in (bonds[:3] + bonds[-1:] if len(bonds) > 3 else bonds)]
    with_orb = [b for b in bonds if b in orb]
    for b in sorted(set(with_orb[:1] + with_orb[-1:]), key=int):
        keys = list(orb[b])
        for k in sorted(set(keys[:2] + keys[-1:]), key=keys.index):
            d = orb[b][k]
            curves.append((f"{b}/{orb_key(d['orbitals'])}", d))
    for key, d in curves:
        for spin, sname in SPINS.items():
            if spin not in d["COHP"]:
                continue
            for p in points(n):
                row(rel, "cohp", f"{key}:{p}:{sname}", float(d["COHP"][spin][p - 1]))
                row(rel, "icohp", f"{key}:{p}:{sname}", float(d["ICOHP"][spin][p - 1]))
    for b in dict.fromkeys(["average"] + bonds[:1] + bonds[-1:]):
        d = c.cohp_data[b]
        cohp = Cohp(c.efermi, c.energies, d["COHP"], icohp=d["ICOHP"])
        for e in [0.0] + INTERP_E:
            if not c.energies[0] < e <= c.energies[-1]:
                continue
            for spin, v in cohp.get_interpolated_value(e, integrated=True).items():
                row(rel, "interp_icohp", f"{b}:{e!r}:{SPINS[spin]}", float(v))


def charge(path, rel):
    c = Charge(filename=path)
    row(rel, "natoms", "", c.num_atoms)
    for i in range(c.num_atoms):
        row(rel, "element", i + 1, c.types[i])
        row(rel, "mulliken", i + 1, float(c.Mulliken[i]))
        row(rel, "loewdin", i + 1, float(c.Loewdin[i]))


def lobsterout(path, rel):
    o = Lobsterout(filename=path)
    row(rel, "version", "", o.lobster_version)
    row(rel, "nspin", "", o.number_of_spins)
    for i, v in enumerate(o.chargespilling):
        row(rel, "chargespilling", i + 1, float(v))
    for i, v in enumerate(o.totalspilling):
        row(rel, "totalspilling", i + 1, float(v))
    row(rel, "nwarnings", "", len(o.warninglines))


def main():
    real = os.path.join(SHARED, "data", "real")
    found = []
    for d, _, files in os.walk(real):
        for f in files:
            p = os.path.join(d, f)
            kind = ("cohpcar" if f.startswith(("COHPCAR", "COOPCAR", "COBICAR")) else
                    "charge" if f.startswith("CHARGE.lobster") else
                    "lobsterout" if f.startswith("lobsterout") else None)
            if kind:
                found.append((os.path.relpath(p, SHARED), kind, p))
    found.sort()
    print(f"# pymatgen {pymatgen.core.__version__}, numpy {numpy.__version__}; generated by "
          "scripts/reference/pymatgen_lobster_cohp.py - see its docstring for definitions")
    print(f"# date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M:%S} UTC")
    print(f"# command (cwd {os.getcwd()}): /usr/bin/python3 {' '.join(sys.argv)}")
    print("file\tquantity\tindex\tvalue\tsource")
    for rel, kind, p in found:
        try:
            {"cohpcar": cohpcar, "charge": charge, "lobsterout": lobsterout}[kind](p, rel)
        except Exception as e:  # noqa: BLE001 - say which file pymatgen cannot read
            print(f"# {rel}: pymatgen cannot read it: {type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
