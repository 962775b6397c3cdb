# lib.sh - shell helpers for perftop's tmux end-to-end tests; source it.
#
# Every test gets a private tmux server (tmux -L ptPID -f /dev/null), an
# empty HOME, XDG_CONFIG_HOME and XDG_STATE_HOME (the saved baseline) in a
# temporary directory, and a cleanup
# trap that kills only what the test started: that server and the PIDs
# handed to pt_track.  The screen is read by polling capture-pane with a
# retry cap (pt_wait), never by sleeping a fixed time and hoping.
#
#   . "$SRCDIR/tests/lib.sh"
#   pt_init tui || exit $?		# 77 when tmux is missing
#   pt_run main 80 24 "$PERFTOP --interval 0.3"
#   pt_wait main 'CPU busy' || pt_fail "no overview"
#   pt_keys main 2
#   pt_done				# exit 0 or 1
#
# Variables: TMUX_BIN (default tmux), PERFTOP (the binary), PT_TMP (the
# temporary directory), PT_SCREEN (the last capture, a file), PT_TRIES
# and PT_STEP (poll cap and period, default 100 x 0.1 s).

PT_TRIES=${PT_TRIES:-100}
PT_STEP=${PT_STEP:-0.1}
PT_PIDS=
PT_N=0
PT_FAILED=0

# pt_init NAME: check tmux, make the temporary home, set the trap.
pt_init() {
	: "${TMUX_BIN:=tmux}"
	case $TMUX_BIN in
	'') TMUX_BIN=tmux ;;
	esac
	if ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
		echo "$1: tmux ($TMUX_BIN) not found: SKIP" >&2
		return 77
	fi
	if [ -z "${PERFTOP:-}" ] || [ ! -x "$PERFTOP" ]; then
		echo "$1: PERFTOP must name the perftop binary" >&2
		return 99
	fi
	PT_SOCK="pt$$"
	PT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/perftop-$1.XXXXXX") || return 99
	PT_SCREEN=$PT_TMP/screen
	HOME=$PT_TMP/home
	XDG_CONFIG_HOME=$PT_TMP/xdg
	XDG_STATE_HOME=$PT_TMP/state
	mkdir -p "$HOME" "$XDG_CONFIG_HOME"
	export HOME XDG_CONFIG_HOME XDG_STATE_HOME
	unset TMUX TMUX_PANE
	trap pt_cleanup EXIT
	trap 'exit 1' HUP INT TERM
	return 0
}

pt_cleanup() {
	pt_sockpath=$(tm display-message -p '#{socket_path}' 2>/dev/null)
	tm kill-server >/dev/null 2>&1
	# tmux 3.3 leaves its socket behind.
	case $pt_sockpath in
	*/"$PT_SOCK") rm -f "$pt_sockpath" ;;
	esac
	for pt_pid in $PT_PIDS; do
		kill "$pt_pid" 2>/dev/null
	done
	rm -rf "$PT_TMP"
}

# pt_track PID: kill PID at exit.
pt_track() {
	PT_PIDS="$PT_PIDS $1"
}

# tm ARGS: tmux on the private server.
tm() {
	"$TMUX_BIN" -L "$PT_SOCK" -f /dev/null "$@"
}

pt_ok() {
	PT_N=$((PT_N + 1))
	echo "ok $PT_N - $1"
}

# pt_fail MSG: record a failure and show the last screen read.
pt_fail() {
	PT_N=$((PT_N + 1))
	PT_FAILED=$((PT_FAILED + 1))
	echo "not ok $PT_N - $1"
	if [ -s "$PT_SCREEN" ]; then
		echo "# last screen:"
		sed 's/^/# |/' "$PT_SCREEN"
	fi
}

# pt_check STATUS MSG [DETAIL]: pt_ok when STATUS is 0, else pt_fail.
pt_check() {
	if [ "$1" -eq 0 ]; then
		pt_ok "$2${3:+ $3}"
	else
		pt_fail "$2${3:+ $3}"
	fi
}

pt_done() {
	echo "1..$PT_N"
	if [ "$PT_FAILED" -gt 0 ]; then
		echo "# $PT_FAILED of $PT_N failed"
		exit 1
	fi
	exit 0
}

# pt_run SESSION COLS ROWS COMMAND: start COMMAND in a new session.  The
# pane keeps showing "EXIT=status" after the command ends.
pt_run() {
	tm new-session -d -s "$1" -x "$2" -y "$3" \
	    "$4; echo EXIT=\$?; sleep 30"
}

# pt_capture SESSION [capture-pane flags]: the screen into $PT_SCREEN.
pt_capture() {
	pt_s=$1
	shift
	tm capture-pane -p "$@" -t "$pt_s" >"$PT_SCREEN" 2>/dev/null
}

# pt_wait SESSION ERE [TRIES]: poll until the screen matches.
pt_wait() {
	pt_i=0
	while [ "$pt_i" -lt "${3:-$PT_TRIES}" ]; do
		pt_capture "$1"
		grep -Eq -- "$2" "$PT_SCREEN" && return 0
		pt_i=$((pt_i + 1))
		sleep "$PT_STEP"
	done
	return 1
}

# pt_wait_not SESSION ERE [TRIES]: poll until the screen stops matching.
pt_wait_not() {
	pt_i=0
	while [ "$pt_i" -lt "${3:-$PT_TRIES}" ]; do
		pt_capture "$1"
		grep -Eq -- "$2" "$PT_SCREEN" || return 0
		pt_i=$((pt_i + 1))
		sleep "$PT_STEP"
	done
	return 1
}

# pt_wait_cmd SESSION TRIES SHELL_CMD: poll until SHELL_CMD (which may read
# $PT_SCREEN) succeeds.
pt_wait_cmd() {
	pt_i=0
	while [ "$pt_i" -lt "$2" ]; do
		pt_capture "$1"
		eval "$3" && return 0
		pt_i=$((pt_i + 1))
		sleep "$PT_STEP"
	done
	return 1
}

# pt_keys SESSION KEY...: type keys (tmux key names: Enter Escape Up BTab).
pt_keys() {
	pt_s=$1
	shift
	tm send-keys -t "$pt_s" "$@"
}

# pt_child SESSION NAME: PID of the pane shell's child called NAME.
pt_child() {
	pt_pp=$(tm display-message -p -t "$1" '#{pane_pid}') || return 1
	pt_i=0
	while [ "$pt_i" -lt "$PT_TRIES" ]; do
		pt_c=$(pgrep -P "$pt_pp" -x "$2" | head -n 1)
		if [ -n "$pt_c" ]; then
			echo "$pt_c"
			return 0
		fi
		pt_i=$((pt_i + 1))
		sleep "$PT_STEP"
	done
	return 1
}

# pt_now_ms: a clock in milliseconds.
pt_now_ms() {
	echo $(($(date +%s%N) / 1000000))
}
