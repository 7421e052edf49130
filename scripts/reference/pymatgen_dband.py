#!/usr/bin/python3
"""Reference band statistics (d-band centre etc.) from pymatgen, for dftpost's tests.

Usage (from the repository root, with Debian's python3-pymatgen 2022.11.7):

    /usr/bin/python3 scripts/reference/pymatgen_dband.py [DATA_ROOT] > tests/reference/pymatgen_dband.tsv

DATA_ROOT defaults to ../shared/data/real relative to the repository root. Every
vasprun*.xml and vasprun*.xml.gz under it is read (the SAC_HOER_data tree is
skipped), with

    vr = Vasprun(f, parse_potcar_file=False, parse_projected_eigen=False)
    cdos = vr.complete_dos

Files pymatgen cannot parse (the truncated pymatgen-core/vasp/vasprun.bad.xml.gz
and pyiron_atomistics/full_job_aborted/vasprun.xml raise xml ParseError) and files
without a partial DOS are skipped with a note on stderr.

Output: TSV on stdout. "# " comment lines first, then a header line, then one row
per (file, selection, orbital, spin, erange). Columns:
  file       path relative to shared/ (e.g. data/real/pymatgen-core/vasp/vasprun.xml.gz)
  kind       element | site
  selection  element symbols, comma separated; or 1-based site indices, comma separated
  orbital    s | p | d | f
  spin       total (spin=None: up+down) | up (Spin.up) | down (Spin.down, ISPIN=2 only)
  erange     all (erange=None) | -inf:0 (erange=[-1e9, 0]) | -8:2 (erange=[-8, 2]),
             in eV relative to E_fermi, both ends inclusive
  center width skewness kurtosis   get_band_center/_width/_skewness/_kurtosis
  filling    get_band_filling; only for erange "all" (pymatgen's get_band_filling
             has no erange argument), "" otherwise
  upper_edge get_upper_band_edge
  efermi     cdos.efermi (E-fermi written in vasprun's <dos>)
Floats are printed with repr() (shortest round-trip form), NaN as "nan".

Selections per file:
  * element: every transition metal present (pymatgen Element.is_transition_metal:
    groups 3-12 incl. La and Ac, NOT the other lanthanides) with orbital d; files
    without a transition metal: every element with orbital p.
  * site: pymatgen sites 0 and 1 (written 1 and 2), plus the first
    transition-metal site not already chosen (if any).
  * site group "a,b": the first two transition-metal sites if there are two,
    otherwise 0-based sites 1 and 2 (written "2,3"); with only 2 atoms, sites
    "1,2"; none for a 1-atom cell.
  * orbital: d (files with a transition metal) or p (files without); the first
    selection of each file additionally gets s and p; selections made only of
    lanthanide/actinide atoms (Ce in vasprun.hse06, Eu in vasprun.nonlm) also get f.

Verified pymatgen 2022.11.7 behaviour (read in
/usr/lib/python3/dist-packages/pymatgen/io/vasp/outputs.py and
.../electronic_structure/dos.py, and checked numerically against the raw XML):
  * Vasprun._parse_dos, for both <total> and every ion's <partial> block, does
        spin = Spin.up if comment == "spin 1" else Spin.down
    and stores densities[spin] = column, so every later "spin N" set overwrites
    the previous Spin.down entry. For the noncollinear file
    vasprun.lvel.Si2H.xml.gz (LNONCOLLINEAR=LSORBIT=T, ISPIN=1, four sets
    "spin 1".."spin 4" = total, m_x, m_y, m_z in both <total> and <partial>):
    Spin.up == "spin 1" (the true total) and Spin.down == "spin 4" (m_z). Checked
    array-for-array for every orbital of all 4 ions: pdos[Spin.down] equals the
    "spin 4" columns and differs from "spin 2". Consequently spin=None gives
    total + m_z, which is meaningless. In that file the total-DOS m_x/m_y/m_z sets
    are all zero, but the partial m sets are not (s/p up to ~1e-3), and the Si d
    projections are exactly zero in all four components (so d rows would be nan).
    For this file we therefore write ONLY spin=Spin.up rows, and label them
    spin "total", because Spin.up is the true (charge) total DOS. The script
    re-checks this mapping against the raw XML at run time (note on stderr and
    a "# ncl-check" comment line).
    (Unlike _parse_dos, _parse_projected_eigen does handle 4 components; it is
    not used here.)
  * lm-decomposed pDOS (field names contain "x": s py pz px dxy dyz dz2 dxz x2-y2
    [+ 7 f]) are stored per Orbital; non-lm pDOS (s p d f, vasprun.nonlm) per
    OrbitalType. get_site_spd_dos / get_element_spd_dos sum the lm orbitals of
    one l into s/p/d/f; a site group or element list is the plain sum of the
    member sites' s/p/d/f DOS.
  * get_n_moment: energies E - E_fermi; with erange, keeps points with
    erange[0] <= E <= erange[1]; moment = trapz(p**n * rho, E) / trapz(rho, E)
    (numpy.trapz, i.e. trapezoids on the actual grid); center is the first raw
    moment, width = sqrt(2nd central moment), skewness = m3/m2**1.5,
    kurtosis = m4/m2**2 (not excess kurtosis).
  * get_band_filling ignores erange: trapz(rho[E<0], E[E<0]) / trapz(rho, E)
    (strict E < 0, denominator over the whole grid).
  * get_upper_band_edge: imag(scipy.signal.hilbert(rho_spin)) of the selected
    s/p/d/f DOS over the WHOLE grid, per spin (Spin.down only if the total DOS
    has Spin.down), summed over spins for spin=None; then the erange restriction;
    result = (E - E_fermi) at numpy.argmax (first maximum).
"""
import gzip
import os
import sys
import warnings
import xml.etree.ElementTree as ET

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refcommon import write_tsv, note, find_files  # noqa: E402

import pymatgen.core
from pymatgen.core.periodic_table import Element
from pymatgen.electronic_structure.core import Orbital, OrbitalType, Spin
from pymatgen.io.vasp.outputs import Vasprun

ERANGES = [("all", None), ("-inf:0", [-1e9, 0]), ("-8:2", [-8, 2])]
COLUMNS = ["file", "kind", "selection", "orbital", "spin", "erange", "center", "width",
           "skewness", "kurtosis", "filling", "upper_edge", "efermi"]


def fmt(x):
    if x is None or x == "":
        return ""
    x = float(x)
    if np.isnan(x):
        return "nan"
    return repr(x)


def find_vaspruns(root):
    return find_files(root, lambda fn: fn.startswith("vasprun") and fn.endswith((".xml", ".xml.gz")))


def is_ncl(vr):
    return bool(vr.parameters.get("LNONCOLLINEAR") or vr.parameters.get("LSORBIT"))


def check_ncl_mapping(path, vr):
    """Compare pymatgen's first-ion pDOS with the raw "spin N" sets of the XML."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fh:
        for _, el in ET.iterparse(fh):
            if el.tag == "dos":
                break
        else:
            return "no <dos> found"
    ion1 = el.find("partial").find("array").find("set").findall("set")[0]
    raw = {}
    for s in ion1.findall("set"):
        raw[s.attrib["comment"]] = np.array([[float(v) for v in r.text.split()] for r in s.findall("r")])
    pd = vr.pdos[0]
    res = []
    for spin, name in ((Spin.up, "spin 1"), (Spin.down, "spin 2"), (Spin.down, "spin 4")):
        eq = all(np.array_equal(pd[o][spin], raw[name][:, o.value + 1]) for o in pd)
        res.append(f"pymatgen {spin.name} == '{name}': {eq}")
    return f"raw sets {sorted(raw)}; " + "; ".join(res)


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
        with warnings.catch_warnings(record=True) as wlist:
            warnings.simplefilter("always")
            try:
                vr = Vasprun(path, parse_potcar_file=False, parse_projected_eigen=False)
            except Exception as e:  # truncated XML etc.
                note(f"SKIP {rel}: pymatgen cannot parse it ({type(e).__name__}: {e})")
                continue
        for w in wlist:
            note(f"WARN {rel}: {w.category.__name__}: {str(w.message).splitlines()[0]}")
        if not vr.pdos:
            note(f"SKIP {rel}: no partial DOS")
            continue
        cdos = vr.complete_dos
        struct = cdos.structure
        ncl = is_ncl(vr)
        ispin2 = vr.parameters.get("ISPIN", 1) == 2
        if ncl:
            msg = check_ncl_mapping(path, vr)
            note(f"NCL {rel}: {msg}")
            comments.append(f"# ncl-check {rel}: {msg}")
            comments.append(f"# {rel} is noncollinear: only spin=Spin.up rows (= 'spin 1', the true total DOS) "
                            f"are written, labelled 'total'; pymatgen's Spin.down there is m_z.")
            spins = [("total", Spin.up)]
        elif ispin2:
            spins = [("total", None), ("up", Spin.up), ("down", Spin.down)]
        else:
            spins = [("total", None), ("up", Spin.up)]

        # orbitals available in this file's pDOS
        avail = set()
        for o in vr.pdos[0]:
            avail.add(o.orbital_type if isinstance(o, Orbital) else o)

        elems = []
        for site in struct:
            if site.specie not in elems:
                elems.append(site.specie)
        tm_elems = [e for e in elems if Element(e.symbol).is_transition_metal]
        tm_sites = [i for i, s in enumerate(struct) if s.specie.is_transition_metal]
        main_orb = OrbitalType.d if tm_elems else OrbitalType.p

        def is_fblock(sym_list):
            return all(Element(s).is_lanthanoid or Element(s).is_actinoid for s in sym_list)

        selections = []  # (kind, label, kwargs, symbols)
        for e in (tm_elems if tm_elems else elems):
            selections.append(("element", e.symbol, {"elements": [e]}, [e.symbol]))
        site_idx = [i for i in (0, 1) if i < len(struct)]
        extra = [i for i in tm_sites if i not in site_idx]
        if extra:
            site_idx.append(extra[0])
        for i in site_idx:
            selections.append(("site", str(i + 1), {"sites": [struct[i]]}, [struct[i].specie.symbol]))
        if len(tm_sites) >= 2:
            grp = tm_sites[:2]
        elif len(struct) >= 3:
            grp = [1, 2]
        elif len(struct) == 2:
            grp = [0, 1]
        else:
            grp = []
        if grp:
            selections.append(("site", ",".join(str(i + 1) for i in grp),
                               {"sites": [struct[i] for i in grp]}, [struct[i].specie.symbol for i in grp]))

        nrow0 = len(rows)
        for k, (kind, label, kw, syms) in enumerate(selections):
            orbs = [main_orb]
            if k == 0:
                orbs += [o for o in (OrbitalType.s, OrbitalType.p) if o not in orbs]
            if is_fblock(syms):
                orbs.append(OrbitalType.f)
            for orb in orbs:
                if orb not in avail:
                    note(f"SKIP {rel} {kind} {label} {orb.name}: orbital not in pDOS")
                    continue
                for spin_label, spin in spins:
                    for er_label, er in ERANGES:
                        with warnings.catch_warnings(record=True) as wl:
                            warnings.simplefilter("always")
                            center = cdos.get_band_center(band=orb, spin=spin, erange=er, **kw)
                            width = cdos.get_band_width(band=orb, spin=spin, erange=er, **kw)
                            skew = cdos.get_band_skewness(band=orb, spin=spin, erange=er, **kw)
                            kurt = cdos.get_band_kurtosis(band=orb, spin=spin, erange=er, **kw)
                            filling = cdos.get_band_filling(band=orb, spin=spin, **kw) if er is None else ""
                            upper = cdos.get_upper_band_edge(band=orb, spin=spin, erange=er, **kw)
                        for w in {str(w.message) for w in wl}:
                            note(f"WARN {rel} {kind} {label} {orb.name} {spin_label} {er_label}: {w}")
                        rows.append([rel, kind, label, orb.name, spin_label, er_label,
                                     fmt(center), fmt(width), fmt(skew), fmt(kurt), fmt(filling),
                                     fmt(upper), fmt(cdos.efermi)])
        note(f"OK {rel}: {len(rows) - nrow0} rows")

    write_tsv(__file__, f"pymatgen {pymatgen.core.__version__} (numpy {np.__version__})",
              comments, COLUMNS, rows)


if __name__ == "__main__":
    main()
