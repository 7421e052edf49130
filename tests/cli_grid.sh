#!/usr/bin/env bash
# End-to-end tests of `dftpost chgdiff` (and of reading CHGCAR-type files through dp_read):
# tables, formats, options, the written grids, exit codes, one-line messages.
# usage: cli_grid.sh DFTPOST TESTDATA_DIR SHARED_DIR
# The checks on small CHGCARs written here always run; those on the QE cube triple need
# SHARED_DIR/data: without it the script exits 77 (skipped) once the others have passed.
# Expected numbers: hand calculations beside the checks, and tests/reference/chgcar.tsv
# (numpy on the QE cubes, scripts/reference/pymatgen_chgcar.py).
set -u
BIN=$1 TD=$2 SHARED=$3
REF=$TD/../tests/reference/chgcar.tsv
. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# mkchg FILE FACTOR [NZ]: a VASP 5 CHGCAR of Li2 in a 2 × 2 × NZ Å box on a 2 × 2 × NZ grid
# (1 Å spacing, V = 4·NZ Å³) whose density is FACTOR·(k + 1) e/Å³ on plane k (0-based),
# written as ρ·V, x fastest, five a line.
mkchg() {
    local f=$1 fac=$2 nz=${3:-4}
    awk -v fac="$fac" -v nz="$nz" 'BEGIN {
        v = 4 * nz
        printf "Li2\n   1.0\n  2.0 0.0 0.0\n  0.0 2.0 0.0\n  0.0 0.0 %.1f\n   Li\n     2\nDirect\n", nz
        printf "  0.0 0.0 0.0\n  0.5 0.5 0.5\n \n    2    2 %4d\n", nz
        n = 0
        for (k = 0; k < nz; k++) for (j = 0; j < 2; j++) for (i = 0; i < 2; i++) {
            printf " %17.11E", fac * (k + 1) * v
            if (++n % 5 == 0) printf "\n"
        }
        if (n % 5) printf "\n"
    }' >"$f"
}
mkchg "$T/AB" 1
mkchg "$T/A" 0.5
mkchg "$T/B" 0.5
mkchg "$T/C3" 0.5 3

# --- help and usage (exit 2) -----------------------------------------------------------
run 0 chgdiff --help
for flag in --axis --potential --output --table --format --help; do has out -- "$flag"; done
run 2 chgdiff
run 2 chgdiff "$T/AB"; has err "at least one part"
run 2 chgdiff "$T/AB" "$T/A" --axis q; has err '"q"'
run 2 chgdiff "$T/AB" "$T/A" --format xml
run 2 chgdiff "$T/AB" "$T/A" --bogus

# --- Δρ = 0 when the parts add up: no warning, stderr empty (not a terminal: no progress)
run 0 chgdiff "$T/AB" "$T/A" "$T/B"
empty err
same "$(rows)" 4
same "$(col drho 3)" 0
has out "integral of Δρ dV = 0 e"

# --- AB − A: Δρ = 0.5 (k + 1) e/Å³; λ_k = Δρ · A (4 Å²) = 2 (k + 1) e/Å; Δq_k = (k+1)(k+2) e;
#     ∫Δρ = 20 e, ½∫|Δρ| = 10 e, |Δq| peaks on plane 3 [hand]
run 0 chgdiff "$T/AB" "$T/A"
has err "∫Δρ dV = 20 e, not 0"
same "$(wc -l <"$T/err")" 1
near "$(col z 4)" 3 1e-12
near "$(col drho 1)" 2 1e-10
near "$(col drho 4)" 8 1e-10
near "$(col dq_cumulative 2)" 6 1e-10
near "$(col dq_cumulative 4)" 20 1e-10
has out "integral of Δρ dV = 20 e"
has out "transferred ½∫|Δρ| dV = 10 e"
has out "peak |Δq|: plane 3 at z = 3.000000 Å"
hasnt out dphi
# axis x is a; along a the 2 planes each hold half: Δq = 10, 20
run 0 chgdiff "$T/AB" "$T/A" --axis x
cp "$T/out" "$T/x.tsv"
run 0 chgdiff "$T/AB" "$T/A" -a a
if cmp -s "$T/out" "$T/x.tsv"; then ok; else bad "--axis x and -a a differ"; fi
same "$(rows)" 2
near "$(col dq_cumulative 1)" 10 1e-10
# formats; --table writes the table to a file
run 0 chgdiff "$T/AB" "$T/A" -f csv
same "$(head -1 "$T/out")" "z,drho,dq_cumulative"
hasnt out '^#'
run 0 chgdiff "$T/AB" "$T/A" --format json
has out '"dq_cumulative"'
run 0 chgdiff "$T/AB" "$T/A" --table "$T/table.tsv"
empty out
if grep -q '^z	drho	dq_cumulative$' "$T/table.tsv"; then ok; else bad "--table file lacks the header"; fi
# --potential: dphi column; the dipole of the charge −Δρ is −Σ z λ dz, ΔΦ = −4π k_e p / A
run 0 chgdiff "$T/AB" "$T/A" --potential
same "$(head -1 <(grep -v '^#' "$T/out"))" "z	drho	dq_cumulative	dphi"
p=$(awk -F'\t' '/^#/ || /^z/ { next } { s -= $1 * $2 } END { printf "%.10g", s }' "$T/out")
near "$(sed -n 's/^# dipole p = \([^ ]*\) e·Å.*/\1/p' "$T/out")" "$p" 1e-6
near "$p" -40 1e-9 # −Σ k · 2(k+1) for k = 0..3 [hand]
near "$(sed -n 's/^# work-function change ΔΦ = −e·p\/(ε0·A) = \([^ ]*\) eV.*/\1/p' "$T/out")" \
    "$(awk -v p="$p" 'BEGIN { printf "%.10g", -4 * 3.14159265358979 * 14.39964415 * p / 4 }')" 1e-3

# --- -o: the Δρ grid, as CHGCAR or cube; read back, it gives the same table
run 0 chgdiff "$T/AB" "$T/A" -o "$T/d.vasp"
cp "$T/out" "$T/d.tsv"
run 0 chgdiff "$T/d.vasp" "$T/B"   # (Δρ) − B = 0.5(k+1) − 0.5(k+1) = 0
near "$(col dq_cumulative 4)" 0 1e-9
run 0 chgdiff "$T/AB" "$T/A" -o "$T/d.cube"
run 0 chgdiff "$T/d.cube" "$T/B" # the cube keeps 6 digits
near "$(col dq_cumulative 4)" 0 1e-4
if head -1 "$T/d.vasp" | grep -q "Li2"; then ok; else bad "d.vasp: no structure line"; fi

# --- bad input: exit 1, one line naming the file
run 1 chgdiff "$T/AB" "$T/C3"
has err "the grids differ"; has err "C3 2 × 2 × 3"
same "$(wc -l <"$T/err")" 1
run 1 chgdiff "$T/AB" "$T/nonexistent"
has err nonexistent
printf 'Li\n1.0\n2 0 0\n0 2 0\n0 0 4\nLi\n1\nDirect\n0 0 0\n' >"$T/POSCAR"
run 1 chgdiff "$T/AB" "$T/POSCAR"; has err "not a grid file"
sed 's/^    2    2    4$/100000 100000 100000/' "$T/A" >"$T/CHGCAR_big"
run 1 chgdiff "$T/AB" "$T/CHGCAR_big"; has err "more than dftpost reads"
same "$(wc -l <"$T/err")" 1
head -c 300 "$T/A" >"$T/CHGCAR_cut"
run 1 chgdiff "$T/AB" "$T/CHGCAR_cut"; has err "CHGCAR_cut: grid ends after"
# cuts at every 7th byte: exit 0 (whole) or 1 with one line, never a crash
size=$(wc -c <"$T/A") crashes=0
for ((n = 0; n < size; n += 7)); do
    head -c "$n" "$T/A" >"$T/CHGCAR_c"
    "$BIN" chgdiff "$T/AB" "$T/CHGCAR_c" >/dev/null 2>"$T/err"
    rc=$?
    if [ "$rc" -gt 1 ] || { [ "$rc" = 1 ] && [ "$(wc -l <"$T/err")" != 1 ]; }; then
        crashes=$((crashes + 1)); echo "cut at $n: exit $rc: $(head -c 200 "$T/err")" >&2
    fi
done
same "$crashes" 0 "cuts of a CHGCAR"

# --- the QE cube triple (80³, pp.x): against numpy -------------------------------------
# The bundled QE triple (testdata/qe/Fe1_O2_chg, scripts/make-qe-grid-testdata): each
# cube integrates to its valence electrons, measured outside dftpost (awk and numpy,
# testdata/qe/README.md): AB 20.000074, Fe 8.000029, O2 12.000045 e, so ∫Δρ = 0 within
# the 1e-6 of those figures; bader on AB must account for the same 20.000074 e.
G=$TD/qe/Fe1_O2_chg
run 0 chgdiff "$G/AB.cube.gz" "$G/Fe.cube.gz" "$G/O2.cube.gz"
near "$(sed -n 's/^# integral of Δρ dV = \([^ ]*\) e.*/\1/p' "$T/out")" 0 2e-6
same "$(rows)" 36 "one row per plane of the 36³ grid"
# info: the grid column (36³ from the cube's header) and a QE run's settings, read by hand
# from testdata/qe/Fe1/pw.out: 25 Ry x 13.605693122994 = 340.142 eV, Gaussian 0.01 Ry = 0.136057 eV
run 0 info "$G/AB.cube.gz" "$TD/qe/Fe1/pw.out"
same "$(col grid 1)" "36x36x36 density"
same "$(col settings 2)" "CODE=QE; VERSION=6.7; XC=PBE; ENCUT=340.142; ISPIN=2; SMEARING=GAUSSIAN; SIGMA=0.136057; LDAU=F; IVDW=0; POTCAR=FE.PBE-ND-RRKJUS.UPF"
run 0 bader "$G/AB.cube.gz" --zval Fe=8,O=6 --group O
near "$(sed -n 's/^# total electrons: \([^ ]*\)$/\1/p' "$T/out")" 20.000074 2e-6

Q=$SHARED/data/qe
if [ ! -d "$Q/Fe2_O2_chg_AB" ] || [ ! -f "$REF" ]; then
    echo "SKIP: $Q or $REF absent (the checks above: $pass passed, $fail failed)"
    [ "$fail" = 0 ] && exit 77 || exit 1
fi
ref() { awk -F'\t' -v q="$1" -v i="$2" '$2 == q && $3 == i && $5 == "numpy" { print $4; exit }' "$REF"; }
run 0 chgdiff "$Q"/Fe2_O2_chg_AB/*_rho.cube "$Q"/Fe2_O2_chg_Fe2/*_rho.cube "$Q"/Fe2_O2_chg_O2/*_rho.cube
# ∫Δρ: 28 − 16 − 12 electrons = 0; numpy 8.83e-06 e (pp.x's cubes integrate to 28.00009)
near "$(sed -n 's/^# integral of Δρ dV = \([^ ]*\) e.*/\1/p' "$T/out")" "$(ref int_drho '')" 1e-12
near "$(sed -n 's/^# transferred ½∫|Δρ| dV = \([^ ]*\) e/\1/p' "$T/out")" "$(ref transferred '')" 1e-7
for k in 0 20 40 79; do
    near "$(col drho $((k + 1)))" "$(ref lambda "c,$k")" 1e-9
    near "$(col dq_cumulative $((k + 1)))" "$(ref dq "c,$k")" 1e-9
done
has out "peak |Δq|: plane $(ref peak_plane c) at"
run 0 chgdiff "$Q"/Fe2_O2_chg_AB/*_rho.cube "$Q"/Fe2_O2_chg_Fe2/*_rho.cube "$Q"/Fe2_O2_chg_O2/*_rho.cube --axis a
near "$(col dq_cumulative 21)" "$(ref dq "a,20")" 1e-9
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
