#!/bin/sh
# soak.sh - perftop for a long run under process churn (make soak; not CI).
#
# The dashboard runs in a private tmux server at --interval 1 (SOAK_INTERVAL)
# for SOAK_SECONDS (default 3600) while tests/churn.c keeps hundreds of
# processes a second forking and exiting, threads coming and going and
# zombies standing (SOAK_FORKS a second, default 300).  Every 30 s the
# dashboard is moved to the next panel (1 to 5, and back), so every panel
# draws churning data.
#
# Warm-up is one full ring: history (SOAK_HISTORY, default 600, the
# shipped default) samples at the interval, or a third of the run when that
# is shorter.  After it the ring, the process table and every panel have
# reached their working size, so memory should no longer grow.  RSS
# (VmRSS) and the open file descriptors of perftop are printed at the start,
# after warm-up, every SOAK_STEP seconds (default 60) and at the end.
# perftop keeps the /proc/PID files of live processes open between samples,
# so its total fd count follows the process count: "flat" is judged on the
# other fds, and no kept fd may outlive its process by two samples.
# Pass: perftop alive and still drawing, RSS growth after warm-up below
# 256 KiB (SOAK_RSS_KIB), the other fds the same as after warm-up, no stale
# kept fd, and q exits 0.  Also reported: perftop's own CPU time.
# By default churn and perftop run in a private PID namespace (unshare), so
# that other work on the machine cannot move the figures (SOAK_ISOLATE=0:
# the whole machine).
#
#   make soak                       # an hour
#   SOAK_SECONDS=180 SOAK_HISTORY=60 make soak   # three minutes
#
# Needs PERFTOP and tmux; builds churn from tests/churn.c with CC (cc)
# unless CHURN names a built one.  Exit 0 pass, 1 fail, 77 no tmux/cc.

. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
pt_init soak || exit $?

SECS=${SOAK_SECONDS:-3600}
IV=${SOAK_INTERVAL:-1}
HIST=${SOAK_HISTORY:-600}
STEP=${SOAK_STEP:-60}
FORKS=${SOAK_FORKS:-300}
LIMIT=${SOAK_RSS_KIB:-256}

if [ -z "${CHURN:-}" ]; then
	CHURN=$PT_TMP/churn
	if ! ${CC:-cc} -O2 -pthread -o "$CHURN" "$SRCDIR/tests/churn.c"; then
		echo "soak: cannot build churn: SKIP" >&2
		exit 77
	fi
fi

# Warm-up: a full ring, at most a third of the run.
WARM=$(awk -v h="$HIST" -v i="$IV" -v s="$SECS" 'BEGIN {
    w = h * i; if (w > s / 3) w = s / 3; printf "%d", w + 0.5 }')
printf 'history = %s;\n' "$HIST" >"$PT_TMP/soak.conf"

# Isolated (the default when unshare works): churn and perftop in a
# private PID namespace with its own /proc, so that the process table
# holds churn's processes only and other work on the test machine cannot
# move the figures.  SOAK_ISOLATE=0 soaks against the whole machine.
ISOLATE=${SOAK_ISOLATE:-1}
if [ "$ISOLATE" = 1 ] &&
    ! unshare --pid --fork --mount-proc true >/dev/null 2>&1; then
	echo "# unshare --pid does not work here: soaking against the" \
	    "whole machine"
	ISOLATE=0
fi
PT="env LANG=C.UTF-8 LC_ALL= TERM=screen $PERFTOP --interval $IV \
    --config $PT_TMP/soak.conf"
if [ "$ISOLATE" = 1 ]; then
	# sh stays PID 1 of the namespace and reaps what churn orphans.
	pt_run soak 120 40 "unshare --pid --fork --mount-proc sh -c \
	    '$CHURN -s $((SECS + 30)) -f $FORKS -q & $PT; r=\$?; kill \$!; \
	    wait; exit \$r'"
else
	"$CHURN" -s "$((SECS + 30))" -f "$FORKS" -q &
	CHURN_PID=$!
	pt_track $CHURN_PID
	pt_run soak 120 40 "$PT"
fi
pt_wait soak '^CPU busy'
pt_check $? "the dashboard starts under churn"
if [ "$ISOLATE" = 1 ]; then
	pp=$(tm display-message -p -t soak '#{pane_pid}')
	un=$(pgrep -P "$pp" -x unshare)
	init=$(pgrep -P "${un:-0}" | head -n 1)
	pid=$(pgrep -P "${init:-0}" -x perftop)
else
	pid=$(pt_child soak perftop)
fi
if [ -z "$pid" ]; then
	pt_fail "perftop's PID not found"
	pt_done
fi

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
# perftop keeps /proc/PID/... files of live processes open between samples
# (src/source_live.c): those follow the process count.  Every other fd
# must stay flat, and no kept fd may outlive its process.
fd_targets() {
	for f in /proc/$pid/fd/*; do
		printf '%s %s\n' "${f##*/}" "$(readlink "$f" 2>/dev/null)"
	done
}
# The fewest of 5 readings 0.2 s apart: a file read and closed at once
# (or closed while we look) must not count.
other_fds() {
	of_min=
	for of_i in 1 2 3 4 5; do
		of_n=$(fd_targets | grep -v ' /proc/[0-9][0-9]*/' |
		    grep -vc ' $')
		[ -z "$of_min" ] || [ "$of_n" -lt "$of_min" ] && of_min=$of_n
		[ $of_i -lt 5 ] && sleep 0.2
	done
	echo "$of_min"
}
# The kept fds whose process is gone, as "fd target" lines.
stale_fds() {
	if [ "$ISOLATE" = 1 ]; then
		root=/proc/$pid/root/proc
	else
		root=/proc
	fi
	fd_targets | while read -r fd target; do
		case $target in
		/proc/[0-9]*/*)
			p=${target#/proc/}
			p=${p%%/*}
			[ -d "$root/$p" ] || echo "$fd $target"
			;;
		esac
	done | sort
}
cpu_s() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, "");
	    printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null
}
# Processes perftop sees: in its namespace, or on the machine.
tasks() {
	if [ "$ISOLATE" = 1 ]; then
		ls "/proc/$pid/root/proc" 2>/dev/null | grep -c '^[0-9]'
	else
		ls -d /proc/[0-9]* 2>/dev/null | wc -l
	fi
}
line() {
	echo "# t=${1}s  RSS $(rss "$pid") KiB  fds $(fds "$pid") ($(other_fds) not /proc/PID)  CPU $(cpu_s "$pid") s  tasks $(tasks)"
}

echo "# soak: ${SECS}s at ${IV}s, history $HIST, warm-up ${WARM}s," \
    "churn ${FORKS} forks/s, $([ "$ISOLATE" = 1 ] &&
    echo "in a private PID namespace" || echo "on the whole machine")"
line 0
start=$(pt_now_ms)
panel=1
next_key=30
next_line=$STEP
warm_done=0
alive=1
while :; do
	t=$(( ($(pt_now_ms) - start) / 1000 ))
	[ "$t" -ge "$SECS" ] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		alive=0
		break
	fi
	if [ $warm_done -eq 0 ] && [ "$t" -ge "$WARM" ]; then
		rss0=$(rss "$pid")
		fd0=$(other_fds)
		cpu0=$(cpu_s "$pid")
		t0=$t
		warm_done=1
		echo "# after warm-up:"
		line "$t"
		[ "$next_line" -le "$t" ] && next_line=$((next_line + STEP))
	fi
	if [ "$t" -ge "$next_key" ]; then
		panel=$((panel % 5 + 1))
		pt_keys soak "$panel"
		next_key=$((next_key + 30))
	fi
	if [ "$t" -ge "$next_line" ]; then
		line "$t"
		next_line=$((next_line + STEP))
	fi
	sleep 1
done

pt_check $((1 - alive)) "perftop is alive after ${SECS}s"
[ $alive -eq 1 ] || pt_done
echo "# end:"
line "$SECS"
rss1=$(rss "$pid")
fd1=$(other_fds)
cpu1=$(cpu_s "$pid")
growth=$((rss1 - rss0))
span=$((SECS - t0))
echo "# RSS growth after warm-up: ${growth} KiB over ${span}s" \
    "(${rss0} -> ${rss1} KiB); fds ${fd0} -> ${fd1};" \
    "CPU $(awk -v a="$cpu0" -v b="$cpu1" -v s="$span" \
    'BEGIN { printf "%.1f s = %.2f %%", b - a, (b - a) * 100 / s }')"
[ "$growth" -lt "$LIMIT" ]
pt_check $? "RSS growth after warm-up below ${LIMIT} KiB" "(${growth} KiB)"
[ "$fd1" -eq "$fd0" ]
pt_check $? "fd count flat (fds other than kept /proc/PID files)" \
    "($fd0 -> $fd1)"
# A kept fd of a process that is gone must be closed by the next sample.
stale_fds >"$PT_TMP/stale1"
sleep "$(awk -v i="$IV" 'BEGIN { print 2 * i + 1 }')"
stale_fds >"$PT_TMP/stale2"
n=$(comm -12 "$PT_TMP/stale1" "$PT_TMP/stale2" | wc -l)
echo "# kept /proc/PID fds of gone processes: $(wc -l <"$PT_TMP/stale1")" \
    "then $(wc -l <"$PT_TMP/stale2"), $n the same after two samples"
[ "$n" -eq 0 ]
pt_check $? "no kept fd outlives its process by two samples" \
    "($(comm -12 "$PT_TMP/stale1" "$PT_TMP/stale2" | head -n 3 | tr '\n' ' '))"

pt_keys soak 1
pt_wait soak '^CPU busy'
pt_check $? "still drawing the overview"
pt_keys soak q
pt_wait soak 'EXIT=' 50 && grep -q 'EXIT=0' "$PT_SCREEN"
pt_check $? "q quits with status 0"
if [ "$ISOLATE" = 0 ]; then
	kill "$CHURN_PID" 2>/dev/null
	wait "$CHURN_PID" 2>/dev/null
fi

pt_done
