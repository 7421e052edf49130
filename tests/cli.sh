#!/usr/bin/env bash
# End-to-end tests of the dftpost command line: exit codes, formats, messages.
# usage: cli.sh DFTPOST TESTDATA_DIR SHARED_DATA_DIR
# Expected numbers: the synthetic files' Gaussians (scripts/make-testdata-vasprun, hand
# calculation) and pymatgen (tests/reference/pymatgen_dband.tsv).
set -u
BIN=$1 TD=$2 SHARED=$3
FECO=$TD/vasp/FeCo-N6/vasprun.xml.gz
. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

# --- usage and help -------------------------------------------------------------
run 0 --help; has out "dband"
run 2; has err "usage"
run 2 frobnicate; has err 'unknown command "frobnicate"'
for c in info energy pdos dband; do
    run 0 "$c" --help; has out "--format"; has out "--output"
done
run 0 dband --help
for flag in --atoms --element --orbital --spin --erange --per-atom --efermi; do has out "$flag"; done
run 0 pdos --help
for flag in --atoms --orbital --spin --erange --mirror-down --efermi; do has out "$flag"; done
run 2 dband; has err "no FILE"
run 2 dband "$FECO" --spin sideways; has err "bad --spin"
run 2 dband "$FECO" --erange 3:1; has err "bad --erange"
run 2 dband "$FECO" --atoms 1 --element Fe; has err "not both"
run 2 dband "$FECO" --format xml; has err "unknown format"

# --- dband on the synthetic Fe-Co site (hand values from the generator's Gaussians) --
run 0 dband "$FECO"
empty err
has out "^# energies E - E_F in eV"
[ "$(rows)" = 2 ] && ok || bad "dband default rows: $(rows), expected Fe and Co"
[ "$(col atoms 1)" = Fe ] && [ "$(col atoms 2)" = Co ] && ok || bad "rows are not Fe, Co"
near "$(col center 1)" -2.0 1e-3                # (-3 + -1)/2
near "$(col width 1)" 1.349074 1e-3             # sqrt((1 + 0.64)/2 + 1)
near "$(col center 2)" -2.0 1e-3
near "$(col width 2)" 1.029563 1e-3             # sqrt(0.81 + 0.25)
near "$(col states 1)" 8.0 1e-3                 # 4 + 4 electrons' weight
run 0 dband "$FECO" --element Fe --spin both
near "$(col center 1)" -3.0 1e-3; near "$(col center 2)" -1.0 1e-3
[ "$(col spin 1)" = up ] && [ "$(col spin 2)" = down ] && ok || bad "spin both rows"
run 0 dband "$FECO" --atoms 1,2 --erange=-inf:0
[ "$(rows)" = 1 ] && [ "$(col atoms)" = "1,2" ] && ok || bad "--atoms group row"
near "$(col emax)" 0 1e-9                       # the grid (step 0.05 eV) has a point at E_F itself
near "$(col emin)" -10 1e-9
run 0 dband "$FECO" --per-atom --spin both
[ "$(rows)" = 4 ] && ok || bad "--per-atom --spin both: $(rows) rows, expected 4"
run 0 dband "$FECO" --atoms 3 --orbital p
# N p: one Gaussian at E_F - 6, sigma 1.5, cut by the grid's start at -10 (alpha = -8/3):
# truncated-normal mean -6 + 1.5·phi(alpha)/(1 - Phi(alpha)) = -6 + 1.5·0.011370/0.996170
near "$(col center)" -5.98288 1e-3
run 0 dband "$FECO" --element Fe --orbital t2g,eg
near "$(col center)" -2.0 1e-3                  # t2g + eg is the whole d band
run 0 dband "$FECO" --efermi -3.1
near "$(col center 1)" -1.0 1e-3                # E_F moved down 1 eV: centre moves up 1 eV
run 2 dband "$FECO" --atoms 9; has err "out of range"; has err "1-8"
run 2 dband "$FECO" --element Pt; has err "element Pt is not in"
run 2 dband "$FECO" --orbital dq; has err "unknown orbital"
run 2 dband "$TD/vasp/NiO-lorbit10-f.xml" --orbital dxy; has err "LORBIT=11"
run 2 dband "$TD/vasp/NiO-noncollinear.xml" --spin up; has err "noncollinear"
run 0 dband "$TD/vasp/NiO-noncollinear.xml" --spin mz
near "$(col center)" -2.0 1e-3                  # generator: m_z is 0.1 x the charge part
near "$(col states)" 0.8 1e-3                   # 0.1 x 8
run 2 dband "$FECO" --spin mz; has err "need a noncollinear run"

# --- formats ----------------------------------------------------------------------
run 0 dband "$FECO" --format csv
[ "$(head -1 "$T/out")" = "file,atoms,orbital,spin,center,width,skewness,kurtosis,filling,upper_edge,states,emin,emax" ] \
    && ok || bad "csv header: $(head -1 "$T/out")"
hasnt out "^#"
run 0 dband "$FECO" -f json
has out '^\['; has out '"center": -'; hasnt out "^#"
run 0 dband "$TD/vasp/NiO-overflow.xml" -f json
has out '"center": null'; has err "overflowed"
run 0 dband "$FECO" -o "$T/file.tsv"
empty out
if grep -q "^file	atoms" "$T/file.tsv"; then ok; else bad "-o did not write the table"; fi

# --- pdos -------------------------------------------------------------------------
run 0 pdos "$FECO" --atoms Fe --orbital d --spin both --mirror-down
[ "$(rows)" = 301 ] && ok || bad "pdos rows: $(rows)"
[ "$(sed -n '/^energy/p' "$T/out")" = "energy	up	down" ] && ok || bad "pdos header"
near "$(col energy 1)" -10 1e-9
# at E - E_F = -3 (row 141) Fe d up peaks: 4/(1·sqrt(2π)) = 1.5958 states/eV
near "$(col up 141)" 1.595769 5e-3
if awk -F'\t' '/^[-0-9]/ && $3 > 0 { bad = 1 } END { exit bad }' "$T/out"; then ok; else bad "--mirror-down left a positive down value"; fi
run 0 pdos "$FECO" --erange=-1:1
[ "$(rows)" = 41 ] && ok || bad "pdos --erange rows: $(rows), expected 41"
run 2 pdos "$TD/vasp/NiO-lorbit10-f.xml" --spin up; has err "ISPIN=1"

# --- info and energy ----------------------------------------------------------------
run 0 info "$FECO" "$TD/vasp/NiO-nodos.xml"
[ "$(col formula 1)" = FeCoN6 ] && [ "$(col complete 1)" = yes ] && [ "$(col has_dos 2)" = no ] && ok || bad "info"
[ "$(col pdos_columns 1)" = "s py pz px dxy dyz dz2 dxz x2-y2" ] && ok || bad "info pdos_columns"
run 0 energy "$FECO" --steps
[ "$(rows)" = 3 ] && ok || bad "energy --steps rows"
run 0 energy "$FECO" -f csv
[ "$(head -1 "$T/out")" = "file,natoms,e_free,e_noentropy,e_sigma0,efermi,ionic_steps,complete" ] && ok || bad "energy header"
has out ",-76.54121000,-76.53921000,-76.54021000,-2.10000000,3,yes"   # generator: e_final + 0.002/0.004/0.003

# --- geom (hand-built cells; every expected distance is a hand calculation) ------------
run 0 geom "$FECO"
[ "$(col element_i 1)" = Fe ] && [ "$(col element_j 1)" = Co ] && ok || bad "geom first pair"
near "$(col distance 1)" 2.4 1e-6                # generator: Fe (4.8,6,7.5), Co (7.2,6,7.5)
near "$(col distance 4)" 1.769181 1e-6           # Fe-N5: sqrt(1.2^2 + 1.3^2)
[ "$(col step 1)" = 3 ] && ok || bad "geom step of the last frame: $(col step 1)"
run 0 geom "$FECO" --metals
[ "$(rows)" = 1 ] && ok || bad "geom --metals rows: $(rows)"
run 0 geom "$FECO" --cn
[ "$(col cn 1)" = 5 ] && [ "$(col neighbours 1)" = "Co2 N3 N4 N5 N6" ] && ok || bad "geom --cn Fe: $(col neighbours 1)"
run 0 geom "$FECO" --pairs N-Fe --step all
[ "$(rows)" = 16 ] && ok || bad "geom --pairs --step all rows: $(rows), expected 4 x 4 steps"
[ "$(col step 1)" = 0 ] && ok || bad "geom --step all starts at the input structure"
run 2 geom "$FECO" --step 9; has err "step 9 is not in the file"
run 2 geom "$FECO" --adsorbate H2; has err "bad --adsorbate"
run 2 geom "$FECO" --ref 1.2; has err "go with --adsorbate"

# O2 on a Fe-Co pair in a 15 Å box, one POSCAR per binding mode (Cartesian, Å)
poscar() { # NAME then "x y z" of Fe, Co, O, O
    { printf 'O2 on FeCo\n1.0\n15 0 0\n0 15 0\n0 0 15\nFe Co O\n1 1 2\nCartesian\n'
      printf '%s\n' "$2" "$3" "$4" "$5"; } >"$T/$1"
}
poscar end-on "5 5 5" "7.4 5 5" "5 5 6.9" "5 5 8.15"
poscar side-on "5 5 5" "7.4 5 5" "4.35 5 6.8" "5.65 5 6.8"
poscar bridge "5 5 5" "7.4 5 5" "5.5 5 6.7" "6.9 5 6.7"
poscar free "5 5 5" "7.4 5 5" "5 5 11" "5 5 12.21"
printf 'O2 gas\n1.0\n15 0 0\n0 15 0\n0 0 15\nO\n2\nCartesian\n5 5 5\n5 5 6.234\n' >"$T/gas"
for mode in end-on side-on bridge free; do
    run 0 geom "$T/$mode" --adsorbate O2
    [ "$(col mode)" = "$mode" ] && ok || bad "geom --adsorbate on $mode gave $(col mode)"
    [ "$(col pair)" = O-O ] && [ "$(col i)" = 3 ] && [ "$(col j)" = 4 ] && ok || bad "adsorbate pair"
done
run 0 geom "$T/end-on" --adsorbate auto
near "$(col length)" 1.25 1e-9; near "$(col ref)" 1.21 0; near "$(col elongation)" 0.04 1e-9
near "$(col elongation_pct)" 3.306 1e-3                            # 100 x 0.04 / 1.21
[ "$(col metals)" = Fe1 ] && [ "$(col metal_distances)" = "Fe1-O3=1.9000" ] && ok || bad "end-on metals"
run 0 geom "$T/bridge" --adsorbate O2 --gas "$T/gas"
near "$(col ref)" 1.234 1e-9; near "$(col elongation)" 0.166 1e-9 # 1.4 - 1.234
[ "$(col metals)" = "Fe1 Co2" ] && ok || bad "bridge metals: $(col metals)"
run 0 geom "$T/side-on" --adsorbate O2 --ref 1.3
near "$(col elongation)" 0 1e-9                                    # O-O 1.30 = ref
run 0 geom "$T/free" --adsorbate N2; has err "no N2 unit"; [ "$(rows)" = 0 ] && ok || bad "no N2 rows"

# --- the project's own QE runs (testdata/qe, made by scripts/make-qe-testdata; its README
# gives values measured with ASE) -----------------------------------------------------
Q=$TD/qe
run 0 energy "$Q/Fe1_O2/pw.out" "$Q/Fe1/pw.out" "$Q/O2/pw.out"
near "$(col e_free 1)" "$(awk 'BEGIN { printf "%.8f", -119.03336134 * 13.605693122994 }')" 1e-5
[ "$(col complete 3)" = yes ] && ok || bad "O2 relax complete"
run 0 geom "$Q/Fe1_O2/pw.out" --adsorbate O2 --gas "$Q/O2/pw.out"
[ "$(col mode)" = end-on ] && ok || bad "Fe1_O2 mode $(col mode)"
near "$(col length)" 1.3407 1e-4; near "$(col ref)" 1.2403 1e-4   # testdata/qe/README.md (ASE)
[ "$(col metal_distances)" = "Fe1-O2=1.7518" ] && ok || bad "Fe-O: $(col metal_distances)"
run 0 dband "$Q/Fe1_O2"
has err "two Fermi levels"
# numpy by hand: trapz(E·rho)/trapz(rho) with rho = the sum of the five per-m up and down
# columns of Fe1_O2.pdos_atm#1(Fe)_wfc#2(d) gives -5.359436 eV; minus E_F -3.6381.
# (The file's own ldos columns, rounded to 4 digits, give -5.3592: the README's value.)
near "$(col center)" -1.721336 1e-4
run 1 dband "$Q/Fe1_O2/pw.out"; has err "no projected DOS"
run 0 charges "$Q/Fe1_O2/projwfc.out" --group O
near "$(col total 2)" 6.2181 0; near "$(col total 3)" 6.2845 0   # testdata/qe/README.md
near "$(col net_charge 4)" -0.5026 1e-9                            # 12 - (6.2181 + 6.2845)

# --- bad input ----------------------------------------------------------------------
: >"$T/empty.xml"
run 1 energy "$T/empty.xml"; has err "empty.xml: file is empty"
head -c 3000 /dev/urandom >"$T/junk.xml"
run 1 dband "$T/junk.xml"; has err "junk.xml"
printf '<html><body/></html>\n' >"$T/page.xml"
run 1 info "$T/page.xml"; has err "not a vasprun.xml"
run 1 energy /nonexistent/vasprun.xml; has err "cannot open"
run 1 dband "$TD/vasp/NiO-nodos.xml"; has err "no projected DOS"
zcat "$FECO" | head -c 60000 >"$T/cut.xml"
run 1 dband "$T/cut.xml"; has err "cut off"
run 0 info "$T/cut.xml"; [ "$(col complete)" = no ] && ok || bad "info on a cut file says complete"
has err "incomplete file"
# one bad file among good ones: the good rows still come, the exit says something failed
run 1 energy "$FECO" "$T/empty.xml"; has out "FeCo-N6"; has err "empty.xml"

# --- real files (../shared) -------------------------------------------------------------
if [ -d "$SHARED/real" ]; then
    R=$SHARED/real
    run 0 dband "$R/pymatgen-core/vasp/vasprun.xml.gz" --element Fe
    near "$(col center)" -1.8415760211614662 1e-4    # pymatgen get_band_center, pymatgen_dband.tsv
    near "$(col upper_edge)" 4.6163973 1e-4          # pymatgen get_upper_band_edge
    run 0 dband "$R/pymatgen-core/vasp/vasprun.xml.gz" --element Fe --spin up --erange=-inf:0
    near "$(col center)" -5.444702548640485 1e-4     # pymatgen, erange [-inf, 0], Spin.up
    run 1 energy "$R/pyiron_atomistics/full_job_aborted/vasprun.xml"; has err "no complete ionic step"
    run 1 dband "$R/pymatgen-core/vasp/vasprun.bad.xml.gz"; has err "projected DOS is missing"
    run 0 energy "$R/pymatgen-core/vasp/vasprun.bad.xml.gz"
    near "$(col e_free)" -269.00551374 1e-8          # pymatgen (exception_on_bad_xml=False)
    has err "last complete one"
    # OUTCARs: values as printed in the files (PROVENANCE.md; pymatgen's tests use them)
    run 0 mag "$R/pymatgen-core/vasp/OUTCAR.gz"
    [ "$(sed -n '/^atom/p' "$T/out")" = "atom	element	s	p	d	tot" ] && ok || bad "mag header"
    near "$(col d 2)" 0.798 0; near "$(col tot 2)" 0.813 0; near "$(col p 5)" -0.165 0
    [ "$(col atom 8)" = total ] && ok || bad "mag total row"
    near "$(col tot 8)" 1.083 0
    run 0 mag "$R/pymatgen-core/vasp/OUTCAR.NiO_SOC.gz"
    near "$(col z 1)" 1.671 0; near "$(col tot 1)" 1.671 1e-3; near "$(col z 2)" -1.671 1e-3
    run 0 mag "$R/pymatgen-core/vasp/OUTCAR.NiO_SOC.gz" --component z
    near "$(col d 1)" 1.674 0
    run 1 mag "$R/rsgrad/vasp/OUTCAR_vibrations"; has err "no magnetization"
    run 0 modes "$R/rsgrad/vasp/OUTCAR_vibrations"
    [ "$(rows)" = 12 ] && ok || bad "modes rows: $(rows)"
    near "$(col cm1 1)" 3627.910256 1e-6; near "$(col cm1 6)" 388.963336 1e-6
    # the file prints the block twice (plain, then divided by sqrt(mass)): 12 modes, of
    # which 10-12 are f/i= (mode 12: 702.438182 cm-1)
    [ "$(col imaginary 9)" = no ] && [ "$(col imaginary 10)" = yes ] && ok || bad "imaginary flags"
    near "$(col cm1 12)" 702.438182 1e-6
    has err "3 imaginary mode"
    run 0 modes "$R/rsgrad/vasp/OUTCAR_vibrations" --vectors -f csv
    [ "$(wc -l <"$T/out")" = 49 ] && ok || bad "modes --vectors: 12 modes x 4 atoms + header"
    run 0 modes "$R/pymatgen-core/vasp/OUTCAR.total_tensor.Li2O.gz"
    near "$(col cm1 1)" 712.892411 1e-6
    [ "$(awk -F'\t' '$2 == "yes"' "$T/out" | wc -l)" = 3 ] && ok || bad "Li2O: three f/i= modes"
    run 0 energy "$R/pyiron_atomistics/vasp/OUTCAR_3"
    has out "OUTCAR_3"
    # Quantum ESPRESSO runs of shared/data/qe (its README and key_values.json measured
    # the reference values independently, with ASE)
    Q=$SHARED/qe
    run 0 energy "$Q/Fe2_O2/pw.out" "$Q/O2/pw.out"
    near "$(col e_free 1)" "$(awk 'BEGIN { printf "%.8f", -174.75794977 * 13.605693122994 }')" 1e-5
    near "$(col e_free 2)" -864.08151 1e-5                       # README: -63.50881939 Ry
    run 0 geom "$Q/Fe2_O2/pw.out" --adsorbate O2 --gas "$Q/O2/pw.out"
    [ "$(col mode)" = bridge ] && [ "$(col metals)" = "Fe1 Fe2" ] && ok || bad "Fe2_O2 is mu-1,2"
    near "$(col length)" 1.437 5e-4; near "$(col ref)" 1.237 5e-4  # README: O-O 1.437, gas 1.237
    run 0 geom "$Q/Fe1_O2/pw.out" --adsorbate O2
    [ "$(col mode)" = end-on ] && ok || bad "Fe1_O2 is end-on"
    near "$(col length)" 1.330 5e-4                              # README: O-O 1.330, M-O 1.754
    [ "$(col metal_distances)" = "Fe1-O2=1.7541" ] && ok || bad "Fe1_O2 M-O: $(col metal_distances)"
    run 0 geom "$Q/Fe2_O2/pw.out" --metals
    near "$(col distance)" 1.949 5e-4                            # README: M-M 1.949
    run 0 dband "$Q/Fe2_O2" --spin both
    has err "two Fermi levels"
    near "$(col center 1)" -2.8161260403906 1e-4                # numpy_qe_dband.tsv, Fe2_O2 up
    near "$(col center 2)" -0.18383173501 1e-4                  # numpy_qe_dband.tsv, Fe2_O2 down
    run 0 charges "$Q/Fe2_O2/projwfc.out" --group 3,4
    near "$(col total 3)" 6.3645 0                               # projwfc.out line 296
    [ "$(col atom 5)" = "group:3,4" ] && [ "$(col element 5)" = O2 ] && ok || bad "charges group row"
    near "$(col total 5)" 12.729 1e-9                            # 2 x 6.3645
    near "$(col net_charge 5)" -0.729 1e-9                       # 12 valence electrons - 12.729
    run 1 charges "$Q/Fe2_O2/pw.out"; has err "no atomic charges"
    run 2 charges "$Q/Fe2_O2/projwfc.out" --group 9; has err "out of range"
else
    echo "SKIP (partly): $SHARED is absent; the real-file CLI checks need ../shared"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
