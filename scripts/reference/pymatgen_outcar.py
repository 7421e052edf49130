#!/usr/bin/python3
"""Reference values for dftpost's OUTCAR reader, from pymatgen's Outcar and ASE.

Usage (from the repository root, with Debian's python3-pymatgen 2022.11.7 and
python3-ase 3.22.1; plain "python3" may be another interpreter without them):

    /usr/bin/python3 scripts/reference/pymatgen_outcar.py [DATA_ROOT] > tests/reference/pymatgen_outcar.tsv

DATA_ROOT defaults to ../shared/data/real relative to the repository root. Every
file whose name starts with "OUTCAR" under it is read (SAC_HOER_data is skipped).

Output: "# " comment lines, a header line, then one row per value (long format):
  file      path relative to shared/ (e.g. data/real/pymatgen-core/vasp/OUTCAR.gz)
  quantity  see below
  index     "" for a scalar; "ION" (1-based) for a per-ion value; "ION.AXIS" with
            AXIS x|y|z for vectors; "STEP" (1-based) for per-step energies; "N"
            (1-based) for the Nth entry of a list
  value     repr() of a float (full precision), an int, or a word
  source    pymatgen | ase | file-text

pymatgen rows (Outcar(f); on an exception a "# " line says so and no pymatgen
rows are written for that file):
  e_free       Outcar.final_fr_energy   (last "free  energy   TOTEN" of the file)
  e_noentropy  Outcar.final_energy_wo_entrp (last "energy  without entropy")
  e_sigma0     Outcar.final_energy      (last "energy(sigma->0) =" of the file,
               which may be an electronic-step line: see e_sigma0_scf)
  e_sigma0_scf the same number when the last "energy(sigma->0)" of the file is
               in an electronic iteration after the last complete ionic step
               (a cut file); it is not an ionic-step energy, dftpost keeps none
  efermi       Outcar.efermi. pymatgen reads the file backwards and stops only
               when it has nelect, total_mag, efermi and the run statistics; for
               ISPIN=1 there is no total_mag, it never stops, and efermi ends up
               as the FIRST "E-fermi" line of the file. Those files get
               quantity efermi_first_line instead (checked against the file
               text in the test, not against dftpost's last E-fermi).
  total_mag    Outcar.total_mag (last "number of electron ... magnetization"):
               the cell's total moment; dftpost keeps the per-ion tables only
  is_stopped   Outcar.is_stopped (1/0): "soft stop encountered!"
  nions        Outcar.read_pattern NIONS
  mag_COL      Outcar.magnetization[ion][COL] (COL s, p, d, f, tot), index ION;
               noncollinear runs (Magmom vectors) index ION.AXIS
  zval_SYM     Outcar.read_pseudo_zval() zval_dict (VRHFIN symbols)
pymatgen 2022.11.7 has no reader for the vibrational frequencies of an OUTCAR
(Outcar.read_lepsilon* read dielectric/Born tensors; Vasprun reads <dynmat>):
frequency values come from ASE and the file text.

ASE rows (ase.io.read(f, index=":", format="vasp-out"); when ASE's default chunk
parsers fail, they are retried without its Kpoints parser, which asserts on the
eigenvalue layout of some files, and a "# " line says so):
  nsteps       number of images (one per ionic step)
  natoms       len(images[-1])
  count_SYM    how many atoms of element SYM images[-1] has (ASE takes the
               elements from the "POTCAR:" lines)
  e_free       get_potential_energy(force_consistent=True) per image, index STEP
  e_sigma0     get_potential_energy() per image (ASE's energy = energy(sigma->0))
  pos          images[-1].positions (Cartesian Å), index ION.AXIS
  force        images[-1].get_forces(), index ION.AXIS
  freq_mev_real / freq_mev_imag
               ase.calculators.vasp.Vasp.read_vib_freq(lines) on the whole
               file: the meV column of every "THz" line, real and f/i lists;
               a file with NWRITE=3 lists each mode twice (plain and mass-
               divided block), so these lists repeat
file-text rows (plain regular expressions, independent of dftpost's C code):
  complete     1 if "General timing and accounting informations" is in the file
  e_free, e_noentropy, e_sigma0, index STEP
               every "free  energy   TOTEN" line followed by an "energy  without
               entropy= ... energy(sigma->0) =" line (the ionic-step block)
  nsteps       how many of those
  stopped      1 if "soft stop encountered" is in the file
  freq_cm1, freq_thz, freq_mev, freq_imag (1/0)
               the last "Eigenvectors and eigenvalues of the dynamical matrix"
               block that is not preceded by "Eigenvectors after division by
               SQRT(mass)", index N (mode number)
  efermi_last  the number on the last "E-fermi :" line
"""
import gzip
import os
import re
import sys
import traceback
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refcommon import write_tsv, note, find_files, fmt  # noqa: E402

import ase
import ase.io
import pymatgen.core
from pymatgen.electronic_structure.core import Magmom
from pymatgen.io.vasp.outputs import Outcar

COLUMNS = ["file", "quantity", "index", "value", "source"]


def find_outcars(root):
    return find_files(root, lambda fn: fn.startswith("OUTCAR"))


def read_text(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", errors="replace") as f:
        return f.read().splitlines()


# units touch the next number when it fills its column: "2PiTHz13912.749672 cm-1"
MODE_RE = re.compile(r"^\s*(\d+)\s+(f  =|f/i=)\s*([-.\d]+)\s+THz\s*([-.\d]+)\s+2PiTHz\s*([-.\d]+)\s+cm-1"
                     r"\s*([-.\d]+)\s+meV")
TOTEN_RE = re.compile(r"^\s*free  energy   TOTEN\s+=\s+(\S+)\s+eV")
WO_RE = re.compile(r"^\s*energy  without entropy\s*=\s*(\S+)\s+energy\(sigma->0\)\s*=\s*(\S+)")


def file_text_rows(lines, add):
    text_complete = any("General timing and accounting informations" in l for l in lines)
    add("complete", "", text_complete, "file-text")
    add("stopped", "", any("soft stop encountered" in l for l in lines), "file-text")
    # ionic-step energies: each "FREE ENERGIE" block's TOTEN and the line after it
    step, toten = 0, None
    for l in lines:
        m = TOTEN_RE.match(l)
        if m:
            toten = float(m.group(1))
            continue
        m = WO_RE.match(l)
        if m and toten is not None:
            step += 1
            add("e_free", str(step), toten, "file-text")
            add("e_noentropy", str(step), float(m.group(1)), "file-text")
            add("e_sigma0", str(step), float(m.group(2)), "file-text")
            toten = None
    add("nsteps", "", step, "file-text")
    ef = [l for l in lines if l.strip().startswith("E-fermi :")]
    if ef:
        add("efermi_last", "", float(ef[-1].split()[2]), "file-text")
    # frequency blocks: the last one not preceded by the mass-divided marker
    blocks, mass_divided, cur = [], False, None
    for l in lines:
        s = l.strip()
        if s.startswith("Eigenvectors after division by SQRT(mass)"):
            mass_divided = True
        elif s.startswith("Eigenvectors and eigenvalues of the dynamical matrix"):
            cur = None if mass_divided else []
            if cur is not None:
                blocks.append(cur)
            mass_divided = False
        elif cur is not None:
            m = MODE_RE.match(l)
            if m:
                cur.append(m)
    if blocks and blocks[-1]:
        for m in blocks[-1]:
            n = m.group(1)
            add("freq_thz", n, float(m.group(3)), "file-text")
            add("freq_cm1", n, float(m.group(5)), "file-text")
            add("freq_mev", n, float(m.group(6)), "file-text")
            add("freq_imag", n, m.group(2) == "f/i=", "file-text")
    return text_complete


def last_sigma0_is_scf(lines):
    """True if the last 'energy(sigma->0)' line comes after the last ionic block."""
    last_e0 = last_ionic = -1
    for i, l in enumerate(lines):
        if "energy(sigma->0)" in l:
            last_e0 = i
        if "energy  without entropy" in l:
            last_ionic = i
    return last_e0 > last_ionic


def pymatgen_rows(path, rel, lines, add, comments):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            o = Outcar(path)
        except Exception as e:
            tb = traceback.extract_tb(e.__traceback__)[-1]
            msg = (f"{rel}: pymatgen cannot read it: Outcar() raised {type(e).__name__}: {e} "
                   f"(at {os.path.basename(tb.filename)}:{tb.lineno} {tb.line})")
            note("FAIL " + msg)
            comments.append("# " + msg)
            return
    if o.final_fr_energy is not None:
        add("e_free", "", o.final_fr_energy, "pymatgen")
    if o.final_energy_wo_entrp is not None:
        add("e_noentropy", "", o.final_energy_wo_entrp, "pymatgen")
    if o.final_energy is not None:
        if last_sigma0_is_scf(lines):
            add("e_sigma0_scf", "", o.final_energy, "pymatgen")
            comments.append(f"# {rel}: pymatgen's final_energy {o.final_energy!r} is an electronic-"
                            f"step energy(sigma->0) after the last complete ionic step (cut file): "
                            f"written as e_sigma0_scf")
        else:
            add("e_sigma0", "", o.final_energy, "pymatgen")
    if o.efermi is not None:
        if o.total_mag is None:
            add("efermi_first_line", "", o.efermi, "pymatgen")
            comments.append(f"# {rel}: pymatgen's efermi {o.efermi!r} is the FIRST E-fermi line "
                            f"(backward scan never stops without total_mag, ISPIN=1): written as "
                            f"efermi_first_line")
        else:
            add("efermi", "", o.efermi, "pymatgen")
    if o.total_mag is not None:
        add("total_mag", "", o.total_mag, "pymatgen")
    add("is_stopped", "", bool(o.is_stopped), "pymatgen")
    o.read_pattern({"nions": r"NIONS =\s+(\d+)"}, terminate_on_match=True, postprocess=int)
    if o.data.get("nions"):
        add("nions", "", o.data["nions"][0][0], "pymatgen")
    for ion, d in enumerate(o.magnetization, start=1):
        for col, v in d.items():
            if isinstance(v, Magmom):
                for ax, c in zip("xyz", v.moment):
                    add(f"mag_{col}", f"{ion}.{ax}", c, "pymatgen")
            else:
                add(f"mag_{col}", str(ion), v, "pymatgen")
    try:
        o.read_pseudo_zval()
        for sym, z in o.zval_dict.items():
            add(f"zval_{sym}", "", z, "pymatgen")
    except Exception as e:
        comments.append(f"# {rel}: pymatgen read_pseudo_zval raised {type(e).__name__}: {e}")


def ase_images(path, rel, comments):
    from ase.io.vasp_parsers import vasp_outcar_parsers as vop
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ase.io.read(path, index=":", format="vasp-out")
        except Exception as e:
            first = f"{type(e).__name__}: {e}".strip()
        # retry with ASE's own chunk parsers minus Kpoints (eigenvalues)
        try:
            opener = gzip.open if path.endswith(".gz") else open
            parsers = [vop.Cell(), vop.PositionsAndForces(), vop.Stress(), vop.Magmoms(),
                       vop.Magmom(), vop.EFermi(), vop.Energy()]
            with opener(path, "rt") as fd:
                images = [c.build() for c in vop.outcarchunks(
                    fd, chunk_parser=vop.OutcarChunkParser(parsers=parsers))]
            msg = (f"{rel}: ase.io.read raised {first}; read again with ASE's chunk parsers "
                   f"without Kpoints")
            note("NOTE " + msg)
            comments.append("# " + msg)
            return images
        except Exception as e:
            msg = (f"{rel}: ASE cannot read it: ase.io.read raised {first}; without Kpoints: "
                   f"{type(e).__name__}: {e}")
            note("FAIL " + msg)
            comments.append("# " + msg)
            return None


def ase_rows(path, rel, lines, add, comments):
    images = ase_images(path, rel, comments)
    if images is not None:
        add("nsteps", "", len(images), "ase")
        for k, a in enumerate(images, start=1):
            add("e_free", str(k), a.get_potential_energy(force_consistent=True), "ase")
            add("e_sigma0", str(k), a.get_potential_energy(), "ase")
        if images:
            a = images[-1]
            add("natoms", "", len(a), "ase")
            syms = a.get_chemical_symbols()
            for sym in sorted(set(syms)):
                add(f"count_{sym}", "", syms.count(sym), "ase")
            for i, (p, f) in enumerate(zip(a.positions, a.get_forces()), start=1):
                for ax, pv, fv in zip("xyz", p, f):
                    add("pos", f"{i}.{ax}", pv, "ase")
                    add("force", f"{i}.{ax}", fv, "ase")
    from ase.calculators.vasp import Vasp
    real, imag = Vasp.read_vib_freq(None, lines=lines)
    for k, v in enumerate(real, start=1):
        add("freq_mev_real", str(k), v, "ase")
    for k, v in enumerate(imag, start=1):
        add("freq_mev_imag", str(k), v, "ase")


def main():
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo_root, "..", "shared", "data", "real")
    root = os.path.normpath(os.path.abspath(root))
    shared = os.path.dirname(os.path.dirname(root))  # .../shared when root is .../shared/data/real

    files = sorted(find_outcars(root), key=lambda p: os.path.relpath(p, shared))
    rows, comments = [], []
    for path in files:
        rel = os.path.relpath(path, shared)

        def add(q, idx, v, src, rel=rel):
            rows.append([rel, q, idx, fmt(v), src])

        lines = read_text(path)
        file_text_rows(lines, add)
        pymatgen_rows(path, rel, lines, add, comments)
        ase_rows(path, rel, lines, add, comments)
        note(f"OK {rel}")

    write_tsv(__file__, f"pymatgen {pymatgen.core.__version__}, ase {ase.__version__}, numpy {np.__version__}",
              comments, COLUMNS, rows)


if __name__ == "__main__":
    main()
