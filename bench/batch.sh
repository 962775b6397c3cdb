#!/usr/bin/env bash
# bench/batch.sh - one-shot cost: `perftop --batch --count 2 --interval 0.5`
# beside `top -b -n 1`, at NPROCS processes.
#
# Usage: bench/batch.sh [-r RUNS] [-p NPROCS] [PERFTOP]
#
# Tops the machine up to NPROCS (default 2000) processes with idle `sleep`s
# (killed by PID at the end), then runs each command RUNS times (default 5)
# with a throw-away HOME, timing each run with bash's `time` (wall, user,
# sys of the command and its children), and prints the medians.  Targets
# (issue 5): perftop's wall <= 0.6 s (it sleeps 0.5 s between its two
# samples) and its CPU below top's.  perftop's exit status 0-2 is the
# machine's health (the Nagios convention), not a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
RUNS=5; NPROCS=2000
while getopts "r:p:" o; do
	case $o in r) RUNS=$OPTARG;; p) NPROCS=$OPTARG;;
	*) sed -n '2,14p' "$0"; exit 2;; esac
done
shift $((OPTIND - 1))
PERFTOP=${1:-$here/../perftop}
[ -x "$PERFTOP" ] || { echo "batch.sh: no perftop binary at $PERFTOP (build first)" >&2; exit 2; }

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/batch.XXXXXX"); SLEEPERS=()
cleanup() {
	if [ ${#SLEEPERS[@]} -gt 0 ]; then
		kill "${SLEEPERS[@]}" 2>/dev/null
		wait "${SLEEPERS[@]}" 2>/dev/null
	fi
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
have=$(ls -d /proc/[0-9]* | wc -l)
for ((k = have; k < NPROCS; k++)); do
	sleep 1000000 </dev/null >/dev/null 2>&1 &
	SLEEPERS+=($!)
done
sleep 1
mkdir -p "$SCRATCH/home"

# measure NAME OKMAX COMMAND...: RUNS timed runs, one "#  NAME run" line
# each; an exit status above OKMAX is an error.
measure() {
	local name=$1 okmax=$2 r rc t; shift 2
	TIMEFORMAT='%R %U %S'
	for ((r = 1; r <= RUNS; r++)); do
		t=$( { time { env HOME="$SCRATCH/home" \
		    XDG_CONFIG_HOME="$SCRATCH/home/.config" \
		    XDG_CACHE_HOME="$SCRATCH/home/.cache" TERM=xterm-256color \
		    "$@" >"$SCRATCH/out" 2>&1 </dev/null
		    echo $? >"$SCRATCH/rc"; }; } 2>&1 )
		rc=$(cat "$SCRATCH/rc")
		if [ "$rc" -gt "$okmax" ]; then
			echo "batch.sh: ERROR: $* exited $rc:" >&2
			tail -n 5 "$SCRATCH/out" >&2
			exit 1
		fi
		echo "$t" | awk -v n="$name" -v r="$r" '{
			printf "#  %s run %d: wall=%.3f user=%.3f sys=%.3f cpu=%.3f\n",
			    n, r, $1, $2, $3, $2 + $3 }'
	done
}
med() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
summary() {
	local name=$1 w c
	w=$(sed -n "s/^#  $name run .*wall=\([0-9.]*\).*/\1/p" "$SCRATCH/runs" | med)
	c=$(sed -n "s/^#  $name run .* cpu=\([0-9.]*\).*/\1/p" "$SCRATCH/runs" | med)
	echo "batch=$name nprocs=$NPROCS_SEEN runs=$RUNS wall_s=$w cpu_s=$c"
}

NPROCS_SEEN=$(ls -d /proc/[0-9]* | wc -l)
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) cpus, $NPROCS_SEEN processes, $RUNS runs each"
{
	measure perftop 2 "$PERFTOP" --batch --count 2 --interval 0.5
	measure top 0 top -b -n 1
} | tee "$SCRATCH/runs"
summary perftop | tee "$SCRATCH/sum"
summary top | tee -a "$SCRATCH/sum"
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
END {
	pw = v["batch=perftop", "wall_s"]; pc = v["batch=perftop", "cpu_s"]
	tc = v["batch=top", "cpu_s"]
	printf "perftop --batch --count 2 --interval 0.5: wall %.3f s (target <= 0.6: %s), cpu %.3f s vs top -b -n 1 %.3f s (%s)\n",
	    pw, pw <= 0.6 ? "met" : "MISSED", pc, tc,
	    pc < tc ? "less: met" : "not less: MISSED"
}' "$SCRATCH/sum"
