#!/bin/sh
# cli.sh - perftop's command line from the outside: help and version, bad
# options in batch mode (exit 3, a message on stderr, nothing on stdout),
# the batch JSON report checked with jq (figures and diagnosis: health,
# findings, USE, trends, alerts, advice), the batch exit status equal to
# the report's health status (0 OK, 1 WARNING, 2 CRITICAL: a quiet batch
# may be 0 or 1 on a shared machine, so the test compares the two rather
# than expecting a fixed value), atomic --output files (mode 0600, nothing
# on stdout, a symlink replaced not followed, failures that keep the old
# file), the Markdown report, the dashboard refusing to run without a
# terminal, and --check-config naming FILE:LINE.
#
# Run by make check (automake test-driver) with PERFTOP set to the binary.
# Exit 0 pass, 1 fail, 77 skip (only when jq is missing), 99 bad setup.

if [ -z "$PERFTOP" ] || [ ! -x "$PERFTOP" ]; then
	echo "cli.sh: PERFTOP must name the perftop binary" >&2
	exit 99
fi
if ! command -v jq >/dev/null 2>&1; then
	echo "cli.sh: jq not found: SKIP" >&2
	exit 77
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/perftop-cli.XXXXXX") || exit 99
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM
# No user or system settings leak in: an empty configuration home.
HOME=$T/home
XDG_CONFIG_HOME=$T/xdg
export HOME XDG_CONFIG_HOME
mkdir -p "$HOME" "$XDG_CONFIG_HOME"
umask 022

n=0
failed=0
pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	for f in "$T/out" "$T/err"; do
		[ -s "$f" ] && { echo "--- $(basename "$f"):"; head -c 2000 "$f"; echo; }
	done
}
# check DESCRIPTION COMMAND...: pass when the command succeeds.
check() {
	d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
# run ARGS...: run perftop (60 s at most), stdout to out, stderr to err,
# status in rc.
run() {
	timeout 60 "$PERFTOP" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

ESC=$(printf '\033')
# jqe FILTER [ARGS...]: jq -e, quietly (a check prints its own line).
jqe() {
	jq -e "$@" >/dev/null
}
# status_of FILE: the exit status a JSON report's health.status stands for.
status_of() {
	jq -r '{"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
	    [.health.status] // "none"' "$1" 2>/dev/null
}
# exit_matches DESCRIPTION FILE: rc is the status FILE's health says.
exit_matches() {
	want=$(status_of "$2")
	if [ "$rc" = "$want" ] && [ "$rc" -le 2 ]; then
		pass "$1 (rc=$rc)"
	else
		fail "$1 (rc=$rc, health.status means ${want:-?})"
	fi
}

# ---- help and version ------------------------------------------------------
run --help
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help mentions --batch" grep -q -- '--batch' "$T/out"
check "--help writes nothing to stderr" [ ! -s "$T/err" ]
run --version
check "--version exits 0" [ "$rc" -eq 0 ]
check "--version prints 'perftop VERSION'" grep -Eq '^perftop [0-9]+\.[0-9]+' "$T/out"

# ---- bad options in batch mode: exit 3, message, empty stdout --------------
bad() {
	run "$@"
	if [ "$rc" -eq 3 ] && [ -s "$T/err" ] && [ ! -s "$T/out" ]; then
		pass "bad option exits 3 with a message: $*"
	else
		fail "bad option exits 3 with a message: $* (rc=$rc)"
	fi
}
bad --batch --count 0
bad --batch --count -1
bad --batch --count 1x
bad --batch --interval 0
bad --batch --interval 1e9
bad --batch --interval nan
bad --batch --format xml
bad --batch --bogus
bad --batch --count
bad --batch extra-argument

# ---- batch JSON ------------------------------------------------------------
run --batch --count 2 --interval 0.2 --format json
cp "$T/out" "$T/report.json"
check "batch json is valid JSON" jqe . "$T/report.json"
exit_matches "batch json exit status is its health status" "$T/report.json"
check "batch json: required top-level and host keys" jqe '
	(["format_version", "generator", "host", "interval_s", "start",
	  "end", "health", "findings", "use", "trends", "alerts", "advice",
	  "samples", "processes"] - keys | length == 0) and
	(.host | keys | contains(["hostname", "kernel", "os", "arch", "cpus",
	  "boot_time", "mem_total_bytes"])) and
	.format_version == 1 and (.generator | startswith("perftop "))
	' "$T/report.json"
check "batch json: 2 samples with the required keys" jqe '
	(.samples | length == 2) and all(.samples[];
	  (keys | contains(["t", "dt_s", "cpu", "load", "procs_running",
	    "procs_blocked", "ctxsw_ps", "intr_ps", "forks_ps", "mem", "psi",
	    "disks", "net", "fs", "self", "nprocs"])) and
	  (.cpu | keys | contains(["busy_pct", "user_pct", "system_pct",
	    "iowait_pct", "steal_pct", "idle_pct", "per_cpu",
	    "per_cpu_detail"])) and
	  (.mem | keys | contains(["total_bytes", "used_bytes", "used_pct",
	    "available_bytes", "cached_bytes", "free_bytes",
	    "swap_total_bytes", "swap_used_bytes", "swapin_ps", "swapout_ps",
	    "majflt_ps", "oom_kills", "oom_kills_total"])) and
	  (.psi | keys == ["cpu", "io", "memory"]) and
	  (.nprocs | keys == ["running", "threads", "total"]) and
	  (.load | length == 3))
	' "$T/report.json"
check "batch json: health has score, status, summary, deductions" jqe '
	.health as $h |
	(["score", "status", "summary", "deductions", "not_visible"] -
	  ($h | keys) | length == 0) and
	($h.status | IN("OK", "WARNING", "CRITICAL")) and
	($h.score | type == "number" and . >= 0 and . <= 100) and
	($h.summary | startswith("Health ")) and
	($h.not_visible | type == "array") and
	all($h.deductions[]; (keys | contains(["points", "reason",
	  "resource", "object", "metric"])) and .points > 0) and
	($h.score == 100 - ([$h.deductions[].points] | add // 0) or
	  $h.score == 0)
	' "$T/report.json"
check "batch json: findings have the documented shape" jqe '
	def culprit: . == null or ((keys == ["command", "pid",
	  "share_pct"]) and (.pid | type == "number") and
	  (.command | type == "string"));
	all(.findings[];
	  (keys | contains(["resource", "object", "severity", "summary",
	    "metric", "value", "threshold", "points", "culprit", "culprits",
	    "advice"])) and
	  (.severity | IN("info", "warning", "critical")) and
	  (.resource | IN("cpu", "memory", "io", "disk", "network",
	    "filesystem")) and
	  (.culprit | culprit) and all(.culprits[]; culprit) and
	  (.culprit == null or .culprit == .culprits[0]))
	' "$T/report.json"
check "batch json: status is the worst finding severity" jqe '
	([.findings[].severity] as $s |
	  if any($s[]; . == "critical") then "CRITICAL"
	  elif any($s[]; . == "warning") then "WARNING" else "OK" end) ==
	.health.status' "$T/report.json"
check "batch json: advice follows the findings, culprit included" jqe '
	[.findings[] | select(.advice != "") | {text: .advice, severity,
	  culprit}] == [.advice[] | {text, severity, culprit}]
	' "$T/report.json"
check "batch json: USE rows, one per resource, cpu and memory first" jqe '
	(.use | length >= 3) and .use[0].resource == "cpu" and
	.use[1].resource == "memory" and
	all(.use[]; (keys | contains(["resource", "object", "utilization",
	  "saturation", "errors"])) and all(.utilization, .saturation,
	  .errors; keys | contains(["value", "text", "severity"])))
	' "$T/report.json"
check "batch json: trends and alerts are arrays of the documented shape" jqe '
	(.trends | type == "array") and (.alerts | type == "array") and
	all(.trends[]; keys | contains(["kind", "object", "pid", "slope",
	  "r2", "eta_s", "severity", "text"])) and
	all(.alerts[]; keys | contains(["metric", "object", "level",
	  "active", "raised", "cleared", "duration_s", "min", "avg", "max",
	  "threshold", "text"]))' "$T/report.json"
# Two samples over one interval: the first, read at once, has no rates.
check "batch json: the first sample has no rates, no dt" jqe '
	.samples[0].dt_s == null and .samples[0].cpu.busy_pct == null and
	(.samples[0].mem.used_pct | type == "number")' "$T/report.json"
check "batch json: cpu busy is a number in 0..100 after it" jqe '
	(.samples | length) == 2 and
	all(.samples[1:][]; .cpu.busy_pct | type == "number" and . >= 0 and
	    . <= 100)' "$T/report.json"
check "batch json: one per_cpu entry per CPU" jqe --argjson n \
	"$(getconf _NPROCESSORS_ONLN)" '
	all(.samples[]; (.cpu.per_cpu | length) == $n and
	    (.cpu.per_cpu_detail | length) == $n)' "$T/report.json"
# Figures are never negative; a growth (filesystem saturation, trend
# slopes) is signed: a filesystem shrinks when files are deleted.
check "batch json: no negative figure anywhere" jqe '
	[del((.use[] | select(.resource == "filesystem") | .saturation.value),
	     .trends[]?.slope) | .. | numbers | select(. < 0)] | length == 0' \
	"$T/report.json"
check "batch json: times are epoch seconds of now, oldest first" jqe '
	(now - .start | fabs) < 600 and .end >= .start and
	.samples[0].t == .start and .samples[-1].t == .end and
	.samples[1].dt_s > 0.1 and .samples[1].dt_s < 2' "$T/report.json"
check "batch json: host name is this machine's" jqe --arg h \
	"$(uname -n)" '.host.hostname == $h' "$T/report.json"
check "batch json: processes present, sorted by CPU, nulls last" jqe '
	(.processes | length > 0) and
	all(.processes[]; keys | contains(["pid", "ppid", "user", "state",
	  "command", "cmdline", "cpu_pct", "rss_bytes", "threads",
	  "read_bps", "write_bps", "start_time"])) and
	([.processes[].cpu_pct] as $c |
	  ($c | map(select(. != null))) as $m |
	  $m == ($m | sort | reverse) and $c == $m + ($c - $m))
	' "$T/report.json"
check "batch json: this shell is among the processes" jqe --argjson p \
	"$$" 'any(.processes[]; .pid == $p)' "$T/report.json"

# ---- --output: atomic file, mode 0600, nothing on stdout ------------------
mkdir "$T/o"
printf 'old\n' >"$T/o/r.json"
chmod 0644 "$T/o/r.json"
run --batch --count 1 --interval 0.1 --format json --output "$T/o/r.json"
exit_matches "--output exit status is the file's health status" "$T/o/r.json"
check "--output prints nothing" [ ! -s "$T/out" ]
check "--output file is valid JSON" jqe '.format_version == 1' "$T/o/r.json"
check "--output file has mode 0600" [ "$(stat -c %a "$T/o/r.json")" = 600 ]
check "--output leaves no temporary file" [ "$(ls -A "$T/o" | wc -l)" -eq 1 ]

printf 'precious\n' >"$T/o/victim"
ln -s "$T/o/victim" "$T/o/link.md"
run --batch --count 1 --interval 0.1 --output "$T/o/link.md"
check "--output over a symlink exits with a health status" [ "$rc" -le 2 ]
if [ -f "$T/o/link.md" ] && [ ! -L "$T/o/link.md" ]; then
	pass "--output replaces the symlink with a file"
else
	fail "--output replaces the symlink with a file"
fi
check "--output does not write through the symlink" grep -qx precious "$T/o/victim"

run --batch --count 1 --interval 0.1 --output "$T/nonexistent/r.json"
check "--output into a missing directory exits 3" [ "$rc" -eq 3 ]
check "--output into a missing directory names the path" grep -qF "$T/nonexistent/r.json" "$T/err"
check "--output into a missing directory prints nothing on stdout" [ ! -s "$T/out" ]
check "--output into a missing directory creates nothing" [ ! -e "$T/nonexistent" ]

# A read-only directory: root writes anywhere, so run as nobody then.
mkdir "$T/ro"
printf 'old report\n' >"$T/ro/r.md"
chmod 0555 "$T/ro"
chmod 0755 "$T"
cp "$PERFTOP" "$T/perftop" && chmod 0755 "$T/perftop"
# An explicit, readable config: nobody may not be able to read the one
# installed under a private prefix (make distcheck's is under a 0700 dir).
: >"$T/empty.conf" && chmod 0644 "$T/empty.conf"
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		AS="setpriv --reuid=65534 --regid=65534 --clear-groups --"
	else
		AS=""
		echo "# setpriv missing: read-only directory check runs as root"
	fi
else
	AS=""
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$AS" ]; then
	$AS timeout 60 "$T/perftop" --batch --count 1 --interval 0.1 \
	    --config "$T/empty.conf" --output "$T/ro/r.md" \
	    >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	check "--output in a read-only directory exits 3" [ "$rc" -eq 3 ]
	check "--output in a read-only directory gives a reason" grep -q "$T/ro/r.md" "$T/err"
	check "--output in a read-only directory keeps the old file" grep -qx 'old report' "$T/ro/r.md"
	check "--output in a read-only directory leaves nothing" [ "$(ls -A "$T/ro" | wc -l)" -eq 1 ]
else
	fail "--output in a read-only directory: cannot drop root (no setpriv)"
fi
chmod 0755 "$T/ro"

# ---- Markdown (the default format) -----------------------------------------
run --batch --count 2 --interval 0.2
cp "$T/out" "$T/report.md"
check "batch markdown exits with a health status" [ "$rc" -le 2 ]
check "markdown names the host" grep -qF "$(uname -n)" "$T/report.md"
case $rc in
0) name=OK ;;
1) name=WARNING ;;
2) name=CRITICAL ;;
*) name=UNKNOWN ;;
esac
check "markdown exit status is the status it states ($name)" \
	grep -q "^Status \*\*$name\*\* (batch exit status $rc)" "$T/report.md"
check "markdown no longer says it does not diagnose" \
	sh -c '! grep -q "Health analysis: not yet" "$1"' sh "$T/report.md"
check "markdown sections in order, health first" sh -c '
	grep "^## " "$1" | tr "\n" "," | grep -qx "## Health,## Findings,## Advice,## USE scorecard,## Trends,## Alerts,## Host,## Key figures,## Top processes,"
	' sh "$T/report.md"
check "markdown health section opens with the score line" \
	sh -c 'grep -A2 "^## Health" "$1" | grep -q "^\*\*Health [0-9n]"' sh "$T/report.md"
check "markdown has no escape codes" [ "$(grep -c "$ESC" "$T/report.md")" -eq 0 ]
# Every row of a table has as many cells as its header.  A cell ends at a
# '|' that no backslash precedes: GFM's table scanner (cmark-gfm) takes
# "\|" as an escaped pipe even after another backslash.
check "markdown tables keep their shape" awk '
	function cells(s,   i, c, n, prev) {
		n = 0
		prev = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "|" && prev != "\\") n++
			prev = c
		}
		return n
	}
	/^\|/ { c = cells($0); if (!intable) { want = c; intable = 1; tables++ }
		if (c != want) { print "bad row: " $0; bad = 1 } next }
	{ intable = 0 }
	END { exit (bad || tables < 3) }' "$T/report.md"

# ---- the other formats (tests/formats.sh has their golden files) ----------
for fmt in text csv html openmetrics om; do
	run --batch --count 2 --interval 0.2 --format "$fmt"
	if [ "$rc" -le 2 ] && [ -s "$T/out" ] && [ ! -s "$T/err" ]; then
		pass "--format $fmt writes a report (rc=$rc)"
	else
		fail "--format $fmt writes a report (rc=$rc)"
	fi
	check "--format $fmt has no escape codes" [ "$(grep -c "$ESC" "$T/out")" -eq 0 ]
	case $fmt in
	text)
		check "text exit status is the status it states" \
		    grep -q "^Status [A-Z]* (batch exit status $rc)" "$T/out" ;;
	csv)
		check "csv: a header and two rows of equal width" awk -F, '
			NR == 1 { n = NF; ok = $1 == "t" } NR > 1 && NF != n { ok = 0 }
			END { exit !(ok && NR == 3) }' "$T/out" ;;
	html)
		check "html: one page, charts inline" sh -c '
			head -n 1 "$1" | grep -qx "<!DOCTYPE html>" &&
			grep -q "<svg xmlns=" "$1" && tail -n 1 "$1" | grep -qx "</html>"
			' sh "$T/out" ;;
	*)
		check "--format $fmt: perftop_health_status is the exit status" \
		    grep -qx "perftop_health_status $rc" "$T/out" ;;
	esac
done
run --batch --count 1 --interval 0.1 --format openmetrics --output "$T/o/m.prom"
check "--output openmetrics file has mode 0644" [ "$(stat -c %a "$T/o/m.prom")" = 644 ]
run --batch --count 1 --interval 0.1 --format html --output "$T/o/r.html"
check "--output html file has mode 0600" [ "$(stat -c %a "$T/o/r.html")" = 600 ]

# ---- the dashboard needs a terminal ----------------------------------------
timeout 20 "$PERFTOP" </dev/null >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
	pass "dashboard without a tty exits non-zero"
else
	fail "dashboard without a tty exits non-zero (rc=$rc)"
fi
check "dashboard without a tty says why" [ -s "$T/err" ]
check "dashboard without a tty writes no escape codes" [ "$(grep -c "$ESC" "$T/out")" -eq 0 ]

# ---- --check-config --------------------------------------------------------
printf '# perftop test\ninterval = 0.5;\n' >"$T/good.conf"
run --check-config --config "$T/good.conf"
check "--check-config accepts a good file" [ "$rc" -eq 0 ]
check "--check-config names the good file" grep -qF "$T/good.conf" "$T/out"

printf '# wrong type\n\ninterval = "x";\n' >"$T/type.conf"
run --check-config --config "$T/type.conf"
check "--check-config rejects a wrong type" [ "$rc" -ne 0 ]
check "--check-config names FILE:LINE of the wrong type" grep -qF "$T/type.conf:3" "$T/err"

printf 'history = 100;\n\ninterval = ;\n' >"$T/syntax.conf"
run --check-config --config "$T/syntax.conf"
check "--check-config rejects a syntax error" [ "$rc" -ne 0 ]
check "--check-config names FILE:LINE of the syntax error" grep -qF "$T/syntax.conf:3" "$T/err"

run --check-config --config "$T/missing.conf"
check "--check-config rejects a missing file" [ "$rc" -ne 0 ]
check "--check-config names the missing file" grep -qF "$T/missing.conf" "$T/err"

run --batch --count 1 --interval 0.1 --config "$T/type.conf"
check "batch with a bad config exits 3" [ "$rc" -eq 3 ]
check "batch with a bad config prints nothing on stdout" [ ! -s "$T/out" ]

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
