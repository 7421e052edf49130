#!/usr/bin/env bash
# End-to-end tests of `dftpost volcano`: the curve and summary tables, formats, the SVG,
# exit codes. Expected numbers by hand (che.h): ORR U_L = min(x, 4.92 - C - x, C/2),
# apex at x = (4.92 - C)/2; C = 3.2: 0.86 V, eta 0.37 V; C = 2.46: 1.23 V, eta 0.
# usage: cli_volcano.sh DFTPOST
set -u
BIN=$1
. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"

colwhere() {
    awk -F'\t' -v name="$1" -v key="$2" -v val="$3" '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
        $(c[key]) + 0 == val + 0 { print $(c[name]); exit }' "$T/out"
}
header() { awk '/^#/ { next } { print; exit }' "$T/out"; }

# --- help and usage ---------------------------------------------------------------------
run 0 volcano --help; has out "usage: dftpost volcano"
for flag in --reaction --offset --range --step --summary --svg --format --output --help; do
    has out -- "$flag"
done
run 2 volcano --offset 3.2; has err "reaction"; empty out
run 2 volcano --reaction orr; has err "offset"; empty out
run 2 volcano --reaction hor --offset 3.2; has err "unknown reaction"
run 2 volcano --reaction orr --offset abc; has err "offset"
run 2 volcano --reaction orr --offset 3.2 --range 2:1; has err "range"
run 2 volcano --reaction orr --offset 3.2 --range 1; has err "range"
run 2 volcano --reaction orr --offset 3.2 --step 0; has err "step"
run 2 volcano --reaction orr --offset 3.2 --step -0.1; has err "step"
run 2 volcano --reaction orr --offset 3.2 --range 0:1000 --step 1e-6; has err "points"
run 2 volcano --reaction orr --offset 3.2 --format xml
run 2 volcano --reaction orr --offset 3.2 --bogus
run 2 volcano --reaction orr --offset 3.2 extra-file; has err "no file"

# --- the summary: the issue's numbers ----------------------------------------------------
run 0 volcano --reaction orr --offset 3.2 --summary
same "$(header)" "$(printf 'reaction\toffset\tlimiting_potential_max\toverpotential_min\tapex_descriptor')"
same "$(rows)" 1
near "$(col limiting_potential_max)" 0.86 1e-9
near "$(col overpotential_min)" 0.37 1e-9
near "$(col apex_descriptor)" 0.86 1e-9
run 0 volcano --reaction orr --offset 2.46 --summary
near "$(col limiting_potential_max)" 1.23 1e-9
near "$(col overpotential_min)" 0 1e-9
near "$(col apex_descriptor)" 1.23 1e-9
# OER: U_L = max(x, 1.72 - x, 1.6): best (lowest) 1.6 V, eta 0.37 V
run 0 volcano --reaction oer --offset 3.2 --summary
near "$(col limiting_potential_min)" 1.6 1e-9
near "$(col overpotential_min)" 0.37 1e-9

# --- the curve --------------------------------------------------------------------------
run 0 volcano --reaction orr --offset 3.2
same "$(header)" "$(printf 'descriptor\tlimiting_potential')"
same "$(rows)" 301                       # -0.5:2.5 step 0.01, both ends
has out "^# summary: limiting_potential_max = 0.86 V, overpotential_min = 0.37 V"
has out "apex_descriptor = 0.86 eV"
has out "^# descriptor = ΔG(\*OH)"
near "$(col descriptor 1)" -0.5 1e-12
near "$(col descriptor 301)" 2.5 1e-12
near "$(colwhere limiting_potential descriptor 0.86)" 0.86 1e-9
near "$(colwhere limiting_potential descriptor 0.5)" 0.5 1e-9    # strong leg: U_L = x
near "$(colwhere limiting_potential descriptor 1.2)" 0.52 1e-9   # weak leg: 1.72 - x
max=$(awk -F'\t' '/^#/ { next } !h { h = 1; next } m == "" || $2 + 0 > m + 0 { m = $2 } END { print m }' "$T/out")
near "$max" 0.86 1e-9
# a range whose end is not on the grid: HI is still the last row
run 0 volcano --reaction orr --offset 3.2 --range 0:1 --step 0.3
same "$(rows)" 5
near "$(col descriptor 4)" 0.9 1e-12
near "$(col descriptor 5)" 1 1e-12
# the apex outside the range: a warning, the summary is still the apex's
run 0 volcano --reaction orr --offset 3.2 --range 1:2 --summary
has err "warning: the apex"
near "$(col limiting_potential_max)" 0.86 1e-9

# --- formats ----------------------------------------------------------------------------
run 0 volcano --reaction orr --offset 3.2 --range 0:1 --step 0.5 -f csv
same "$(head -1 "$T/out")" "descriptor,limiting_potential"
hasnt out "^#"
same "$(sed -n 3p "$T/out")" "0.5,0.5"
run 0 volcano --reaction orr --offset 3.2 --summary --format json
has out '"limiting_potential_max": 0.86'
has out '"reaction": "orr"'
if command -v python3 >/dev/null; then
    if python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); assert abs(d[0]["overpotential_min"] - 0.37) < 1e-9' "$T/out"; then ok
    else bad "summary JSON does not parse or lacks overpotential_min 0.37"; fi
fi
run 0 volcano --reaction orr --offset 3.2 --summary -o "$T/file.tsv"
empty out
if grep -q "limiting_potential_max" "$T/file.tsv"; then ok; else bad "-o file lacks the table"; fi

# --- SVG --------------------------------------------------------------------------------
for r in orr oer; do
    run 0 volcano --reaction $r --offset 3.2 --svg "$T/v.svg" --summary
    if [ -s "$T/v.svg" ]; then ok; else bad "$r: no SVG written"; fi
    if command -v xmllint >/dev/null; then
        if xmllint --noout "$T/v.svg" 2>"$T/xerr"; then ok; else bad "$r: SVG is not well-formed: $(head -c 300 "$T/xerr")"; fi
    else
        if grep -q "<svg" "$T/v.svg" && grep -q "</svg>" "$T/v.svg"; then ok; else bad "$r: SVG lacks <svg or </svg>"; fi
    fi
    cp "$T/v.svg" "$T/out"
    has out "ΔG(\*OH) / eV"
    has out "U_L / V vs RHE"
    has out "ΔG(\*OOH) = ΔG(\*OH) + 3.20 eV"
    has out "<circle"                   # the apex
done
run 1 volcano --reaction orr --offset 3.2 --svg "$T/no/such/dir/v.svg"; has err "cannot write"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
