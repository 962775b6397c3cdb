#!/bin/sh
# timeline.sh - time in the dashboard, end to end in a private tmux server:
# freeze (space), rewind (Left, [ ] and { }), back to live, the baseline
# (b: captured, saved under XDG_STATE_HOME, shown against the values and in
# the Diff panel; B: cleared and its file removed), the export of a frozen
# moment (e: a JSON snapshot and a Markdown report in the working
# directory) and perftop --replay of that file: frozen, at the same host
# and time, rewind, no going live, q and --iterations.
#
# Screens are polled with a retry cap (tests/lib.sh), never slept on; no
# check depends on what else the machine is doing.  Run by make check with
# PERFTOP and TMUX_BIN set.  Exit 0 pass, 1 fail, 77 only when tmux is
# missing.

. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
pt_init timeline || exit $?

IV=0.3
U="env LANG=C.UTF-8 LC_ALL= TERM=screen"
ESC=$(printf '\033')
EXP=$PT_TMP/exp
STATE=$XDG_STATE_HOME/perftop/baseline.json
mkdir -p "$EXP" || exit 99

# The time the header shows for the frozen moment ("12:03:04.3"), or "".
frozen_time() {
	sed -n -E '1s/.*(FROZEN|REPLAY.*) at ([0-9:.]+).*/\2/p' "$PT_SCREEN"
}
# How long before the newest sample the frozen moment is ("-1.2s").
frozen_age() {
	sed -n -E '1s/.*FROZEN at [0-9:.]+ +([^ ]+).*/\1/p' "$PT_SCREEN"
}
# Seconds from the first time to the second (HH:MM:SS[.d]), as a decimal.
secs_between() {
	echo "$1 $2" | awk '{
		split($1, a, ":"); split($2, b, ":")
		d = (b[1] * 3600 + b[2] * 60 + b[3]) - \
		    (a[1] * 3600 + a[2] * 60 + a[3])
		if (d < -43200) d += 86400
		if (d > 43200) d -= 86400
		printf "%.1f\n", d }'
}
# Is $1 within [$2, $3]?
within() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'
}
# Samples in the overview's Memory sparkline (3 bytes per block).
samples_shown() {
	LC_ALL=C awk '/^Memory / { s = $NF; print int(length(s) / 3); f = 1 }
	    END { if (!f) print 0 }' "$PT_SCREEN"
}

pt_run main 140 36 "cd $EXP && $U $PERFTOP --interval $IV"
pt_wait main '^CPU busy'
pt_check $? "the dashboard starts"
pt_keys main '?' NPage
pt_wait main '^  space +freeze the whole dashboard' &&
    grep -Eq '^  \[  \] +frozen: 60 seconds back' "$PT_SCREEN" &&
    grep -Eq '^  b +capture a baseline' "$PT_SCREEN"
pt_check $? "the help lists the time keys"
pt_keys main 1
# Some history to rewind through.
pt_wait_cmd main 100 '[ "$(samples_shown)" -ge 6 ]'
pt_check $? "six samples are in the history" "($(samples_shown))"

# ---- freeze -----------------------------------------------------------------
pt_keys main Space
pt_wait main "^perftop +FROZEN at [0-9:.]+ " &&
    tail -n 1 "$PT_SCREEN" | grep -q "FROZEN ← → sample  \[ \] 60s"
pt_check $? "space freezes: FROZEN in the header, the time keys below"
t1=$(frozen_time)
pt_capture main -e
head -n 1 "$PT_SCREEN" |
    grep -Eq "$ESC\\[([0-9]*;)*7(;[0-9]*)*m( |$ESC\\[[0-9;]*m)*FROZEN"
pt_check $? "FROZEN is drawn in reverse video"
pt_capture main
age1=$(frozen_age)
# Samples keep coming: the moment's age grows, its time stays.
pt_wait_cmd main 50 '[ "$(frozen_age)" != "$age1" ]'
r=$?
[ $r -eq 0 ] && [ "$(frozen_time)" = "$t1" ] &&
    head -n 1 "$PT_SCREEN" | grep -q 'before newest'
pt_check $? "frozen, the header time stays ($t1) while samples arrive" \
    "($(head -n 1 "$PT_SCREEN" | cut -c1-60))"
# The whole dashboard: the process table is the frozen moment's too.
pt_keys main 2
pt_wait main "^Processes at ${t1%.*}(\\.[0-9])?: [0-9]+ tasks"
pt_check $? "the process table is of the frozen moment"
pt_keys main 1

# ---- rewind -----------------------------------------------------------------
pt_keys main Left
pt_wait_cmd main 50 '[ -n "$(frozen_time)" ] && [ "$(frozen_time)" != "$t1" ]'
t2=$(frozen_time)
d=$(secs_between "$t2" "$t1")
within "$d" 0.1 1.5
pt_check $? "Left goes back one sample (${d}s, interval $IV s)"
pt_keys main 2
pt_wait main "^Processes at ${t2%.*}(\\.[0-9])? \\(top processes only\\)"
pt_check $? "an older moment's table is its top list, and says so"
pt_keys main 1
pt_keys main Right
pt_wait_cmd main 50 '[ "$(frozen_time)" = "$t1" ]'
pt_check $? "Right goes forward to the same moment again"
pt_keys main '['
pt_wait main '^perftop +FROZEN at .*before newest \(oldest\)'
t3=$(frozen_time)
d=$(secs_between "$t3" "$t1")
within "$d" 1.0 60
pt_check $? "[ goes 60 s back, here to the oldest sample (${d}s back)"
pt_keys main ']'
pt_wait_cmd main 50 '[ -n "$(frozen_time)" ] && [ "$(frozen_time)" != "$t3" ]'
t4=$(frozen_time)
d=$(secs_between "$t3" "$t4")
within "$d" 1.0 60
pt_check $? "] goes forward again (+${d}s)"
pt_keys main '{'
pt_wait main '\(oldest\)' && [ "$(frozen_time)" = "$t3" ]
pt_check $? "{ goes to the oldest sample"

# ---- live again -------------------------------------------------------------
pt_keys main Space
pt_wait main '^perftop +[0-9]{2}:[0-9]{2}:[0-9]{2} ' &&
    ! grep -q FROZEN "$PT_SCREEN"
pt_check $? "space again goes back to live"
h1=$(sed -n '1s/^perftop *\([0-9:]*\).*/\1/p' "$PT_SCREEN")
pt_wait_cmd main 50 '[ "$(sed -n "1s/^perftop *\\([0-9:]*\\).*/\\1/p" \
    "$PT_SCREEN")" != "$h1" ]'
pt_check $? "live, the header time moves on"

# ---- baseline ---------------------------------------------------------------
[ ! -e "$STATE" ]
pt_check $? "no baseline file before b"
pt_keys main b
pt_wait main "baseline captured \\([0-9]+ samples.*saved to $STATE"
r=$?
[ $r -eq 0 ] && [ -f "$STATE" ] && jq -e '.format_version == 1' \
    "$STATE" >/dev/null && [ "$(stat -c %a "$STATE")" = 600 ] &&
    [ "$(stat -c %a "$XDG_STATE_HOME/perftop")" = 700 ]
pt_check $? "b captures a baseline and saves it (JSON, 0600, dir 0700)"
pt_wait main '^CPU busy +(! )?[0-9.]+% \((\+|−)[0-9]+\) '
pt_check $? "values are shown against the baseline"
pt_keys main 6
pt_wait main '^METRIC +BASE +NOW +DELTA +EFFECT +P +VERDICT' &&
    grep -Eq '^Baseline: [0-9:]+-[0-9:]+, [0-9]+ samples' "$PT_SCREEN" &&
    grep -Eq '^cpu\.busy_pct +.*(SIGNIFICANT|not significant)' "$PT_SCREEN"
pt_check $? "6 shows the diff against the baseline, with verdicts"
pt_keys main End
pt_wait main '^New top processes \(not in the baseline\): [0-9]+' &&
    grep -Eq '^Vanished \(in the baseline, gone now\): [0-9]+' "$PT_SCREEN"
pt_check $? "the diff lists new and vanished top processes"
pt_keys main B
pt_wait main "baseline cleared; removed $STATE" && [ ! -e "$STATE" ]
pt_check $? "B clears the baseline and removes the file"
pt_wait main '^No baseline set' && grep -q 'Press b to capture' "$PT_SCREEN"
pt_check $? "without a baseline the diff view says how to capture one"
pt_keys main 1
pt_wait main '^CPU busy +(! )?[0-9.]+% u'
pt_check $? "without a baseline the values stand alone"

# ---- export -----------------------------------------------------------------
pt_keys main Space Left
pt_wait main '^perftop +FROZEN at .*before newest'
pt_keys main e
pt_wait main 'exported [^ ]+\.json and [^ ]+\.md'
r=$?
xt=$(frozen_time)
json=$(sed -n -E 's/.*exported ([^ ]+\.json) and.*/\1/p' "$PT_SCREEN" |
    tail -n 1)
md=$(sed -n -E 's/.*exported [^ ]+\.json and ([^ ]+\.md).*/\1/p' \
    "$PT_SCREEN" | tail -n 1)
case $json in /*) ;; *) json=$EXP/$json ;; esac
case $md in /*) ;; *) md=$EXP/$md ;; esac
[ $r -eq 0 ] && [ -s "$json" ] && [ -s "$md" ] &&
    jq -e '.format_version == 1 and (.samples | length) > 1' "$json" \
    >/dev/null
pt_check $? "e writes a JSON snapshot that jq parses and a report" \
    "($(basename "${json:-none}") $(basename "${md:-none}"))"
case $(basename "$json") in
perftop-*-[0-9]*T[0-9]*Z.json) true ;;
*) false ;;
esac
pt_check $? "the snapshot is named perftop-HOST-YYYYmmddTHHMMSSZ.json"
host=$(sed -n '2s/.* \([^ ]*\) *$/\1/p' "$PT_SCREEN")
pt_keys main q
pt_wait main 'EXIT=' 50 && grep -q 'EXIT=0' "$PT_SCREEN"
pt_check $? "q exits with status 0 while frozen"

# ---- a moment that leaves the history ---------------------------------------
# 10 samples kept, 0.1 s apart: a frozen moment is gone within a second; it
# then moves to the oldest sample, and the status line says so.
printf 'history = 10;\n' >"$PT_TMP/short.conf"
pt_run short 120 30 "$U $PERFTOP --interval 0.1 --config $PT_TMP/short.conf"
pt_wait short '^CPU busy'
pt_keys short Space
pt_wait short '^perftop +FROZEN at '
s0=$(frozen_time)
pt_wait short 'frozen moment has left the history \(10 samples\): showing' &&
    grep -q '(oldest)' "$PT_SCREEN" && [ "$(frozen_time)" != "$s0" ]
pt_check $? "a frozen moment that leaves the history moves to the oldest" \
    "($s0 -> $(frozen_time))"
pt_keys short q

# ---- replay -----------------------------------------------------------------
if ! "$PERFTOP" --help 2>&1 | grep -q -- '--replay'; then
	pt_fail "perftop has no --replay option"
	pt_done
fi
pt_run rep 140 36 "$U $PERFTOP --replay $json"
pt_wait rep "^perftop +REPLAY .*of $host at ${xt%.*}"
pt_check $? "--replay shows REPLAY, the host and the exported moment" \
    "($host ${xt%.*}: $(head -n 1 "$PT_SCREEN" | cut -c1-70))"
pt_keys rep Space
pt_wait rep 'replay: no live data'
pt_check $? "space in a replay says there is no live data"
r0=$(frozen_time)
pt_keys rep Left
pt_wait_cmd rep 50 '[ -n "$(frozen_time)" ] && [ "$(frozen_time)" != "$r0" ]'
d=$(secs_between "$(frozen_time)" "$r0")
within "$d" 0.1 1.5
pt_check $? "rewind works in a replay (Left: ${d}s back)"
pt_keys rep '{'
pt_wait rep '^perftop +REPLAY .*\(oldest\)'
pt_check $? "{ goes to the oldest sample of the file"
pt_keys rep '}'
# The header says "... before newest (oldest)" until the key lands: wait
# for the moment itself, not for the word.
pt_wait_cmd rep 50 '[ "$(frozen_time)" = "$r0" ] &&
    ! head -n 1 "$PT_SCREEN" | grep -q "(oldest)"'
pt_check $? "} comes back to the newest sample of the file"
pt_keys rep q
pt_wait rep 'EXIT=' 50 && grep -q 'EXIT=0' "$PT_SCREEN"
pt_check $? "q ends the replay with status 0"

# [ and ] move by 60 seconds: a longer file, 150 samples 1 s apart, made
# from the fixture.
LONG=$PT_TMP/long.json
jq '.samples as $s | .samples = [range(0; 150) as $i | $s[$i % 8] |
    .t = $s[0].t + $i] | .start = .samples[0].t | .end = .samples[-1].t |
    .view.t = .end' "$SRCDIR/tests/fixtures/snapshot-cpu.json" >"$LONG"
pt_run long 120 30 "$U $PERFTOP --replay $LONG"
# (The file's name shows when main passes it with ui_replay_name().)
pt_wait long '^perftop +REPLAY (long\.json )?of web1\.example\.com at .* newest'
pt_check $? "a 150 s replay starts at its newest sample"
l0=$(frozen_time)
pt_keys long '['
pt_wait_cmd long 50 '[ -n "$(frozen_time)" ] && [ "$(frozen_time)" != "$l0" ]'
l1=$(frozen_time)
pt_keys long '['
pt_wait_cmd long 50 '[ -n "$(frozen_time)" ] && [ "$(frozen_time)" != "$l1" ]'
l2=$(frozen_time)
[ "$(secs_between "$l1" "$l0")" = 60.0 ] &&
    [ "$(secs_between "$l2" "$l1")" = 60.0 ]
pt_check $? "[ goes back 60 s at a time ($l0 $l1 $l2)"
pt_keys long ']'
pt_wait_cmd long 50 '[ "$(frozen_time)" = "$l1" ]'
pt_check $? "] goes forward 60 s ($(frozen_time))"
pt_keys long '['
pt_keys long '['
pt_wait long '\(oldest\)' &&
    [ "$(secs_between "$(frozen_time)" "$l0")" = 149.0 ]
pt_check $? "[ stops at the oldest sample, 149 s back"
pt_keys long q

pt_run iter 100 30 "$U $PERFTOP --replay $json --iterations 3"
pt_wait iter 'EXIT=' 100 && grep -q 'EXIT=0' "$PT_SCREEN"
pt_check $? "--replay --iterations 3 exits by itself with status 0"

pt_done
