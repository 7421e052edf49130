#!/usr/bin/python3
"""Reference energies / run metadata from pymatgen's Vasprun, for dftpost's tests.

Usage (from the repository root, with Debian's python3-pymatgen 2022.11.7):

    /usr/bin/python3 scripts/reference/pymatgen_energy.py [DATA_ROOT] > tests/reference/pymatgen_energy.tsv

DATA_ROOT defaults to ../shared/data/real relative to the repository root. Every
vasprun*.xml and vasprun*.xml.gz under it is read (SAC_HOER_data is skipped), with
    Vasprun(f, parse_potcar_file=False, parse_projected_eigen=False)
If that raises (truncated XML), it is retried with exception_on_bad_xml=False and
the row is marked complete=no; whatever pymatgen then returns is recorded, and if
that also raises, only file and complete=no are written (reason on stderr and in a
"# " comment line).

Columns (tab separated, after "# " comment lines and a header line):
  file          path relative to shared/ (e.g. data/real/pymatgen-core/vasp/vasprun.xml.gz)
  natoms        len(vr.atomic_symbols)
  formula       composition.reduced_formula of vr.final_structure (for a partial
                parse without final_structure: the last ionic step's structure)
  nsteps        len(vr.ionic_steps)
  e_free        ionic_steps[-1]["e_fr_energy"]
  e_noentropy   ionic_steps[-1]["e_wo_entrp"]   (see the VASP bug below!)
  e_sigma0      float(vr.final_energy)            (pymatgen's bug-corrected E(sigma->0))
  e_sigma0_raw  ionic_steps[-1]["e_0_energy"]     (as written in the ionic <energy> block)
  efermi        vr.efermi (E-fermi of the <dos> block), "" if none
  ispin         vr.parameters["ISPIN"]
  lorbit        vr.parameters.get("LORBIT"), else vr.incar.get("LORBIT"), printed with
                str(); VASP 5.2/5.3 write LORBIT as <i type="logical"> F </i> even when
                lm-decomposed pDOS are present, which pymatgen reads as False.
  nedos         len(vr.tdos.energies), "" if no DOS
  complete      yes | no (no = truncated file, parsed with exception_on_bad_xml=False)
Floats are printed with repr() (full precision), NaN as "nan".

Verified pymatgen 2022.11.7 behaviour (io/vasp/outputs.py):
  * Vasprun.final_energy takes E = ionic_steps[-1]["e_0_energy"] and
    E' = round(final_estep["e_0_energy"] - final_estep["e_fr_energy"]
               + ionic_steps[-1]["e_fr_energy"], 8)
    (final_estep = last <scstep> of the last <calculation>) and returns E' when
    |E - E'| > 1e-7, else E (https://www.vasp.at/forum/viewtopic.php?f=3&t=16942).
  * The VASP bug (seen here in every VASP 5.x file, not in the VASP 6.2.1 file
    vasprun.bad_fermi): the <calculation>-level <energy> block is shifted by one
    field: "e_wo_entrp" holds E(sigma->0) and "e_0_energy" holds F - E (= -TS,
    often 0.0 / -0.0), while the last <scstep> has the correct three values
    (checked for every ionic step of all 8 parseable VASP 5.2.2-5.4.4 files; in
    the VASP 6.2.1 file F = E = E0, so nothing can be seen there).
    So in those files e_noentropy (the ionic "e_wo_entrp", which is what pymatgen
    exposes) is really E(sigma->0); the true energy-without-entropy exists only in
    the last <scstep>. E.g. bader_test_H2O: scstep F/E/E0 = 83.00831576 /
    83.00870831 / 83.00851204; ionic block 83.00831576 / 83.00851204 / -0.00039255.
  * Float fields written as "*****" become NaN (with a warning) only inside
    <scstep> energies (_vasprun_float); ionic <energy> values use plain float().
  * exception_on_bad_xml=False: the ParseError is turned into a UserWarning
    ("XML is malformed. Parsing has stopped but partial data is available."), but
    Vasprun.__init__ then evaluates self.converged, which indexes
    ionic_steps[-1]; a file truncated inside its first <calculation> (no complete
    ionic step) therefore still raises IndexError.
"""
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refcommon import write_tsv, note, find_files  # noqa: E402

import pymatgen.core
from pymatgen.io.vasp.outputs import Vasprun

COLUMNS = ["file", "natoms", "formula", "nsteps", "e_free", "e_noentropy", "e_sigma0",
           "e_sigma0_raw", "efermi", "ispin", "lorbit", "nedos", "complete"]


def fmt(x):
    if x is None or x == "":
        return ""
    x = float(x)
    if np.isnan(x):
        return "nan"
    return repr(x)


def find_vaspruns(root):
    return find_files(root, lambda fn: fn.startswith("vasprun") and fn.endswith((".xml", ".xml.gz")))


def load(path, rel, comments):
    """Return (vr or None, complete flag)."""
    for ebx in (True, False):
        with warnings.catch_warnings(record=True) as wl:
            warnings.simplefilter("always")
            try:
                vr = Vasprun(path, parse_potcar_file=False, parse_projected_eigen=False,
                             exception_on_bad_xml=ebx)
            except Exception as e:
                msg = f"{rel}: Vasprun(exception_on_bad_xml={ebx}) raised {type(e).__name__}: {e}"
                note("FAIL " + msg)
                comments.append("# " + msg)
                vr = None
        for w in wl:
            note(f"WARN {rel} (exception_on_bad_xml={ebx}): {w.category.__name__}: "
                 f"{str(w.message).splitlines()[0]}")
        if vr is not None:
            return vr, ("yes" if ebx else "no")
    return None, "no"


def main():
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo_root, "..", "shared", "data", "real")
    root = os.path.normpath(os.path.abspath(root))
    shared = os.path.dirname(os.path.dirname(root))  # .../shared when root is .../shared/data/real

    files = sorted(find_vaspruns(root), key=lambda p: os.path.relpath(p, shared))
    rows = []
    comments = []
    for path in files:
        rel = os.path.relpath(path, shared)
        vr, complete = load(path, rel, comments)
        if vr is None:
            rows.append([rel] + [""] * (len(COLUMNS) - 2) + [complete])
            continue
        steps = vr.ionic_steps
        last = steps[-1] if steps else {}
        if hasattr(vr, "final_structure"):
            struct = vr.final_structure
        elif steps and last.get("structure") is not None:
            struct = last["structure"]
        else:
            struct = vr.initial_structure
        lorbit = vr.parameters.get("LORBIT")
        if lorbit is None:
            lorbit = vr.incar.get("LORBIT")
        tdos = getattr(vr, "tdos", None)
        e_sigma0 = float(vr.final_energy) if steps else None
        raw = last.get("e_0_energy")
        if e_sigma0 is not None and raw is not None and e_sigma0 != raw:
            msg = (f"{rel}: final_energy bug correction applied: e_0_energy {raw!r} -> {e_sigma0!r} "
                   f"(change {e_sigma0 - raw!r} eV)")
            note("NOTE " + msg)
            comments.append("# " + msg)
        rows.append([
            rel,
            str(len(vr.atomic_symbols)),
            struct.composition.reduced_formula,
            str(len(steps)),
            fmt(last.get("e_fr_energy")),
            fmt(last.get("e_wo_entrp")),
            fmt(e_sigma0),
            fmt(raw),
            fmt(getattr(vr, "efermi", None)),
            str(vr.parameters.get("ISPIN", "")),
            "" if lorbit is None else str(lorbit),
            str(len(tdos.energies)) if tdos is not None else "",
            complete,
        ])
        note(f"OK {rel} complete={complete}")

    write_tsv(__file__, f"pymatgen {pymatgen.core.__version__} (numpy {np.__version__})",
              comments, COLUMNS, rows)


if __name__ == "__main__":
    main()
