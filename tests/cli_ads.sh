#!/usr/bin/env bash
# End-to-end tests of `dftpost ads`, `dftpost scaling` and `dftpost cases`, and the
# review's derived rows (d01-d12) reproduced by dftpost commands.
# usage: cli_ads.sh DFTPOST TESTDATA_DIR SHARED_DIR
set -u
BIN=$1 TD=$2 SH=$3
. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"
REF=$(dirname "${BASH_SOURCE[0]}")/reference
Q=$TD/qe
# one line on stderr (the error), whatever warnings precede it
oneline() { same "$(grep -vc 'warning' "$T/err")" 1 "one error line: $(cat "$T/err")"; }

# ---- ads: help and usage ---------------------------------------------------------------
run 0 ads --help; has out "usage: dftpost ads"
for flag in --ref --substrate --adsorbate --ref-set --energy --allow-mixed --format --output; do
    has out -- "$flag"
done
has out "h2o-h2"; has out "OOH = 2 H2O - 3/2 H2"
run 2 ads; oneline
run 2 ads $Q/Fe1_O2/pw.out; has err "give AB and A"
run 2 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2; has err "NAME=FILE"; oneline
run 2 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref Xx2=-1; has err 'unknown element "Xx"'; oneline
run 2 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref 2H2O=-1; has err "not an element symbol"; oneline
run 2 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref H-2=-1; has err "not an element symbol"; oneline
run 2 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=-1 --ref O2=-2; has err "same composition"; oneline
run 2 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref H2O=-1 --ref OH2=-2; has err "same composition as H2O"
run 2 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=-1 --ref-set nope; has err "unknown --ref-set"
run 2 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=-1 --ref-set h2o-h2; has err "not in --ref-set h2o-h2"
run 2 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=-1 --energy best; has err "sigma0|free"
run 2 ads -5 -3 --ref O2=-1; has err "is a number: give the composition"; oneline
run 2 ads -5 -3 --ref O2=-1 --adsorbate O-2; has err "adsorbate"
run 1 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=/nonexistent/pw.out; oneline
run 1 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref H2=$Q/O2/pw.out; has err "holds O2, not H2"; oneline
run 1 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=-1 --adsorbate O; has err "adsorbate O, but"
# compositions that cannot be solved: one line naming the element or the references
run 1 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref N2=-16; has err "element O of AB - A (O2) is in none"; oneline
run 1 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref H2O=-14.22 --ref H2=-6.77 --ref O2=-9.86
has err "linearly dependent (O2 can be made of the others)"; oneline
run 1 ads -5 -3 --adsorbate OH --ref H2O=-14.22; has err "element H cannot be balanced"; oneline
run 1 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out; has err "none of the references"

# ---- ads: numbers -------------------------------------------------------------------------
# numbers only, the usual CHE choice: E_ads = -10 - (-3) - 2*(-14.22) + 3/2*(-6.77)
# = -7 + 28.44 - 10.155 = 11.285 (by hand)
run 0 ads -10 -3 --adsorbate OOH --ref-set h2o-h2 --ref H2O=-14.22 --ref H2=-6.77
same "$(col equation)" "E_ads = E(AB) - E(A) - 2*E(H2O) + 3/2*E(H2)"
near "$(col e_ads)" 11.285 1e-9
near "$(col reference_sum)" -18.285 1e-9       # 2*(-14.22) - 1.5*(-6.77)
same "$(col comparability)" "ok (numbers not checked)"
same "$(col ab_kind)" given
has out "^# reference set h2o-h2: computational hydrogen electrode"
# O2 gas for OH: 1/2 O2 + 1/2 H2: -5 - (-3) - 0.5*(-9.86) - 0.5*(-6.77) = 6.315
run 0 ads -5 -3 --adsorbate OH --ref O2=-9.86 --ref H2=-6.77
same "$(col equation)" "E_ads = E(AB) - E(A) - 1/2*E(O2) - 1/2*E(H2)"
near "$(col e_ads)" 6.315 1e-9
# a reference that no row uses: a warning
run 0 ads -5 -3 --adsorbate O --ref O2=-9.86 --ref H2=-6.77; has err "warning: reference H2 is not used"

# QE testdata (8 Å box, made by scripts/make-qe-testdata): e_free by hand from the last
# "!    total energy" lines: (-119.03336134 + 55.44583248 + 63.47494202) Ry = -0.11258684 Ry
# = -1.5318218 eV; e_sigma0 adds (TS(Fe1_O2) - TS(Fe1) - TS(O2))/2 (pw.out smearing terms).
# e_free is Quantum ESPRESSO's usual energy (the default); --energy free says it outright.
run 0 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=$Q/O2/pw.out --energy free
near "$(col e_ads)" -1.5318218 1e-6
same "$(col adsorbate)" O2
same "$(col equation)" "E_ads = E(AB) - E(A) - 1*E(O2)"
same "$(col ab_kind)" e_free
same "$(col comparability)" ok
has out "^# reference O2: $Q/O2/pw.out (e_free) = -863.62"
ts() { awk '/smearing contrib/ { v = $(NF - 1) } END { print v }' "$1"; }
want=$(awk -v a="$(ts $Q/Fe1_O2/pw.out)" -v b="$(ts $Q/Fe1/pw.out)" -v c="$(ts $Q/O2/pw.out)" \
    'BEGIN { printf "%.8f", -0.11258684 * 13.605693122994 - (a - b - c) / 2 * 13.605693122994 }')
run 0 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=$Q/O2/pw.out --energy sigma0
near "$(col e_ads)" "$want" 1e-6
same "$(col ab_kind)" e_sigma0
run 0 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=$Q/O2/pw.out
near "$(col e_ads)" -1.5318218 1e-6
same "$(col ab_kind)" e_free
run 0 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=$Q/O2/pw.out -f json
has out '"e_ads": -1.5318'; has out '"equation": "E_ads = E(AB) - E(A) - 1\*E(O2)"'
cp "$T/out" "$T/ads.json"
run 0 ads $Q/Fe1_O2/pw.out $Q/Fe1/pw.out --ref O2=$Q/O2/pw.out -f csv
same "$(head -1 "$T/out")" "ab,ab_kind,substrate,substrate_kind,adsorbate,e_ab,e_substrate,reference_sum,e_ads,equation,references,comparability"
hasnt out "^#"

if [ -d "$SH/data/qe" ]; then
    S=$SH/data/qe
    # ../shared/data/qe/README.md "Derived energies" (E_tot = e_free): Fe1 -1.338, Fe2 -2.418.
    # The README subtracts runs whose settings differ (the pw.x inputs: Fe1 has degauss
    # 0.02 Ry, Fe1_O2 and O2 0.01 Ry; H2O and H2 are nspin 1, the Fe runs nspin 2): dftpost
    # refuses those pairs, naming the setting, and computes them with --allow-mixed.
    run 1 ads $S/Fe1_O2/pw.out $S/Fe1/pw.out --ref O2=$S/O2/pw.out --energy free
    has err "Fe1/pw.out vs .*O2/pw.out: SIGMA: 0.272114 vs 0.136057"; empty out
    run 0 ads $S/Fe1_O2/pw.out $S/Fe1/pw.out --ref O2=$S/O2/pw.out --energy free --allow-mixed
    near "$(col e_ads)" -1.338 5e-4
    has out "^# warning: mixed settings allowed (--allow-mixed): .*SIGMA"
    run 0 ads $S/Fe2_O2/pw.out $S/Fe2/pw.out --ref O2=$S/O2/pw.out --energy free
    near "$(col e_ads)" -2.418 5e-4
    # via H2O - H2 (O2 = 2 H2O - 2 H2), by hand from the README's E_tot in eV:
    # -2377.70304 + 1511.20321 + 2*466.23426 - 2*31.68036 = 2.60797
    run 1 ads $S/Fe2_O2/pw.out $S/Fe2/pw.out --ref-set h2o-h2 --ref H2O=$S/H2O/pw.out \
        --ref H2=$S/H2/pw.out --energy free
    has err "ISPIN: 2 vs 1"
    run 0 ads $S/Fe2_O2/pw.out $S/Fe2/pw.out --ref-set h2o-h2 --ref H2O=$S/H2O/pw.out \
        --ref H2=$S/H2/pw.out --energy free --allow-mixed
    same "$(col equation)" "E_ads = E(AB) - E(A) - 2*E(H2O) + 2*E(H2)"
    near "$(col e_ads)" 2.60797 5e-5
    # batch: one row per AB; Fe1: -1619.82613 + 754.40625 + 869.10781 = 3.68793
    run 0 ads --substrate $S/Fe1/pw.out --ref H2O=$S/H2O/pw.out --ref H2=$S/H2/pw.out \
        --energy free --allow-mixed $S/Fe1_O2/pw.out
    near "$(col e_ads)" 3.68793 5e-5
    # mixed codes: a VASP OSZICAR against a pw.x output
    R=$SH/data/real/SAC_HOER_data/RawData
    if [ -d "$R" ]; then
        run 1 ads $S/Fe1_O2/pw.out $R/0N0_Pt_substrate/OSZICAR --ref O2=$S/O2/pw.out
        has err "CODE: QE vs VASP"; has err "0N0_Pt_substrate/OSZICAR"
    fi
else
    echo "SKIP (part): ../shared/data/qe absent"
fi

# ---- ads: real VASP (SAC_HOER) ----------------------------------------------------------
R=$SH/data/real/SAC_HOER_data/RawData
if [ -d "$R" ]; then
    # 0N0_Pt, E0 of the OSZICARs' last lines: * -1169.8018, *O -1174.9434, *OH -1179.7458,
    # *OOH -1184.0263, *H -1173.6215; H2O -14.22, H2 -6.77 (numbers). By hand:
    # O   -1174.9434 + 1169.8018 + 14.22 - 6.77          =  2.3084
    # OH  -1179.7458 + 1169.8018 + 14.22 - 3.385         =  0.8910
    # OOH -1184.0263 + 1169.8018 + 28.44 - 10.155        =  4.0605
    # H   -1173.6215 + 1169.8018 + 3.385                 = -0.4347
    run 0 ads --ref-set h2o-h2 --ref H2O=-14.22 --ref H2=-6.77 --substrate $R/0N0_Pt_substrate/OSZICAR \
        $R/0N0_Pt_O/OSZICAR $R/0N0_Pt_OH/OSZICAR $R/0N0_Pt_OOH/OSZICAR $R/0N0_Pt_H/OSZICAR
    same "$(rows)" 4
    near "$(col e_ads 1)" 2.3084 1e-9; near "$(col e_ads 2)" 0.8910 1e-9
    near "$(col e_ads 3)" 4.0605 1e-9; near "$(col e_ads 4)" -0.4347 1e-9
    same "$(col adsorbate 2)" OH; same "$(col adsorbate 3)" O2H
    same "$(col equation 2)" "E_ads = E(AB) - E(A) - 1*E(H2O) + 1/2*E(H2)"
    same "$(col equation 4)" "E_ads = E(AB) - E(A) - 1/2*E(H2)"
    same "$(col comparability 1)" "ok (numbers not checked)"
    # the table in testdata (scripts/make-sac-scaling-table) holds these numbers
    same "$(awk -F'\t' '$1 == "0N0_Pt" { print $4, $5, $6, $7, $8 }' $TD/ads/sac_hoer_scaling.tsv)" \
        "2.3084 0.891 4.0605 -0.4347 ok"
    # refused: substrate with LDAU+LASPH, adsorbates without (Co Cr Fe Mn Mo Ni V W sites)
    for site in 0N0_Fe 2N2_Co 4N4_Ni 1N1_Mo; do
        run 1 ads --ref H2O=-14.22 --ref H2=-6.77 $R/${site}_O/OSZICAR $R/${site}_substrate/OSZICAR
        has err "${site}_O/OSZICAR vs $R/${site}_substrate/OSZICAR: LASPH: (not set) vs T; LDAU: (not set) vs T"
        has err "allow-mixed"; empty out
    done
    run 1 ads --ref H2O=-14.22 --ref H2=-6.77 $R/4N4_W_H/OSZICAR $R/4N4_W_substrate/OSZICAR
    has err "PREC: ACCURATE vs (not set); LDAU: (not set) vs T"
    run 1 ads --ref H2O=-14.22 --ref H2=-6.77 $R/0N0_Os_O/OSZICAR $R/0N0_Os_substrate/OSZICAR
    has err "ISMEAR: 0 vs -5"
    run 1 ads --ref H2O=-14.22 --ref H2=-6.77 $R/2N2_W_OH/OSZICAR $R/2N2_W_substrate/OSZICAR
    has err "2N2_W_OH/OSZICAR: file is empty"; oneline
    # --allow-mixed: a warning on stderr, in the metadata and in the row
    run 0 ads --allow-mixed --ref H2O=-14.22 --ref H2=-6.77 $R/0N0_Fe_O/OSZICAR $R/0N0_Fe_substrate/OSZICAR
    has err "warning: mixed settings"; has out "^# warning: mixed settings allowed (--allow-mixed): .*LDAU"
    has "out" "mixed: .*0N0_Fe_O/OSZICAR vs .*LDAU: (not set) vs T"
    run 0 ads --allow-mixed --ref H2O=-14.22 --ref H2=-6.77 $R/0N0_Fe_O/OSZICAR $R/0N0_Fe_substrate/OSZICAR -f json
    has out '"comparability": "mixed: '
    # the site without a CONTCAR: composition unknown unless given
    run 1 ads --ref H2O=-14.22 --ref H2=-6.77 $R/4N4_Au_O/OSZICAR $R/4N4_Au_substrate/OSZICAR
    has err "names no atoms"
else
    echo "SKIP (part): ../shared/data/real/SAC_HOER_data absent"
fi

# ---- scaling ----------------------------------------------------------------------------
TAB=$TD/ads/sac_hoer_scaling.tsv
run 0 scaling --help; for flag in --x --y --label --residuals --gamma --format --output; do has out -- "$flag"; done
run 2 scaling; run 2 scaling $TAB --x nope; has err 'no column "nope"'
run 1 scaling /nonexistent.tsv; oneline
run 0 scaling $TAB --x dE_O --y dE_OH
same "$(awk '/^#/ { next } { print; exit }' "$T/out")" "$(printf 'x\ty\tn\tslope\tintercept\tr2\tstderr_slope\tstderr_intercept\trmse\tmax_residual\tmax_residual_label')"
# against scipy.stats.linregress (tests/reference/scaling.tsv, scripts/reference/scaling_reference.py)
refcol() { awk -F'\t' -v x="$1" -v y="$2" -v name="$3" '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
    $1 == x && $2 == y { print $(c[name]) }' "$REF/scaling.tsv"; }
for pair in "dE_O dE_OH" "dE_OH dE_OOH" "dE_OH dE_O" "dE_OH dE_H"; do
    set -- $pair
    run 0 scaling $TAB --x $1 --y $2 --label site
    same "$(col n)" "$(refcol $1 $2 n)"
    for c in slope intercept r2 stderr_slope stderr_intercept rmse max_residual; do
        near "$(col $c)" "$(refcol $1 $2 $c)" 1e-9
    done
    same "$(col max_residual_label)" "$(refcol $1 $2 max_residual_label)"
done
# residual rows: one per clean site, the worst of dE_OOH vs dE_OH is 2N2_Os (scipy)
run 0 scaling $TAB --x dE_OH --y dE_OOH --residuals
same "$(rows)" 98
near "$(awk -F'\t' '$3 == "2N2_Os" { print $7 }' "$T/out")" "$(refcol dE_OH dE_OOH max_residual)" 1e-9
# defaults: x the first numeric column (nitrogen), every other numeric column a y
run 0 scaling $TAB -f csv; same "$(rows)" 4
# bad tables
printf 'a\tb\n1\t2\n2\tx\n' >"$T/bad.tsv"
run 1 scaling "$T/bad.tsv" --x a --y b; has err "line 3: column b: \"x\" is not a number"; oneline
printf 'a,b\n1,2\n' >"$T/one.csv"
run 1 scaling "$T/one.csv"; has err "at least 2 points"
printf 'a,b\n1,2\n1,3\n' >"$T/flat.csv"
run 1 scaling "$T/flat.csv"; has err "all 2 x values are equal"
# a dftpost JSON output reads back: the ads rows above
# e_ads = e_ab - (-3) - 1/2*(-9.86) = e_ab + 7.93 for the three numbers AB = -5, -6, -7
run 0 ads -f json --substrate -3 --adsorbate O --ref O2=-9.86 -5 -6 -7
cp "$T/out" "$T/batch.json"
run 0 scaling "$T/batch.json" --x e_ab --y e_ads --label ab
near "$(col slope)" 1 1e-12; near "$(col intercept)" 7.93 1e-12; same "$(col n)" 3
same "$(col max_residual_label)" -5   # all residuals 0: the first row, labelled by ab

# ---- the review's derived rows (shared/review/cases.tsv kind=derived) ---------------------
# d01, d02: dftpost volcano --reaction orr --offset 3.2 -> 0.86 V, 0.37 V
run 0 volcano --reaction orr --offset 3.2 --summary
same "$(printf '%.2f' "$(col limiting_potential_max)")" 0.86
same "$(printf '%.2f' "$(col overpotential_min)")" 0.37
# d03: offset 2.46 = 2 x 1.23 gives eta = 0
run 0 volcano --reaction orr --offset 2.46 --summary
same "$(printf '%.2f' "$(col overpotential_min)")" 0.00
# d05, d06: gamma = (xmax - x)/xmax
run 0 scaling --gamma O:1; same "$(col gamma)" 0.5
run 0 scaling --gamma C:3,2,1
same "$(col gamma 1),$(col gamma 2),$(col gamma 3)" "0.25,0.5,0.75"
run 2 scaling --gamma Fe:1; has err "no valence"
run 2 scaling --gamma O:3; has err "0..2"
run 0 scaling --gamma Fe/2:1; same "$(col gamma)" 0.5
# d07-d11: points generated from the quoted relation, fitted by dftpost scaling
fitrel() { # SLOPE INTERCEPT -> "slope;intercept" at 2 decimals
    awk -v a="$1" -v b="$2" 'BEGIN { print "x\ty"; for (i = 0; i < 9; i++) { x = -2 + 0.25 * i; printf "%.4f\t%.10f\n", x, a * x + b } }' >"$T/rel.tsv"
    "$BIN" scaling "$T/rel.tsv" >"$T/out" 2>"$T/err" || bad "scaling on generated points failed"
    printf '%.2f;%.2f' "$(col slope)" "$(col intercept)"
}
same "$(fitrel 0.88 2.03)" "0.88;2.03" d07
same "$(fitrel 0.73 1.82)" "0.73;1.82" d08
same "$(fitrel 0.54 0.25)" "0.54;0.25" d09
same "$(fitrel 5.67 0.13)" "5.67;0.13" d11
# d10: chi_MN = 0.69 chi_N + 0.31 chi_M: one fit per variable, the other held at 0
same "$(fitrel 0.69 0 | cut -d';' -f1);$(fitrel 0.31 0 | cut -d';' -f1)" "0.69;0.31" d10
# d12: Kubo gap 4 E_F/(3N), no number quoted: Au, E_F = 5.53 eV, N = 100: 0.0737 eV
run 0 cases --derive
for id in d01 d02 d03 d05 d06 d07 d08 d09 d10 d11; do
    same "$(awk -F'\t' -v id=$id '$1 == id { print $6 }' "$T/out")" yes "cases --derive $id"
done
same "$(awk -F'\t' '$1 == "d12" { print $5, $6 }' "$T/out")" "0.0737 formula"
same "$(rows)" 11

# ---- cases -------------------------------------------------------------------------------
run 0 cases --help; for flag in --kind --id --derive --compare --all --dump; do has out -- "$flag"; done
has out "Multi-atom cluster catalysts"
run 0 cases; same "$(rows)" 38
has out "^# the DFT figures quoted by the review Sun, Reddu, Wang"
same "$(col value 1)" 2.39
run 0 cases --kind derived; same "$(rows)" 11   # d01-d12 without d04 (measured)
run 0 cases --id c03,d04 -f csv; same "$(sed -n 2p "$T/out" | cut -d, -f1,5)" "c03,1.22"
run 2 cases --kind other; run 2 cases extra.json; run 2 cases --compare
if [ -f "$SH/review/cases.tsv" ]; then
    run 0 cases --dump
    if cmp -s "$T/out" "$SH/review/cases.tsv"; then ok; else bad "cases --dump differs from $SH/review/cases.tsv (scripts/make-cases-table)"; fi
else
    echo "SKIP (part): ../shared/review/cases.tsv absent"
fi
# --compare: the ads JSON above (E_ads = -1.5318 eV) beside c01/c02 (magnitudes 2.39, 1.18)
run 0 cases --compare "$T/ads.json" --id c01,c02
same "$(rows)" 2
same "$(col your_source 1 | cut -d' ' -f1)" "$T/ads.json:row"
has out "row 1:e_ads ($Q/Fe1_O2/pw.out)"
mine=$(col your_value 1)
near "$(col difference 1)" "$(awk -v m="$mine" 'BEGIN { printf "%.10f", (m < 0 ? -m : m) - 2.39 }')" 1e-9
# a Bader group beside "charge transferred to O2" (c06 0.51 e): the O2 group's charge
# (ZVAL - population, negative for electrons gained) is compared as the electrons moved
"$BIN" bader "$TD/qe/Fe1_O2_chg/AB.cube.gz" --zval Fe=8,O=6 --group O -f json >"$T/bader.json" 2>/dev/null
run 0 cases --compare "$T/bader.json" --id c06
same "$(col your_source 4 | sed 's/.*:row //')" "4:charge (O2)"
o2=$(col your_value 4)
near "$(col difference 4)" "$(awk -v m="$o2" 'BEGIN { printf "%.10f", (m < 0 ? -m : m) - 0.51 }')" 1e-9
hasnt out "population"
# a scaling fit beside the review's slopes: the relation rows take slope;intercept
"$BIN" scaling "$T/rel.tsv" -f json >"$T/fit.json" 2>/dev/null
# d10 is quoted "0.69;0.31": slope against the first number, intercept against the second;
# the last generated fit was y = 0.31 x: slope 0.31 - 0.69 = -0.38, intercept 0 - 0.31
run 0 cases --compare "$T/fit.json" --id d10
same "$(rows)" 2
near "$(col your_value 1)" 0.31 1e-9; near "$(col difference 1)" -0.38 1e-9
near "$(col your_value 2)" 0 1e-9; near "$(col difference 2)" -0.31 1e-9
run 0 cases --compare "$T/fit.json" --all --kind derived
same "$(awk -F'\t' '$1 == "d12" { print $7 }' "$T/out")" "no mapping for this quantity"
run 1 cases --compare /nonexistent.json; oneline

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
