#!/bin/sh
# formats.sh - every batch format rendered from a fixed snapshot and
# compared byte for byte with its golden file, then checked by the tools
# that consume it: `perftop --batch --replay tests/fixtures/snapshot-cpu.json
# --format F` for markdown, json, text, csv, html and openmetrics must equal
# tests/fixtures/golden/snapshot-cpu.{md,json,txt,csv,html,prom} and exit
# with the snapshot's health status; the JSON passes jq and a strict parser
# (no NaN), the CSV reads back with Python's csv module (same field count
# in every row), the HTML has balanced tags, no stray '<' and well-formed
# SVG charts, the OpenMetrics file passes `promtool check metrics`; and the
# node_exporter round trip: the real prometheus-node-exporter, on a free
# loopback port with only its textfile collector, reads the file perftop
# wrote with --output (atomically, mode 0644) and serves
# perftop_health_score with the snapshot's value and no scrape error,
# first for the snapshot, then for a live batch.
#
# tests/fixtures/golden/regen.sh rewrites the golden files after an
# intended change of a format (review the diff).
#
# Run by make check (automake test-driver) with PERFTOP and SRCDIR set.
# Exit 0 pass, 1 fail, 77 skip (only when promtool, node_exporter, jq or
# python3 is missing: Debian packages prometheus, prometheus-node-exporter,
# jq, python3), 99 bad setup.

if [ -z "$PERFTOP" ] || [ ! -x "$PERFTOP" ]; then
	echo "formats.sh: PERFTOP must name the perftop binary" >&2
	exit 99
fi
SRCDIR=${SRCDIR:-.}
FIXTURE=$SRCDIR/tests/fixtures/snapshot-cpu.json
GOLDEN=$SRCDIR/tests/fixtures/golden
NODE_EXPORTER=${NODE_EXPORTER:-prometheus-node-exporter}
for tool in promtool "$NODE_EXPORTER" jq python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "formats.sh: $tool not found: SKIP" >&2
		exit 77
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/perftop-formats.XXXXXX") || exit 99
NE_PID=
cleanup() {
	[ -n "$NE_PID" ] && kill "$NE_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
HOME=$T/home
XDG_CONFIG_HOME=$T/xdg
XDG_STATE_HOME=$T/state
export HOME XDG_CONFIG_HOME XDG_STATE_HOME
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
# Wide characters have their width only in a UTF-8 locale; numbers stay C.
LC_ALL=C.UTF-8
TZ=UTC
export LC_ALL TZ
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
	[ -s "$T/err" ] && { echo "--- stderr:"; head -c 2000 "$T/err"; echo; }
}
check() {
	d=$1
	shift
	if "$@" >"$T/check" 2>&1; then
		pass "$d"
	else
		fail "$d"
		sed 's/^/# /' "$T/check" | head -40
	fi
}

# ---- golden files --------------------------------------------------------
if [ ! -f "$FIXTURE" ]; then
	fail "fixture $FIXTURE exists"
	echo "1..$n"
	exit 1
fi
want=$(jq -r '{"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
    [.health.status] // "none"' "$FIXTURE")
for pair in markdown:md json:json text:txt csv:csv html:html \
    openmetrics:prom; do
	fmt=${pair%%:*}
	ext=${pair#*:}
	timeout 60 "$PERFTOP" --batch --replay "$FIXTURE" --format "$fmt" \
	    >"$T/snapshot-cpu.$ext" 2>"$T/err" </dev/null
	rc=$?
	check "$fmt: exit status is the snapshot's health ($rc = $want)" \
	    [ "$rc" = "$want" ]
	check "$fmt: writes nothing to stderr" [ ! -s "$T/err" ]
	if [ -f "$GOLDEN/snapshot-cpu.$ext" ]; then
		check "$fmt: equals golden snapshot-cpu.$ext" \
		    diff -u "$GOLDEN/snapshot-cpu.$ext" "$T/snapshot-cpu.$ext"
	else
		fail "$fmt: golden snapshot-cpu.$ext exists (regen.sh)"
	fi
done

# ---- each format read by its consumers -----------------------------------
check "json: jq reads it" jq -e '.format_version == 1' "$T/snapshot-cpu.json"
check "json: strict JSON (no NaN or Infinity)" python3 -c '
import json, sys
def bad(c): raise ValueError("not JSON: " + c)
json.load(open(sys.argv[1], encoding="utf-8"), parse_constant=bad)
' "$T/snapshot-cpu.json"
check "csv: every row has the header's field count" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert len(rows) >= 2, "no samples"
bad = [i for i, r in enumerate(rows) if len(r) != len(rows[0])]
assert not bad, "rows %s: field count differs" % bad
assert rows[0][:3] == ["t", "time_utc", "dt_s"], rows[0][:3]
' "$T/snapshot-cpu.csv"
check "csv: one row per sample" [ "$(($(wc -l <"$T/snapshot-cpu.csv") - 1))" = \
    "$(jq '.samples | length' "$FIXTURE")" ]
check "text: no escape or other control byte" python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
bad = [c for c in b if c < 0x20 and c != 0x0a or c == 0x7f]
assert not bad, "control bytes: %s" % sorted(set(bad))
b.decode("utf-8")
' "$T/snapshot-cpu.txt"
check "html: balanced tags, no stray '<', well-formed SVG" python3 -c '
import re, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
VOID = {"meta", "br", "img", "hr", "link", "input"}
SVG_EMPTY = {"rect", "line", "path", "circle"}
class P(HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True)
        s.stack, s.err = [], []
    def handle_starttag(s, t, a):
        if t not in VOID:
            s.stack.append(t)
    def handle_startendtag(s, t, a):
        if t not in VOID and t not in SVG_EMPTY:
            s.err.append("self-closed <%s/>" % t)
    def handle_endtag(s, t):
        if not s.stack or s.stack[-1] != t:
            s.err.append("</%s> closes <%s>" % (t, s.stack[-1:]))
        else:
            s.stack.pop()
doc = open(sys.argv[1], encoding="utf-8").read()
p = P(); p.feed(doc); p.close()
err = p.err + (["unclosed %s" % p.stack] if p.stack else [])
if not doc.startswith("<!DOCTYPE html>\n"):
    err.append("no doctype")
svgs = re.findall(r"<svg\b.*?</svg>", doc, re.S)
if len(svgs) != 5:
    err.append("%d charts, want 5" % len(svgs))
for s in svgs:
    try:
        ET.fromstring(s)
    except ET.ParseError as e:
        err.append("svg: %s" % e)
body = re.sub(r"<style>.*?</style>", "", doc, flags=re.S)
err += ["stray < at %d" % m.start() for m in re.finditer(r"<(?![a-zA-Z/!])", body)]
for w in ("<script", "src=", "href=", "url("):
    if w in doc:
        err.append("external or active content: " + w)
assert not err, "\n".join(err)
' "$T/snapshot-cpu.html"
check "openmetrics: promtool check metrics" sh -c \
    'promtool check metrics <"$1"' sh "$T/snapshot-cpu.prom"
check "openmetrics: no timestamps, no NaN" sh -c '
	! grep -v "^#" "$1" | grep -Eq "\} [^ ]+ [^ ]+$|^[a-z_]+ [^ ]+ [^ ]+$|NaN"
	' sh "$T/snapshot-cpu.prom"

# ---- node_exporter's textfile collector ----------------------------------
port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir "$T/textfile"
"$NODE_EXPORTER" --web.listen-address="127.0.0.1:$port" \
    --collector.disable-defaults --collector.textfile \
    --collector.textfile.directory="$T/textfile" >"$T/ne.log" 2>&1 &
NE_PID=$!
# scrape: /metrics into $T/metrics; polls while node_exporter starts.
scrape() {
	i=0
	while [ "$i" -lt 100 ]; do
		if python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())
' "http://127.0.0.1:$port/metrics" >"$T/metrics" 2>/dev/null; then
			return 0
		fi
		kill -0 "$NE_PID" 2>/dev/null || return 1
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}
# roundtrip NAME SCORE: the served metrics hold perftop_health_score SCORE
# and the textfile collector had no error.
roundtrip() {
	if ! scrape; then
		fail "$1: node_exporter serves /metrics"
		sed 's/^/# /' "$T/ne.log" | tail -20
		return
	fi
	check "$1: perftop_health_score $2 served" \
	    grep -qx "perftop_health_score $2" "$T/metrics"
	check "$1: perftop_up served" grep -qx "perftop_up 1" "$T/metrics"
	check "$1: no textfile scrape error" \
	    grep -qx "node_textfile_scrape_error 0" "$T/metrics"
	check "$1: file read by the collector" \
	    grep -q '^node_textfile_mtime_seconds{file=".*perftop.prom"}' \
	    "$T/metrics"
}

score=$(jq -r '.health.score' "$FIXTURE")
timeout 60 "$PERFTOP" --batch --replay "$FIXTURE" --format openmetrics \
    --output "$T/textfile/perftop.prom" >"$T/out" 2>"$T/err" </dev/null
rc=$?
check "--output openmetrics exits with the health status" [ "$rc" = "$want" ]
check "--output openmetrics prints nothing" [ ! -s "$T/out" ]
check "--output openmetrics file has mode 0644" \
    [ "$(stat -c %a "$T/textfile/perftop.prom")" = 644 ]
check "--output openmetrics leaves no temporary file" \
    [ "$(ls -A "$T/textfile")" = perftop.prom ]
check "--output openmetrics equals the golden file" \
    cmp "$GOLDEN/snapshot-cpu.prom" "$T/textfile/perftop.prom"
roundtrip "snapshot" "$score"

# A live batch over the same file: a new score, still no scrape error.
timeout 60 "$PERFTOP" --batch --count 2 --interval 0.2 --format openmetrics \
    --output "$T/textfile/perftop.prom" >"$T/out" 2>"$T/err" </dev/null
rc=$?
check "live --output openmetrics exits with a health status" [ "$rc" -le 2 ]
live=$(sed -n 's/^perftop_health_score //p' "$T/textfile/perftop.prom")
check "live file has a health score" [ -n "$live" ]
check "live file passes promtool" sh -c \
    'promtool check metrics <"$1"' sh "$T/textfile/perftop.prom"
roundtrip "live" "$live"

kill "$NE_PID" 2>/dev/null
wait "$NE_PID" 2>/dev/null
NE_PID=

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
