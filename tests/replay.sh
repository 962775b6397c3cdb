#!/bin/sh
# replay.sh - snapshots end to end (make check): export -> replay -> export.
#
# (a) A live batch (JSON, 3 samples) replayed gives the same data: the
#     samples, processes, host, config and view are identical, and the
#     diagnosis agrees (the same findings, severities, culprits, alerts;
#     numbers within 1e-4, since the format keeps times at 10 us and the
#     live run judged from the exact clock).  Replaying the replay gives
#     the same bytes, and so does replaying the shipped fixture twice.
# (b) Damaged, truncated, future-version, wrongly typed, empty and non-JSON
#     snapshots are refused with exit 3 (--batch) or 1 (the dashboard) and
#     a message naming the file and what is wrong; no core, no hang.
# (c) --baseline FILE works with a live batch and with a replay; a bad one
#     exits 3.
# (d) --redact: no host name and no command-line arguments in the JSON or
#     Markdown report, live or replayed.
#
# Exit 0 pass, 1 fail, 77 skip (jq missing), 99 bad setup.  About 4 s.

if [ -z "$PERFTOP" ] || [ ! -x "$PERFTOP" ]; then
	echo "replay.sh: PERFTOP must name the perftop binary" >&2
	exit 99
fi
if ! command -v jq >/dev/null 2>&1; then
	echo "replay.sh: jq not found: SKIP" >&2
	exit 77
fi
SRCDIR=${SRCDIR:-$(dirname "$0")/..}
FIXTURE=$SRCDIR/tests/fixtures/snapshot-cpu.json

T=$(mktemp -d "${TMPDIR:-/tmp}/perftop-replay.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM
# A private home: no user config, no saved baseline.
HOME=$T/home XDG_CONFIG_HOME=$T/xdg XDG_STATE_HOME=$T/state
export HOME XDG_CONFIG_HOME XDG_STATE_HOME
mkdir -p "$HOME"

N=0
FAILED=0
check() {
	what=$1
	shift
	N=$((N + 1))
	if "$@"; then
		echo "ok $N - $what"
	else
		echo "not ok $N - $what"
		FAILED=$((FAILED + 1))
	fi
}

# Run perftop with a time limit; its status in $rc, stderr in $T/err.
pt() {
	timeout 60 "$PERFTOP" "$@" 2>"$T/err" </dev/null
	rc=$?
}

# status_ok: a batch exit status that is a health (0..2), not an error.
health_rc() {
	[ "$rc" -ge 0 ] && [ "$rc" -le 2 ]
}

jqe() {	# jq -e, quietly
	jq -e "$@" >/dev/null
}

DIAG='.health, .findings, .use, .trends, .alerts, .advice'
# The data of a report: everything but the diagnosis.
data() {
	jq -S 'del(.health, .findings, .use, .trends, .alerts, .advice)' "$1"
}

# same_diag A B: the diagnoses agree; numbers within 1e-4 (relative) and
# text equal, or equal once its numbers are masked.
same_diag() {
	jq -n --slurpfile a "$1" --slurpfile b "$2" '
	def same($x; $y):
	  if ($x | type) != ($y | type) then false
	  elif ($x | type) == "number" then
	    (($x - $y) | fabs) <= 1e-4 * ([1, ($x | fabs), ($y | fabs)] | max)
	  elif ($x | type) == "array" then
	    ($x | length) == ($y | length) and
	    ([range(0; $x | length) as $i | same($x[$i]; $y[$i])] | all)
	  elif ($x | type) == "object" then
	    ($x | keys) == ($y | keys) and
	    ([$x | keys[] as $k | same($x[$k]; $y[$k])] | all)
	  elif ($x | type) == "string" then
	    $x == $y or ($x | gsub("[0-9.]+"; "#")) == ($y | gsub("[0-9.]+"; "#"))
	  else $x == $y end;
	[$a[0] | '"$DIAG"'] as $da | [$b[0] | '"$DIAG"'] as $db |
	if same($da; $db) then true else error("diagnoses differ") end' \
	    >/dev/null
}

# ---- (a) round trip ----------------------------------------------------------
pt --batch --format json --count 3 --interval 0.3 -o "$T/a.json"
check "live batch JSON (exit $rc)" health_rc
check "live batch JSON is valid" jqe '.samples | length == 3' "$T/a.json"
check "live batch JSON is a snapshot (top lists, config, view)" \
    jqe '(.samples[0].top | type) == "array" and .config.interval_s == 0.3
	and .view.age == 0 and .view.frozen == false and .baseline == null
	and (.config | has("alert_hook") | not)' "$T/a.json"
pt --batch --replay "$T/a.json" --format json -o "$T/b.json"
check "replay of it (exit $rc)" health_rc
check "replay status is the live one" \
    [ "$(jq -r .health.status "$T/a.json")" = "$(jq -r .health.status "$T/b.json")" ]
data "$T/a.json" >"$T/a.data"
data "$T/b.json" >"$T/b.data"
check "live and replayed data identical" cmp -s "$T/a.data" "$T/b.data"
[ $FAILED -eq 0 ] || diff "$T/a.data" "$T/b.data" | sed 's/^/# /' | head -20
check "live and replayed diagnosis agree" same_diag "$T/a.json" "$T/b.json"
if [ $FAILED -ne 0 ]; then
	jq -S "$DIAG" "$T/a.json" >"$T/a.diag"
	jq -S "$DIAG" "$T/b.json" >"$T/b.diag"
	diff "$T/a.diag" "$T/b.diag" | sed 's/^/# /' | head -40
fi
pt --batch --replay "$T/b.json" --format json -o "$T/c.json"
check "replay of the replay: the same bytes" cmp "$T/b.json" "$T/c.json"
pt --batch --replay "$T/a.json" -o "$T/b.md"
pt --batch --replay "$T/b.json" -o "$T/c.md"
check "Markdown of both replays: the same bytes" cmp "$T/b.md" "$T/c.md"

pt --batch --replay "$FIXTURE" --format json -o "$T/f1.json"
check "fixture replays CRITICAL (exit 2)" [ "$rc" -eq 2 ]
check "fixture: CPU saturated, culprit a stress-ng worker" \
    jqe '.findings[0].rule == "cpu.saturated" and
	.findings[0].culprit.command == "stress-ng-cpu"' "$T/f1.json"
check "fixture: the alert log is reproduced" \
    jqe '[.alerts[].metric] | index("cpu.busy_pct") != null' "$T/f1.json"
data "$FIXTURE" >"$T/f0.data"
data "$T/f1.json" >"$T/f1.data"
check "fixture: replayed data identical to the file" cmp -s "$T/f0.data" "$T/f1.data"
pt --batch --replay "$T/f1.json" --format json -o "$T/f2.json"
check "fixture: replay twice, the same bytes" cmp "$T/f1.json" "$T/f2.json"

# ---- (b) damaged files -------------------------------------------------------
refused() {	# refused NAME EXPECTED-TEXT FILE
	pt --batch --replay "$3"
	if [ "$rc" -ne 3 ] || ! grep -q -F -- "$3: $2" "$T/err"; then
		echo "# $1: exit $rc: $(cat "$T/err")"
		return 1
	fi
	pt --replay "$3"
	if [ "$rc" -ne 1 ] || ! grep -q -F -- "$3: $2" "$T/err"; then
		echo "# $1 (dashboard): exit $rc: $(cat "$T/err")"
		return 1
	fi
	return 0
}
size=$(wc -c <"$FIXTURE")
head -c $((size / 2)) "$FIXTURE" >"$T/cut.json"
check "truncated snapshot refused" refused cut \
    "truncated or invalid JSON at line" "$T/cut.json"
head -c $((size - 2)) "$FIXTURE" >"$T/cut2.json"
check "snapshot missing its end refused" refused cut2 \
    "truncated or invalid JSON at line" "$T/cut2.json"
jq '.format_version = 2' "$FIXTURE" >"$T/future.json"
check "future version refused" refused future \
    "snapshot format version 2 is newer than this perftop understands (1); upgrade perftop" \
    "$T/future.json"
jq '.samples[3].cpu.busy_pct = "high"' "$FIXTURE" >"$T/type.json"
check "wrong type refused, the field named" refused type \
    "samples[3].cpu.busy_pct: expected a number" "$T/type.json"
jq 'del(.format_version)' "$FIXTURE" >"$T/nover.json"
check "no format_version refused" refused nover \
    "not a perftop snapshot (no format_version)" "$T/nover.json"
: >"$T/empty.json"
check "empty file refused" refused empty "empty file" "$T/empty.json"
printf 'perftop\n' >"$T/text.json"
check "not JSON refused" refused text "truncated or invalid JSON" "$T/text.json"
check "missing file refused" refused none "No such file" "$T/none.json"
pt --batch --replay "$FIXTURE" --count 2
check "--replay with --count refused" [ "$rc" -eq 3 ]

# ---- (c) baselines -----------------------------------------------------------
pt --batch --count 2 --interval 0.2 --format json --baseline "$T/a.json" \
    -o "$T/base.json"
check "--baseline with a live batch (exit $rc)" health_rc
# a.json's first sample has no rates: CPU busy in 2 of its 3 samples.
check "--baseline: the report holds it" \
    jqe --arg f "$T/a.json" '.baseline.source == $f and .baseline.nsamples == 3
	and (.baseline.stats | length) > 10
	and (.baseline.stats[] | select(.key == "cpu.busy_pct") | .n == 2)' \
    "$T/base.json"
pt --batch --replay "$FIXTURE" --baseline "$T/a.json" --format json -o "$T/fb.json"
check "--baseline with a replay (exit $rc)" [ "$rc" -eq 2 ]
check "--baseline with a replay: the report holds it" \
    jqe '.baseline.nsamples == 3' "$T/fb.json"
pt --batch --count 1 --interval 0.1 --baseline "$T/cut.json"
check "a damaged --baseline exits 3 with its name" \
    eval '[ "$rc" -eq 3 ] && grep -q -F "$T/cut.json" "$T/err"'

# ---- (d) redaction -----------------------------------------------------------
host=$(uname -n)
no_host() {	# no_host FILE: the host name is nowhere but in os/kernel
	jq 'del(.host.os, .host.kernel)' "$1" | grep -q -F -- "\"$host\"" &&
	    return 1
	jq -e '.host.hostname | test("^host-[0-9a-f]{8}$")' "$1" >/dev/null
}
no_args() {	# no_args FILE: every command line is a program, maybe "…"
	jq -e '[.processes[], .samples[].top[]] | length > 0 and
	    all(.cmdline | test("^[^ ]*( \u2026)?$"))' "$1" >/dev/null
}
pt --batch --count 2 --interval 0.2 --format json --redact -o "$T/r.json"
check "--redact live (exit $rc)" health_rc
check "--redact: no host name" no_host "$T/r.json"
check "--redact: no arguments" no_args "$T/r.json"
check "--redact: the config says so" jqe '.config.redact' "$T/r.json"
pt --batch --replay "$FIXTURE" --format json --redact -o "$T/rf.json"
check "--redact of a replay: no arguments, no host" \
    eval 'no_args "$T/rf.json" && ! grep -q -e "web1" -e "s3cret" "$T/rf.json"'
pt --batch --replay "$FIXTURE" --redact -o "$T/rf.md"
check "--redact Markdown: no host, no secret" \
    eval '! grep -q -e "web1" -e "s3cret" -e "Xmx2g" "$T/rf.md"'
printf 'redact = true;\n' >"$T/redact.conf"
pt --batch --replay "$FIXTURE" --format json --config "$T/redact.conf" \
    -o "$T/rc.json"
check "redact = true; in the config does the same" \
    eval '! grep -q -e "web1" -e "s3cret" "$T/rc.json"'

echo "1..$N"
[ $FAILED -eq 0 ]
