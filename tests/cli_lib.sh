# Shared harness of the end-to-end CLI tests (sourced; BIN must be set).
# Each check counts a pass or prints "FAIL: ..." and counts a failure; a script ends
# by printing "$pass passed, $fail failed" and exiting non-zero on any failure.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# run EXPECTED_EXIT ARGS... : runs dftpost, keeps stdout in $T/out, stderr in $T/err
run() {
    local want=$1; shift
    "$BIN" "$@" >"$T/out" 2>"$T/err"
    local got=$?
    if [ "$got" = "$want" ]; then ok; else bad "dftpost $* exited $got, expected $want: $(head -c 300 "$T/err")"; fi
}
has() { if grep -q -- "$2" "$T/$1"; then ok; else bad "$1 lacks '$2': $(head -c 300 "$T/$1")"; fi; }
hasnt() { if grep -q -- "$2" "$T/$1"; then bad "$1 has '$2'"; else ok; fi; }
empty() { if [ -s "$T/$1" ]; then bad "$1 not empty: $(head -c 300 "$T/$1")"; else ok; fi; }
same() { if [ "$1" = "$2" ]; then ok; else bad "'$1' is not '$2'${3:+ ($3)}"; fi; }
# near VALUE WANT TOL
near() {
    if awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= t) }'; then ok
    else bad "value '$1' is not $2 within $3"; fi
}
# col NAME [ROW]: value of column NAME in data row ROW (1-based) of $T/out (TSV)
col() {
    awk -F'\t' -v name="$1" -v row="${2:-1}" '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
        ++n == row { print $(c[name]); exit }' "$T/out"
}
rows() { awk '/^#/ { next } !h { h = 1; next } { n++ } END { print n + 0 }' "$T/out"; }
