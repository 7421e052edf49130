#!/usr/bin/python3
"""Reference values for dftpost's pw.x output reader, from ASE and key_values.json.

Usage (from the repository root, with Debian's python3-ase 3.22.1; plain "python3"
may be another interpreter without it):

    /usr/bin/python3 scripts/reference/ase_espresso.py [SHARED_DIR] > tests/reference/ase_espresso.tsv

SHARED_DIR defaults to ../shared. The files read are every file under
SHARED_DIR/data/real and SHARED_DIR/data/qe whose first 4 kB contain
"Program PWSCF" (pw.x standard output: the q-e test-suite benchmarks, q-e
example02_Ni/ni.scf.out, pymatgen-core/qe/Si.pwscf.out, data/qe/*/pw.out), and
SHARED_DIR/data/qe/key_values.json.

Output: "# " comment lines, a header line, then one row per value (long format):
  file      path relative to shared/ (e.g. data/qe/O2/pw.out)
  quantity  see below
  index     "" for a scalar; "STEP" (1-based) for per-image values; "ION" (1-based)
            for per-atom values; "ION.AXIS" / "ROW.AXIS" with AXIS x|y|z for
            vectors; "up"/"dw" for the two Fermi energies; "A-B" for a bond
  value     repr() of a float (full precision), an int, or a word
  source    ase | file-text | key_values.json

ASE rows (ase.io.read(f, index=":", format="espresso-out"), ASE 3.22.1):
  ase_ry, ase_bohr  ASE's units["Ry"] (eV) and units["Bohr"] (Angstrom): ASE
               converts with CODATA 2006 (create_units("2006")), pw.x >= 6.6 and
               dftpost with CODATA 2018 (RYTOEV = 13.605693122994 eV,
               BOHR_RADIUS_ANGS = 0.529177210903 A). The test compares in Ry and
               bohr, i.e. rescales ASE's eV by RYTOEV / ase_ry.
  nimages      number of images (ASE keeps a configuration only when results
               follow it before the next configuration: one per "!" energy)
  natoms       len(images[-1])
  energy       images[k].get_potential_energy() (eV, from "!    total energy"),
               index STEP
  pos          images[-1].positions (Cartesian A), index ION.AXIS
  cell         images[-1].cell (A), index ROW.AXIS
  symbol       images[-1] chemical symbols, index ION
  force        images[-1].get_forces() (eV/A) when the image has forces,
               index ION.AXIS
  magmom       images[-1].get_magnetic_moments() when ASE found a
               "Magnetic moment per site" block in the last image, index ION
  efermi       images[-1].calc.get_fermi_level() when not None: "the Fermi
               energy is", else "highest occupied level", else the HOMO of
               "highest occupied, lowest unoccupied level" (ASE 3.22 does not
               read "the spin up/dw Fermi energies are": None there)
file-text rows (plain regular expressions on the lines, independent of ASE and of
dftpost's C code; they cover files ASE cannot read):
  e_Ry         every "!    total energy = X Ry" line, index STEP
  ts_Ry        every "smearing contrib. (-TS) = X Ry" line that follows a "!"
               line before the next "!" line, index STEP of that "!"
  internal_Ry  the same for "internal energy E=F+TS = X Ry"
  efermi       the last "the Fermi energy is X ev"
  efermi_spin  the last "the spin up/dw Fermi energies are X Y ev", index up/dw
  homo, lumo   the last "highest occupied level (ev): X" or "highest occupied,
               lowest unoccupied level (ev): X Y"
  mag_total, mag_abs  the last "total magnetization = X Bohr mag/cell" (the
               first number) and "absolute magnetization = X Bohr mag/cell"
  job_done     1 if a line is "JOB DONE."
key_values.json rows (values measured independently of dftpost, see
data/qe/README.md: last "!" energy, last Fermi energies, last magnetization,
shortest distances of the last ATOMIC_POSITIONS read with ASE, no periodic
images), for data/qe/CASE/pw.out:
  E_Ry, E_eV   E_eV = E_Ry * 13.605693122994 (QE 6.7 RYTOEV)
  Ef_eV        index "" (one Fermi energy) or "up"/"dw" (two)
  tot_mag, abs_mag   when not null
  nspin, job_done, relax_converged (1/0, when not null)
  geom         index "A-B" (M = any Fe atom): the shortest A-B distance, A;
               index "H-O-H_deg": the angle, degrees (4 decimals in the file)
"""
import json
import os
import re
import sys
import traceback
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refcommon import fmt, write_tsv  # noqa: E402

import ase
import ase.io
from ase.units import create_units

COLUMNS = ["file", "quantity", "index", "value", "source"]
AXES = "xyz"


def is_pwout(path):
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return b"Program PWSCF" in head


def find_pwouts(shared):
    out = []
    for sub in ("data/real", "data/qe"):
        root = os.path.join(shared, sub)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for fn in sorted(filenames):
                p = os.path.join(dirpath, fn)
                if is_pwout(p):
                    out.append(p)
    return out


def ase_rows(path, rel, add, comments):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            images = ase.io.read(path, index=":", format="espresso-out")
        except Exception as e:
            tb = traceback.extract_tb(e.__traceback__)[-1]
            comments.append(f"# {rel}: ASE cannot read it: ase.io.read raised "
                            f"{type(e).__name__}: {e} (at {os.path.basename(tb.filename)}:"
                            f"{tb.lineno})")
            return
    add("nimages", "", len(images), "ase")
    if not images:
        return
    for k, im in enumerate(images, 1):
        try:
            add("energy", str(k), im.get_potential_energy(), "ase")
        except Exception:
            comments.append(f"# {rel}: image {k} has no energy in ASE")
    last = images[-1]
    add("natoms", "", len(last), "ase")
    for i, s in enumerate(last.get_chemical_symbols(), 1):
        add("symbol", str(i), s, "ase")
    for i, p in enumerate(last.positions, 1):
        for a in range(3):
            add("pos", f"{i}.{AXES[a]}", p[a], "ase")
    for i, row in enumerate(np.array(last.cell), 1):
        for a in range(3):
            add("cell", f"{i}.{AXES[a]}", row[a], "ase")
    calc = last.calc
    res = getattr(calc, "results", {}) if calc is not None else {}
    if res.get("forces") is not None:
        for i, f in enumerate(res["forces"], 1):
            for a in range(3):
                add("force", f"{i}.{AXES[a]}", f[a], "ase")
    if res.get("magmoms") is not None:
        for i, m in enumerate(res["magmoms"], 1):
            add("magmom", str(i), m, "ase")
    ef = calc.get_fermi_level() if calc is not None else None
    if ef is not None:
        add("efermi", "", ef, "ase")


def num(tok):
    return float(tok)


def file_text_rows(path, add):
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    step = 0
    last = {}
    for l in lines:
        m = re.match(r"^!\s+total energy\s+=\s+(\S+)\s+Ry", l)
        if m:
            step += 1
            add("e_Ry", str(step), num(m.group(1)), "file-text")
            continue
        m = re.match(r"^\s+smearing contrib\. \(-TS\)\s+=\s+(\S+)\s+Ry", l)
        if m and step:
            add("ts_Ry", str(step), num(m.group(1)), "file-text")
        m = re.match(r"^\s+internal energy E=F\+TS\s+=\s+(\S+)\s+Ry", l)
        if m and step:
            add("internal_Ry", str(step), num(m.group(1)), "file-text")
        m = re.match(r"^\s+the Fermi energy is\s+(\S+)\s+ev", l)
        if m:
            last["efermi"] = [("", num(m.group(1)))]
        m = re.match(r"^\s+the spin up/dw Fermi energies are\s+(\S+)\s+(\S+)\s+ev", l)
        if m:
            last["efermi_spin"] = [("up", num(m.group(1))), ("dw", num(m.group(2)))]
        m = re.match(r"^\s+highest occupied level \(ev\):\s+(\S+)", l)
        if m:
            last["homo"] = [("", num(m.group(1)))]
        m = re.match(r"^\s+highest occupied, lowest unoccupied level \(ev\):\s+(\S+)\s+(\S+)", l)
        if m:
            last["homo"] = [("", num(m.group(1)))]
            last["lumo"] = [("", num(m.group(2)))]
        m = re.match(r"^\s+total magnetization\s+=\s+(\S+)", l)
        if m:
            last["mag_total"] = [("", num(m.group(1)))]
        m = re.match(r"^\s+absolute magnetization\s+=\s+(\S+)", l)
        if m:
            last["mag_abs"] = [("", num(m.group(1)))]
    for q in sorted(last):
        for i, x in last[q]:
            add(q, i, x, "file-text")
    add("job_done", "", any(l.strip() == "JOB DONE." for l in lines), "file-text")


def key_value_rows(shared, add, comments):
    path = os.path.join(shared, "data/qe/key_values.json")
    try:
        with open(path) as f:
            kv = json.load(f)
    except OSError as e:
        comments.append(f"# data/qe/key_values.json: cannot read it: {e}")
        return
    src = "key_values.json"
    for case in sorted(kv):
        v = kv[case]
        rel = f"data/qe/{case}/pw.out"
        add2 = lambda q, i, x: add(q, i, x, src, rel)  # noqa: E731
        add2("E_Ry", "", float(v["E_Ry"]))
        add2("E_eV", "", float(v["E_eV"]))
        ef = v.get("Ef_eV")
        if isinstance(ef, list):
            add2("Ef_eV", "up", float(ef[0]))
            add2("Ef_eV", "dw", float(ef[1]))
        elif ef is not None:
            add2("Ef_eV", "", float(ef))
        for q in ("tot_mag", "abs_mag"):
            if v.get(q) is not None:
                add2(q, "", float(v[q]))
        add2("nspin", "", int(v["nspin"]))
        add2("job_done", "", bool(v["job_done"]))
        if v.get("relax_converged") is not None:
            add2("relax_converged", "", bool(v["relax_converged"]))
        for pair, d in sorted(v.get("geom_A", {}).items()):
            add2("geom", pair, float(d))


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
    rows, comments = [], []

    def add_for(rel):
        def add(q, i, x, src, file=None):
            rows.append([file or rel, q, i, fmt(x), src])
        return add

    u = create_units("2006")
    for path in find_pwouts(shared):
        rel = os.path.relpath(path, shared)
        add = add_for(rel)
        add("ase_ry", "", u["Ry"], "ase")
        add("ase_bohr", "", u["Bohr"], "ase")
        ase_rows(path, rel, add, comments)
        file_text_rows(path, add)
    key_value_rows(shared, add_for(""), comments)

    write_tsv(__file__, f"ase {ase.__version__}, numpy {np.__version__}", comments, COLUMNS, rows)

if __name__ == "__main__":
    main()
