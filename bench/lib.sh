# bench/lib.sh - shell helpers for the benchmarks under bench/; source it
# from bash.
#
# A benchmark tops the machine up with idle `sleep`s, runs monitors in a
# private tmux server with a throw-away HOME, and at exit ends exactly what
# it started: its sleepers and monitors by PID, its tmux server by socket
# name, never anything by command name.  tests/lib.sh is the test suite's
# counterpart.
#
#   here=$(cd "$(dirname "$0")" && pwd)
#   . "$here/lib.sh"
#   bench_perftop "${1:-}"		# PERFTOP, or exit 2
#   bench_init			# scratch, the exit and signal traps
#   bench_grow 2000			# idle sleepers up to 2000 processes
#   bench_header "$(bench_nprocs) processes"
#   bench_home "$scratch/home"; bench_cmd perftop
#   bench_start main "${CMD[@]}" || exit 1	# MPID, the monitor
#   ...; bench_stop main
#
# Variables: here (the bench directory; the script sets it), BENCH (the
# script's name, for messages), BENCH_FAIL (the prefix of bench_fail's
# messages, BENCH by default), scratch (a temporary directory, removed at
# exit), SLEEPERS and PIDS (what was started, ended at exit), COLS and
# ROWS (bench_start's terminal size), HENV (bench_home's environment), CMD
# (bench_cmd's command), MPID (the last monitor bench_start started).

BENCH=${0##*/}
BENCH_FAIL=$BENCH
BENCH_SOCK=bench-${BENCH%.sh}-$$
BENCH_SOCKPATH=
BENCH_TMUX=0
scratch=
SLEEPERS=()
PIDS=()
HENV=()
CMD=()
MPID=

# bench_fail MESSAGE: the run cannot be set up: say why, exit 2.
bench_fail() {
	echo "$BENCH_FAIL: $*" >&2
	exit 2
}

# bench_perftop [PATH]: PERFTOP, the binary to measure, the build tree's
# when PATH is empty; exit 2 when it is not there.
bench_perftop() {
	PERFTOP=${1:-$here/../perftop}
	[ -x "$PERFTOP" ] || bench_fail "no perftop binary at $PERFTOP (build first)"
}

# bench_abs PATH: PATH from the root, for the scripts that change
# directory or hand it to tmux, whose panes start elsewhere.
bench_abs() {
	echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

# bench_init: the scratch directory and the traps.  Ctrl-C and SIGTERM
# exit 130 through the EXIT trap, so that cleanup runs once.
bench_init() {
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/${BENCH%.sh}.XXXXXX") ||
	    bench_fail "mktemp"
	trap bench_cleanup EXIT
	trap 'echo "$BENCH: interrupted" >&2; exit 130' INT TERM
}

# bench_cleanup: the exit trap.  The tmux server first (its monitors get
# SIGHUP), then the PIDs that outlive it, the sleepers, the script's own
# bench_atexit when it has one (devices, namespaces, sysctls), and the
# scratch directory last, as bench_atexit may need its files.
# shellcheck disable=SC2317	# reached through the trap
bench_cleanup() {
	trap - EXIT INT TERM
	if [ "$BENCH_TMUX" = 1 ]; then
		tm kill-server >/dev/null 2>&1	# our private server only
		# tmux 3.3 leaves its socket behind.
		case $BENCH_SOCKPATH in */"$BENCH_SOCK") rm -f "$BENCH_SOCKPATH";; esac
	fi
	[ ${#PIDS[@]} -gt 0 ] && bench_reap "${PIDS[@]}"
	if [ ${#SLEEPERS[@]} -gt 0 ]; then
		kill "${SLEEPERS[@]}" 2>/dev/null
		wait "${SLEEPERS[@]}" 2>/dev/null
	fi
	if declare -F bench_atexit >/dev/null; then
		bench_atexit
	fi
	[ -n "$scratch" ] && rm -rf "$scratch"
}

# bench_running PID: does PID still run?  kill -0 alone counts the
# zombies of our own children, which only wait(1) ends.
bench_running() {
	local s
	s=$(cat /proc/"$1"/stat 2>/dev/null) || return 1
	s=${s##*) }
	[ "${s%% *}" != Z ]
}

# bench_reap PID...: end PIDs this script started: SIGTERM, a second to
# go, then SIGKILL.
bench_reap() {
	local p k
	for p; do
		bench_running "$p" && kill -TERM "$p" 2>/dev/null
	done
	for p; do
		for ((k = 0; k < 10; k++)); do
			bench_running "$p" || continue 2
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
	done
}

# ---- the machine ---------------------------------------------------------
# bench_nprocs: how many processes the machine runs.
bench_nprocs() {
	local a=(/proc/[0-9]*)
	echo ${#a[@]}
}

# bench_sleepers N: N more idle sleepers, ended at exit.
bench_sleepers() {
	local k
	for ((k = 0; k < $1; k++)); do
		# shellcheck disable=SC2217	# not for input: a closed stdin
		sleep 1000000 </dev/null >/dev/null 2>&1 &
		SLEEPERS+=("$!")
	done
}

# bench_grow N: idle sleepers until the machine runs about N processes.
bench_grow() {
	bench_sleepers $(($1 - $(bench_nprocs)))
}

# bench_ulimit NEED TO: ulimit -u raised to TO when it is below NEED, in
# this shell and its children; false when it cannot be.
bench_ulimit() {
	local u
	u=$(ulimit -u)
	[ "$u" = unlimited ] || [ "$u" -ge "$1" ] || ulimit -u "$2" 2>/dev/null
}

# bench_ticks PID: the CPU time of all PID's threads (utime + stime), in
# clock ticks; 0 when it is gone.
bench_ticks() {
	local s
	s=$(cat /proc/"$1"/stat 2>/dev/null) || { echo 0; return; }
	s=${s##*) }	# past the command name, which may hold spaces
	# shellcheck disable=SC2086	# the fields
	set -- $s
	echo $((${12} + ${13}))
}

# bench_tree PID: PID and all its descendants.
bench_tree() {
	local all=("$1") i=0 c
	while [ $i -lt ${#all[@]} ]; do
		# shellcheck disable=SC2013	# PIDs, a line of them a thread
		for c in $(cat /proc/"${all[$i]}"/task/*/children 2>/dev/null); do
			all+=("$c")
		done
		i=$((i + 1))
	done
	echo "${all[@]}"
}

# ---- the tools -----------------------------------------------------------
# bench_install TOOL...: the btop and htop among TOOLS that are missing,
# installed with apt-get when we may (root); otherwise bench_have skips
# them.
bench_install() {
	local t missing=""
	for t; do
		case $t in
		btop|htop) command -v "$t" >/dev/null || missing="$missing $t";;
		esac
	done
	if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "# installing$missing with apt-get"
		# shellcheck disable=SC2086	# one word a package
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null 2>&1 ||
		    echo "# apt-get install$missing failed: those peers are skipped"
	fi
}

# bench_have TOOL: is TOOL installed?  When not, says that it is skipped.
bench_have() {
	command -v "$1" >/dev/null && return 0
	echo "# $1 not installed (not root, or apt-get failed): skipped"
	return 1
}

# bench_cmd TOOL: CMD, the command that runs TOOL at a 1 s refresh (htop
# counts tenths; btop reads its refresh from bench/conf, see bench_home).
bench_cmd() {
	case $1 in
	perftop) CMD=("$PERFTOP" --interval 1);;
	top) CMD=(top -d 1);;
	htop) CMD=(htop -d 10);;
	*) CMD=("$1");;
	esac
}

# bench_overhead TOOL N: the summary line of overhead.sh measuring TOOL
# (bench_cmd; btop with bench/conf) for DUR seconds at SIZE, with N idle
# sleepers of its own.
bench_overhead() {
	local conf=()
	[ "$1" = btop ] && conf=(-c "$here/conf")
	bench_cmd "$1"
	bash "$here/overhead.sh" -d "$DUR" -p "$2" -W "$SIZE" -n "$1" -i 1 \
	    ${conf[@]+"${conf[@]}"} -- "${CMD[@]}" 2>&1 | tail -n 1
}

# bench_home DIR [CONFDIR]: HENV, the environment of a throw-away HOME at
# DIR, with CONFDIR's files in its XDG_CONFIG_HOME: a tool gets its
# defaults (or CONFDIR's) and writes nothing into the real home.
bench_home() {
	mkdir -p "$1/.config" "$1/.cache" "$1/.local/share" "$1/.local/state"
	if [ -n "${2:-}" ]; then
		cp -a "$2"/. "$1/.config/"
	fi
	HENV=(HOME="$1" XDG_CONFIG_HOME="$1/.config" XDG_CACHE_HOME="$1/.cache"
	    XDG_DATA_HOME="$1/.local/share" XDG_STATE_HOME="$1/.local/state")
}

# ---- tmux ------------------------------------------------------------------
# tm ARGS: tmux on our private server.
tm() {
	tmux -L "$BENCH_SOCK" -f /dev/null "$@"
}

# bench_start SESSION COMMAND...: COMMAND in a new session of COLSxROWS,
# with TERM=xterm-256color, no COLUMNS or LINES and HENV, through env,
# which execs: the pane process, MPID, is the monitor.  The pane stays
# when it exits, for its status and last screen.
bench_start() {
	local s=$1
	shift
	BENCH_TMUX=1
	# Options first, so that the pane starts at its final size.
	tm set -g status off \; set -g remain-on-exit on \
	    \; set -g history-limit 0 \
	    \; new-session -d -s "$s" -x "$COLS" -y "$ROWS" \
	    env -u COLUMNS -u LINES TERM=xterm-256color \
	    ${HENV[@]+"${HENV[@]}"} "$@" ||
	    { echo "$BENCH: tmux new-session failed for $s" >&2; return 1; }
	MPID=$(tm display-message -p -t "$s" '#{pane_pid}')
	if [ -z "$MPID" ]; then
		echo "$BENCH: no pane PID for $s" >&2
		return 1
	fi
	PIDS+=("$MPID")
	[ -n "$BENCH_SOCKPATH" ] ||
	    BENCH_SOCKPATH=$(tm display-message -p '#{socket_path}')
}

# bench_alive SESSION: do its pane and MPID still run?
bench_alive() {
	[ "$(tm display-message -p -t "$1" '#{pane_dead}' 2>/dev/null)" = 0 ] &&
	    kill -0 "$MPID" 2>/dev/null
}

# bench_status SESSION: the exit status of its dead pane.
bench_status() {
	tm display-message -p -t "$1" '#{pane_dead_status}' 2>/dev/null
}

# bench_screen SESSION N: the last N lines of its screen that are not
# blank.
bench_screen() {
	tm capture-pane -p -t "$1" 2>/dev/null | grep -v '^ *$' | tail -n "$2"
}

# bench_stop SESSION: end the session (MPID gets SIGHUP) and wait until
# MPID is gone, so that it costs the next measurement nothing.
bench_stop() {
	local k
	tm kill-session -t "$1" 2>/dev/null
	for ((k = 0; k < 10; k++)); do
		bench_running "$MPID" || return 0
		sleep 0.1
	done
	bench_reap "$MPID"
}

# ---- figures ---------------------------------------------------------------
# bench_header TEXT...: the first line of a report: when, where, and TEXT.
bench_header() {
	echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) cpus, $*"
}

# bench_median: the median of the numbers on stdin, one a line.
bench_median() {
	sort -n | awk '{ a[NR] = $1 }
	END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

# BENCH_AWK: awk functions for the key=value lines overhead.sh ends with
# (awk "$BENCH_AWK"'...'): kv() puts the record's pairs in v[], procs()
# is the mean of procs_seen=FIRST-LAST.
# shellcheck disable=SC2016,SC2034	# awk's $i; for the scripts
BENCH_AWK='
function kv(  i, a) {
	split("", v)
	for (i = 1; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
}
function procs(  a) { split(v["procs_seen"], a, "-"); return (a[1] + a[2]) / 2 }
'
