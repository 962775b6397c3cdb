#!/bin/sh
# hangup.sh - the terminal going away, and suspend/resume.
#
# perftop must leave within 1 s, without spinning, when its terminal goes:
#   pane    tmux kill-pane: the pty is closed and SIGHUP sent;
#   server  tmux kill-server of a second private server, perftop in its
#           own session (setsid -w) with SIGHUP ignored (trap '' HUP):
#           no SIGHUP reaches it, only the closed pty tells;
#   hup     SIGHUP delivered while the terminal stays (exit status 129);
#   stdin   stdin is another pane's pty, and that pane is killed: EOF/EIO
#           on stdin while stdout still works (SIGHUP ignored again).
# For each the exit latency (polled every 10 ms) and the CPU time perftop
# used between the event and its exit are printed; a perftop still there
# after 1 s is watched 2 s more to tell a slow exit from a spin.  Also:
# stdin or stdout not a terminal is refused at once (exit 1, one line, no
# escape sequence written).
# Then SIGTSTP and SIGCONT, as a shell with job control does them: perftop
# started from an interactive bash in a pane, kill -TSTP: it stops (state
# T), the normal screen comes back and bash prints its prompt; the screen is then scribbled over; fg (SIGCONT): a full
# redraw, none of the scribble left.
#
# Run by make check with PERFTOP and TMUX_BIN set.  Exit 0 pass, 1 fail, 77
# when tmux is missing.

. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
pt_init hangup || exit $?

U="env LANG=C.UTF-8 LC_ALL= TERM=screen"
P="$PERFTOP --interval 0.5"
HZ=$(getconf CLK_TCK)

# state PID: the process state letter, or X when it is gone.
state() {
	s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c 1)
	echo "${s:-X}"
}
ticks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null
}

# await_exit PID T0_MS C0_TICKS: wait up to 3 s for PID to be gone (or a
# zombie); sets LAT (ms, or "none") and CPU (ms used meanwhile).
await_exit() {
	aw_last=$3
	while :; do
		now=$(pt_now_ms)
		case $(state "$1") in
		X|Z) LAT=$((now - $2)); break ;;
		esac
		t=$(ticks "$1")
		[ -n "$t" ] && aw_last=$t
		if [ $((now - $2)) -gt 3000 ]; then
			LAT=none
			break
		fi
		sleep 0.01
	done
	CPU=$(( (aw_last - $3) * 1000 / HZ ))
}

# report NAME: one check from LAT and CPU.
report() {
	echo "# $1: exit latency ${LAT} ms, CPU used while leaving ${CPU} ms"
	[ "$LAT" != none ] && [ "$LAT" -lt 1000 ] && [ "$CPU" -lt 200 ]
	pt_check $? "$1: perftop leaves within 1 s without spinning" \
	    "(${LAT} ms, ${CPU} ms CPU)"
	if [ "$LAT" = none ]; then
		kill -9 "$2" 2>/dev/null
	fi
}

# ready SESSION: wait for the overview of a session whose pane process is
# perftop itself (exec); echoes its PID.
ready() {
	pt_wait "$1" '^CPU busy' || return 1
	tm display-message -p -t "$1" '#{pane_pid}'
}

# ---- pane: kill-pane ----------------------------------------------------------
tm new-session -d -s pane -x 80 -y 24 "exec $U $P"
pid=$(ready pane)
pt_check $? "pane: perftop runs ($pid)"
c0=$(ticks "$pid")
t0=$(pt_now_ms)
tm kill-pane -t pane
await_exit "$pid" "$t0" "$c0"
report "pane closed (kill-pane)" "$pid"

# ---- server: kill-server, SIGHUP ignored ---------------------------------------
# A second private server: killing it must not take the others down.
tm2() {
	"$TMUX_BIN" -L "${PT_SOCK}b" -f /dev/null "$@"
}
tm2 new-session -d -s srv -x 80 -y 24 "trap '' HUP; exec setsid -w $U $P"
i=0
while [ $i -lt 100 ]; do
	tm2 capture-pane -p -t srv 2>/dev/null | grep -q '^CPU busy' && break
	i=$((i + 1))
	sleep 0.1
done
ppid=$(tm2 display-message -p -t srv '#{pane_pid}')
pid=$(pgrep -P "$ppid" -x perftop)
# Its own session: the pty is not its controlling terminal.
[ -n "$pid" ] && [ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ]
pt_check $? "server: perftop runs in its own session (${pid:-none})"
c0=$(ticks "$pid")
t0=$(pt_now_ms)
sock=$(tm2 display-message -p '#{socket_path}')
tm2 kill-server
rm -f "$sock"
await_exit "$pid" "$t0" "$c0"
report "tmux server killed, SIGHUP ignored" "$pid"

# ---- hup: SIGHUP delivered -----------------------------------------------------
pt_run hup 80 24 "$U $P"
pt_wait hup '^CPU busy'
pid=$(pt_child hup perftop)
c0=$(ticks "$pid")
t0=$(pt_now_ms)
kill -HUP "$pid"
await_exit "$pid" "$t0" "$c0"
report "SIGHUP delivered" "$pid"
pt_wait hup 'EXIT=' 30 && grep -q 'EXIT=129' "$PT_SCREEN"
pt_check $? "SIGHUP: exit status 129"
hup_tty=$(tm display-message -p -t hup '#{pane_tty}')
stty -F "$hup_tty" -a 2>/dev/null | grep -q ' icanon ' &&
    stty -F "$hup_tty" -a | grep -q ' echo '
pt_check $? "SIGHUP: the terminal is left in cooked mode (icanon echo)"

# ---- stdin: EOF/EIO on stdin ------------------------------------------------
tm new-session -d -s feeder -x 80 -y 24 "sleep 300"
ftty=$(tm display-message -p -t feeder '#{pane_tty}')
tm new-session -d -s stdin -x 80 -y 24 \
    "trap '' HUP; exec $U $P <$ftty"
pid=$(ready stdin)
pt_check $? "stdin: perftop runs with another pane's pty on stdin ($pid)"
c0=$(ticks "$pid")
t0=$(pt_now_ms)
tm kill-session -t feeder
await_exit "$pid" "$t0" "$c0"
report "stdin hung up (EOF/EIO), stdout still there" "$pid"

# ---- not a terminal ----------------------------------------------------------
t0=$(pt_now_ms)
$U $P </dev/null >"$PT_TMP/out1" 2>"$PT_TMP/err1"
r1=$?
# stdin a terminal (the hup pane's, still open), stdout a file.
$U $P >"$PT_TMP/out2" 2>"$PT_TMP/err2" <"$hup_tty"
r2=$?
t1=$(pt_now_ms)
[ $r1 -eq 1 ] && [ $r2 -eq 1 ] && [ ! -s "$PT_TMP/out1" ] &&
    [ ! -s "$PT_TMP/out2" ] && [ "$(wc -l <"$PT_TMP/err1")" -eq 1 ] &&
    grep -q 'terminal' "$PT_TMP/err1" &&
    ! LC_ALL=C grep -q "$(printf '\033')" "$PT_TMP/err1" "$PT_TMP/err2"
pt_check $? "stdin or stdout not a terminal: refused in $((t1 - t0)) ms" \
    "($(cat "$PT_TMP/err1"))"

# ---- SIGTSTP / SIGCONT under a job-control shell -----------------------------------
if command -v bash >/dev/null 2>&1; then
	tm new-session -d -s tstp -x 80 -y 24 \
	    "env PS1='PROMPT\$ ' bash --norc --noprofile -i"
	pt_wait tstp 'PROMPT\$'
	pt_keys tstp "$U $P" Enter
	pt_wait tstp '^CPU busy'
	pid=$(pt_child tstp perftop)
	tty=$(tm display-message -p -t tstp '#{pane_tty}')
	kill -TSTP "$pid"
	i=0
	while [ "$(state "$pid")" != T ] && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.01
	done
	[ "$(state "$pid")" = T ]
	pt_check $? "SIGTSTP: perftop stops (state $(state "$pid"))"
	# (bash's readline sets its own modes at the prompt: that the shell
	# is usable is what counts.)
	pt_wait tstp 'Stopped' 30 && pt_wait tstp '^PROMPT\$ *$' 30 &&
	    ! grep -q 'CPU busy' "$PT_SCREEN"
	pt_check $? "SIGTSTP: the shell gets the terminal back, screen restored"
	printf '\033[2J\033[HSCRIBBLE\n' >"$tty"
	pt_keys tstp fg Enter
	t0=$(pt_now_ms)
	pt_wait_cmd tstp 50 "grep -q '^CPU busy' \"\$PT_SCREEN\" &&
	    ! grep -q 'SCRIBBLE\|Stopped\|PROMPT' \"\$PT_SCREEN\" &&
	    head -n 1 \"\$PT_SCREEN\" | grep -q '^perftop ' &&
	    tail -n 1 \"\$PT_SCREEN\" | grep -q 'q quit'"
	pt_check $? "fg (SIGCONT): a full redraw in $(($(pt_now_ms) - t0)) ms"
	pt_keys tstp q
	pt_wait tstp 'PROMPT\$' 50
	pt_check $? "q then quits back to the shell"
fi

pt_done
