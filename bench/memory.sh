#!/usr/bin/env bash
# bench/memory.sh - perftop's resident memory with a full history ring,
# beside btop, htop and top, in one run.
#
# Usage: bench/memory.sh [-i INTERVAL] [-H CONFIG|N] [-d SECONDS]
#                        [-P SECONDS] [-s STEP] [-p NPROCS] [-t "btop htop top"]
#                        [-W COLSxROWS] [PERFTOP]
#
# The ring holds `history` samples (600 by default) whatever the interval,
# so at --interval 0.1 (-i) it is full after about 60 s instead of ten
# minutes, with the same memory per sample.  The machine is topped up to
# NPROCS (default 2000) processes with idle `sleep`s (started here, killed
# here by PID), then perftop runs in a private tmux server at COLSxROWS
# (default 200x50) until its ring is full (history x interval + 5 s), and
# on for -d SECONDS (default 30) more, touched by nothing.  VmRSS, RssAnon,
# RssFile and RssShmem (/proc/PID/status) are read every STEP seconds
# (default 3): the figures when the ring became full, at the end, and the
# growth over the last third of the extra time (flat: about 0).  Then the
# ring is checked: the dashboard is frozen (space) at its oldest sample
# ({) and the header's "... before newest (oldest)" span says how many
# samples it kept.  -H passes a perftop.conf with --config (or, given a
# number, writes one with that history); by default perftop gets a file
# that sets nothing, so it runs on its built-in defaults.
#
# For comparison perftop at --interval 1 and each peer (-t) at a 1 s
# refresh run -P SECONDS (default 30) in the same terminal size: btop with
# bench/conf, htop -d 10, top -d 1.  btop and htop are installed with
# apt-get when missing and this runs as root, else skipped with a note.
# Every tool gets a throw-away HOME and XDG directories.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
IVAL=0.1; HCONF=""; DUR=30; PEER=30; STEP=3; NPROCS=2000
PEERS="btop htop top"; SIZE=200x50; MARGIN=5
while getopts "i:H:d:P:s:p:t:W:" o; do
	case $o in i) IVAL=$OPTARG;; H) HCONF=$OPTARG;; d) DUR=$OPTARG;;
	P) PEER=$OPTARG;; s) STEP=$OPTARG;; p) NPROCS=$OPTARG;; t) PEERS=$OPTARG;;
	W) SIZE=$OPTARG;; *) sed -n '2,29p' "$0"; exit 2;; esac
done
shift $((OPTIND - 1))
bench_perftop "${1:-}"
PERFTOP=$(bench_abs "$PERFTOP")
command -v tmux >/dev/null || bench_fail "tmux not found"
COLS=${SIZE%x*}; ROWS=${SIZE#*x}

bench_init
out=$scratch/out
: >"$out"

# ---- configuration -----------------------------------------------------------
case $HCONF in
'')	printf 'version = 1;\n' >"$scratch/perftop.conf"
	CONF=$scratch/perftop.conf;;
*[!0-9]*) [ -r "$HCONF" ] || bench_fail "cannot read $HCONF"
	CONF=$(bench_abs "$HCONF");;
*)	printf 'version = 1;\nhistory = %s;\n' "$HCONF" >"$scratch/perftop.conf"
	CONF=$scratch/perftop.conf;;
esac
# Work in the scratch directory: nothing a tool writes lands elsewhere.
cd "$scratch" || exit 1
"$PERFTOP" --check-config --config "$CONF" >/dev/null ||
    bench_fail "perftop rejects $CONF"
# The ring's capacity as perftop itself reads it (a one-sample batch).
HIST=$("$PERFTOP" --batch --count 1 --format json --config "$CONF" 2>/dev/null |
    sed -n 's/.*"history": *\([0-9][0-9]*\).*/\1/p' | head -n 1)
[ -n "$HIST" ] || bench_fail "cannot read perftop's history setting"
FILL=$(awk -v h="$HIST" -v i="$IVAL" -v m="$MARGIN" 'BEGIN { printf "%d", h * i + m + 0.999 }')

# shellcheck disable=SC2086	# one word a tool
bench_install $PEERS

# ---- idle processes ------------------------------------------------------------
bench_ulimit $((NPROCS + 500)) $((NPROCS + 1000)) ||
    echo "# note: ulimit -u $(ulimit -u) may stop short of $NPROCS processes"
bench_grow "$NPROCS"
sleep 1

# ---- running a tool in the private tmux server ---------------------------------
# start NAME COMMAND...: a session NAME running COMMAND with a throw-away
# HOME (btop's with bench/conf); sets MPID and T0.
start() {
	local name=$1 cdir=
	shift
	[ "$name" = btop ] && cdir=$here/conf
	bench_home "$scratch/home-$name" "$cdir"
	bench_start "$name" "$@" || return 1
	T0=$(date +%s.%N)
}
died() {	# NAME: say so, with the last screen
	echo "# $1 exited early (status $(bench_status "$1")); last screen:"
	bench_screen "$1" 8 | sed 's/^/#   /'
}
# mem: "rss anon file shmem hwm" in KiB, summed over MPID's process tree.
mem() {
	local p f=()
	for p in $(bench_tree "$MPID"); do f+=("/proc/$p/status"); done
	awk '/^VmRSS:/ { r += $2 } /^RssAnon:/ { a += $2 } /^RssFile:/ { f += $2 }
	    /^RssShmem:/ { s += $2 } /^VmHWM:/ { h += $2 }
	    END { printf "%d %d %d %d %d\n", r, a, f, s, h }' "${f[@]}" 2>/dev/null
}
since() { awk -v t0="$T0" -v t="$(date +%s.%N)" 'BEGIN { printf "%.1f", t - t0 }'; }
# row TOOL REFRESH RAN KEPT: one table row from a fresh mem reading.
row() {
	local m
	m=$(mem)
	echo "row $1 $2 $3 $4 $m" >>"$out"
}

bench_header "$(bench_nprocs) processes (${#SLEEPERS[@]} idle sleepers started), $SIZE"
echo "# perftop: history $HIST samples, --interval $IVAL: ring full after" \
    "~${FILL} s, then ${DUR} s more, RSS every ${STEP} s"

# ---- perftop until its ring is full, and on ----------------------------------
start perftop "$PERFTOP" --interval "$IVAL" --config "$CONF" || exit 1
END=$((FILL + DUR))
LAST3=$(awk -v f="$FILL" -v d="$DUR" 'BEGIN { printf "%.1f", f + d * 2 / 3 }')
full_m=""; third_m=""; next=0
printf '# %7s %9s %9s %9s %9s %9s\n' "t s" "RSS KiB" "anon KiB" "file KiB" "shmem KiB" "procs"
while :; do
	bench_alive perftop || { died perftop; exit 1; }
	t=$(since)
	m=$(mem)
	np=$(bench_nprocs)
	read -r m_r m_a m_f m_s _ <<<"$m"
	printf '  %7s %9s %9s %9s %9s %9s\n' "$t" "$m_r" "$m_a" "$m_f" "$m_s" "$np"
	if [ -z "$full_m" ] && awk -v t="$t" -v f="$FILL" 'BEGIN { exit !(t >= f) }'; then
		full_m=$m; full_t=$t; full_np=$np
		echo "  -- ring full (history x interval + ${MARGIN} s)"
	fi
	if [ -z "$third_m" ] && awk -v t="$t" -v f="$LAST3" 'BEGIN { exit !(t >= f) }'; then
		third_m=$m; third_t=$t; third_np=$np
	fi
	awk -v t="$t" -v e="$END" 'BEGIN { exit !(t >= e) }' && break
	# Next reading on the STEP grid, or exactly at FILL / END.
	next=$(awk -v t="$t" -v s="$STEP" -v f="$FILL" -v e="$END" -v fm="${full_m:+1}" 'BEGIN {
		n = (int(t / s) + 1) * s
		if (!fm && n > f) n = f
		if (n > e) n = e
		print n }')
	sleep "$(awk -v n="$next" -v t="$(since)" 'BEGIN { d = n - t; printf "%.2f", (d > 0.05 ? d : 0.05) }')"
done
end_m=$m; end_t=$t; end_np=$np
pt_cpu=$(awk -v k="$(bench_ticks "$MPID")" -v hz="$(getconf CLK_TCK)" -v t="$end_t" \
    'BEGIN { printf "%.1f", 100 * k / hz / t }')

# Now (measurement over) check the ring: freeze, go to the oldest sample.
tm send-keys -t perftop Space
sleep 0.5
tm send-keys -t perftop -l '{'
span=""
for _ in $(seq 30); do
	sleep 0.2
	span=$(tm capture-pane -p -t perftop 2>/dev/null | head -n 3 |
	    sed -n 's/.*[^0-9hms.]\([0-9][0-9hms.]*\) before newest (oldest).*/\1/p' | head -n 1)
	[ -n "$span" ] && break
done
up=$(since)
bench_stop perftop
if [ -n "$span" ]; then
	# "0.3s", "45s", "3m05s", "2h10m" -> seconds
	span_s=$(echo "$span" | awk '{ s = 0; x = $0
		if (match(x, /[0-9]+h/)) s += 3600 * substr(x, RSTART, RLENGTH - 1)
		if (match(x, /[0-9]+m/)) s += 60 * substr(x, RSTART, RLENGTH - 1)
		if (match(x, /[0-9.]+s/)) s += substr(x, RSTART, RLENGTH - 1)
		print s }')
	check=$(awk -v sp="$span_s" -v up="$up" -v i="$IVAL" -v h="$HIST" -v ft="$full_t" 'BEGIN {
		n = int(sp / i + 0.5) + 1; if (n > h) n = h
		slack = (3 > 5 * i) ? 3 : 5 * i
		if (sp + slack < up) {
			# Wrapped: the oldest is newer than the start.  Slower
			# sampling than asked stretches the span.
			est = sp * h / (h - 1)
			printf "full: oldest sample %.0f s before newest, %.0f s after start -> ~%d of %d samples at %s s", sp, up, h, h, i
			if (sp > (h - 1) * i * 1.05 + 1)
				printf "; sampling slower than asked (~%.3f s): full only at ~%.0f s, the \"full\" reading at %s s may be early", sp / (h - 1), est, ft
			printf "\n"
		} else
			printf "NOT full: oldest sample %.0f s before newest, %.0f s after start -> ~%d of %d samples\n", sp, up, n, h
	}')
	echo "# ring check: $check"
	case $check in full*) kept="$HIST/$HIST";; *) kept="partial";; esac
else
	echo "# ring check: could not read the oldest sample's age from the header"
	kept="?/$HIST"
fi
echo "row perftop $IVAL $end_t $kept $end_m" >>"$out"
echo "# perftop used ${pt_cpu} % of a core at --interval $IVAL"

# ---- perftop at 1 s and the peers, PEER seconds each ----------------------------
peer() {	# NAME LABEL REFRESH COMMAND...
	local name=$1 label=$2 rf=$3; shift 3
	start "$name" "$@" || return
	sleep "$PEER"
	if bench_alive "$name"; then
		row "$label" "$rf" "$(since)" "${KEPT:--}"
	else
		died "$name"
	fi
	bench_stop "$name"
}
bench_cmd perftop
KEPT="$(awk -v p="$PEER" -v h="$HIST" 'BEGIN { n = int(p) + 1; if (n > h) n = h; print n }')/$HIST" \
    peer perftop1 perftop 1 "${CMD[@]}" --config "$CONF"
for t in $PEERS; do
	bench_have "$t" || continue
	bench_cmd "$t"
	case $t in
	btop|htop|top) peer "$t" "$t" 1 "${CMD[@]}";;
	*) peer "$t" "$t" "?" "${CMD[@]}";;
	esac
done
echo "# $(bench_nprocs) processes at the end"

# ---- the table ---------------------------------------------------------------------
echo
awk -v fm="$full_m" -v ft="$full_t" -v tm3="$third_m" -v t3="$third_t" -v et="$end_t" \
    -v hist="$HIST" -v iv="$IVAL" '
function mib(k) { return k / 1024 }
/^row / {
	printf "%-8s %7s %6.0f %9s %8.1f %8.1f %8.1f %8.1f %8.1f\n", $2, $3 " s",
	    $4, $5, mib($6), mib($7), mib($8), mib($9), mib($10)
}
BEGIN {
	printf "%-8s %7s %6s %9s %8s %8s %8s %8s %8s\n", "tool", "refresh",
	    "ran s", "samples", "RSS MiB", "anon MiB", "file MiB", "shm MiB",
	    "HWM MiB"
}
END {
	print ""
	split(fm, f, " ")
	printf "perftop RSS when the ring became full (%s s): %.1f MiB (anon %.1f, file %.1f)\n",
	    ft, mib(f[1]), mib(f[2]), mib(f[3])
}' "$out"
awk -v fm="$full_m" -v ft="$full_t" -v tm3="$third_m" -v t3="$third_t" \
    -v em="$end_m" -v et="$end_t" -v hist="$HIST" -v fn="$full_np" \
    -v tn="$third_np" -v en="$end_np" '
BEGIN {
	split(fm, f, " "); split(tm3, g, " "); split(em, e, " ")
	# The process table follows the machine: show its size beside.
	printf "perftop RSS at the end (%s s): %.1f MiB; growth since full %+d KiB (processes %d -> %d), over the last third (%s -> %s s) %+d KiB (processes %d -> %d)\n",
	    et, e[1] / 1024, e[1] - f[1], fn, en, t3, et, e[1] - g[1], tn, en
	printf "perftop RSS with a full %d-sample ring: %.1f MiB (target <= 8 MiB)\n",
	    hist, e[1] / 1024
}'
