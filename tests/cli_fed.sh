#!/usr/bin/env bash
# End-to-end tests of `dftpost fed`: the hand-made SPECs of testdata/fed (numbers worked out
# in those files and in tests/test_fed.c), bad input, the SVG; then, with SHARED_DIR/data,
# the SAC_HOER batch (140 sites, the SPEC written by scripts/make-sac-hoer-spec) and the
# QE gas references. Without SHARED_DIR/data the script exits 77 after the first part.
# usage: cli_fed.sh DFTPOST TESTDATA_DIR SHARED_DIR
set -u
BIN=$1 TD=$2 SHARED=$3
D=$SHARED/data
F=$TD/fed
SCRIPTS=$(dirname "${BASH_SOURCE[0]}")/../scripts
. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# summary value of column NAME for catalyst CAT and mechanism MECH
sv() {
    awk -F'\t' -v name="$1" -v cat="$2" -v mech="$3" '/^#/ { next }
        !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
        $1 == cat && $2 == mech { print $(c[name]); exit }' "$T/out"
}
# step value of column NAME for catalyst, mechanism, step, U
stv() {
    awk -F'\t' -v name="$1" -v cat="$2" -v mech="$3" -v st="$4" -v u="$5" '/^#/ { next }
        !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
        $1 == cat && $2 == mech && $3 == st && $6 + 0 == u + 0 { print $(c[name]); exit }' "$T/out"
}

# --- help, defaults, usage ---------------------------------------------------------------
run 0 fed --help
for flag in --U --pH --T --svg --plot --allow-mixed --summary --defaults --format --output \
    orr_4e oer_4e her orr_2e orr_4e_dissociative co2rr_co co2rr_hcooh nrr_distal \
    nrr_alternating nrr_enzymatic limiting_potential overpotential pds; do has out "$flag"; done
run 0 fed --defaults
has out "Norskov et al., J. Phys. Chem. B 108, 17886 (2004)"
has out "J. Electrochem. Soc. 152, J23 (2005)"
same "$(awk -F'\t' '$1 == "H2O" { print $7 }' "$T/out")" "-0.11" "H2O g_corr = 0.56 - 0.67"
same "$(awk -F'\t' '$1 == "O2" && $2 == "rule" { print $8 }' "$T/out")" "2*H2O -2*H2 +4.92"
run 2 fed
run 2 fed "$F/her.spec" "$F/her.spec"
run 2 fed "$F/her.spec" --U 0,abc
run 2 fed "$F/her.spec" --T -3
run 2 fed "$F/her.spec" --bogus

# --- hand-checked diagrams ------------------------------------------------------------------
# 4e ORR: dG_OH 0.80, dG_O 1.90, dG_OOH 4.10 eV -> steps -0.82 -2.20 -1.10 -0.80,
# U_L = 0.80 V (step 4), eta = 1.23 - 0.80 = 0.43 V; OER U_L 2.20 V (step 3), eta 0.97 V
run 0 fed "$F/orr_4e.spec" --summary
same "$(sv limiting_potential M-N4 orr_4e)" "0.8000"
same "$(sv overpotential M-N4 orr_4e)" "0.4300"
same "$(sv pds M-N4 orr_4e)" "4"
same "$(sv pds_reaction M-N4 orr_4e)" "*OH + H+ + e- -> * + H2O"
same "$(sv limiting_potential M-N4 oer_4e)" "2.2000"
same "$(sv overpotential M-N4 oer_4e)" "0.9700"
same "$(sv status M-N4 oer_4e)" "ok"
has out "^# reference O2: G = -9.880000 eV by rule"
# steps at U = 0 and 1.23 V: dG_U = dG_0 + 1.23 for each (reduction) step
run 0 fed "$F/orr_4e.spec" --U 0,1.23
same "$(rows)" "16" "2 mechanisms x 4 steps x 2 potentials"
same "$(stv dG_0 M-N4 orr_4e 2 0)" "-2.2000"
same "$(stv dG_U M-N4 orr_4e 1 1.23)" "0.4100"
same "$(stv dG_U M-N4 orr_4e 4 1.23)" "0.4300"
same "$(stv reaction M-N4 orr_4e 2 0)" "*OOH + H+ + e- -> *O + H2O"
same "$(stv dG_U M-N4 oer_4e 3 1.23)" "0.9700"
same "$(stv n M-N4 oer_4e 3 1.23)" "-1"
# the custom mechanism written out level by level gives the same numbers
run 0 fed "$F/custom.spec" --summary
same "$(sv limiting_potential M-N4 my_orr)" "0.8000"
same "$(sv overpotential M-N4 my_orr)" "0.4300"
# HER with the shipped corrections: dG_H = 0.10 + 0.24 = 0.34 eV -> U_L -0.34 V
run 0 fed "$F/her.spec" --summary
same "$(sv limiting_potential Pt-like her)" "-0.3400"
same "$(sv overpotential Pt-like her)" "0.3400"
has out "^# correction \*H: +0.1700 eV (shipped table"
# 2e ORR: U_L 0.58 V, E0 0.70 V, eta 0.12 V
run 0 fed "$F/orr_2e.spec" --summary
same "$(sv limiting_potential Co-N4 orr_2e)" "0.5800"
same "$(sv equilibrium_potential Co-N4 orr_2e)" "0.7000"
same "$(sv overpotential Co-N4 orr_2e)" "0.1200"
# CO2RR to CO: U_L -0.50 V (step 2), E0 -0.20 V, eta 0.30 V
run 0 fed "$F/co2rr_co.spec" --summary
same "$(sv limiting_potential Ni-N4 co2rr_co)" "-0.5000"
same "$(sv pds Ni-N4 co2rr_co)" "2"
same "$(sv overpotential Ni-N4 co2rr_co)" "0.3000"
# NRR: distal and alternating U_L -1.20 V (step 1), enzymatic -0.90 V (step 2, *N*N ->
# *N*NH: -115.90 + 116.80 = 0.90); E0 = 0.36/6 = 0.06 V
run 0 fed "$F/nrr.spec" --summary
same "$(sv limiting_potential Mo-N4 nrr_distal)" "-1.2000"
same "$(sv overpotential Mo-N4 nrr_distal)" "1.2600"
same "$(sv limiting_potential Mo-N4 nrr_enzymatic)" "-0.9000"
same "$(sv pds Mo-N4 nrr_enzymatic)" "2"
run 0 fed "$F/co2rr_hcooh.spec" --summary
same "$(sv limiting_potential Sn-site co2rr_hcooh)" "-0.1000"
run 0 fed "$F/orr_4e_dissociative.spec" --summary
same "$(sv limiting_potential Pt-like orr_4e_dissociative)" "0.8000"
# pH 7: U is then vs SHE; U_L vs SHE = 0.80 - 0.059159*7 = 0.3859 V; at U_SHE = 0 the
# ORR steps see U_RHE = 0.4141 V: step 4 = -0.80 + 0.4141 = -0.3859
run 0 fed "$F/orr_4e.spec" --summary --pH 7
same "$(sv limiting_potential M-N4 orr_4e)" "0.8000"
same "$(sv limiting_potential_she M-N4 orr_4e)" "0.3859"
has out "U = 0 V vs SHE"
run 0 fed "$F/orr_4e.spec" --pH 7
same "$(stv dG_U M-N4 orr_4e 4 0)" "-0.3859"
# formats
run 0 fed "$F/orr_4e.spec" --summary --format csv
hasnt out "^#"
has out "^M-N4,orr_4e,0.8000"
run 0 fed "$F/orr_4e.spec" --summary --format json
has out '"limiting_potential": 0.8'
# SVG: levels, labels, axis, U, PDS, legend
run 0 fed "$F/orr_4e.spec" --svg "$T/d.svg" --U 0.5
for s in "ΔG (eV)" "at U = 0.50 V vs RHE" "PDS" "*OOH" "M-N4" "U_L 0.80 V" "stroke-dasharray"; do
    if grep -qF -- "$s" "$T/d.svg"; then ok; else bad "SVG lacks '$s'"; fi
done
if command -v xmllint >/dev/null; then
    if xmllint --noout "$T/d.svg" 2>/dev/null; then ok; else bad "SVG is not well-formed XML"; fi
fi
run 2 fed "$F/orr_4e.spec" --svg "$T/d.svg" --plot nobody --bogus
run 1 fed "$F/orr_4e.spec" --svg "$T/d.svg" --plot nobody
has err "no computed catalyst to draw"

# --- bad input: one line naming the SPEC, the line and the problem ------------------------
printf 'molecule H2 -6.8\nmolecule H2O -14.2\nmechanism orr_9e\ncatalyst a\nstate * -1\n' >"$T/s1.spec"
run 1 fed "$T/s1.spec"
has err "s1.spec: line 3: unknown mechanism \"orr_9e\""
same "$(wc -l <"$T/err")" "1"
printf 'molecule H2 -6.8\nmolecule H2O -14.2\nmechanism orr_4e\ncatalyst a\nstate * -100\nstate *OH -110\nstate *O -105\n' >"$T/s2.spec"
run 1 fed "$T/s2.spec" --summary
has err "s2.spec: line 4: catalyst a: mechanism orr_4e needs state \*OOH, which is not given"
same "$(sv status a -)" "refused"
printf 'molecule H2 -6.8\nmolecule H2O -14.2\ncustom c reduction\nlevel * pairs 0 with O2\nlevel *OOH pairs -1\ncatalyst a mechanism c\nstate * -1\n' >"$T/s3.spec"
run 1 fed "$T/s3.spec"
has err "s3.spec: line 5: negative (H+ + e-) count -1"
printf 'molecule H2 -6.8\nmolecule H2O -14.2\nmechanism her\ncatalyst a\nstate *H -100 zpe\n' >"$T/s4.spec"
run 1 fed "$T/s4.spec"
has err "s4.spec: line 5: \"zpe\" needs a value"
printf 'molecule H2 -6.8\nmolecule H2O -14.2\nmechanism her\ncatalyst a\nstate * no_such_OSZICAR\nstate *H -100\n' >"$T/s5.spec"
run 1 fed "$T/s5.spec"
has err "s5.spec: line 5: catalyst a, state \*: .*no_such_OSZICAR"
printf 'molecule H2 no_such_file\nmechanism her\ncatalyst a\nstate * -1\n' >"$T/s6.spec"
run 1 fed "$T/s6.spec"
has err "s6.spec: line 1: molecule H2: "
run 1 fed "$T/no_such.spec"
has err "no_such.spec"
printf 'mechanism her\ncatalyst a\nstate * -1\nstate *H -2\n' >"$T/s7.spec"
run 1 fed "$T/s7.spec"
has err "needs \"molecule H2"

if [ ! -d "$D/real/SAC_HOER_data/RawData" ] || [ ! -d "$D/qe" ]; then
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ] || exit 1
    echo "SKIP: $D/real/SAC_HOER_data or $D/qe absent (../shared absent): real-data checks skipped"
    exit 77
fi

# --- SAC_HOER: 140 sites x 5 VASP runs ----------------------------------------------------
sh "$SCRIPTS/make-sac-hoer-spec" "$D/real/SAC_HOER_data/RawData" >"$T/sac.spec"
same "$(grep -c '^catalyst ' "$T/sac.spec")" "140"
run 1 fed "$T/sac.spec" --summary
# refused: the 40 Co/Cr/Fe/Mn/Mo/Ni/V/W sites (substrate with LDAU + LASPH, adsorbates
# without) but 2N2_W, refused earlier for its empty *OH OSZICAR; 0N0_Os (ISMEAR -5 vs 0)
same "$(grep -c '^dftpost fed: refused' "$T/err")" "41"
same "$(awk -F'\t' '!/^#/ && $11 == "refused"' "$T/out" | wc -l)" "41"
has err "refused: .*catalyst 0N0_Co: runs not comparable.*0N0_Co_substrate/OSZICAR vs .*0N0_Co_O/OSZICAR: LASPH: T vs (not set); LDAU: T vs (not set)"
has err "refused: .*catalyst 0N0_Os: runs not comparable.*0N0_Os_substrate/OSZICAR vs .*0N0_Os_H/OSZICAR: ISMEAR: -5 vs 0"
has err "refused: .*catalyst 2N2_W, state \*OH: .*2N2_W_OH/OSZICAR: file is empty"
for m in Co Cr Fe Mn Mo Ni V W; do
    for x in 0N0 1N1 3N3 4N4; do
        same "$(sv status ${x}_$m orr_4e)$(sv status ${x}_$m -)" "refused" "${x}_$m"
    done
done
has out "^# refused 4N4_V: .*LDAU: T vs (not set)"
# computed: 99 sites x 2 mechanisms; 4N4_Au (no CONTCAR beside its substrate) with a warning
same "$(awk -F'\t' '!/^#/ && $11 == "ok"' "$T/out" | wc -l)" "198"
same "$(sv status 4N4_Au orr_4e)" "ok"
has err "4N4_Au_substrate/OSZICAR: no readable CONTCAR"
has out "^# warning 4N4_Au: composition not checked"
# 0N0_Pt by hand from the OSZICAR E0 values (last ionic step):
#   E(*) = -1169.8018, E(*H) = -1173.6215, E(*O) = -1174.9434, E(*OH) = -1179.7458,
#   E(*OOH) = -1184.0263 eV; G(H2) = -6.77 + 0.27 - 0.41 = -6.91, G(H2O) = -14.22 + 0.56 -
#   0.67 = -14.33; corrections *H 0.17, *OH 0.35, *O 0.05, *OOH 0.41 (shipped table).
#   dG_H   = -3.8197 + 0.17 + 3.455            = -0.1947  -> HER U_L -0.1947 V (step 2)
#   dG_OH  = -9.9440 + 0.35 + 14.33 - 3.455    =  1.2810
#   dG_O   = -5.1416 + 0.05 + 14.33 - 6.91     =  2.3284
#   dG_OOH = -14.2245 + 0.41 + 28.66 - 10.365  =  4.4805
#   ORR steps: -0.4395, -2.1521, -1.0474, -1.2810 -> U_L 0.4395 V (step 1), eta 0.7905 V
same "$(sv limiting_potential 0N0_Pt orr_4e)" "0.4395"
same "$(sv overpotential 0N0_Pt orr_4e)" "0.7905"
same "$(sv pds 0N0_Pt orr_4e)" "1"
same "$(sv limiting_potential 0N0_Pt her)" "-0.1947"
same "$(sv pds 0N0_Pt her)" "2"
run 1 fed "$T/sac.spec"
same "$(stv dG_0 0N0_Pt orr_4e 2 0)" "-2.1521"
same "$(stv dG_0 0N0_Pt orr_4e 3 0)" "-1.0474"
# --allow-mixed: the LDAU sites are computed, marked mixed, warned about
run 1 fed "$T/sac.spec" --summary --allow-mixed
same "$(sv status 0N0_Co orr_4e)" "mixed"
has out "^# warning mixed 0N0_Co: .*LDAU: T vs (not set)"
has err "warning: .*catalyst 0N0_Co: runs not comparable, used anyway"
# still refused: 2N2_W (empty file) and six sites whose *OOH run holds only O + H (an *OH
# structure: CONTCAR of 1N1_W_OOH has H1 W1 C125 N1 O1), caught by the composition check
same "$(grep -c '^dftpost fed: refused' "$T/err")" "7" "2N2_W + 6 *OOH that are *OH"
for x in 1N1_W 3N3_Mo 3N3_W 4N4_Mo 4N4_V 4N4_W; do
    has err "refused: .*catalyst $x: state \*OOH: .*${x}_OOH/OSZICAR has atoms H+1 O+1 relative to .*${x}_substrate/OSZICAR, not the OOH its label says"
done
# the SVG of four clean sites
run 1 fed "$T/sac.spec" --svg "$T/sac.svg" --plot 0N0_Pt,2N2_Pt,1N1_Ir,4N4_Rh
same "$(grep -c '<text [^>]*font-size="12.5">[0-9]N[0-9]_' "$T/sac.svg")" "8" "4 catalysts x 2 panels"

# --- QE gas references (../shared/data/qe): the DFT O2 against the 4.92 eV rule -------------
# E of pw.out, the "!    total energy" lines x 13.605693122994 (e_free, QE's usual energy; TS = 0
# for these three, so e_sigma0 is the same): O2 -864.081507, H2 -31.680357, H2O -466.234260 eV:
# G(O2) + 2 G(H2) - 2 G(H2O) = -864.081507 - 63.360714 + 932.468520 = 5.0263 eV (no
# corrections) against 4.92: PBE overbinds O2 by ~0.1 eV here.
cat >"$T/qe.spec" <<EOF
molecule H2  $D/qe/H2/pw.out nocorr
molecule H2O $D/qe/H2O/pw.out nocorr
molecule O2  $D/qe/O2/pw.out nocorr
molecule N2  $D/qe/N2/pw.out nocorr
custom water_oxidation oxidation
level - pairs 0 with 2*H2O
level - pairs 4 with O2
catalyst gas mechanism water_oxidation
EOF
# H2 and H2O ran with nspin 1, O2 with nspin 2 (their pw.x inputs): refused without
# --allow-mixed, naming the setting; computed with it, the warning kept in the output
run 1 fed "$T/qe.spec" --summary
has err "H2/pw.out vs .*O2/pw.out: ISPIN: 1 vs 2"
run 0 fed "$T/qe.spec" --summary --allow-mixed
has out "^# .*ISPIN: 1 vs 2"
same "$(sv dG_total gas water_oxidation)" "5.0263"
same "$(sv limiting_potential gas water_oxidation)" "1.2566" "5.0263 / 4"
has out "^# O2 check: G(O2) + 2 G(H2) - 2 G(H2O) = 5.0263 eV"
has out "^# reference N2: G = -556.036722 eV"
# H2O's correction from its phonons (dynmat.x, ideal gas at 0.035 bar = 3534 Pa): the same
# g_corr as `dftpost thermo --ideal-gas --symmetry 2 --spin 0 --pressure 3534` (-0.003992 eV;
# its TS 0.6700 eV is the 0.67 eV of Norskov's table)
sed "s|^molecule H2O .*|molecule H2O $D/qe/H2O/pw.out freq $D/qe/H2O_ph/dynmat.out gas 2 0 pressure 3534|" \
    "$T/qe.spec" >"$T/qef.spec"
run 0 fed "$T/qef.spec" --summary --allow-mixed
has out "^# reference H2O: G = -466.238252 eV .* -0.0040 (ideal-gas model from .*ts 0.6700)"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
