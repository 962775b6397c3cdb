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
IVAL=0.1; HCONF=""; DUR=30; PEER=30; STEP=3; NPROCS=2000
PEERS="btop htop top"; SIZE=200x50; MARGIN=5
while getopts "i:H:d:P:s:p:t:W:" o; do
	case $o in i) IVAL=$OPTARG;; H) HCONF=$OPTARG;; d) DUR=$OPTARG;;
	P) PEER=$OPTARG;; s) STEP=$OPTARG;; p) NPROCS=$OPTARG;; t) PEERS=$OPTARG;;
	W) SIZE=$OPTARG;; *) sed -n '2,29p' "$0"; exit 2;; esac
done
shift $((OPTIND - 1))
PERFTOP=${1:-$here/../perftop}
[ -x "$PERFTOP" ] || { echo "memory.sh: no perftop binary at $PERFTOP (build first)" >&2; exit 2; }
PERFTOP=$(cd "$(dirname "$PERFTOP")" && pwd)/$(basename "$PERFTOP")
command -v tmux >/dev/null || { echo "memory.sh: tmux not found" >&2; exit 2; }
COLS=${SIZE%x*}; ROWS=${SIZE#*x}

SLEEPERS=()
MPIDS=()
SOCK="mem$$"
SOCKPATH=""
scratch=$(mktemp -d "${TMPDIR:-/tmp}/memory.XXXXXX")
out=$scratch/out
: >"$out"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	local p
	trap - EXIT INT TERM
	tm kill-server >/dev/null 2>&1	# our private server only
	case $SOCKPATH in */"$SOCK") rm -f "$SOCKPATH";; esac	# tmux 3.3 leaves it
	# A monitor that outlived SIGHUP: by its PID, which we started.
	for p in ${MPIDS[@]+"${MPIDS[@]}"}; do
		kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null
	done
	if [ ${#SLEEPERS[@]} -gt 0 ]; then
		kill "${SLEEPERS[@]}" 2>/dev/null
		wait "${SLEEPERS[@]}" 2>/dev/null
	fi
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'echo "memory.sh: interrupted" >&2; exit 130' INT TERM

# ---- configuration -----------------------------------------------------------
case $HCONF in
'')	printf 'version = 1;\n' >"$scratch/perftop.conf"
	CONF=$scratch/perftop.conf;;
*[!0-9]*) [ -r "$HCONF" ] || { echo "memory.sh: cannot read $HCONF" >&2; exit 2; }
	CONF=$(cd "$(dirname "$HCONF")" && pwd)/$(basename "$HCONF");;
*)	printf 'version = 1;\nhistory = %s;\n' "$HCONF" >"$scratch/perftop.conf"
	CONF=$scratch/perftop.conf;;
esac
# Work in the scratch directory: nothing a tool writes lands elsewhere.
cd "$scratch" || exit 1
"$PERFTOP" --check-config --config "$CONF" >/dev/null ||
    { echo "memory.sh: perftop rejects $CONF" >&2; exit 2; }
# The ring's capacity as perftop itself reads it (a one-sample batch).
HIST=$("$PERFTOP" --batch --count 1 --format json --config "$CONF" 2>/dev/null |
    sed -n 's/.*"history": *\([0-9][0-9]*\).*/\1/p' | head -n 1)
[ -n "$HIST" ] || { echo "memory.sh: cannot read perftop's history setting" >&2; exit 2; }
FILL=$(awk -v h="$HIST" -v i="$IVAL" -v m="$MARGIN" 'BEGIN { printf "%d", h * i + m + 0.999 }')

# Peers: install what is missing when we may (root, apt-get), else skip.
missing=""
for t in $PEERS; do
	case $t in btop|htop) command -v "$t" >/dev/null || missing="$missing $t";; esac
done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "# installing$missing with apt-get"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null 2>&1 ||
	    echo "# apt-get install$missing failed: those peers are skipped"
fi

# ---- idle processes ------------------------------------------------------------
nprocs() { ls -d /proc/[0-9]* 2>/dev/null | wc -l; }
if [ "$(ulimit -u)" != unlimited ] && [ "$(ulimit -u)" -lt $((NPROCS + 500)) ]; then
	ulimit -u $((NPROCS + 1000)) 2>/dev/null ||
	    echo "# note: ulimit -u $(ulimit -u) may stop short of $NPROCS processes"
fi
have=$(nprocs)
for ((k = have; k < NPROCS; k++)); do
	# shellcheck disable=SC2217
	sleep 1000000 </dev/null >/dev/null 2>&1 &
	SLEEPERS+=($!)
done
sleep 1

# ---- running a tool in the private tmux server ---------------------------------
# start NAME COMMAND...: a session NAME running COMMAND with a throw-away
# HOME; sets MPID (env execs, so the pane process is the monitor).
start() {
	local name=$1 h=$scratch/home-$1; shift
	mkdir -p "$h/.config" "$h/.cache" "$h/.local/share" "$h/.local/state"
	[ "$name" = btop ] && cp -a "$here/conf"/. "$h/.config/"
	# Options first, so that the pane starts at its final size.
	tm set -g status off \; set -g remain-on-exit on \
	    \; set -g history-limit 0 \
	    \; new-session -d -s "$name" -x "$COLS" -y "$ROWS" \
	    env -u COLUMNS -u LINES TERM=xterm-256color HOME="$h" \
	    XDG_CONFIG_HOME="$h/.config" XDG_CACHE_HOME="$h/.cache" \
	    XDG_DATA_HOME="$h/.local/share" XDG_STATE_HOME="$h/.local/state" \
	    "$@" ||
	    { echo "memory.sh: tmux new-session failed for $name" >&2; return 1; }
	MPID=$(tm display-message -p -t "$name" '#{pane_pid}') || return 1
	[ -n "$SOCKPATH" ] || SOCKPATH=$(tm display-message -p '#{socket_path}')
	MPIDS+=("$MPID")
	T0=$(date +%s.%N)
}
alive() {	# NAME
	[ "$(tm display-message -p -t "$1" '#{pane_dead}' 2>/dev/null)" = 0 ] &&
	    kill -0 "$MPID" 2>/dev/null
}
died() {	# NAME: say so, with the last screen
	echo "# $1 exited early (status $(tm display-message -p -t "$1" \
	    '#{pane_dead_status}' 2>/dev/null)); last screen:"
	tm capture-pane -p -t "$1" 2>/dev/null | grep -v '^ *$' | tail -n 8 | sed 's/^/#   /'
}
stop() {	# NAME: end the session; the monitor gets SIGHUP
	local k
	tm kill-session -t "$1" 2>/dev/null
	for k in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$MPID" 2>/dev/null || return 0; sleep 0.1; done
	kill -TERM "$MPID" 2>/dev/null; sleep 0.5
	kill -0 "$MPID" 2>/dev/null && kill -KILL "$MPID" 2>/dev/null
}
# mem: "rss anon file shmem hwm" in KiB, summed over MPID's process tree.
tree() {
	local all=("$MPID") i=0 c
	while [ $i -lt ${#all[@]} ]; do
		for c in $(cat /proc/"${all[$i]}"/task/*/children 2>/dev/null); do all+=("$c"); done
		i=$((i + 1))
	done
	echo "${all[@]}"
}
mem() {
	local p f=()
	for p in $(tree); do f+=("/proc/$p/status"); done
	awk '/^VmRSS:/ { r += $2 } /^RssAnon:/ { a += $2 } /^RssFile:/ { f += $2 }
	    /^RssShmem:/ { s += $2 } /^VmHWM:/ { h += $2 }
	    END { printf "%d %d %d %d %d\n", r, a, f, s, h }' "${f[@]}" 2>/dev/null
}
cputicks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/"$MPID"/stat 2>/dev/null; }
since() { awk -v t0="$T0" -v t="$(date +%s.%N)" 'BEGIN { printf "%.1f", t - t0 }'; }
# row TOOL REFRESH RAN KEPT: one table row from a fresh mem reading.
row() {
	local m
	m=$(mem)
	echo "row $1 $2 $3 $4 $m" >>"$out"
}

echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) cpus, $(nprocs) processes" \
    "($((${#SLEEPERS[@]})) idle sleepers started), $SIZE"
echo "# perftop: history $HIST samples, --interval $IVAL: ring full after" \
    "~${FILL} s, then ${DUR} s more, RSS every ${STEP} s"

# ---- perftop until its ring is full, and on ----------------------------------
start perftop "$PERFTOP" --interval "$IVAL" --config "$CONF" || exit 1
END=$((FILL + DUR))
LAST3=$(awk -v f="$FILL" -v d="$DUR" 'BEGIN { printf "%.1f", f + d * 2 / 3 }')
full_m=""; third_m=""; next=0
printf '# %7s %9s %9s %9s %9s %9s\n' "t s" "RSS KiB" "anon KiB" "file KiB" "shmem KiB" "procs"
while :; do
	alive perftop || { died perftop; exit 1; }
	t=$(since)
	m=$(mem)
	np=$(nprocs)
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
pt_cpu=$(awk -v k="$(cputicks)" -v hz="$(getconf CLK_TCK)" -v t="$end_t" \
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
stop perftop
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
	if alive "$name"; then
		row "$label" "$rf" "$(since)" "${KEPT:--}"
	else
		died "$name"
	fi
	stop "$name"
}
KEPT="$(awk -v p="$PEER" -v h="$HIST" 'BEGIN { n = int(p) + 1; if (n > h) n = h; print n }')/$HIST" \
    peer perftop1 perftop 1 "$PERFTOP" --interval 1 --config "$CONF"
for t in $PEERS; do
	if ! command -v "$t" >/dev/null; then
		echo "# $t not installed (not root, or apt-get failed): skipped"
		continue
	fi
	case $t in
	btop) peer btop btop 1 btop;;
	htop) peer htop htop 1 htop -d 10;;
	top) peer top top 1 top -d 1;;
	*) peer "$t" "$t" "?" "$t";;
	esac
done
echo "# $(nprocs) processes at the end"

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
