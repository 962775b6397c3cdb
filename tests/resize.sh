#!/bin/sh
# resize.sh - a resize storm and odd terminal types.
#
# 1. 1,000 random tmux resize-window calls (1x1 to 500x200) spread over
#    10 s, in bursts of 20: perftop must then still be alive, redraw at
#    80x24, answer a key (? shows the help, 1 the overview) and exit 0 on q.
#    The CPU time it used during the storm is printed.
# 2. TERM unset, dumb, bogus, vt100 and linux.  vt100 and linux must start
#    and draw the overview.  A terminal perftop cannot drive must be refused
#    at once with a one-line message naming the terminal type and exit 1:
#    unset and bogus (no terminfo entry) and dumb (an entry, but no cursor
#    addressing: ncurses would print the frames one after another).  In no
#    case a hang: each must have drawn or exited within 5 s.
#
# Run by make check with PERFTOP and TMUX_BIN set.  Exit 0 pass, 1 fail,
# 77 when tmux is missing.

. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
pt_init resize || exit $?

N=${RESIZES:-1000}
SPAN=${RESIZE_MS:-10000}
U="env LANG=C.UTF-8 LC_ALL= TERM=screen"

pt_run storm 80 24 "$U $PERFTOP --interval 0.2"
pt_wait storm '^CPU busy'
pt_check $? "the dashboard starts"
pid=$(pt_child storm perftop)

ticks() {	# utime + stime of a pid, in clock ticks
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null
}
c0=$(ticks "$pid")
t0=$(pt_now_ms)
i=0
seed=$$
while [ $i -lt "$N" ]; do
	# A small LCG: portable sh has no $RANDOM.
	seed=$(((seed * 1103515245 + 12345) % 2147483648))
	w=$((seed % 500 + 1))
	h=$((seed / 500 % 200 + 1))
	tm resize-window -t storm -x "$w" -y "$h" 2>/dev/null || break
	i=$((i + 1))
	# Spread them over SPAN ms (10 s): perftop sees each burst.
	if [ $((i % 20)) -eq 0 ]; then
		ahead=$((i * SPAN / N - ($(pt_now_ms) - t0)))
		[ $ahead -gt 0 ] && sleep "$(echo "$ahead" |
		    awk '{ printf "%.3f", $1 / 1000 }')"
	fi
done
t1=$(pt_now_ms)
c1=$(ticks "$pid")
hz=$(getconf CLK_TCK)
echo "# $i resizes in $((t1 - t0)) ms; perftop used" \
    "$(( (c1 - c0) * 1000 / hz )) ms of CPU meanwhile"
[ "$i" -eq "$N" ] && [ $((t1 - t0)) -lt $((SPAN * 2)) ]
pt_check $? "$N random resizes from 1x1 to 500x200" "($i in $((t1 - t0)) ms)"

kill -0 "$pid" 2>/dev/null
pt_check $? "perftop is alive after the storm"
tm resize-window -t storm -x 80 -y 24
pt_wait_cmd storm 50 "[ \$(wc -l <\"\$PT_SCREEN\") -eq 24 ] &&
    grep -q '^CPU busy' \"\$PT_SCREEN\" &&
    tail -n 1 \"\$PT_SCREEN\" | grep -q 'q quit'"
pt_check $? "back at 80x24 it redraws the overview"
pt_keys storm '?'
pt_wait storm '^Anywhere'
r=$?
pt_keys storm 1
pt_wait storm '^CPU busy' && [ $r -eq 0 ]
pt_check $? "it answers keys: ? shows the help, 1 the overview"
pt_keys storm q
pt_wait storm 'EXIT=' 50 && grep -q 'EXIT=0' "$PT_SCREEN"
pt_check $? "q quits with status 0"

# ---- terminal types ---------------------------------------------------------
for t in vt100 linux unset dumb bogus; do
	case $t in
	unset) e="env -u TERM" ;;
	*) e="env TERM=$t" ;;
	esac
	pt_run "t$t" 80 24 "$e LANG=C.UTF-8 LC_ALL= $PERFTOP --interval 0.3"
done
for t in vt100 linux; do
	pt_wait "t$t" '^CPU busy' 50 &&
	    grep -q '^ 1 Overview  2 Processes' "$PT_SCREEN"
	pt_check $? "TERM=$t: the dashboard starts and draws"
	pt_keys "t$t" q
	pt_wait "t$t" 'EXIT=0' 50
	pt_check $? "TERM=$t: q quits with status 0"
done
for t in unset dumb bogus; do
	name=$t
	[ $t = unset ] && name=
	pt_wait "t$t" 'EXIT=' 50
	r=$?
	[ $r -eq 0 ] && grep -q 'EXIT=1' "$PT_SCREEN" &&
	    grep -q "^perftop: .*terminal.*'$name'" "$PT_SCREEN" &&
	    [ "$(grep -c . "$PT_SCREEN")" -eq 2 ]
	pt_check $? "TERM=$t: refused with one line naming the type, exit 1" \
	    "($(grep -v '^$' "$PT_SCREEN" | head -n 3 | tr '\n' '|' |
	    cut -c 1-160))"
done

pt_done
