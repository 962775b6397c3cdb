#!/bin/sh
# diag.sh - the diagnosis end to end, under real load, quickly (make check).
#
# (a) CPU: stress-ng runs 4 CPU workers on this 2-core machine (at nice 19,
#     so the other tests make check runs in parallel keep their share of
#     the CPU; the machine is still 100 % busy with a run queue of 4); a
#     2 s batch must report a cpu finding at warning or critical whose
#     culprit is one of those workers (pid and command), and exit 1 or 2
#     as its health.status says.  When someone else's hog outranks ours on
#     this shared machine, one of ours must be among the finding's
#     culprits.
# (b) Quiet: a 16 s batch without induced load.  perftop's own work and
#     rounding must raise nothing: no finding may name this perftop as its
#     culprit, nor another perftop above info; a warning or critical
#     finding must name a real process (other work on a shared machine,
#     such as the tests running beside this one, is real); and the exit
#     status is the one health.status stands for (0 when OK).
#
# Only the processes this script started are killed, by pid.  Exit 0 pass,
# 1 fail, 77 skip (stress-ng or jq missing), 99 bad setup.  About 22 s.

if [ -z "$PERFTOP" ] || [ ! -x "$PERFTOP" ]; then
	echo "diag.sh: PERFTOP must name the perftop binary" >&2
	exit 99
fi
for tool in jq stress-ng pgrep; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "diag.sh: $tool not found: SKIP" >&2
		exit 77
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/perftop-diag.XXXXXX") || exit 99
PIDS=
cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
HOME=$T/home
XDG_CONFIG_HOME=$T/xdg
export HOME XDG_CONFIG_HOME
mkdir -p "$HOME" "$XDG_CONFIG_HOME"

n=0
failed=0
pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}
# fail MSG [REPORT]: record a failure and show what the report found.
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	if [ -n "$2" ] && [ -s "$2" ]; then
		echo "# health:"
		jq -r '.health | "#   \(.summary) [\(.status)]"' "$2" 2>/dev/null
		echo "# findings:"
		jq -r '.findings[] | "#   \(.severity) \(.resource) \(.object):" +
		    " \(.summary) - culprit \(.culprit // "none" | tostring)"' \
		    "$2" 2>/dev/null
	fi
	[ -s "$T/err" ] && sed 's/^/# stderr: /' "$T/err"
}
# status_of FILE: the exit status its health.status stands for.
status_of() {
	jq -r '{"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
	    [.health.status] // "none"' "$1" 2>/dev/null
}
now() {
	date +%s.%N
}
elapsed() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'
}

# ---- (a) a CPU hog ---------------------------------------------------------
nice -n 19 stress-ng --cpu 4 --timeout 30 >/dev/null 2>&1 &
SP=$!
PIDS="$SP"
t0=$(now)
# Its four workers, by parent: only these are ours.
i=0
W=
while [ "$i" -lt 50 ]; do
	W=$(pgrep -P "$SP" | tr '\n' ' ')
	[ "$(echo $W | wc -w)" -ge 4 ] && break
	i=$((i + 1))
	sleep 0.1
done
PIDS="$PIDS $W"
echo "# stress-ng $SP, workers: $W"
if [ "$(echo $W | wc -w)" -lt 4 ]; then
	fail "stress-ng started its 4 workers"
else
	pass "stress-ng started its 4 workers"
fi

timeout 60 "$PERFTOP" --batch --format json --count 4 --interval 0.5 \
    >"$T/cpu.json" 2>"$T/err" </dev/null
rc=$?
t1=$(now)
kill $PIDS 2>/dev/null
wait "$SP" 2>/dev/null
PIDS=
if jq -e . "$T/cpu.json" >/dev/null 2>&1; then
	pass "cpu: the report is valid JSON"
else
	fail "cpu: the report is valid JSON (rc=$rc)"
fi

mine=$(echo "$SP $W" | tr ' ' '\n' | grep . | jq -Rs 'split("\n") |
    map(select(. != "") | tonumber)')
# The cpu finding at warning or critical: its culprit, or (when someone
# else's hog on this shared machine ranks first) one of its culprits, is
# one of our workers, and the command says stress-ng.
if jq -e --argjson mine "$mine" '
	any(.findings[]; .resource == "cpu" and
	  (.severity | IN("warning", "critical")) and .culprit != null and
	  (.culprit.command | contains("stress-ng")) and
	  (.culprit.pid as $p | $mine | index($p)) != null)' \
	    "$T/cpu.json" >/dev/null; then
	pass "cpu: finding at warning/critical names our stress-ng worker ($(elapsed "$t0" "$t1") s after the load started)"
elif jq -e --argjson mine "$mine" '
	any(.findings[]; .resource == "cpu" and
	  (.severity | IN("warning", "critical")) and .culprit != null and
	  any(.culprits[]; (.command | contains("stress-ng")) and
	    (.pid as $p | $mine | index($p)) != null))' \
	    "$T/cpu.json" >/dev/null; then
	pass "cpu: finding at warning/critical names our stress-ng among its culprits (another process ranked first; $(elapsed "$t0" "$t1") s)"
else
	fail "cpu: finding at warning/critical names our stress-ng worker" \
	    "$T/cpu.json"
fi
jq -r '.findings[] | select(.resource == "cpu") | "# found: \(.severity):" +
    " \(.summary); culprit \(.culprit.command) pid \(.culprit.pid)" +
    " \(.culprit.share_pct) %"' "$T/cpu.json" 2>/dev/null
want=$(status_of "$T/cpu.json")
if [ "$rc" = "$want" ] && { [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; }; then
	pass "cpu: exit status $rc matches health.status"
else
	fail "cpu: exit status $rc is 1 or 2 and matches health.status ($want)" \
	    "$T/cpu.json"
fi

# ---- (b) quiet ------------------------------------------------------------
# Let the hog's after-effects (PSI, run queue) fade first.
sleep 2
timeout 90 "$PERFTOP" --batch --format json --count 16 --interval 1 \
    >"$T/quiet.json" 2>"$T/err" </dev/null &
PP=$!
PIDS="$PP"
wait "$PP"
rc=$?
PIDS=
if jq -e . "$T/quiet.json" >/dev/null 2>&1; then
	pass "quiet: the report is valid JSON"
else
	fail "quiet: the report is valid JSON (rc=$rc)"
fi
echo "# quiet: $(jq -r '.health.summary' "$T/quiet.json" 2>/dev/null)" \
    "(perftop pid $PP)"
jq -r '.findings[] | "# found: \(.severity) \(.resource) \(.object):" +
    " \(.summary); culprit \(.culprit // "none" | tostring)"' \
    "$T/quiet.json" 2>/dev/null
if jq -e --argjson pp "$PP" '
	all(.findings[]; .culprit == null or (.culprit.pid != $pp and
	  (.culprit.command != "perftop" or .severity == "info")))' \
	    "$T/quiet.json" >/dev/null; then
	pass "quiet: no finding blames perftop itself"
else
	fail "quiet: no finding blames perftop itself" "$T/quiet.json"
fi
# Warning and critical findings name a real process; the resources whose
# use the kernel cannot split by process (steal, network, a full
# filesystem) have no culprit by design.
if jq -e --argjson pp "$PP" '
	all(.findings[] | select(.severity != "info");
	  (.culprit != null and .culprit.pid > 0 and .culprit.pid != $pp) or
	  .rule == "cpu.steal" or .resource == "network" or
	  .rule == "fs.full")' "$T/quiet.json" >/dev/null; then
	pass "quiet: every warning/critical finding names a real process"
else
	fail "quiet: every warning/critical finding names a real process" \
	    "$T/quiet.json"
fi
want=$(status_of "$T/quiet.json")
if [ "$rc" = "$want" ] && [ "$rc" -le 2 ]; then
	pass "quiet: exit status $rc matches health.status"
else
	fail "quiet: exit status $rc matches health.status ($want)" \
	    "$T/quiet.json"
fi
if [ "$want" != 0 ] || [ "$rc" -eq 0 ]; then
	pass "quiet: OK exits 0"
else
	fail "quiet: OK exits 0 (rc=$rc)" "$T/quiet.json"
fi

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
