#!/usr/bin/env bash
# bench/wide.sh - perftop on a wide machine (10,000 processes, 64 network
# interfaces, 64 disks) beside a narrow one: key latency, CPU, memory.
#
# Usage: bench/wide.sh [-d SECONDS] [-p NPROCS] [-n NDEV] [-W COLSxROWS]
#                      [PERFTOP]
#
# Needs root (network namespaces, loop devices), tmux and ip; jq for the
# replay phase.  Three phases, each perftop --interval 1 in a private tmux
# server at COLSxROWS (default 200x50) with an empty HOME:
#   narrow  80 processes (or what the machine runs), perftop in a private
#           network namespace holding lo and 1 interface, no extra disk;
#   wide    NPROCS (default 10,000) processes (idle sleeps started here),
#           a namespace holding lo and NDEV (default 64) dummy interfaces
#           (veth pairs when the kernel has no dummy driver), NDEV loop
#           devices on sparse files; a python3 helper sends packets and
#           does direct I/O on them twice a second;
#   replay  the wide machine's batch snapshot with NDEV disks written into
#           every sample, shown by --replay: perftop hides loop devices,
#           so this is where 64 disks are sorted, diagnosed and drawn.
# Each phase times keys that change the screen (panels, sort keys, a typed
# filter), polling tmux capture-pane every 10 ms from send-keys until the
# expected text shows: PASS when every key is answered within one refresh
# (1000 ms).  Live phases then read perftop's CPU time (/proc/PID/stat,
# all threads) and RSS over SECONDS (default 20), and the collect time its
# header shows once a second.  Everything created is removed on exit, by
# PID, device or namespace name.  Exit 0 when it ran (whatever the
# figures), 2 when the setup failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
BENCH_FAIL="wide.sh: setup failed"
DUR=20; NPROCS=10000; NDEV=64; NARROW=80; SIZE=200x50
while getopts "d:p:n:W:" o; do
	case $o in d) DUR=$OPTARG;; p) NPROCS=$OPTARG;; n) NDEV=$OPTARG;;
	W) SIZE=$OPTARG;; *) sed -n '2,29p' "$0"; exit 2;; esac
done
shift $((OPTIND - 1))
COLS=${SIZE%x*}; ROWS=${SIZE#*x}
IVAL_MS=1000

die() { bench_fail "$@"; }
case $DUR$NPROCS$NDEV$COLS$ROWS in *[!0-9]*) die "numbers expected";; esac
if [ "$NDEV" -lt 1 ] || [ "$NDEV" -gt 250 ]; then die "-n takes 1 to 250"; fi
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, loop devices)"
for c in tmux ip losetup truncate; do
	command -v $c >/dev/null 2>&1 || die "$c not installed"
done
bench_perftop "${1:-}"
PERFTOP=$(bench_abs "$PERFTOP")
HZ=$(getconf CLK_TCK)

TAG=pwide$$
LOOPS=(); NETNS=(); GENS=(); PIDMAX_OLD=

# bench_atexit: after bench/lib.sh's cleanup ended the tmux server, perftop,
# the traffic generators and the sleepers: the devices, the namespaces and
# pid_max.
# shellcheck disable=SC2317	# reached through the exit trap
bench_atexit() {
	local n
	for n in ${LOOPS[@]+"${LOOPS[@]}"}; do
		losetup -d "$n" 2>/dev/null ||
		    echo "wide.sh: could not detach $n" >&2
	done
	# Deleting a namespace destroys its interfaces (and veth peers).
	for n in ${NETNS[@]+"${NETNS[@]}"}; do
		ip netns del "$n" 2>/dev/null ||
		    echo "wide.sh: could not delete netns $n" >&2
	done
	[ -n "$PIDMAX_OLD" ] && echo "$PIDMAX_OLD" >/proc/sys/kernel/pid_max
}
bench_init

# A clock in microseconds, without a fork (bash 5), else date.
now_us() {
	local t=${EPOCHREALTIME:-}
	if [ -n "$t" ]; then
		t=${t/[.,]/}
		echo $((10#$t))
	else
		echo $(($(date +%s%N) / 1000))
	fi
}

# ---- the machine ---------------------------------------------------------
# Limits only when too low for NPROCS; the ulimit stays in this shell.
limits() {
	local u pm
	u=$(ulimit -u)
	bench_ulimit $((NPROCS + 2000)) $((NPROCS + 2000)) ||
	    die "ulimit -u $u is below $NPROCS and cannot be raised"
	[ "$(ulimit -u)" = "$u" ] || echo "# raised ulimit -u from $u (this shell only)"
	pm=$(cat /proc/sys/kernel/pid_max)
	if [ "$pm" -lt $((NPROCS * 2 + 4000)) ]; then
		echo $((NPROCS * 2 + 4000)) >/proc/sys/kernel/pid_max ||
		    die "pid_max $pm too low and cannot be raised"
		PIDMAX_OLD=$pm
		echo "# raised pid_max from $pm (restored at exit)"
	fi
}

# mknet NAME N: namespace NAME with lo and N interfaces nv00.. addressed
# 10.77.i.1/30: dummies, else veth pairs whose peers (10.77.i.2) live in
# NAME-p, so the traffic sent to them is also answered (ICMP).
NETKIND=
mknet() {
	local ns=$1 n=$2 i f=$scratch/$1.ip g=$scratch/$1-p.ip
	ip netns add "$ns" || die "ip netns add $ns"
	NETNS+=("$ns")
	ip -n "$ns" link set lo up || die "lo up in $ns"
	if [ -z "$NETKIND" ]; then
		if ip -n "$ns" link add nvprobe type dummy 2>/dev/null; then
			ip -n "$ns" link del nvprobe
			NETKIND=dummy
		else
			NETKIND=veth
			echo "# no dummy interfaces in this kernel: veth pairs instead"
		fi
	fi
	: >"$f"; : >"$g"
	if [ $NETKIND = veth ]; then
		ip netns add "$ns-p" || die "ip netns add $ns-p"
		NETNS+=("$ns-p")
	fi
	for ((i = 0; i < n; i++)); do
		if [ $NETKIND = dummy ]; then
			printf 'link add nv%02d type dummy\n' $i
		else
			printf 'link add nv%02d type veth peer name np%02d netns %s\n' \
			    $i $i "$ns-p"
			printf 'addr add 10.77.%d.2/30 dev np%02d\nlink set np%02d up\n' \
			    $i $i $i >>"$g"
		fi
		printf 'addr add 10.77.%d.1/30 dev nv%02d\nlink set nv%02d up\n' \
		    $i $i $i
	done >"$f"
	ip -n "$ns" -batch "$f" >/dev/null || die "creating $n $NETKIND interfaces in $ns"
	if [ -s "$g" ]; then
		ip -n "$ns-p" -batch "$g" >/dev/null || die "veth peers in $ns-p"
	fi
}

# mkdisks N: N loop devices on sparse 64 MiB files.
mkdisks() {
	local i d
	for ((i = 0; i < $1; i++)); do
		truncate -s 64M "$scratch/disk$i" || die "truncate"
		d=$(losetup -f --show "$scratch/disk$i") ||
		    die "losetup (got ${#LOOPS[@]} of $1 loop devices)"
		LOOPS+=("$d")
	done
}

# gen NS N DEV...: one python3 process in namespace NS sends a datagram to
# each of the N interfaces' far ends and does a 4 KiB direct write and
# read on each device, twice a second, so rates are not all zero.
gen() {
	local ns=$1 n=$2
	shift 2
	if ! command -v python3 >/dev/null 2>&1; then
		echo "# no python3: no traffic or I/O generated (rates stay 0)"
		return
	fi
	ip netns exec "$ns" python3 - "$n" "$@" >/dev/null 2>&1 <<'EOF' &
import mmap, os, socket, sys, time
n = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
buf = mmap.mmap(-1, 4096)
buf.write(b"w" * 4096)
fds = []
for d in sys.argv[2:]:
    try:
        fds.append(os.open(d, os.O_RDWR | os.O_DIRECT))
    except OSError:
        pass
k = 0
while True:
    for i in range(n):
        try:
            s.sendto(b"x" * 200, ("10.77.%d.2" % i, 9))
        except OSError:
            pass
    for fd in fds:
        try:
            os.pwrite(fd, buf, (k % 128) * 4096)
            os.preadv(fd, [buf], (128 + k % 128) * 4096)
        except OSError:
            pass
    k += 1
    time.sleep(0.5)
EOF
	GENS+=("$!")
	PIDS+=("$!")
}

# ---- perftop in tmux -----------------------------------------------------
# start SESSION COMMAND...: perftop, with an empty HOME, in a new session;
# sets MPID once the pane process is perftop and its header shows.
start() {
	local s=$1 i
	shift
	bench_home "$scratch/home-$s"
	bench_start "$s" "$@" || exit 2
	for ((i = 0; i < 150; i++)); do
		if [ "$(cat /proc/"$MPID"/comm 2>/dev/null)" = perftop ] &&
		    tm capture-pane -p -t "$s" | head -n 1 | grep -q '^perftop '; then
			return 0
		fi
		sleep 0.1
	done
	echo "wide.sh: perftop did not start in $s; last screen:" >&2
	bench_screen "$s" 15 >&2
	die "perftop did not start"
}

# The keys of one round: key, screen line (a number, L for the last,
# A for any), ERE that line must match once the key is handled (!ERE:
# must not match).  Each changes the screen from what the previous key
# left.
KEYS=(
	'2|3|^Processes'
	'M|3|sort RSS desc'
	'N|3|sort PID '
	'C|3|sort COMMAND '
	'I|3|sort I/O '
	'P|3|sort CPU% desc'
	'/|L|^Filter: _'
	'p|3|filter "p"'
	'e|3|filter "pe"'
	'r|3|filter "per"'
	'f|3|filter "perf"'
	'Enter|L|!^Filter: '
	'Escape|3|filter none'
	'3|A|^USE scorecard'
	'1|4|^CPU busy'
)
# shows SESSION LINE ERE: does the screen show it now?
shows() {
	local scr=()
	mapfile -t scr < <(tm capture-pane -p -t "$1" 2>/dev/null)
	[ ${#scr[@]} -gt 0 ] || return 1
	case $3 in
	!*) ! shows1 "$2" "${3#!}";;
	*) shows1 "$2" "$3";;
	esac
}
shows1() {	# LINE ERE, on scr
	local l
	case $1 in
	L) [[ ${scr[${#scr[@]}-1]} =~ $2 ]];;
	A) for l in "${scr[@]}"; do [[ $l =~ $2 ]] && return 0; done
	   return 1;;
	*) [[ ${scr[$1-1]:-} =~ $2 ]];;
	esac
}
# keys PHASE SESSION ROUNDS: time every key; appends "phase key ms" (ms
# -1: not seen within 5 s; -2: the screen showed it before the key).
keys() {
	local ph=$1 s=$2 r k key line re t0 t ms
	for ((r = 0; r < $3; r++)); do
		for k in "${KEYS[@]}"; do
			key=${k%%|*}; line=${k#*|}; re=${line#*|}; line=${line%%|*}
			# A random pause: keys land anywhere in the refresh.
			sleep "0.$((RANDOM % 5 + 1))"
			if shows "$s" "$line" "$re"; then
				echo "$ph $key -2" >>"$scratch/keys"
				tm send-keys -t "$s" "$key"
				continue
			fi
			t0=$(now_us)
			tm send-keys -t "$s" "$key"
			ms=-1
			while :; do
				t=$(now_us)
				if shows "$s" "$line" "$re"; then
					ms=$(((t - t0 + 500) / 1000))
					break
				fi
				[ $((t - t0)) -gt 5000000 ] && break
				sleep 0.01
			done
			echo "$ph $key $ms" >>"$scratch/keys"
		done
	done
}

rss_kb() { awk '/^VmRSS/ { print $2 }' /proc/"$1"/status 2>/dev/null; }

# measure PHASE SESSION: CPU over DUR s and the header once a second.
# Appends "phase cpu_pct rss_kb tasks coll_avg coll_max self_avg".
measure() {
	local ph=$1 s=$2 i t0 t1 k0 k1
	: >"$scratch/hdr-$ph"
	t0=$(now_us); k0=$(bench_ticks "$MPID")
	for ((i = 0; i < DUR; i++)); do
		sleep 1
		tm capture-pane -p -t "$s" | head -n 1 >>"$scratch/hdr-$ph"
	done
	t1=$(now_us); k1=$(bench_ticks "$MPID")
	kill -0 "$MPID" 2>/dev/null || { echo "# $ph: perftop died"; return; }
	awk -v ph="$ph" -v hz="$HZ" -v dk=$((k1 - k0)) -v dt=$((t1 - t0)) \
	    -v rss="$(rss_kb "$MPID")" '
	# The median: a capture can catch a half-redrawn count.
	match($0, /tasks [0-9]+/) {
		v = substr($0, RSTART + 6, RLENGTH - 6) + 0
		for (j = nt++; j > 0 && tk[j - 1] > v; j--)
			tk[j] = tk[j - 1]
		tk[j] = v
	}
	match($0, /self [0-9.]+%/) { sp += substr($0, RSTART + 5, RLENGTH - 6); ns++ }
	match($0, /[0-9.]+ms *$/) {
		c = substr($0, RSTART, RLENGTH) + 0; cs += c; nc++
		if (c > cm) cm = c
	}
	END {
		printf "%s %.3f %d %d %s %s %s\n", ph, 100 * dk / hz / (dt / 1e6),
		    rss, nt ? tk[int(nt / 2)] : 0, nc ? sprintf("%.2f", cs / nc) : "n/a",
		    nc ? sprintf("%.2f", cm) : "n/a",
		    ns ? sprintf("%.2f", sp / ns) : "n/a"
	}' "$scratch/hdr-$ph" >>"$scratch/cpu"
}

# phase NAME NETNS NIF EXTRADISKS: one live phase.
phase() {
	local ph=$1 ns=$2
	echo "# $ph: $(bench_nprocs) processes, lo + $3 $NETKIND interfaces, $4 extra loop devices"
	bench_cmd perftop
	start "$ph" ip netns exec "$ns" "${CMD[@]}"
	sleep 3		# a few samples: rates, sparklines, the diagnosis
	keys "$ph" "$ph" 2
	measure "$ph" "$ph"
	tm capture-pane -p -t "$ph" >"$scratch/screen-$ph"
	tm send-keys -t "$ph" 3
	sleep 0.5
	tm capture-pane -p -t "$ph" >"$scratch/health-$ph"
	bench_stop "$ph"
	echo "$ph $(bench_nprocs) $3 $4" >>"$scratch/setup"
}

# ---- run -------------------------------------------------------------------
bench_header "$SIZE, 1 s refresh, ${DUR}s CPU window;" \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
limits
: >"$scratch/keys"; : >"$scratch/cpu"; : >"$scratch/setup"

# Narrow first, before the sleepers exist.
bench_grow "$NARROW"
[ "$(bench_nprocs)" -gt $((NARROW * 2)) ] && echo "# note: the machine already" \
    "runs $(bench_nprocs) processes (not ours): the narrow phase is not narrow"
mknet "$TAG-n" 1
gen "$TAG-n" 1
phase narrow "$TAG-n" 1 0
[ ${#GENS[@]} -gt 0 ] && kill "${GENS[0]}" 2>/dev/null

echo "# growing to $NPROCS processes"
t=$(now_us)
bench_grow "$NPROCS"
echo "# $(bench_nprocs) processes after $((($(now_us) - t) / 1000000)) s"
mknet "$TAG-w" "$NDEV"
mkdisks "$NDEV"
gen "$TAG-w" "$NDEV" "${LOOPS[@]}"
sleep 1

# What perftop sees of the wide machine: a batch snapshot, which is also
# the replay phase's input.
snap=$scratch/wide.json
bench_home "$scratch/home-batch"
ip netns exec "$TAG-w" env -u COLUMNS -u LINES TERM=xterm-256color \
    "${HENV[@]}" "$PERFTOP" --batch --count 3 \
    --interval 1 --format json -o "$snap" >/dev/null 2>"$scratch/batch.err"
if [ -s "$snap" ] && command -v jq >/dev/null 2>&1; then
	jq -r '"# wide snapshot: \(.processes | length) processes, " +
	    "\(.samples[-1].net | length) interfaces, " +
	    "\(.samples[-1].disks | length) disks (\([.samples[-1].disks[].name] | join(" ")))"' \
	    "$snap"
	seen=$(jq '[.samples[-1].disks[].name | select(test("^loop"))] | length' "$snap")
	[ "$seen" = 0 ] && echo "# perftop hides loop devices" \
	    "(src/procfs.c disk_name_hidden: loop ram zram fd), no option to" \
	    "show them: the live phase pays for reading them only"
fi

phase wide "$TAG-w" "$NDEV" "$NDEV"

# Replay: the wide snapshot with NDEV disks in every sample (copies of the
# first real disk's figures, named wd00...).
if [ -s "$snap" ] && command -v jq >/dev/null 2>&1; then
	jq --argjson n "$NDEV" '.samples |= map(
	    (.disks[0] // {read_bps: 0, write_bps: 0, read_iops: 0,
	     write_iops: 0, util_pct: 0, await_ms: null, queue_depth: 0,
	     inflight: 0}) as $d
	    | .disks = [range($n) as $i | $d + {name: ("wd" +
	      (if $i < 10 then "0" else "" end) + ($i | tostring))}])' \
	    "$snap" >"$scratch/replay.json" || die "jq"
	echo "# replay: $(jq '.processes | length' "$scratch/replay.json") processes," \
	    "$(jq '.samples[-1].net | length' "$scratch/replay.json") interfaces," \
	    "$(jq '.samples[-1].disks | length' "$scratch/replay.json") disks"
	start replay "$PERFTOP" --replay "$scratch/replay.json"
	sleep 1
	t0=$(now_us); k0=$(bench_ticks "$MPID")
	keys replay replay 2
	t1=$(now_us); k1=$(bench_ticks "$MPID")
	tm send-keys -t replay 3
	sleep 0.5
	tm capture-pane -p -t replay >"$scratch/health-replay"
	awk -v dk=$((k1 - k0)) -v dt=$((t1 - t0)) -v hz="$HZ" \
	    -v rss="$(rss_kb "$MPID")" 'BEGIN {
		printf "replay %.3f %d n/a n/a n/a n/a\n", 100 * dk / hz / (dt / 1e6), rss }' \
	    >>"$scratch/cpu"
	bench_stop replay
	echo "replay $(jq '.processes | length' "$scratch/replay.json")" \
	    "$(jq '.samples[-1].net | length - 1' "$scratch/replay.json") $NDEV" \
	    >>"$scratch/setup"
else
	echo "# no snapshot or no jq: replay phase skipped" \
	    "($(head -c 200 "$scratch/batch.err"))"
fi
for ph in narrow wide replay; do
	[ -f "$scratch/health-$ph" ] || continue
	echo "# $ph health panel ($ROWS rows) shows" \
	    "$(grep -c '^disk ' "$scratch/health-$ph") disk and" \
	    "$(grep -c '^net ' "$scratch/health-$ph") interface rows"
done

# ---- summary -------------------------------------------------------------
echo
awk -v ival="$IVAL_MS" -v dur="$DUR" '
FILENAME ~ /setup$/ { P[$1] = $2; NI[$1] = $3; ND[$1] = $4; next }
FILENAME ~ /cpu$/ { C[$1] = $2; R[$1] = $3; T[$1] = $4; CA[$1] = $5
	CM[$1] = $6; S[$1] = $7; next }
{	# keys
	n = ++nk[$1]; K[$1, n] = $2; L[$1, n] = $3
	if ($3 == -1) to[$1]++
	else if ($3 == -2) pre[$1]++
	else { if ($3 > mx[$1]) { mx[$1] = $3; mk[$1] = $2 }; sum[$1] += $3; ok[$1]++ }
}
END {
	split("narrow wide replay", ph, " ")
	print "key latency, ms from send-keys to the screen (2 rounds):"
	for (i = 1; i <= 3; i++) {
		p = ph[i]; if (!(p in nk)) continue
		line = sprintf("  %-7s", p)
		for (k = 1; k <= nk[p]; k++)
			line = line sprintf(" %s=%s", K[p, k],
			    L[p, k] == -1 ? "TIMEOUT" : L[p, k] == -2 ? "pre" : L[p, k])
		print line
	}
	print ""
	printf "%-7s %6s %4s %5s %8s %8s %8s %6s %8s %8s %8s %8s %9s %7s\n",
	    "phase", "procs", "ifs", "disks", "cpu%core", "ms/refr", "us/proc",
	    "self%", "coll ms", "coll max", "RSS MiB", "key avg", "key max",
	    "keys"
	for (i = 1; i <= 3; i++) {
		p = ph[i]; if (!(p in P)) continue
		live = p != "replay"
		verdict = (p in nk) ? ((to[p] || mx[p] >= ival) ? "FAIL" : "PASS") : "-"
		printf "%-7s %6d %4d %5s %8.2f %8s %8s %6s %8s %8s %8.1f %8s %9s %7s\n",
		    p, live && T[p] ? T[p] : P[p], NI[p] + 1,
		    live && ND[p] ? ND[p] "h" : ND[p],
		    C[p], live ? sprintf("%.1f", C[p] * 10) : "-",
		    live && T[p] ? sprintf("%.2f", C[p] * 1e4 / T[p]) : "-",
		    S[p], CA[p], CM[p], R[p] / 1024,
		    ok[p] ? sprintf("%.0f", sum[p] / ok[p]) : "-",
		    ok[p] ? mx[p] " " mk[p] : "-", verdict
		if (to[p]) printf "  %s: %d keys not answered within 5 s\n", p, to[p]
		if (pre[p]) printf "  %s: %d keys not timed (screen already showed it)\n", p, pre[p]
	}
	print "  procs: tasks in the perftop header (replay: in the snapshot); ifs:"
	print "  interfaces perftop sees, lo included; disks: extra ones (h: loop"
	print "  devices, read but hidden by perftop; replay: drawn).  ms/refr: CPU"
	print "  ms per 1 s refresh; self% and coll ms: the self cost in the header and"
	print "  collect time, averaged once a second over " dur " s (coll max: the"
	print "  worst); replay cpu% is over its key phase.  key max: ms and key;"
	print "  Escape includes the 50 ms curses waits for a following byte."
	if (("narrow" in P) && ("wide" in P) && T["narrow"] && C["narrow"] > 0 &&
	    T["wide"] > T["narrow"]) {
		pr = T["wide"] / T["narrow"]; cr = C["wide"] / C["narrow"]
		print ""
		printf "wide/narrow: %.1fx processes, %.1fx interfaces, CPU %.1fx, " \
		    "collect time %s, RSS %.1fx\n", pr, (NI["wide"] + 1) / (NI["narrow"] + 1), cr,
		    (CA["narrow"] > 0 ? sprintf("%.1fx", CA["wide"] / CA["narrow"]) : "n/a"),
		    R["narrow"] ? R["wide"] / R["narrow"] : 0
		printf "CPU growth per process growth: %.2f (1 = linear, ~%.0f if " \
		    "quadratic)\n", cr / pr, pr
		printf "increment: %.2f us CPU per added process per refresh " \
		    "(interfaces and disks included)\n",
		    (C["wide"] - C["narrow"]) * 1e4 / (T["wide"] - T["narrow"])
		printf "per process: narrow %.2f us, wide %.2f us\n",
		    C["narrow"] * 1e4 / T["narrow"], C["wide"] * 1e4 / T["wide"]
	}
	v = "PASS"
	for (i = 1; i <= 3; i++) {
		p = ph[i]
		if ((p in nk) && (to[p] || mx[p] >= ival)) v = "FAIL"
	}
	printf "\nkeys answered within one refresh (%d ms) in every phase: %s\n", ival, v
}' "$scratch/setup" "$scratch/cpu" "$scratch/keys"
exit 0
