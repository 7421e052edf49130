#!/usr/bin/python3
"""Reference values for dftpost's LOBSTER list reader (ICOHPLIST/ICOOPLIST/ICOBILIST),
from pymatgen's Icohplist and from the text of the files.

Usage (from the repository root, with Debian's python3-pymatgen 2022.11.7; plain
"python3" may be another interpreter without it):

    /usr/bin/python3 scripts/reference/pymatgen_lobster_list.py [DATA_ROOT] > tests/reference/pymatgen_lobster_list.tsv

DATA_ROOT defaults to ../shared/data/real relative to the repository root. Every
file whose name starts with ICOHPLIST, ICOOPLIST or ICOBILIST under it is read.

Output: "# " comment lines, a header line, then one row per value (long format):
  file      path relative to shared/ (e.g. data/real/pymatgen-core/lobster/ICOHPLIST.lobster)
  quantity  see below
  index     "" for a value of the file; LOBSTER's interaction number (label) otherwise
  value     repr() of a float (full precision), an int, or a word
  source    pymatgen | file-text

pymatgen rows: Icohplist(filename=f, are_coops=..., are_cobis=...) with the kind
taken from the first word of the file (COHP#, COOP#, COBI#). On an exception a "# "
line says so and no pymatgen rows are written for that file.
  is_spin_polarized  Icohplist.is_spin_polarized (1/0)
  orbitalwise        Icohplist.orbitalwise (1/0): pymatgen 2022.11.7 skips the
                     orbital-resolved lines ("currently not read")
  count              len(icohpcollection): whole interactions
  atom1, atom2       IcohpValue.atom1/atom2 (names as written, e.g. "Fe8")
  length             IcohpValue.length (Å)
  translation        IcohpValue.translation, "a b c"
  num_bonds          IcohpValue.num_bonds ("avg. over # bonds" of LOBSTER 2.x/3.1, else 1)
  icohp_up, icohp_down  IcohpValue.icohp[Spin.up], [Spin.down] (down only if spin-polarised)
  summed             IcohpValue.summed_icohp (up + down, or up)
  extremum           icohpcollection.extremum_icohpvalue() (strongest bond: lowest ICOHP,
                     highest ICOOP). Not written for ICOBI lists: pymatgen 2022.11.7's
                     Icohplist does not pass are_cobis to IcohpCollection, so its
                     "extremum" of an ICOBI list is the lowest value, as for ICOHP.
file-text rows (plain string splitting of the file, independent of dftpost's C code
and of pymatgen):
  nspin              1, or 2 (a "for spin 2" block, or two values per row in 5.1)
  n_interactions     rows of spin 1 whose atom names carry no orbital
  n_orbital_lines    rows of spin 1 whose atom names carry an orbital ("Al1_3s")
  n_orbital_lines (index LABEL), orbital_sum_up, orbital_sum_down (index LABEL)
                     for files with orbital-resolved lines: how many follow each
                     interaction, and the sum of their values per spin
  and, for files pymatgen cannot read, what the file says instead: atom1, atom2,
  length, translation, icohp_up, icohp_down, summed (up + down) per interaction.
"""
import gzip
import os
import sys
import traceback
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refcommon import write_tsv, note, find_files, fmt  # noqa: E402

import pymatgen.core
from pymatgen.electronic_structure.core import Spin
from pymatgen.io.lobster import Icohplist

COLUMNS = ["file", "quantity", "index", "value", "source"]


def find_lists(root):
    return find_files(root, lambda fn: fn.startswith(("ICOHPLIST", "ICOOPLIST", "ICOBILIST")))


def read_text(path):
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    opener = gzip.open if gz else open
    with opener(path, "rt") as f:
        return f.read().splitlines()


def parse_text(lines):
    """The rows of the file by plain splitting: a list of spin blocks, each a list of
    (label, names, length, translation, values, nbonds). 5.1 rows with two values
    become one block with two values per row."""
    blocks = []
    avg = "avg. over" in lines[0]
    for line in lines:
        w = line.split()
        if not w:
            continue
        if w[0].endswith("#"):
            blocks.append([])
            continue
        if w[0] == "for":  # the second header line of LOBSTER 5.1
            continue
        label, a1, a2, length = w[0], w[1], w[2], float(w[3])
        if avg:
            trans, vals, nb = "0 0 0", [float(w[4])], int(w[5])
        else:
            trans, vals, nb = " ".join(w[4:7]), [float(x) for x in w[7:]], 1
        blocks[-1].append((label, (a1, a2), length, trans, vals, nb))
    return blocks


def text_rows(rel, lines, add, full):
    blocks = parse_text(lines)
    side = len(blocks[0][0][4])
    nspin = 2 if len(blocks) == 2 or side == 2 else 1
    add("nspin", "", nspin, "file-text")
    rows1 = blocks[0]
    whole = [r for r in rows1 if "_" not in r[1][0]]
    orb = [r for r in rows1 if "_" in r[1][0]]
    add("n_interactions", "", len(whole), "file-text")
    add("n_orbital_lines", "", len(orb), "file-text")
    if orb:
        # per interaction: the orbital lines after it, their sum per spin
        down = blocks[1] if len(blocks) == 2 else None
        per = {}
        for i, r in enumerate(rows1):
            if "_" not in r[1][0]:
                continue
            d = per.setdefault(r[0], [0, 0.0, 0.0])
            d[0] += 1
            d[1] += r[4][0]
            if side == 2:
                d[2] += r[4][1]
            elif down is not None:
                d[2] += down[i][4][0]
        for label, (n, su, sd) in per.items():
            add("n_orbital_lines", label, n, "file-text")
            add("orbital_sum_up", label, su, "file-text")
            if nspin == 2:
                add("orbital_sum_down", label, sd, "file-text")
    if full:
        down = blocks[1] if len(blocks) == 2 else None
        for i, r in enumerate(rows1):
            if "_" in r[1][0]:
                continue
            label = r[0]
            add("atom1", label, r[1][0], "file-text")
            add("atom2", label, r[1][1], "file-text")
            add("length", label, r[2], "file-text")
            add("translation", label, r[3], "file-text")
            up = r[4][0]
            add("icohp_up", label, up, "file-text")
            if nspin == 2:
                dn = r[4][1] if side == 2 else down[i][4][0]
                add("icohp_down", label, dn, "file-text")
                add("summed", label, up + dn, "file-text")
            else:
                add("summed", label, up, "file-text")


def pymatgen_rows(path, rel, kind, add, comments):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            il = Icohplist(filename=path, are_coops=kind == "COOP", are_cobis=kind == "COBI")
        except Exception as e:
            tb = traceback.extract_tb(e.__traceback__)[-1]
            msg = (f"{rel}: pymatgen cannot read it: Icohplist() raised {type(e).__name__}: {e} "
                   f"(at {os.path.basename(tb.filename)}:{tb.lineno} {tb.line}); the file-text "
                   f"rows give what the file says instead")
            note("FAIL " + msg)
            comments.append("# " + msg)
            return False
    add("is_spin_polarized", "", bool(il.is_spin_polarized), "pymatgen")
    add("orbitalwise", "", bool(il.orbitalwise), "pymatgen")
    coll = il.icohpcollection
    add("count", "", len(il.icohplist), "pymatgen")
    for label, v in coll._icohplist.items():
        add("atom1", label, v._atom1, "pymatgen")
        add("atom2", label, v._atom2, "pymatgen")
        add("length", label, v._length, "pymatgen")
        add("translation", label, " ".join(str(int(x)) for x in v._translation), "pymatgen")
        add("num_bonds", label, v._num, "pymatgen")
        add("icohp_up", label, v._icohp[Spin.up], "pymatgen")
        if il.is_spin_polarized:
            add("icohp_down", label, v._icohp[Spin.down], "pymatgen")
        add("summed", label, v.summed_icohp, "pymatgen")
    if kind != "COBI":
        add("extremum", "", coll.extremum_icohpvalue(), "pymatgen")
    else:
        comments.append(f"# {rel}: no extremum row: pymatgen 2022.11.7's Icohplist does not pass "
                        f"are_cobis on, so extremum_icohpvalue() of an ICOBI list is its lowest "
                        f"value (the ICOHP rule)")
    return True


def main():
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo_root, "..", "shared", "data", "real")
    root = os.path.normpath(os.path.abspath(root))
    shared = os.path.dirname(os.path.dirname(root))  # .../shared when root is .../shared/data/real

    files = sorted(find_lists(root), key=lambda p: os.path.relpath(p, shared))
    rows, comments = [], []
    for path in files:
        rel = os.path.relpath(path, shared)

        def add(q, idx, v, src, rel=rel):
            rows.append([rel, q, idx, fmt(v), src])

        lines = read_text(path)
        kind = lines[0].split()[0].rstrip("#")
        ok = pymatgen_rows(path, rel, kind, add, comments)
        text_rows(rel, lines, add, full=not ok)
        note(f"OK {rel}")

    write_tsv(__file__, f"pymatgen {pymatgen.core.__version__}, numpy {np.__version__}",
              comments, COLUMNS, rows)


if __name__ == "__main__":
    main()
