#!/usr/bin/python3
"""Reference geometry from ASE (Debian python3-ase) for dftpost's tests.

Writes two TSV files into tests/reference/ (run from the repository root):
  ase_distances.tsv  every pair closer than 3.0 Å, minimum image, for a set of real
                     structure files: atoms.get_distance(i, j, mic=True)
  ase_adsorbates.tsv for every *OOH and *O2-like CONTCAR of SAC_HOER_data: each O–O
                     pair closer than 1.7 Å, its length (get_distance, mic=True), and
                     the metals bonded to each O by ASE's NeighborList with
                     natural_cutoffs(mult=1.2) (bonded when d < 1.2 (r_i + r_j),
                     Cordero radii) — the rule dftpost geom --adsorbate uses.
usage: /usr/bin/python3 scripts/reference/ase_geometry.py [SHARED_DIR]
"""
import glob
import os
import sys
import datetime

import ase
import ase.io
from ase.neighborlist import NeighborList, natural_cutoffs

SHARED = sys.argv[1] if len(sys.argv) > 1 else "../shared"
R = os.path.join(SHARED, "data/real")
NONMETALS = set("H He B C N O F Ne Si P S Cl Ar Ge As Se Br Kr Sb Te I Xe At Rn".split())

FILES = [
    ("data/real/pymatgen-core/vasp/vasprun.xml.gz", "vasp-xml"),
    ("data/real/pyiron_atomistics/vasp/vasprun_2.xml", "vasp-xml"),
    ("data/real/pyiron_atomistics/bader_test_H2O/POSCAR", "vasp"),
    ("data/real/vaspy/FePc.vasp", "vasp"),
    ("data/real/SAC_HOER_data/RawData/0N0_Ag_OOH/CONTCAR", "vasp"),
    ("data/real/SAC_HOER_data/RawData/4N4_Fe_O/CONTCAR", "vasp"),
    ("data/real/SAC_HOER_data/RawData/2N2_Co_OH/CONTCAR", "vasp"),
    ("data/real/SAC_HOER_data/RawData/3N3_Pt_H/CONTCAR", "vasp"),
]


def header(out, what):
    out.write("# %s from ASE %s, %s\n" % (what, ase.__version__, datetime.date.today()))
    out.write("# command (cwd: the repository): /usr/bin/python3 scripts/reference/ase_geometry.py\n")


def distances():
    with open("tests/reference/ase_distances.tsv", "w") as out:
        header(out, "minimum-image distances < 3.0 A, atoms.get_distance(i, j, mic=True)")
        out.write("file\ti\tj\tdistance\n")
        for rel, fmt in FILES:
            path = os.path.join(SHARED, rel)
            if not os.path.exists(path):
                print("missing", path, file=sys.stderr)
                continue
            atoms = ase.io.read(path, format=fmt, index=-1)
            n = len(atoms)
            for i in range(n):
                d = atoms.get_distances(i, list(range(i + 1, n)), mic=True) if i + 1 < n else []
                for k, dist in enumerate(d):
                    if dist < 3.0:
                        out.write("%s\t%d\t%d\t%.9f\n" % (rel, i + 1, i + 2 + k, dist))


def adsorbates():
    with open("tests/reference/ase_adsorbates.tsv", "w") as out:
        header(out, "O-O pairs < 1.7 A and the metals NeighborList(natural_cutoffs(mult=1.2)) bonds to them")
        out.write("file\ti\tj\tlength\tmetals_i\tmetals_j\n")
        for path in sorted(glob.glob(os.path.join(R, "SAC_HOER_data/RawData/*_OOH/CONTCAR"))):
            rel = os.path.relpath(path, SHARED)
            atoms = ase.io.read(path, format="vasp")
            nl = NeighborList(natural_cutoffs(atoms, mult=1.2), self_interaction=False, bothways=True,
                              skin=0.0)
            nl.update(atoms)
            oxy = [a.index for a in atoms if a.symbol == "O"]
            for x, i in enumerate(oxy):
                for j in oxy[x + 1:]:
                    d = atoms.get_distance(i, j, mic=True)
                    if d >= 1.7:
                        continue
                    def metals(k):
                        idx, _ = nl.get_neighbors(k)
                        return " ".join("%s%d" % (atoms[m].symbol, m + 1) for m in sorted(set(idx))
                                        if atoms[m].symbol not in NONMETALS)
                    out.write("%s\t%d\t%d\t%.9f\t%s\t%s\n" % (rel, i + 1, j + 1, d, metals(i), metals(j)))


distances()
adsorbates()
