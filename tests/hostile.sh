#!/bin/bash
# hostile.sh - processes with hostile names and command lines, on screen and
# in every report format.
#
# Real processes are started whose command lines (argv, set with bash's
# exec -a) and names (comm, set with prctl(PR_SET_NAME) by a tiny helper
# compiled here) carry terminal escapes: an OSC title-setting sequence
# (ESC ] 2 ; PWNED BEL), CSI screen clearing, BEL, the C1 CSI 0x9B both as a
# raw byte and as UTF-8, U+202E, invalid UTF-8, newlines, tabs, | " \ and
# HTML, a 128 KiB argument, ~1 MB of arguments and 100,000 arguments.  They
# sleep until this script ends (and exit by themselves when it is gone).
#
# Then, in LANG=C, C.UTF-8 and a Latin-1 locale (generated with localedef
# into the temporary directory when none is installed), the dashboard in a
# private tmux server, its process table filtered to them: one row each,
# none blank, each showing the escaped forms; the pane title unchanged (not
# PWNED); every byte perftop wrote to the pane (tmux pipe-pane) is checked
# for raw OSC, BEL, C1, U+202E, invalid UTF-8 (or any non-ASCII byte in a
# non-UTF-8 locale) and for clearing the screen more than at start-up.
# And every batch format that perftop --help lists stays valid: JSON parses
# (jq) with every string clean, Markdown tables keep their cell count, CSV
# parses (python3), HTML holds no raw <script or <img tag and parses,
# OpenMetrics (Prometheus text) lines follow the grammar; no raw ESC or BEL byte in any of them.
#
# Run by make check with PERFTOP and TMUX_BIN set.  Needs bash, a C
# compiler (CC, default cc), jq and python3.  Exit 0 pass, 1 fail, 77 when
# tmux, the compiler, jq or python3 is missing.

. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
pt_init hostile || exit $?
for tool in "${CC:-cc}" jq python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "hostile: $tool not found: SKIP" >&2
		exit 77
	fi
done

M=hx$$			# a marker in every hostile command line
ESC=$'\033'
BEL=$'\a'

# ---- the hostile processes --------------------------------------------------
cat >"$PT_TMP/hold.c" <<'EOF'
/*
 * Set comm from $HX_COMM, then sleep (or spin, with HX_SPIN set) until the
 * parent (the test) is gone or HX_SPIN seconds have passed.
 */
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>
int
main(void)
{
	const char	*c = getenv("HX_COMM");
	pid_t		 pp = getppid();

	const char	*spin = getenv("HX_SPIN");
	time_t		 end;

	if (c != NULL)
		prctl(PR_SET_NAME, c, 0, 0, 0);
	if (spin != NULL) {
		end = time(NULL) + atoi(spin);
		while (getppid() == pp && time(NULL) < end)
			;
		return 0;
	}
	while (getppid() == pp)
		sleep(1);
	return 0;
}
EOF
if ! "${CC:-cc}" -o "$PT_TMP/hold" "$PT_TMP/hold.c"; then
	echo "hostile: cannot build the helper: SKIP" >&2
	exit 77
fi

HOSTILE_PIDS=
# hold COMM ARGV0 [ARG...]: one hostile process.
hold() {
	local comm=$1
	shift
	(HX_COMM=$comm exec -a "$@") &
	pt_track $!
	HOSTILE_PIDS="$HOSTILE_PIDS $!"
}
h() {
	local comm=$1 a0=$2
	shift 2
	hold "$comm" "$a0" "$PT_TMP/hold" "$@"
}
h "${ESC}]2;PWNED${BEL}" "$M-title${ESC}]2;PWNED${BEL}x" "${ESC}]0;PWNED2${ESC}\\"
h "${ESC}[2J${ESC}[H" "$M-csi${ESC}[2J${ESC}[H${ESC}[31mred" "${ESC}c"
h $'\x9b2J' "$M-c1"$'\xc2\x9b2J' $'raw\x9b2J'
h $'\u202eexe.txt' "$M-rlo"$'\u202etxt.exe' $'\u200b\u2066\ufeff'
h $'\xff\xfe\xc0\xaf' "$M-bad"$'\xff\xfe\xc0\xaf\xed\xa0\x80' $'\xe2\x82'
h $'nl\ntab\t' "$M-nl"$'\nline2\tcol\r' $'\x7f\x01'
h '|"\' "$M-meta|x\"y\\z" 'a\|b' 'c\' '|' '<script>alert(1)</script>' \
    '<img src=x onerror=alert(1)>' '&amp;' "'"
h "bel${BEL}${BEL}" "$M-bel${BEL}${BEL}" "${BEL}"
long=$(head -c 131071 /dev/zero | tr '\0' A)
h longarg "$M-longarg" "$long"
mb=$(head -c 120000 /dev/zero | tr '\0' B)
h megabyte "$M-megabyte" "$mb" "$mb" "$mb" "$mb" "$mb" "$mb" "$mb" "$mb"
mapfile -t many < <(yes x | head -n 100000)
h many "$M-many" "${many[@]}"
unset long mb many
NHOSTILE=11

# Each is up, with its whole command line.
sleep 0.3
n=0
for p in $HOSTILE_PIDS; do
	[ -r "/proc/$p/cmdline" ] && grep -q "$M" "/proc/$p/cmdline" &&
	    n=$((n + 1))
done
[ "$n" -eq "$NHOSTILE" ]
pt_check $? "$NHOSTILE hostile processes are running" "($n found)"
mbytes=$(wc -c <"/proc/$(echo $HOSTILE_PIDS | awk '{ print $10 }')/cmdline")
nargs=$(tr -cd '\0' <"/proc/$(echo $HOSTILE_PIDS | awk '{ print $11 }')/cmdline" |
    wc -c)
[ "$mbytes" -gt 960000 ] && [ "$nargs" -gt 100000 ]
pt_check $? "the kernel holds ~1 MB of arguments and 100k arguments" \
    "($mbytes bytes, $nargs arguments)"

# ---- raw output checker -------------------------------------------------------
# rawcheck FILE UTF8(0|1): what perftop wrote to the terminal.  Prints the
# problems found; exit 0 when none.
rawcheck() {
	python3 - "$1" "$2" <<'EOF'
import re, sys
data = open(sys.argv[1], 'rb').read()
utf8 = sys.argv[2] == '1'
bad = []
if utf8:
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        bad.append('invalid UTF-8 at byte %d: %r' % (e.start, data[max(0, e.start - 20):e.start + 20]))
        text = data.decode('utf-8', 'replace')
    for c in ['\u009b', '\u0085', '\u202e', '\u200b', '\u2066', '\ufeff']:
        if c in text:
            bad.append('raw U+%04X' % ord(c))
else:
    hi = [b for b in data if b >= 0x80]
    if hi:
        bad.append('%d bytes >= 0x80 in a non-UTF-8 locale' % len(hi))
    text = data.decode('latin-1')
if '\x1b]' in text:
    bad.append('an OSC sequence (ESC ])')
if '\x07' in text:
    bad.append('a BEL byte')
if 'PWNED\x07' in text or '\x1bc' in text:
    bad.append('a hostile sequence verbatim')
if len(re.findall('\x1b\\[2J', text)) > 1:
    bad.append('the screen was cleared %d times' % len(re.findall('\x1b\\[2J', text)))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

# ---- the dashboard, in three locales ---------------------------------------
LATIN1=
for l in $(locale -a 2>/dev/null); do
	case $l in
	*.iso88591|*.ISO-8859-1|*.ISO8859-1) LATIN1=$l; break ;;
	esac
done
if [ -z "$LATIN1" ] && command -v localedef >/dev/null 2>&1 &&
    mkdir -p "$PT_TMP/locale" && localedef -i en_US -f ISO-8859-1 "$PT_TMP/locale/en_US.ISO-8859-1" \
    >/dev/null 2>&1; then
	LATIN1=en_US.ISO-8859-1
	export LOCPATH=$PT_TMP/locale
fi
LOCALES="C C.UTF-8"
if [ -n "$LATIN1" ] &&
    [ "$(LC_ALL=$LATIN1 locale charmap 2>/dev/null)" = ISO-8859-1 ]; then
	LOCALES="$LOCALES $LATIN1"
else
	echo "# no Latin-1 locale could be installed or generated:" \
	    "that locale is not tested"
fi

# The escaped forms the rows must show.
EXPECT=(
	"$M-title\\x1b]2;PWNED\\x07x"
	"$M-csi\\x1b[2J\\x1b[H\\x1b[31mred \\x1bc"
	"$M-c1\\u009b2J raw\\x9b2J"
	"$M-rlo\\u202etxt.exe \\u200b\\u2066\\ufeff"
	"$M-bad\\xff\\xfe\\xc0\\xaf\\xed\\xa0\\x80 \\xe2\\x82"
	"$M-nl\\nline2\\tcol\\x0d \\x7f\\x01"
	"$M-meta|x\"y\\z a\\|b c\\ | <script>"
	"$M-bel\\x07\\x07 \\x07"
	"$M-longarg AAAA"
	"$M-megabyte BBBB"
	"$M-many x x x x"
)

i=0
for loc in $LOCALES; do
	i=$((i + 1))
	s=L$i
	case $loc in
	*UTF-8|*utf8) utf8=1 ;;
	*) utf8=0 ;;
	esac
	mkfifo "$PT_TMP/go$i"
	raw=$PT_TMP/raw$i
	: >"$raw"
	# The session waits on a FIFO until pipe-pane records its output.
	tm new-session -d -s "$s" -x 250 -y 40 "cat $PT_TMP/go$i >/dev/null;
	    env LANG=$loc LC_ALL=$loc TERM=screen $PERFTOP --interval 0.3;
	    echo EXIT=\$?; sleep 30"
	title0=$(tm display-message -p -t "$s" '#{pane_title}')
	tm pipe-pane -t "$s" -o "cat >>$raw"
	echo go >"$PT_TMP/go$i"
	pt_wait "$s" '^CPU busy'
	pt_check $? "$loc: the dashboard starts"
	pt_keys "$s" 2
	pt_wait "$s" '^Processes: '
	pt_keys "$s" /
	pt_keys "$s" -l "$M"
	pt_keys "$s" Enter
	pt_wait_cmd "$s" 50 "[ \$(grep -c -- '$M-' \"\$PT_SCREEN\") -ge $NHOSTILE ]"
	rows=$(grep -c -- "$M-" "$PT_SCREEN")
	[ "$rows" -eq "$NHOSTILE" ] &&
	    grep -q "filter \"$M\"" "$PT_SCREEN"
	pt_check $? "$loc: the filtered table has one row per hostile process" \
	    "($rows rows)"
	# No blank row: every line of the table (header to status line)
	# shows a process with its command line.
	awk -v m="$M-" '/^ +PID USER/ { h = 1; next }
	    h && /^(Processes|P M N|\/ filter|Filter)/ { exit }
	    h && NF == 0 { gap++ }
	    h && NF > 0 { if (index($0, m) == 0) odd++; blank += gap; gap = 0 }
	    END { exit blank + odd > 0 }' "$PT_SCREEN"
	pt_check $? "$loc: no blank or foreign row in the table"
	missing=
	for e in "${EXPECT[@]}"; do
		grep -qF -- "$e" "$PT_SCREEN" || missing="$missing [$e]"
	done
	[ -z "$missing" ]
	pt_check $? "$loc: every row shows the escaped command line" \
	    "${missing:+(missing:$missing)}"
	if [ $utf8 -eq 0 ]; then
		LC_ALL=C grep -q '[^ -~]' "$PT_SCREEN"
		[ $? -eq 1 ]
		pt_check $? "$loc: only printable ASCII on the screen"
	fi
	title=$(tm display-message -p -t "$s" '#{pane_title}')
	[ "$title" = "$title0" ] && [ "${title#*PWNED}" = "$title" ]
	pt_check $? "$loc: the pane title is unchanged" "('$title')"
	pt_keys "$s" q
	pt_wait "$s" 'EXIT=' 50 && grep -q 'EXIT=0' "$PT_SCREEN"
	pt_check $? "$loc: q quits with status 0"
	tm pipe-pane -t "$s"
	problems=$(rawcheck "$raw" $utf8)
	pt_check $? "$loc: perftop wrote no hostile byte to the terminal" \
	    "$(wc -c <"$raw") bytes${problems:+: $(echo $problems)}"
done

# ---- every batch format ------------------------------------------------------
FORMATS=$("$PERFTOP" --help | sed -n 's/.*--format \[*\([a-z|]*\).*/\1/p' |
    head -n 1 | tr '|' ' ')
echo "# formats listed by perftop --help: $FORMATS"

# jsoncheck FILE: valid JSON; every string clean; our rows escaped.
jsoncheck() {
	jq -e . "$1" >/dev/null || { echo "not valid JSON (jq)"; return 1; }
	jq -r '[.. | strings | select(test("[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"))] | length' \
	    "$1" | grep -qx 0 || { echo "a string holds a control character"; return 1; }
	n=$(jq --arg m "$M-" '[.. | objects | select(.cmdline? | type == "string" and contains($m))] | length' "$1")
	[ "$n" -ge "$NHOSTILE" ] ||
	    { echo "$n of $NHOSTILE hostile processes in processes[]"; return 1; }
	jq -r --arg m "$M-title" '.. | objects | select(.cmdline? | type == "string" and startswith($m)) | .cmdline' \
	    "$1" | head -n 1 | grep -qF 'PWNED\x07' ||
	    { echo "the title process is not shown escaped"; return 1; }
}

# mdcheck FILE: every table row has as many cells as its header (a pipe
# preceded by a backslash is escaped, as in GFM).
mdcheck() {
	python3 - "$1" "$M" <<'EOF'
import re, sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
def cells(l):
    return len(re.findall(r'(?<!\\)\|', l.strip()))
bad = []; want = None; tables = 0
for n, l in enumerate(lines, 1):
    if l.lstrip().startswith('|'):
        if want is None:
            want = cells(l); tables += 1
        elif cells(l) != want:
            bad.append('line %d: %d pipes, header %d: %s' % (n, cells(l), want, l[:120]))
    else:
        want = None
hits = sum(1 for l in lines if sys.argv[2] + '-' in l)
for b in bad[:5]:
    print(b)
if tables == 0:
    print('no table'); sys.exit(1)
if hits == 0:
    print('no hostile process in the report')
sys.exit(1 if bad or hits == 0 else 0)
EOF
}

csvcheck() {
	python3 - "$1" <<'EOF'
import csv, sys
text = open(sys.argv[1], encoding='utf-8', newline='').read()
bad = []
for block in text.split('\r\n\r\n' if '\r\n' in text else '\n\n'):
    if not block.strip():
        continue
    try:
        rows = list(csv.reader(block.splitlines(True), strict=True))
    except csv.Error as e:
        print('csv: %s' % e); sys.exit(1)
    rows = [r for r in rows if r and not r[0].startswith('#')]
    if rows and any(len(r) != len(rows[0]) for r in rows):
        bad.append('a record with %s fields, header %d' % (sorted({len(r) for r in rows}), len(rows[0])))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

htmlcheck() {
	if grep -qiE '<script|<img' "$1"; then
		echo "raw <script or <img"
		return 1
	fi
	if ! grep -F -- "$M-busy" "$1" | grep -qF '&lt;script&gt;alert(1)'; then
		echo "the busy process is not listed, escaped"
		return 1
	fi
	python3 -c 'import html.parser, sys
html.parser.HTMLParser().feed(open(sys.argv[1], encoding="utf-8").read())' "$1"
}

# The Prometheus text exposition format (0.0.4, what node_exporter's
# textfile collector reads) or OpenMetrics (the same with "# EOF" last):
# HELP and TYPE comments, samples with escaped label values, a TYPE before
# its family's samples, no label set twice in a family.
omcheck() {
	python3 - "$1" <<'EOF'
import re, sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
if lines and lines[-1] == '':
    lines.pop()
if lines and lines[-1] == '# EOF':
    lines.pop()
name = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
lval = r'"(?:[^"\\\n]|\\[\\"n])*"'
lab = r'[a-zA-Z_][a-zA-Z0-9_]*=' + lval
labels = r'\{(?:' + lab + r'(?:,' + lab + r')*,?)?\}'
num = r'(?:[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?Inf|NaN)'
sample = re.compile('^(' + name + ')(' + labels + ')? ' + num + '(?: -?[0-9]+)?$')
typ = re.compile(r'^# TYPE (' + name + r') (counter|gauge|histogram|gaugehistogram|stateset|info|summary|untyped|unknown)$')
other = re.compile(r'^# (HELP ' + name + r'( .*)?|UNIT ' + name + r' \S*)$')
bad = []; typed = set(); seen = set()
for n, l in enumerate(lines, 1):
    m = sample.match(l)
    t = typ.match(l)
    if t:
        typed.add(t.group(1))
    elif m:
        fam = re.sub(r'_(total|created|bucket|count|sum|info)$', '', m.group(1))
        if m.group(1) not in typed and fam not in typed:
            bad.append('line %d: a sample before its TYPE: %r' % (n, l[:100]))
        key = (m.group(1), m.group(2) or '')
        if key in seen:
            bad.append('line %d: a label set twice: %r' % (n, l[:100]))
        seen.add(key)
    elif not other.match(l):
        bad.append('line %d: %r' % (n, l[:120]))
if not seen:
    bad.append('no sample')
for b in bad[:5]:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

# The reports list the top processes by CPU: a busy one with | " \ and
# HTML in its command line is among them (at nice -10 when allowed, so
# that it stays near the top on a busy machine).
(HX_SPIN=60 HX_COMM='|"\<b>' exec -a "$M-busy|x\"y\\z" "$PT_TMP/hold" \
    'a\|b' 'c\' '|' '<script>alert(1)</script>' '&amp;' $'\033]2;PWNED\a') &
pt_track $!
SPIN=$!
renice -n -10 -p $SPIN >/dev/null 2>&1

for f in $FORMATS; do
	out=$PT_TMP/report.$f
	"$PERFTOP" --batch --format "$f" --count 3 --interval 0.3 >"$out" \
	    2>"$PT_TMP/err.$f"
	rc=$?
	[ $rc -le 2 ] && [ -s "$out" ]
	pt_check $? "--format $f: a report (exit $rc)" \
	    "$(head -c 200 "$PT_TMP/err.$f")"
	LC_ALL=C grep -q "[$ESC$BEL]" "$out"
	[ $? -eq 1 ]
	pt_check $? "--format $f: no raw ESC or BEL byte"
	python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' \
	    "$out" 2>/dev/null
	pt_check $? "--format $f: valid UTF-8"
	case $f in
	json) why=$(jsoncheck "$out") ;;
	markdown|md) why=$(mdcheck "$out") ;;
	csv) why=$(csvcheck "$out") ;;
	html) why=$(htmlcheck "$out") ;;
	openmetrics) why=$(omcheck "$out") ;;
	text) why=$(grep -F -- "$M-busy" "$out" | grep -qF '\x1b]2;PWNED\x07' ||
	    echo "the busy process is not listed, escaped") ;;
	*) why="no check written for format $f"; false ;;
	esac
	r=$?
	[ $r -eq 0 ] && [ -z "$why" ]
	pt_check $? "--format $f: the report stays valid" \
	    "${why:+($(echo $why | head -c 300))}"
done
kill $SPIN

pt_done
