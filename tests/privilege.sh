#!/bin/sh
# privilege.sh - perftop without privileges: figures it may not read are
# null, never 0, and nothing else breaks.
#
# As nobody (setpriv --reuid=65534 --regid=65534 --clear-groups, an empty
# HOME and XDG directories of its own, --config an empty file):
#   batch    perftop --batch --format json --count 2: exit 0..2; other
#            users' processes have read_bps/write_bps null (their
#            /proc/PID/io is not readable), perftop's own row has CPU and
#            I/O figures; no CPU % below 0 or above 100 (100 x cores for a
#            process), no negative figure, no "nan"/"inf"; status not
#            UNKNOWN.
#   hidepid  the same in a private mount namespace whose /proc is mounted
#            hidepid=2: only nobody's processes are listed, the system
#            figures (CPU, memory, load) are all there, status not UNKNOWN.
#   tui      the dashboard as nobody in a private tmux server, three
#            refreshes (--iterations 3): exit 0.
#
# Run by make check with PERFTOP, SRCDIR and TMUX_BIN set.  Exit 0 pass, 1
# fail, 77 when not root or setpriv/unshare are missing.

. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "privilege: needs root (to become nobody): SKIP" >&2
	exit 77
fi
for t in setpriv unshare jq; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "privilege: $t not found: SKIP" >&2
		exit 77
	fi
done
if [ -z "${PERFTOP:-}" ] || [ ! -x "$PERFTOP" ]; then
	echo "privilege: PERFTOP must name the perftop binary" >&2
	exit 99
fi
: "${TMUX_BIN:=tmux}"

NB_UID=65534
NB_NAME=$(getent passwd "$NB_UID" | cut -d: -f1)
: "${NB_NAME:=nobody}"

# Everything nobody needs lives in one directory it can read: the binary
# (the build tree may not be reachable by it), an empty config, its home.
PT_SOCK="ptpriv$$"
PT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/perftop-privilege.XXXXXX") || exit 99
PT_SCREEN=$PT_TMP/screen
trap pt_cleanup EXIT
trap 'exit 1' HUP INT TERM
chmod 755 "$PT_TMP"
cp "$PERFTOP" "$PT_TMP/perftop" || exit 99
chmod 755 "$PT_TMP/perftop"
: >"$PT_TMP/empty.conf"
chmod 644 "$PT_TMP/empty.conf"
H=$PT_TMP/home
mkdir -p "$H/xdg" "$H/state"
chown -R "$NB_UID:$NB_UID" "$H"
# A sanitizer build reads its suppressions as nobody too.
SAN_ENV=
if [ -n "${LSAN_OPTIONS:-}" ] && [ -r "$SRCDIR/tests/lsan.supp" ]; then
	cp "$SRCDIR/tests/lsan.supp" "$PT_TMP/lsan.supp"
	chmod 644 "$PT_TMP/lsan.supp"
	SAN_ENV="LSAN_OPTIONS=suppressions=$PT_TMP/lsan.supp print_suppressions=0"
fi

# nobody CMD...: run CMD as nobody with a clean environment.
NOBODY="setpriv --reuid=$NB_UID --regid=$NB_UID --clear-groups env -i \
PATH=/usr/bin:/bin HOME=$H XDG_CONFIG_HOME=$H/xdg XDG_STATE_HOME=$H/state \
LANG=C.UTF-8"
nobody() {
	if [ -n "$SAN_ENV" ]; then
		$NOBODY "$SAN_ENV" "UBSAN_OPTIONS=${UBSAN_OPTIONS:-}" "$@"
	else
		$NOBODY "$@"
	fi
}
BATCH="$PT_TMP/perftop --config $PT_TMP/empty.conf --batch --format json \
--count 2 --interval 0.3"

# status_ok NAME RC: the batch exit status is a health status 0..2, and
# nothing was written to stderr (no warning, no sanitizer report).
status_ok() {
	case $2 in
	0|1|2) pt_ok "$1: exit status $2 (a health status)" ;;
	*) pt_fail "$1: exit status $2" ;;
	esac
	if [ -s "$PT_TMP/err" ]; then
		pt_fail "$1: wrote to stderr"
		sed 's/^/# /' "$PT_TMP/err"
	else
		pt_ok "$1: nothing on stderr"
	fi
}

# jq_check NAME FILE FILTER MSG: FILTER (jq -e) holds on FILE.
jq_check() {
	if jq -e "$3" "$2" >/dev/null 2>"$PT_TMP/jqerr"; then
		pt_ok "$1: $4"
	else
		pt_fail "$1: $4"
		sed 's/^/# /' "$PT_TMP/jqerr"
	fi
}

# common NAME FILE: what every unprivileged report must satisfy.
common() {
	if ! jq empty "$2" 2>/dev/null; then
		pt_fail "$1: the report is not JSON"
		return
	fi
	jq_check "$1" "$2" '.host.cpus as $c |
	    [.samples[].cpu | (.busy_pct, .user_pct, .system_pct,
	    .iowait_pct, .steal_pct, .idle_pct, .per_cpu[]?)] |
	    map(select(. != null)) | length > 0 and
	    all(. >= 0 and . <= 100)' "system CPU % within 0..100"
	jq_check "$1" "$2" '.host.cpus as $c |
	    [.processes[]?.cpu_pct, .samples[].top[]?.cpu_pct] |
	    map(select(. != null)) | all(. >= 0 and . <= 100 * $c)' \
	    "process CPU % within 0..100 x cores"
	# Signed by nature: slopes, baseline deltas, and a filesystem's
	# growth (its USE saturation cell: bytes/s, negative as it shrinks).
	jq_check "$1" "$2" '[paths(type == "number") as $p |
	    select(getpath($p) < 0 and ($p[-1] | tostring |
	    IN("slope", "delta", "effect", "t") | not) and
	    ($p[0] != "use" or $p[2] != "saturation"))] | length == 0' \
	    "no negative figure"
	jq_check "$1" "$2" '[.. | strings |
	    select(test("^[-+]?(nan|inf(inity)?)$"; "i"))] | length == 0' \
	    "no NaN or infinity written as text"
	jq_check "$1" "$2" '.health.status != "UNKNOWN" and
	    .health.score != null' "health judged (not UNKNOWN)"
	jq_check "$1" "$2" '.samples[-1] | .cpu.busy_pct != null and
	    .mem.used_pct != null and .load[0] != null and
	    .nprocs.total >= 1' "system figures measured"
	# Command lines are other programs' words: badconf.sh, run beside
	# this test by make check -j, starts perftop with "--interval inf".
	if jq 'walk(if type == "object" then del(.cmdline) else . end)' \
	    "$2" | grep -Eqi '(^|[^a-z_])-?(nan|inf)([^a-z_]|$)'; then
		pt_fail "$1: nan or inf in the report (outside command lines)"
		jq 'walk(if type == "object" then del(.cmdline) else . end)' \
		    "$2" | grep -Ei '(^|[^a-z_])-?(nan|inf)([^a-z_]|$)' |
		    head -3 | sed 's/^/# /'
	else
		pt_ok "$1: no nan or inf anywhere in the report but command lines"
	fi
}

# ---- (a) an unprivileged batch ---------------------------------------------
nobody $BATCH >"$PT_TMP/a.json" 2>"$PT_TMP/err"
status_ok batch $?
common batch "$PT_TMP/a.json"
jq_check batch "$PT_TMP/a.json" "[.processes[] | select(.user == \"root\")] |
    length > 0" "root's processes listed"
jq_check batch "$PT_TMP/a.json" "[.processes[] |
    select(.user != \"$NB_NAME\")] | length > 0 and
    all(.read_bps == null and .write_bps == null)" \
    "other users' processes: read_bps and write_bps null, not 0"
jq_check batch "$PT_TMP/a.json" "[.processes[] |
    select(.user == \"$NB_NAME\" and .command == \"perftop\")] |
    length >= 1 and all(.cpu_pct != null and .read_bps != null and
    .write_bps != null and .rss_bytes != null)" \
    "own process (perftop) has CPU and I/O figures"
nforeign=$(jq "[.processes[] | select(.user != \"$NB_NAME\")] | length" \
    "$PT_TMP/a.json")
echo "# batch as $NB_NAME: $nforeign foreign processes, all with I/O null"

# ---- (b) hidepid=2 ---------------------------------------------------------
# A proc mount has its own options only from Linux 5.8 (earlier, mounting
# proc again remounts the one instance, host included): not tried there.
kv=$(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
set -- $kv
if [ "${1:-0}" -lt 5 ] || { [ "$1" -eq 5 ] && [ "${2:-0}" -lt 8 ]; }; then
	echo "ok - hidepid: # SKIP kernel $(uname -r) < 5.8 shares proc options"
else
	unshare --mount --propagation private sh -c "mount -t proc \
	    -o hidepid=2 proc /proc && exec $NOBODY ${SAN_ENV:+'$SAN_ENV'} \
	    $BATCH" >"$PT_TMP/b.json" 2>"$PT_TMP/err"
	status_ok hidepid $?
	common hidepid "$PT_TMP/b.json"
	jq_check hidepid "$PT_TMP/b.json" "[.processes[] |
	    select(.user != \"$NB_NAME\")] | length == 0" \
	    "only $NB_NAME's processes are visible"
	jq_check hidepid "$PT_TMP/b.json" "[.processes[] |
	    select(.command == \"perftop\")] | length >= 1" \
	    "perftop sees itself"
	jq_check hidepid "$PT_TMP/b.json" '.samples[-1].nprocs.total ==
	    (.processes | length)' "the process count is what it sees"
	echo "# hidepid=2: $(jq '.processes | length' "$PT_TMP/b.json")" \
	    "process(es) visible, health $(jq -r .health.status \
	    "$PT_TMP/b.json")"
	# The host's /proc was not touched.
	if grep -q 'hidepid' /proc/self/mountinfo; then
		pt_fail "hidepid: the host's /proc was changed"
	else
		pt_ok "hidepid: the host's /proc left alone"
	fi
fi

# ---- (c) the dashboard as nobody -------------------------------------------
if ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
	pt_fail "tui: tmux ($TMUX_BIN) not found"
else
	pt_run dash 100 30 "$NOBODY ${SAN_ENV:+'$SAN_ENV'} TERM=screen \
$PT_TMP/perftop --config $PT_TMP/empty.conf --iterations 3 --interval 0.3 \
2>$PT_TMP/tui.err"
	if ! pt_wait dash 'EXIT=[0-9]+' 300; then
		pt_fail "tui: perftop as $NB_NAME did not exit after 3 refreshes"
	elif grep -q 'EXIT=0' "$PT_SCREEN" && [ ! -s "$PT_TMP/tui.err" ]; then
		pt_ok "tui: the dashboard as $NB_NAME ran 3 refreshes, exit 0"
	else
		pt_fail "tui: the dashboard as $NB_NAME failed"
		sed 's/^/# /' "$PT_TMP/tui.err"
	fi
fi

pt_done
