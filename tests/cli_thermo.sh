#!/usr/bin/env bash
# End-to-end tests of `dftpost thermo`: tables, formats, options, exit codes, messages.
# usage: cli_thermo.sh DFTPOST TESTDATA_DIR SHARED_DIR REFERENCE_DIR
# The checks on the bundled wavenumber lists always run; those on real files (an OUTCAR,
# QE dynmat.x and pw.x outputs) need SHARED_DIR/data: without it the script exits 77
# (skipped) once the other checks have passed.
# Expected numbers: tests/reference/ase_thermo.tsv (ASE 3.22.1, scripts/reference/ase_thermo.py),
# agreement 1e-4 eV; and hand values stated beside the checks.
set -u
BIN=$1 TD=$2 SHARED=$3 REF=$4
D=$SHARED/data
. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

col() {
    awk -F'\t' -v name="$1" '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
        { print $(c[name]); exit }' "$T/out"
}
# reference value: column NAME of case CASE at temperature TK
ref() {
    awk -F'\t' -v name="$1" -v cs="$2" -v tk="$3" '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
        $1 == cs && $3 + 0 == tk + 0 { print $(c[name]); exit }' "$REF/ase_thermo.tsv"
}
# every column of the output against the ASE row (s compared as T·S to 1e-4 eV)
against_ase() {
    local cs=$1 tk=$2 c
    for c in zpe cp_int ts g_corr; do near "$(col $c)" "$(ref $c "$cs" "$tk")" 1e-4; done
    near "$(col s)" "$(ref s "$cs" "$tk")" 2e-7
    if [ "${3:-}" = gas ]; then near "$(col h_corr)" "$(ref h_corr "$cs" "$tk")" 1e-4; fi
}

L=$TD/thermo
# --- help and usage (exit 2) --------------------------------------------------------------
run 0 thermo --help
for flag in --harmonic --ideal-gas --symmetry --spin --pressure --T --cutoff --imaginary \
    --structure --geometry --masses --format --output; do has out "$flag"; done
run 2 thermo
run 2 thermo "$L/ooh_modes.txt" "$L/o2_modes.txt"
run 2 thermo "$L/ooh_modes.txt" --bogus
run 2 thermo "$L/ooh_modes.txt" --T -5; has err "--T -5"
run 2 thermo "$L/ooh_modes.txt" --T abc
run 2 thermo "$L/ooh_modes.txt" --cutoff 0
run 2 thermo "$L/ooh_modes.txt" --harmonic --ideal-gas --symmetry 2 --spin 0
run 2 thermo "$L/ooh_modes.txt" --symmetry 2; has err "belong to --ideal-gas"
run 2 thermo "$L/o2_modes.txt" --ideal-gas --symmetry 2; has err "needs --symmetry N and --spin S"
run 2 thermo "$L/o2_modes.txt" --ideal-gas --symmetry 1.5 --spin 0
run 2 thermo "$L/o2_modes.txt" --ideal-gas --symmetry 2 --spin 0.3
run 2 thermo "$L/o2_modes.txt" --ideal-gas --symmetry 2 --spin 0 --pressure -1
run 2 thermo "$L/ooh_modes.txt" --imaginary raise; has err "needs --cutoff"
run 2 thermo "$L/ooh_modes.txt" --imaginary maybe
run 2 thermo "$L/ooh_modes.txt" -f xml
empty out

# --- harmonic on a list: the ASE numbers, formats ----------------------------------------
run 0 thermo "$L/ooh_modes.txt"
against_ase ooh_list 298.15
has out "^# model: harmonic (ASE HarmonicThermo); T = 298.15 K"
has out "^# modes from .*(list): 9"
has out "^# modes dropped (cm-1): none"
same "$(awk '/^#/ { next } { print; exit }' "$T/out")" "$(printf 'file\tT\tzpe\tcp_int\ts\tts\tg_corr')"
# no mode below 50 cm-1: no warning
empty err
run 0 thermo "$L/ooh_modes.txt" --T 500
against_ase ooh_list 500
run 0 thermo "$L/ooh_modes.txt" -T 500 -f csv
same "$(head -1 "$T/out")" "file,T,zpe,cp_int,s,ts,g_corr"
hasnt out "^#"
run 0 thermo "$L/ooh_modes.txt" -f json
has out '"zpe": 0.47392959'
run 0 thermo "$L/ooh_modes.txt" -o "$T/file.tsv"
empty out
if grep -q "^# model: harmonic" "$T/file.tsv"; then ok; else bad "-o wrote no table"; fi
run 1 thermo "$L/ooh_modes.txt" -o "$T/no/such/dir/x.tsv"

# --- imaginary and soft modes (with_imaginary.txt: 1000, 500, 120i, 20 cm-1) -------------
# Default: the imaginary mode dropped with a warning; zpe = ½ (1000 + 500 + 20) cm-1
# = 760 · 1.239841974e-4 eV = 0.09422799 eV (by hand).
run 0 thermo "$L/with_imaginary.txt"
near "$(col zpe)" 0.09422799 1e-8
has err "1 imaginary mode(s) dropped: 120.00i"
has err "below 50 cm-1 kept"
has out "^# modes dropped (cm-1): 120.00i"
# --cutoff 100: the 120i and the 20 cm-1 raised to 100: zpe = ½ (1000 + 500 + 100 + 100) cm-1
# = 850 · 1.239841974e-4 = 0.10538657 eV
run 0 thermo "$L/with_imaginary.txt" --cutoff 100
near "$(col zpe)" 0.10538657 1e-8
has out "120.00i->100 20.00->100"
has out "^# cutoff 100 cm-1: 2 mode(s) raised to it"
has err "raised to the cutoff"
# --cutoff 100 --imaginary drop: 1000 + 500 + 100 → zpe = 800 · 1.239841974e-4 / 2 eV
run 0 thermo "$L/with_imaginary.txt" --cutoff 100 --imaginary drop
near "$(col zpe)" 0.09918736 1e-8
hasnt err "below 50 cm-1"

# --- ideal gas from a list needs a geometry -------------------------------------------
run 1 thermo "$L/o2_modes.txt" --ideal-gas --symmetry 2 --spin 1
has err "needs the molecule's geometry"

# --- bad input (exit 1) -------------------------------------------------------------------
printf '# nothing here\n' >"$T/empty.txt"
run 1 thermo "$T/empty.txt"; has err "no wavenumbers"
printf '1000 -\n' >"$T/dash.txt"
run 1 thermo "$T/dash.txt"
run 1 thermo "$T/does-not-exist"
printf '1000 0\n' >"$T/zeros.txt"
run 0 thermo "$T/zeros.txt"; has err "1 zero mode(s) dropped"
printf '0 0\n' >"$T/allzero.txt"
run 1 thermo "$T/allzero.txt"; has err "no real vibrational modes"
# a file dftpost reads, without modes
run 1 thermo "$TD/vasp/FeCo-N6/vasprun.xml.gz"; has err "no vibrational modes"

if [ ! -d "$D/real" ] || [ ! -d "$D/qe" ]; then
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ] || exit 1
    echo "SKIP (partly): $D is absent; the checks on real files need ../shared"
    exit 77
fi

# --- real files ------------------------------------------------------------------------
O=$D/real/rsgrad/vasp/OUTCAR_vibrations
run 0 thermo "$O"
against_ase nh3_outcar 298.15
has err "3 imaginary mode(s) dropped: 0.75i 1.87i 702.44i cm-1"
has out "^# modes from .*(vasp): 12"
run 0 thermo "$O" --harmonic --T 500
against_ase nh3_outcar 500
run 0 thermo "$O" --cutoff 50
has out "0.66->50"
# a pw.x output has no modes: exit 1
run 1 thermo "$D/qe/H2O/pw.out"; has err "no vibrational modes"

DY=$D/qe/H2O_ph/dynmat.out
# harmonic on dynmat.x output: the six zero modes dropped, the ZPE of the README (0.563 eV)
run 0 thermo "$DY"
near "$(col zpe)" 0.563 0.0005
has err "6 zero mode(s) dropped"
# ideal gas: geometry from pw.out beside dynmat.out (H2O_ph) or --structure (H2O, the
# geometry ASE's reference used)
run 0 thermo "$DY" --ideal-gas --symmetry 2 --spin 0 --structure "$D/qe/H2O/pw.out"
against_ase h2o_qe 298.15 gas
has out "^# model: ideal gas (ASE IdealGasThermo); T = 298.15 K, P = 101325 Pa; symmetry number 2, spin 0; nonlinear"
has out "mass 18.015000 amu"
has out "^# modes used (cm-1; i = imaginary, ->CM raised to the cutoff): 3827.43 3699.75 1556.96"
has out "^# modes dropped (cm-1) (the 6 smallest are translations and rotations)"
same "$(awk '/^#/ { next } { print; exit }' "$T/out")" "$(printf 'file\tT\tzpe\tcp_int\ts\tts\tg_corr\th_corr')"
run 0 thermo "$DY" --ideal-gas --symmetry 2 --spin 0 --T 500
against_ase h2o_qe 500 gas
has out "H2O_ph/pw.out"
# pressure: S(P) = S(P0) − kB ln(P/P0): 10× the pressure lowers S by kB ln 10
run 0 thermo "$DY" --ideal-gas --symmetry 2 --spin 0 --pressure 1013250
near "$(col s)" "$(awk -v s="$(ref s h2o_qe 298.15)" 'BEGIN { printf "%.12g", s - 8.617330337e-5 * log(10) }')" 2e-7
# masses of the file (QE's species masses) differ from IUPAC's only a little
run 0 thermo "$DY" --ideal-gas --symmetry 2 --spin 0 --masses file
near "$(col g_corr)" "$(ref g_corr h2o_qe 298.15)" 2e-3
# too few modes for the molecule: one mode for H2O
run 1 thermo "$L/o2_modes.txt" --ideal-gas --symmetry 2 --spin 0 --structure "$D/qe/H2O/pw.out"
has err "1 modes, but a nonlinear molecule of 3 atoms has 3 vibrations"

# O2: linear triplet from a one-mode list and the QE geometry
run 0 thermo "$L/o2_modes.txt" --ideal-gas --symmetry 2 --spin 1 --structure "$D/qe/O2/pw.out"
against_ase o2_list 298.15 gas
has out "spin 1; linear"
run 0 thermo "$L/o2_modes.txt" --ideal-gas --symmetry 2 --spin 1 --structure "$D/qe/O2/pw.out" --T 500 -f json
has out '"h_corr": '
"$BIN" thermo "$L/o2_modes.txt" --ideal-gas --symmetry 2 --spin 1 --structure "$D/qe/O2/pw.out" --T 500 >"$T/out" 2>/dev/null
against_ase o2_list 500 gas

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
