#!/usr/bin/env bash
# End-to-end tests of `dftpost icohp` on LOBSTER's ICOHPLIST/ICOOPLIST/ICOBILIST files:
# tables, options, formats, exit codes, messages.
# usage: cli_lobster_list.sh DFTPOST SHARED_DATA_DIR
# Exits 77 (skipped) when SHARED_DATA_DIR/real is absent: the checks are on real files.
# Expected numbers: the values printed in the files (PROVENANCE.md states the extremes,
# pymatgen 2022.11.7 agrees: tests/reference/pymatgen_lobster_list.tsv) and sums of them
# done by hand in the comments.
set -u
BIN=$1 SHARED=$2
R=$SHARED/real
if [ ! -d "$R" ]; then
    echo "SKIP: $R is absent; the icohp checks need ../shared"
    exit 77
fi
L=$R/pymatgen-core/lobster
. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# value of column NAME in the data row whose column KEY is VALUE
colwhere() {
    awk -F'\t' -v name="$1" -v key="$2" -v val="$3" '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
        $(c[key]) == val { print $(c[name]); exit }' "$T/out"
}
header() { awk '/^#/ { next } { print; exit }' "$T/out"; }

# --- help and usage ---------------------------------------------------------------------
run 0 --help; has out "icohp"
run 0 icohp --help
for flag in --pair --atoms --max-dist --group-by --spin --orbitals --format --output --help; do
    has out -- "$flag"
done
run 2 icohp; has err "no FILE"
run 2 icohp "$L/ICOHPLIST.lobster.BiSe" --group-by element; has err "bad --group-by"
run 2 icohp "$L/ICOHPLIST.lobster.BiSe" --spin total; has err "bad --spin"
run 2 icohp "$L/ICOHPLIST.lobster.BiSe" --max-dist -1; has err "bad --max-dist"
run 2 icohp "$L/ICOHPLIST.lobster.BiSe" --pair Bi; has err "bad --pair"
run 2 icohp "$L/ICOHPLIST.lobster.BiSe" --pair Fe-Se; has err "element Fe is not in"
run 2 icohp "$L/ICOHPLIST.lobster.BiSe" --atoms 13; has err "out of range"
run 2 icohp "$L/ICOHPLIST.lobster.BiSe" --spin up; has err "not spin-polarised"
run 1 icohp "$L/ICOHPLIST.lobster.BiSe" --orbitals; has err "no orbital-resolved lines"
run 1 icohp "$R/pymatgen-core/vasp/OUTCAR.gz"; has err "not a LOBSTER"
run 2 icohp "$L/ICOHPLIST.lobster.BiSe" --format xml; has err "unknown format"

# --- the bond table ----------------------------------------------------------------------
# BiSe (LOBSTER 2.x/3.1 layout): 11 bonds, strongest -2.38796 (no. 10, Bi5-Bi6), each an
# average over 3 bonds
run 0 icohp "$L/ICOHPLIST.lobster.BiSe"
empty err
same "$(header)" "label	atom1	atom2	length	translation	icohp" "non-spin bond columns"
same "$(rows)" 11 "BiSe rows"
has out "^# ICOHP in eV, negative = bonding"
has out "average over up to 3 bonds"
same "$(colwhere icohp label 10)" -2.38796
same "$(colwhere atom1 label 10)$(colwhere atom2 label 10)" Bi5Bi6
same "$(colwhere translation label 10)" "0 0 0"
# ICOOP: the column is named for the file; strongest (largest) 0.24714, no. 10
run 0 icohp "$L/ICOOPLIST.lobster.BiSe"
same "$(header)" "label	atom1	atom2	length	translation	icoop"
has out "positive = bonding"
same "$(awk -F'\t' '!/^#/ && NR > 1 && $1 != "label" { print $6 }' "$T/out" | sort -g | tail -1)" 0.24714
# spin-polarised, 2.x layout (Fe): icohp = up + down = -0.10218 + -0.19701
run 0 icohp "$L/ICOHPLIST.lobster"
same "$(header)" "label	atom1	atom2	length	translation	icohp	icohp_up	icohp_down"
same "$(col icohp 1)" -0.29919; same "$(col icohp_up 1)" -0.10218; same "$(col icohp_down 1)" -0.19701
run 0 icohp "$L/ICOHPLIST.lobster" --spin down
same "$(col icohp 2)" -0.58279
# LOBSTER 5.1.1 (both spins on a row; pymatgen 2022.11.7 fails: LobsterPy#336): 64
# interactions; no. 2: up -0.21482, down -0.21493, sum -0.42975
run 0 icohp "$L/ICOHPLIST_511_sp.lobster.AlN.gz"
same "$(rows)" 64 "AlN 5.1.1 interactions"
same "$(colwhere icohp_up label 2)" -0.21482; same "$(colwhere icohp_down label 2)" -0.21493
same "$(colwhere icohp label 2)" -0.42975
same "$(colwhere translation label 2)" "0 -1 0"
# the orbital-resolved lines: 16 per interaction
run 0 icohp "$L/ICOHPLIST_511_sp.lobster.AlN.gz" --orbitals
same "$(header)" "label	atom1	atom2	orbitals	length	translation	icohp	icohp_up	icohp_down"
same "$(rows)" 1024 "64 x 16 orbital lines"
same "$(awk -F'\t' '$1 == 2 && $4 == "3s-3p_y" { print $8 }' "$T/out")" -0.03216
# ICOBI, orbitalwise, two spin blocks
run 0 icohp "$L/ICOBILIST.lobster.spinpolarized.additional_case" --orbitals
same "$(header)" "label	atom1	atom2	orbitals	length	translation	icobi	icobi_up	icobi_down"
same "$(col orbitals 1)" "2s-6s"; same "$(col icobi 1)" 0.04940

# --- selections ----------------------------------------------------------------------------
# KF: six F1-K2 bonds
run 0 icohp "$L/ICOHPLIST.lobster.KF_nospin" --atoms K
same "$(rows)" 6
run 0 icohp "$L/ICOHPLIST.lobster.KF_nospin" --atoms 1 --max-dist 2.7
same "$(rows)" 0; has err "no interaction matches"
run 0 icohp "$L/ICOHPLIST.lobster.BiSe" --pair se-bi
same "$(rows)" 10 "Bi-Se bonds (no. 10 is Bi-Bi)"
run 0 icohp "$L/ICOHPLIST.lobster.BiSe" --pair Bi-Bi,Bi-Se
same "$(rows)" 11

# --- pair and atom tables --------------------------------------------------------------------
# NaCl_spin: 14 Cl-Na interactions, six at 2.84585 Å (spin-summed -0.56540 x 3, -0.56538
# x 3: mean -0.56539, which LobsterPy's Analysis(cutoff_icohp=0.1) rounds to -0.565) and
# eight weak ones at 4.92915 Å that LobsterPy leaves out (|ICOHP| < 10 % of the strongest)
N=$R/LobsterPy/NaCl_spin/ICOHPLIST.lobster.gz
run 0 icohp "$N" --pair Cl-Na --group-by pair
same "$(header)" "pair	count	sum	mean	min	max	mean_length"
same "$(col pair)" Cl-Na; same "$(col count)" 14; same "$(col sum)" -3.42054
near "$(col mean)" -0.244324285714 1e-11
same "$(col min)" -0.56540; same "$(col max)" -0.00352
run 0 icohp "$N" --pair Na-Cl --group-by pair --max-dist 3
same "$(col count)" 6; near "$(col mean)" -0.56539 1e-11; same "$(col mean_length)" 2.84585
run 0 icohp "$N" --pair Cl-Na --group-by pair --max-dist 3 --spin both
same "$(header)" "pair	spin	count	sum	mean	min	max	mean_length"
same "$(col spin 1)$(col spin 2)" updown
same "$(col sum 1)" -1.69617; same "$(col sum 2)" -1.69617
run 0 icohp "$N" --group-by atom
same "$(header)" "atom	element	count	sum	mean	min	max	mean_length"
same "$(rows)" 2
same "$(col element 1)" Na; same "$(col count 1)" 32; same "$(col sum 1)" -3.77334
run 0 icohp "$N" --group-by atom --atoms Cl
same "$(rows)" 1; same "$(col atom 1)" 2
# the Na site's six bonds: LobsterPy's condensed_bonding_analysis gives ICOHP_sum -3.39
# (NaCl_comp_range tests) for this environment (O:6); from the file -3.39234
run 0 icohp "$N" --group-by atom --atoms Na --max-dist 3
same "$(col count 1)" 6; same "$(col sum 1)" -3.39234
# the orbital-resolved lines of one interaction add up to it, within the rounding of the
# printed digits: Cl 3s + 3 x 3p with Na 3s, per bond -0.32500 - 3 x 0.08020 (orbitals
# summed over the six bonds)
run 0 icohp "$N" --group-by pair --max-dist 3 --orbitals
same "$(colwhere sum orbitals 3s-3s)" -1.94988
same "$(colwhere count orbitals 3p_x-3s)" 6
run 0 icohp "$N" --group-by atom --max-dist 3 --orbitals --atoms Na
same "$(colwhere sum orbital 3s)" -3.39348

# --- formats and -o ------------------------------------------------------------------------------
run 0 icohp "$L/ICOHPLIST.lobster" -f csv
same "$(head -1 "$T/out")" "label,atom1,atom2,length,translation,icohp,icohp_up,icohp_down"
same "$(sed -n 2p "$T/out")" "1,Fe8,Fe7,2.83189,0 0 0,-0.29919,-0.10218,-0.19701"
run 0 icohp "$L/ICOHPLIST.lobster" -f json
has out '"label": "1", "atom1": "Fe8", "atom2": "Fe7", "length": 2.83189, "translation": "0 0 0", "icohp": -0.29919'
if command -v python3 >/dev/null; then # a JSON parser to check with, where there is one
    if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" 2>/dev/null; then ok
    else bad "icohp -f json is not JSON"; fi
fi
run 0 icohp "$L/ICOHPLIST.lobster" -o "$T/table.tsv"
empty out
if grep -q "^1	Fe8	Fe7" "$T/table.tsv"; then ok; else bad "-o file lacks the first row"; fi

# --- bad input: one line naming the file and the line ----------------------------------------------
printf '  COHP#  atomMU  atomNU  something  else\n      1     Fe1     Fe2   2.5   -0.1\n' >"$T/unknown.lobster"
run 1 icohp "$T/unknown.lobster"
has err "unknown.lobster: line 1: unknown LOBSTER list header"; has err "expected"
same "$(wc -l <"$T/err")" 1 "one error line"
zcat "$R/LobsterPy/NaCl_spin/ICOHPLIST.lobster.gz" | head -1000 >"$T/cut.lobster"
run 1 icohp "$T/cut.lobster"; has err "cut.lobster: line 1001: the file ends after 148 of the 850 rows of spin 2"
# garbage after a good header: the compressed bytes of a gzip file
{ printf '  COBI#  atomMU  atomNU  distance  translation  ICOBI (at) eF   for spin  1\n'
  tail -c +11 "$R/LobsterPy/NaCl_spin/COHPCAR.lobster.gz" | head -c 3000; } >"$T/garbage.lobster"
run 1 icohp "$T/garbage.lobster"; has err "garbage.lobster: line "
empty out

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
