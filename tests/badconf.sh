#!/bin/sh
# badconf.sh - damaged, hostile and odd configuration files, odd HOMEs, and
# absurd command-line values.
#
# Every case runs perftop --check-config (or --batch) under timeout(1): a
# hang or a crash (exit 124 or >= 128) always fails.  A bad file must give
# exactly one line on stderr, "perftop: FILE:LINE: reason" (FILE: reason
# for what is wrong with the file as a whole: too large, not a regular
# file, a symlink loop), and exit 1 (3 with --batch); an unknown setting is
# a "FILE:LINE: warning:" line and exit 0.  The files: empty, binary (with
# and without NUL bytes), 10 MB, deep nesting (lists, arrays, groups),
# wrong types, duplicates, out of range, inf and NaN, unknown keys,
# @include of itself, a FIFO (no hang), a symlink loop, at --config and at
# the default place.  HOME unset, HOME or XDG_CONFIG_HOME relative, and a
# perftop.conf (or .config/perftop/perftop.conf) in the current directory:
# never read.  Absurd values of --interval, --count, --iterations and
# --duration: refused with one line naming the option, exit 2 (3 with
# --batch), before any sampling.
#
# Run by make check with PERFTOP set.  Exit 0 pass, 1 fail.

. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
# Only for the temporary home and the report helpers: no tmux here.
TMUX_BIN=${TMUX_BIN:-true}
command -v "$TMUX_BIN" >/dev/null 2>&1 || TMUX_BIN=true
pt_init badconf || exit $?

D=$PT_TMP/conf
mkdir -p "$D"
TO="timeout -k 2 10"

# run ARGS...: perftop under timeout; sets RC, ERR (stderr), OUT (stdout).
run() {
	$TO "$PERFTOP" "$@" >"$PT_TMP/out" 2>"$PT_TMP/err"
	RC=$?
	ERR=$(cat "$PT_TMP/err")
	OUT=$(cat "$PT_TMP/out")
}

# bad NAME FILE REGEX: --check-config and --batch refuse FILE with one line
# "perftop: FILE...REGEX".
bad() {
	run --check-config --config "$2"
	r1=$RC
	e1=$ERR
	ok=1
	[ $r1 -eq 1 ] && [ "$(printf '%s\n' "$e1" | wc -l)" -eq 1 ] &&
	    printf '%s\n' "$e1" | grep -Eq -- "^perftop: $2$3" && ok=0
	if [ $ok -eq 0 ]; then
		run --batch --count 1 --config "$2"
		[ $RC -eq 3 ] && [ "$ERR" = "$e1" ] && [ -z "$OUT" ] || ok=1
	fi
	pt_check $ok "$1: refused, one line, exit 1 (3 with --batch)" \
	    "(exit $r1: $(printf '%s' "$e1" | head -n 2 | cut -c 1-200))"
}

# good NAME FILE [WARNING-REGEX]: accepted, exit 0; with a regex, stderr is
# exactly one warning line matching it, else empty.
good() {
	run --check-config --config "$2"
	if [ -n "${3:-}" ]; then
		[ $RC -eq 0 ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] &&
		    printf '%s\n' "$ERR" | grep -Eq -- "^$2$3"
	else
		[ $RC -eq 0 ] && [ -z "$ERR" ]
	fi
	pt_check $? "$1: accepted${3:+ with a warning}, exit 0" \
	    "(exit $RC: $(printf '%s' "$ERR" | head -n 2 | cut -c 1-200))"
}

# ---- damaged files ------------------------------------------------------------
: >"$D/empty"
good "empty file" "$D/empty"

head -c 4096 /dev/urandom >"$D/binary-nul"
printf 'interval = 1;\n\0\0\0' >>"$D/binary-nul"
bad "binary with NUL bytes" "$D/binary-nul" ':[0-9]+: '

# Binary without NUL: every byte value but 0, shuffled by a fixed key.
awk 'BEGIN { for (i = 0; i < 4096; i++) printf "%c", (i * 37 + 11) % 255 + 1 }' \
    >"$D/binary"
bad "binary without NUL" "$D/binary" ':[0-9]+: '

head -c 10485760 /dev/zero | tr '\0' '#' >"$D/10mb"
t0=$(pt_now_ms)
bad "10 MB file" "$D/10mb" ': .*(large|big|size)'
echo "# 10 MB file refused in $(($(pt_now_ms) - t0)) ms (both runs)"

# Deep nesting, just under 1 MiB: lists, arrays, groups.
awk 'BEGIN { printf "a = "; for (i = 0; i < 200000; i++) printf "(";
    for (i = 0; i < 200000; i++) printf ")"; print ";" }' >"$D/deep-list"
bad "200,000 nested lists" "$D/deep-list" ':[0-9]+: '
awk 'BEGIN { printf "a = "; for (i = 0; i < 100000; i++) printf "[";
    for (i = 0; i < 100000; i++) printf "]"; print ";" }' >"$D/deep-array"
bad "100,000 nested arrays" "$D/deep-array" ':[0-9]+: '
awk 'BEGIN { printf "thresholds = "; for (i = 0; i < 60000; i++)
    printf "{a=";  printf "1"; for (i = 0; i < 60000; i++) printf ";}";
    print ";" }' >"$D/deep-group"
run --check-config --config "$D/deep-group"
[ $RC -le 1 ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -le 2 ] &&
    printf '%s\n' "$ERR" | grep -q "^\(perftop: \)\?$D/deep-group:[0-9]*: "
pt_check $? "60,000 nested groups: an error or a warning, no crash" \
    "(exit $RC: $(printf '%s' "$ERR" | head -n 2 | cut -c 1-200))"

printf 'version = 1;\ninterval = "fast";\n' >"$D/type-string"
bad "a string for a number" "$D/type-string" ':2: .*interval'
printf 'history = 2.5;\n' >"$D/type-float"
bad "a float for a whole number" "$D/type-float" ':1: .*history'
printf '\n\nascii_only = 1;\n' >"$D/type-bool"
bad "a number for a boolean" "$D/type-bool" ':3: .*ascii_only'
printf 'sort = ["cpu"];\n' >"$D/type-array"
bad "an array for a string" "$D/type-array" ':1: .*sort'
printf 'thresholds = 5;\n' >"$D/type-group"
bad "a number for a group" "$D/type-group" ':1: .*thresholds'
printf 'interval = 1;\ninterval = 2;\n' >"$D/duplicate"
bad "a duplicate setting" "$D/duplicate" ':2: .*duplicate'
printf 'interval = 0.01;\n' >"$D/range-low"
bad "interval below its range" "$D/range-low" ':1: .*interval'
printf 'history = 5000000000;\n' >"$D/range-wrap"
bad "5000000000 (libconfig wraps it to an int)" "$D/range-wrap" ':1: .*history'
printf 'history = 5000000000L;\n' >"$D/range-int64"
bad "an int64 history" "$D/range-int64" ':1: .*history'
printf 'overview_procs = -1;\n' >"$D/range-neg"
bad "a negative count" "$D/range-neg" ':1: .*overview_procs'
printf 'interval = 1e999;\n' >"$D/inf"
bad "inf (1e999)" "$D/inf" ':1: .*interval'
printf 'window = -1e999;\n' >"$D/minus-inf"
bad "-inf" "$D/minus-inf" ':1: .*window'
printf 'interval = nan;\n' >"$D/nan"
bad "nan (not a libconfig number)" "$D/nan" ':1: '
printf 'thresholds = { cpu_busy_pct = { crit = 1e999; }; };\n' >"$D/th-inf"
bad "an infinite threshold level" "$D/th-inf" ':1: .*cpu_busy_pct'
printf 'thresholds = { cpu_busy_pct = { info = 99; warn = 50; }; };\n' \
    >"$D/th-order"
bad "threshold levels out of order" "$D/th-order" ':1: .*cpu_busy_pct'
printf 'version = 1;\nintervall = 1;\n' >"$D/unknown"
good "an unknown setting" "$D/unknown" ':2: warning: .*intervall'
printf '# itself\n@include "%s"\n' "$D/include-self" >"$D/include-self"
bad "@include of itself (a loop)" "$D/include-self" ':2: .*@include'
printf '@include "%s"\n' "$D/include-b" >"$D/include-a"
printf '@include "%s"\n' "$D/include-a" >"$D/include-b"
bad "@include loop a -> b -> a" "$D/include-a" ':1: .*@include'

mkfifo "$D/fifo"
t0=$(pt_now_ms)
bad "a FIFO" "$D/fifo" ': .*regular'
echo "# FIFO refused in $(($(pt_now_ms) - t0)) ms (both runs)"
ln -s "$D/loop-b" "$D/loop-a"
ln -s "$D/loop-a" "$D/loop-b"
bad "a symlink loop" "$D/loop-a" ': .*symbolic links'
bad "a directory" "$D" ': '

# At the default place: $XDG_CONFIG_HOME/perftop/perftop.conf.
X=$PT_TMP/xdgbad
mkdir -p "$X/perftop"
mkfifo "$X/perftop/perftop.conf"
XDG_CONFIG_HOME=$X run --check-config
[ $RC -eq 1 ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] &&
    printf '%s\n' "$ERR" | grep -q "^perftop: $X/perftop/perftop.conf: "
pt_check $? "a FIFO at the default place: refused, no hang" "($ERR)"
rm -f "$X/perftop/perftop.conf"
ln -s perftop.conf "$X/perftop/perftop.conf"
XDG_CONFIG_HOME=$X run --check-config
[ $RC -eq 1 ] && printf '%s\n' "$ERR" | grep -q "symbolic links"
pt_check $? "a symlink loop at the default place: refused" "($ERR)"

# ---- HOME, XDG_CONFIG_HOME and the current directory ---------------------------
# A trap in the current directory: every relative place holds a file that
# would fail.
W=$PT_TMP/cwd
mkdir -p "$W/.config/perftop" "$W/rel/perftop" "$W/perftop"
for f in "$W/perftop.conf" "$W/.config/perftop/perftop.conf" \
    "$W/rel/perftop/perftop.conf" "$W/perftop/perftop.conf"; do
	printf 'interval = "from the current directory";\n' >"$f"
done
# defaults_used NAME: exit 0, nothing read from the current directory.
defaults_used() {
	[ $RC -eq 0 ] && ! printf '%s\n%s\n' "$OUT" "$ERR" |
	    grep -q 'current directory\|cwd/'
	pt_check $? "$1: nothing read from the current directory" \
	    "(exit $RC: $(printf '%s %s' "$OUT" "$ERR" | cut -c 1-160))"
}
(cd "$W" && env -u HOME -u XDG_CONFIG_HOME $TO "$PERFTOP" --check-config \
    >"$PT_TMP/out" 2>"$PT_TMP/err")
RC=$?; OUT=$(cat "$PT_TMP/out"); ERR=$(cat "$PT_TMP/err")
defaults_used "HOME and XDG_CONFIG_HOME unset"
(cd "$W" && env HOME=. XDG_CONFIG_HOME= $TO "$PERFTOP" --check-config \
    >"$PT_TMP/out" 2>"$PT_TMP/err")
RC=$?; OUT=$(cat "$PT_TMP/out"); ERR=$(cat "$PT_TMP/err")
defaults_used "HOME=."
(cd "$W" && env HOME="$PT_TMP/nohome" XDG_CONFIG_HOME=rel $TO "$PERFTOP" \
    --check-config >"$PT_TMP/out" 2>"$PT_TMP/err")
RC=$?; OUT=$(cat "$PT_TMP/out"); ERR=$(cat "$PT_TMP/err")
defaults_used "XDG_CONFIG_HOME=rel"
(cd "$W" && env HOME= XDG_CONFIG_HOME= $TO "$PERFTOP" --check-config \
    >"$PT_TMP/out" 2>"$PT_TMP/err")
RC=$?; OUT=$(cat "$PT_TMP/out"); ERR=$(cat "$PT_TMP/err")
defaults_used "HOME and XDG_CONFIG_HOME empty"
# And a batch run there works with the defaults.
(cd "$W" && env -u HOME $TO "$PERFTOP" --batch --count 1 --interval 0.1 \
    >"$PT_TMP/out" 2>"$PT_TMP/err")
RC=$?
[ $RC -le 2 ] && [ -s "$PT_TMP/out" ]
pt_check $? "HOME unset: --batch runs" "(exit $RC: $(head -c 160 "$PT_TMP/err"))"

# ---- absurd command-line values -----------------------------------------------
# clibad OPTION VALUE: refused, one line naming the option, exit 2 (and 3
# with --batch), at once.
clibad() {
	t0=$(pt_now_ms)
	run "$1" "$2" --check-config
	r1=$RC
	e1=$ERR
	run --batch "$1" "$2"
	t1=$(pt_now_ms)
	[ $r1 -eq 2 ] && [ $RC -eq 3 ] &&
	    [ "$(printf '%s\n' "$e1" | wc -l)" -eq 1 ] &&
	    printf '%s\n' "$e1" | grep -q -- "^perftop: $1" &&
	    [ -z "$OUT" ] && [ $((t1 - t0)) -lt 2000 ]
	pt_check $? "$1 $2: refused (exit $r1 and $RC)" \
	    "($(printf '%s' "$e1" | head -n 2 | cut -c 1-160))"
}
for v in 1e9 -1 0 nan inf -inf 0.05 1,5 '' '1 s' 0x10 0x1p-1; do
	clibad --interval "$v"
done
for v in 1e12 0 -3 99999999999999999999 2.5 86401; do
	clibad --count "$v"
done
for v in -5 0 1e3 nan; do
	clibad --iterations "$v"
done
for v in 1e300 -1 0 nan inf; do
	clibad --duration "$v"
done
# Within each range, but too many samples together.
run --batch --duration 311040000 --interval 0.1
[ $RC -eq 3 ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] &&
    printf '%s\n' "$ERR" | grep -q -- '--duration'
pt_check $? "--duration 311040000 at 0.1 s: too many samples, refused" \
    "($ERR)"

pt_done
