#!/bin/sh
# killwrite.sh - kill -9 in the middle of writing a report (make check).
#
# A report is written to a temporary file next to the target and renamed
# over it, so whenever perftop dies -- while loading, rendering, writing or
# syncing -- the target holds either the earlier file, whole, or the new
# report, whole; never a part of one.  The test renders a large snapshot
# (the shipped fixture repeated to ~1,200 samples) as HTML and as JSON over
# an earlier file and SIGKILLs perftop at spread-out moments; it also checks
# that a kill is really landing during the run (some runs must keep the old
# file) and that runs left alone finish.  A killed run may leave its
# temporary ".NAME.XXXXXX" file behind (nothing can remove it after
# SIGKILL); it is never at the target's name.
#
# Exit 0 pass, 1 fail, 77 skip (jq missing), 99 bad setup.  About 10 s.

if [ -z "$PERFTOP" ] || [ ! -x "$PERFTOP" ]; then
	echo "killwrite.sh: PERFTOP must name the perftop binary" >&2
	exit 99
fi
command -v jq >/dev/null 2>&1 || { echo "killwrite.sh: jq not found: SKIP" >&2; exit 77; }
SRCDIR=${SRCDIR:-$(dirname "$0")/..}
FIXTURE=$SRCDIR/tests/fixtures/snapshot-cpu.json

T=$(mktemp -d "${TMPDIR:-/tmp}/perftop-killwrite.XXXXXX") || exit 99
PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM
HOME=$T/home XDG_CONFIG_HOME=$T/xdg XDG_STATE_HOME=$T/state
export HOME XDG_CONFIG_HOME XDG_STATE_HOME
mkdir -p "$HOME" "$T/out"

N=0
FAILED=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
bad() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $1"; }

# The fixture's 8 samples, 150 times over, each copy later in time.
jq '(.samples[-1].t - .samples[0].t + 1) as $span |
    .samples |= [range(0; 150) as $k | .[] | .t += ($k * $span)]' \
    "$FIXTURE" >"$T/big.json" || exit 99

for fmt in html json; do
	# How long a whole run takes, to spread the kills over it.
	start=$(date +%s%N)
	"$PERFTOP" --batch --replay "$T/big.json" --format "$fmt" \
	    -o "$T/out/full.$fmt"
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	if [ $rc -le 2 ] && { [ $fmt = json ] || tail -c 64 "$T/out/full.$fmt" |
	    grep -q '</html>'; } && { [ $fmt = html ] ||
	    jq -e '.samples | length == 1200' "$T/out/full.$fmt" >/dev/null; }; then
		ok "$fmt: a run left alone writes the whole report (${ms} ms, exit $rc)"
	else
		bad "$fmt: a run left alone writes the whole report (exit $rc)"
	fi
	[ "$ms" -ge 20 ] || ms=20
	target=$T/out/report.$fmt
	old=0 new=0 broken=0
	for i in $(seq 1 12); do
		printf 'the earlier report %s\n' "$i" >"$target"
		"$PERFTOP" --batch --replay "$T/big.json" --format "$fmt" \
		    -o "$target" 2>/dev/null &
		PID=$!
		# From the start to a little past the usual end.
		delay=$((ms * i / 10))
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		kill -9 "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
		PID=
		if [ "$(cat "$target")" = "the earlier report $i" ]; then
			old=$((old + 1))
		elif [ $fmt = html ] && tail -c 64 "$target" | grep -q '</html>'; then
			new=$((new + 1))
		elif [ $fmt = json ] && jq -e '.samples | length == 1200' \
		    "$target" >/dev/null 2>&1; then
			new=$((new + 1))
		else
			broken=$((broken + 1))
			echo "# run $i ($fmt, killed after ${delay} ms): target neither old nor whole:"
			head -c 200 "$target" | sed 's/^/# |/'
		fi
	done
	echo "# $fmt: $old kept the earlier file, $new wrote the whole report, $broken broken"
	if [ $broken -eq 0 ]; then
		ok "$fmt: after kill -9 the target is the earlier file or the whole new one"
	else
		bad "$fmt: after kill -9 the target is the earlier file or the whole new one"
	fi
	if [ $old -gt 0 ]; then
		ok "$fmt: kills landed before the rename ($old of 12)"
	else
		bad "$fmt: no kill landed before the rename: the test did not test"
	fi
done
# Leftovers are only temporary names, never the target's.
if ls -A "$T/out" | grep -v '^\(full\|report\)\.\(html\|json\)$' |
    grep -qv '^\.report\.\(html\|json\)\.[A-Za-z0-9]\{6\}$'; then
	bad "only temporary files are left behind"
	ls -A "$T/out" | sed 's/^/# /'
else
	ok "only temporary files are left behind ($(ls -A "$T/out" | grep -c '^\.'))"
fi

echo "1..$N"
[ $FAILED -eq 0 ]
