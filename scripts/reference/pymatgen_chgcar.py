#!/usr/bin/python3
"""Reference values for dftpost's CHGCAR-type reader (pymatgen's Chgcar) and for the
charge-density difference of `dftpost chgdiff` (numpy on the QE cube triple).

Usage (from the repository root, with Debian's python3-pymatgen 2022.11.7; plain
"python3" may be another interpreter without it):

    /usr/bin/python3 scripts/reference/pymatgen_chgcar.py [SHARED_ROOT] > tests/reference/chgcar.tsv

SHARED_ROOT defaults to ../shared relative to the repository root.

Checks of what dftpost WRITES (by hand, not at test time; print one line each, exit 1 on a
difference):

    /usr/bin/python3 scripts/reference/pymatgen_chgcar.py --check-written ORIGINAL WRITTEN
        pymatgen reads both CHGCAR-type files; every block ("total", "diff" or "diff_x/y/z")
        must agree to 1e-10 relative (of the block's largest value), the structures to 1e-8.
        WRITTEN: e.g. a file from dp_grid_write_chgcar of ORIGINAL read by dp_chgcar_read.
    /usr/bin/python3 scripts/reference/pymatgen_chgcar.py --check-chgdiff WRITTEN [SHARED_ROOT]
        WRITTEN from `dftpost chgdiff AB.cube Fe2.cube O2.cube -o WRITTEN` on the QE triple:
        pymatgen's data["total"] / V must equal the numpy Δρ (e/Å^3) below to 1e-10 relative.

Output: "# " comment lines, a header line, then one row per value (long format):
  file      path relative to shared/
  quantity  see below
  index     "i,j,k" (0-based, pymatgen's data[i, j, k]: i along a) for point values;
            the axis for chgdiff rows; "" otherwise
  value     repr() of a float (full precision) or an int
  source    pymatgen | numpy

pymatgen rows: Chgcar.from_file(f) (VolumetricData.parse_file: the raw numbers, rho*V).
  n0, n1, n2   grid dimensions (data["total"].shape)
  natoms       len(chgcar.structure)
  volume       chgcar.structure.volume (Å^3)
  nelect       data["total"].sum() / (n0 n1 n2): electrons in the cell (rho*V averaged)
  nmag         magnetisation blocks: 0, 1 ("diff") or 3 ("diff_x", "diff_y", "diff_z")
  abs_mag      sum over blocks of |data[block]|.sum() / N (mu_B)
  mag_sum      data["diff"].sum() / N (collinear files only)
  total        data["total"][i, j, k], raw (rho*V)
  mag          data["diff"][i, j, k] (collinear) or data["diff_x"][i, j, k] (noncollinear), raw
  mag_z        data["diff_z"][i, j, k] (noncollinear), raw

numpy rows (chgdiff, file = data/qe/Fe2_O2_chg_AB): the three QE cubes
Fe2_O2_chg_{AB,Fe2,O2}/*_rho.cube are read by plain string splitting (Bohr, e/bohr^3,
converted with BOHR = 0.529177210903 Å); drho = AB - Fe2 - O2 in e/Å^3 (last index fastest,
as the cube writes it). For axis c (index 2) and a (index 0):
  int_drho       sum(drho) * V / N (electrons; should be ~28 - 16 - 12 = 0)
  transferred    0.5 * sum(|drho|) * V / N (electrons)
  lambda         planar average at plane index k (e/Å): sum over the plane * |a x b| / (n0 n1)
                 (for axis a: |b x c| / (n1 n2)); index "axis,k"
  dq             cumulative sum_{k' <= k} lambda(k') * h / n_axis (electrons), h = V / area;
                 index "axis,k"
  peak_plane     argmax_k |dq(k)| (0-based); index "axis"
  peak_dq        dq at that plane; index "axis"
"""
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refcommon import write_tsv  # noqa: E402

BOHR = 0.529177210903

FILES = [
    "data/real/pymatgen-core/vasp/CHGCAR.nospin.gz",
    "data/real/pymatgen-core/vasp/CHGCAR.spin.gz",
    "data/real/pymatgen-core/chargemol_spin_unpolarized/CHGCAR.gz",
    "data/real/bader-rs/vasp_Ni_fcc/CHGCAR_no_spin",
    "data/real/bader-rs/vasp_Ni_fcc/CHGCAR_spin",
    "data/real/bader-rs/vasp_Ni_fcc/CHGCAR_ncl",
    "data/real/pyiron_atomistics/bader_test_H2O/AECCAR0",
    "data/real/pyiron_atomistics/bader_test_H2O/AECCAR2",
    "data/real/vaspy/CHGCAR_spin",
]


def points(shape):
    n0, n1, n2 = shape
    pts = [(0, 0, 0), (n0 - 1, n1 - 1, n2 - 1), (1, 2, 3), (n0 // 2, n1 // 3, n2 - 2),
           (n0 - 2, 0, n2 // 2)]
    out = []
    for p in pts:
        q = tuple(min(max(c, 0), n - 1) for c, n in zip(p, shape))
        if q not in out:
            out.append(q)
    return out


def chgcar_rows(root, rel, comments):
    from pymatgen.io.vasp.outputs import Chgcar
    path = os.path.join(root, rel)
    rows = []
    try:
        c = Chgcar.from_file(path)
    except Exception as e:  # pragma: no cover - reported in the TSV
        comments.append(f"# {rel}: pymatgen cannot read it: {type(e).__name__}: {e}")
        return rows
    tot = c.data["total"]
    n = tot.size

    def add(q, idx, v):
        rows.append([rel, q, idx, repr(v) if isinstance(v, float) else str(v), "pymatgen"])

    for k in range(3):
        add(f"n{k}", "", int(tot.shape[k]))
    add("natoms", "", len(c.structure))
    add("volume", "", float(c.structure.volume))
    add("nelect", "", float(tot.sum() / n))
    # a noncollinear file also gets a derived "diff" (signed |m|) from pymatgen: not a block
    keys = ["diff_x", "diff_y", "diff_z"] if "diff_x" in c.data else \
        [k for k in ("diff",) if k in c.data]
    add("nmag", "", len(keys))
    if keys:
        add("abs_mag", "", float(sum(np.abs(c.data[k]).sum() for k in keys) / n))
    if keys == ["diff"]:
        add("mag_sum", "", float(c.data["diff"].sum() / n))
    for p in points(tot.shape):
        idx = ",".join(map(str, p))
        add("total", idx, float(tot[p]))
        if keys == ["diff"]:
            add("mag", idx, float(c.data["diff"][p]))
        if len(keys) == 3:
            add("mag", idx, float(c.data["diff_x"][p]))
            add("mag_z", idx, float(c.data["diff_z"][p]))
    return rows


def read_cube(path):
    with open(path) as f:
        lines = f.read().split("\n")
    natoms = int(lines[2].split()[0])
    n, vox = [], []
    for k in range(3):
        w = lines[3 + k].split()
        n.append(int(w[0]))
        vox.append([float(x) * BOHR for x in w[1:4]])
    data = np.array(" ".join(lines[6 + abs(natoms):]).split(), dtype=float)
    assert data.size == n[0] * n[1] * n[2]
    lat = np.array(vox) * np.array(n)[:, None]
    return np.array(n), lat, data.reshape(n) / BOHR**3


def chgdiff_rows(root):
    base = os.path.join(root, "data/qe")
    rel = "data/qe/Fe2_O2_chg_AB"
    cubes = [glob.glob(os.path.join(base, f"Fe2_O2_chg_{p}", "*_rho.cube"))[0]
             for p in ("AB", "Fe2", "O2")]
    (n, lat, ab), (_, _, a), (_, _, b) = (read_cube(c) for c in cubes)
    d = ab - a - b
    vol = abs(np.linalg.det(lat))
    npts = d.size
    rows = []

    def add(q, idx, v):
        rows.append([rel, q, idx, repr(float(v)) if not isinstance(v, int) else str(v), "numpy"])

    add("int_drho", "", d.sum() * vol / npts)
    add("transferred", "", 0.5 * np.abs(d).sum() * vol / npts)
    for axis, name in ((2, "c"), (0, "a")):
        others = [k for k in range(3) if k != axis]
        area = np.linalg.norm(np.cross(lat[others[0]], lat[others[1]]))
        h = vol / area
        lam = d.sum(axis=tuple(others)) * area / (n[others[0]] * n[others[1]])
        dq = np.cumsum(lam * h / n[axis])
        for k in sorted({0, 1, n[axis] // 4, n[axis] // 2, 3 * n[axis] // 4, n[axis] - 1}):
            add("lambda", f"{name},{k}", lam[k])
            add("dq", f"{name},{k}", dq[k])
        pk = int(np.argmax(np.abs(dq)))
        add("peak_plane", name, pk)
        add("peak_dq", name, dq[pk])
    return rows


def check_written(orig, written):
    from pymatgen.io.vasp.outputs import Chgcar
    a, b = Chgcar.from_file(orig), Chgcar.from_file(written)
    worst = 0.0
    for key in a.data:
        if key == "diff" and "diff_x" in a.data:
            continue  # derived by pymatgen
        scale = np.abs(a.data[key]).max() or 1.0
        worst = max(worst, float(np.abs(a.data[key] - b.data[key]).max() / scale))
    dpos = float(np.abs(a.structure.frac_coords - b.structure.frac_coords).max())
    dlat = float(np.abs(a.structure.lattice.matrix - b.structure.lattice.matrix).max())
    ok = worst <= 1e-10 and dpos <= 1e-8 and dlat <= 1e-8 and \
        sorted(a.data) == sorted(b.data) and a.structure.formula == b.structure.formula
    print(f"{written}: blocks {sorted(b.data)}, max relative difference {worst:.3g}, "
          f"positions {dpos:.3g}, lattice {dlat:.3g} Å: {'agree' if ok else 'DIFFER'}")
    return ok


def check_chgdiff(written, root):
    from pymatgen.io.vasp.outputs import Chgcar
    c = Chgcar.from_file(written)
    base = os.path.join(root, "data/qe")
    cubes = [glob.glob(os.path.join(base, f"Fe2_O2_chg_{p}", "*_rho.cube"))[0]
             for p in ("AB", "Fe2", "O2")]
    (n, lat, ab), (_, _, a), (_, _, b) = (read_cube(x) for x in cubes)
    d = ab - a - b
    got = c.data["total"] / c.structure.volume
    worst = float(np.abs(got - d).max() / np.abs(d).max())
    ok = got.shape == d.shape and worst <= 1e-10
    print(f"{written}: shape {got.shape}, max difference {worst:.3g} of max |Δρ|: "
          f"{'agree' if ok else 'DIFFER'}")
    return ok


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_root = os.path.join(here, "..", "..", "..", "shared")
    if len(sys.argv) > 1 and sys.argv[1] == "--check-written":
        sys.exit(0 if check_written(sys.argv[2], sys.argv[3]) else 1)
    if len(sys.argv) > 1 and sys.argv[1] == "--check-chgdiff":
        root = sys.argv[3] if len(sys.argv) > 3 else default_root
        sys.exit(0 if check_chgdiff(sys.argv[2], root) else 1)
    root = sys.argv[1] if len(sys.argv) > 1 else default_root
    import pymatgen.core
    comments, rows = [], []
    for rel in FILES:
        rows += chgcar_rows(root, rel, comments)
    rows += chgdiff_rows(root)
    versions = f"pymatgen {pymatgen.core.__version__}, numpy {np.__version__}"
    write_tsv(__file__, versions, comments, ["file", "quantity", "index", "value", "source"], rows)


if __name__ == "__main__":
    main()
