#!/usr/bin/env bash
# End-to-end tests of `dftpost bader`: columns, formats, --group, --zval, --ref with two
# files, --vac, exit codes and messages.
# usage: cli_bader.sh DFTPOST TESTDATA_DIR SHARED_DIR
# Expected numbers: the Bader program v1.05's ACF.dat under SHARED_DIR/reference/bader (the
# directory named beside each check), agreement 0.005 e; sums and differences by hand.
# Without SHARED_DIR/data the script exits 77 (skipped) once the usage checks have passed.
set -u
BIN=$1 TD=$2 SHARED=$3
. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# --- help and usage (exit 2) ------------------------------------------------------------------
run 0 bader --help
for flag in --ref --method --vac --zval --group --refine --threads --true-maxima --format \
    --output near-grid weight on-grid auto; do has out "$flag"; done
run 2 bader
run 2 bader a b
run 2 bader x --method best; has err "near-grid, weight or on-grid"
run 2 bader x --vac -1
run 2 bader x --vac lots
run 2 bader x --refine 0
run 2 bader x --threads two
run 2 bader x --bogus
run 1 bader "$T/missing_CHGCAR"

H=$SHARED/data/real/pyiron_atomistics/bader_test_H2O
RB=$SHARED/reference/bader/data/real/pyiron_atomistics/bader_test_H2O
if [ ! -d "$H" ] || [ ! -d "$RB" ]; then
    echo "SKIP: $SHARED/data or its Bader references absent: $pass usage checks passed"
    [ "$fail" = 0 ] && exit 77 || exit 1
fi
# population of atom N in an ACF.dat
acf() { awk -v n="$2" '$1 == n && NF == 7 { print $5 }' "$1"; }

# --- columns, values (AECCAR2 of a model H2O, 20³, ZVAL from the vasprun.xml beside it) ----
run 0 bader "$H/AECCAR2"
same "$(grep -v '^#' "$T/out" | head -1)" "$(printf 'atom\telement\tx\ty\tz\tpopulation\tcharge\tmin_dist\tvolume')"
same "$(rows)" 3
has out "^# method: near-grid"
has out "^# vacuum threshold: off"
has out "^# maxima: 215"                    # the program's stdout: 215 maxima
has out "ρ·V_cell"
has out "vasprun.xml"
for n in 1 2 3; do near "$(col population $n)" "$(acf "$RB/AECCAR2/neargrid_noref/ACF.dat" $n)" 0.005; done
near "$(col x 2)" 9.3 1e-6                # ACF: 9.300000 (fractional 0.93 × 10 Å)
near "$(col min_dist 3)" 1.414214 1e-5     # ACF MIN DIST of O
near "$(col volume 1)" 426.75 1e-4         # ACF ATOMIC VOL of H1
near "$(col charge 1)" 0.928831 1e-5       # ZVAL(H) = 1 (vasprun.xml) − 0.071169
near "$(col charge 3)" -8.403401 1e-5      # ZVAL(O) = 6 − 14.403401

# --zval overrides, --group sums (hand sums of the rows above)
run 0 bader "$H/AECCAR2" --zval O=8 --group H --group 1,3
near "$(col charge 3)" -6.403401 1e-5      # 8 − 14.403401
same "$(col atom 4)" "group:H"
same "$(col element 4)" "H2"
near "$(col population 4)" 0.052572 1e-5   # 0.071169 + (−0.018597)
near "$(col volume 4)" 653.5 1e-4          # 426.75 + 226.75
near "$(col charge 4)" 1.947428 1e-5       # 2 − 0.052572
same "$(col element 5)" "HO"
near "$(col population 5)" 14.47457 1e-5   # 0.071169 + 14.403401
run 2 bader "$H/AECCAR2" --zval Xx=3
run 2 bader "$H/AECCAR2" --zval O
run 2 bader "$H/AECCAR2" --group 9

# --- --ref with two files: AECCAR0 + AECCAR2 summed on the fly = the program's
# "-ref CHGCAR_sum" (CHGCAR_sum = AECCAR0 + AECCAR2, run.json), both methods
run 0 bader "$H/AECCAR2" --ref "$H/AECCAR0" "$H/AECCAR2"
has out "reference density (partitioned): $H/AECCAR0 + $H/AECCAR2"
for n in 1 2 3; do near "$(col population $n)" "$(acf "$RB/AECCAR2/neargrid_ref/ACF.dat" $n)" 0.005; done
run 0 bader "$H/AECCAR2" --ref "$H/AECCAR0" "$H/AECCAR2" --method weight
for n in 1 2 3; do near "$(col population $n)" "$(acf "$RB/AECCAR2/weight_ref/ACF.dat" $n)" 0.005; done
# options may follow the reference files, and FILE may come after options
run 0 bader --method weight "$H/AECCAR2" -f csv
same "$(head -1 "$T/out")" "atom,element,x,y,z,population,charge,min_dist,volume"
for n in 1 2 3; do
    near "$(awk -F, -v n=$n 'NR == n + 1 { print $6 }' "$T/out")" \
        "$(acf "$RB/AECCAR2/weight_noref/ACF.dat" $n)" 0.005
done
run 0 bader "$H/AECCAR2" -f json -o "$T/b.json"
empty out
has b.json '"population": 0.071169'

# --- mismatched reference grid → exit 1, one line naming both files
NI=$SHARED/data/real/bader-rs/vasp_Ni_fcc
run 1 bader "$H/AECCAR2" --ref "$NI/CHGCAR_no_spin"
has err "$H/AECCAR2 and $NI/CHGCAR_no_spin: the grids differ"
same "$(wc -l < "$T/err")" 1
# --- a truncated grid → exit 1 naming the file
head -c 60000 "$H/AECCAR2" > "$T/AECCAR2"
run 1 bader "$T/AECCAR2"
has err "$T/AECCAR2"
run 1 bader "$H/AECCAR2" --ref "$T/AECCAR2"
has err "$T/AECCAR2"

# --- magnetisation: Ni fcc spin (moment) and noncollinear (moment_x..z); one atom has all
run 0 bader "$NI/CHGCAR_spin" --zval Ni=10
has out "moment"
near "$(col population 1)" 10.000001 1e-5  # ACF.dat (neargrid_noref)
near "$(col charge 1)" -0.000001 1e-5
run 0 bader "$NI/CHGCAR_ncl"
has out "moment_z"
# a one-atom cell: the moment is the integral of the magnetisation, whatever the method
m1=$(col moment_z 1)
run 0 bader "$NI/CHGCAR_ncl" --method on-grid
near "$(col moment_z 1)" "$m1" 1e-9

# --- a cube (QE pp.x): Å units, vacuum auto = 1e-3 e/bohr³, ZVAL unknown → nan + warning
Q=$SHARED/data/qe/Fe2_O2_chg_AB/Fe2_O2_chg_AB_rho.cube
RQ=$SHARED/reference/bader/data/qe/Fe2_O2_chg_AB/Fe2_O2_chg_AB_rho.cube
run 0 bader "$Q" --vac auto
has err "ZVAL of Fe unknown"
same "$(col charge 1)" nan
for n in 1 2 3 4; do near "$(col population $n)" "$(acf "$RQ/neargrid_vacauto_noref/ACF.dat" $n)" 0.005; done
has out "^# vacuum charge: 0.3117"          # ACF: VACUUM CHARGE 0.3117
has out "^# vacuum threshold: 0.00674833"
# ACF.dat of a cube is in bohr: MIN DIST 1.467405 bohr = 0.776517 Å; 214.550226 bohr³
near "$(col min_dist 1)" 0.776517 1e-5
near "$(col volume 1)" "$(awk 'BEGIN { print 214.550226 * 0.529177210903^3 }')" 1e-4
run 0 bader "$Q" --zval Fe=16,O=6 --vac 1e-2
near "$(col charge 3)" "$(awk -v p="$(col population 3)" 'BEGIN { print 6 - p }')" 1e-6

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
