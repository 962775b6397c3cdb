#!/usr/bin/env bash
# bench/scale.sh - perftop's cost per process per refresh, from 80 to 10,000
# processes, beside top's.
#
# Usage: bench/scale.sh [-d SECONDS] [-s "80 2000 4000 10000"] [-t "perftop top"]
#                       [-W COLSxROWS] [PERFTOP]
#
# For each size it tops the machine up to that many processes with idle
# `sleep`s (started here, killed here by PID, never by name), then runs each
# tool for SECONDS (default 20) in a private tmux pane through
# bench/overhead.sh at a 1 s refresh and reads its CPU time over the window.
# CPU seconds per refresh = cpu_pct / 100 (one refresh a second).  It prints
# a table of CPU ms per refresh and us per process (total / processes, and
# the increment from the previous size), then the slope the targets use:
#   slope = (CPU s per refresh at ~4000 - at ~80) / (procs at ~4000 - at ~80)
# Linear means the increments stay near the slope up to 10,000.  Sizes below
# what the machine already runs are measured as they are.  The machine is
# shared and noisy: compare tools within one run.
#
# Beside them, "floor" is bench/procfloor.c (built here with cc) at the same
# size: getdents64 plus pread() of every process's stat and io on kept
# descriptors, one sweep a second, nothing else - what a collector reading
# all of that every refresh must at least spend.  perftop skips the listing
# when no task was forked and the io file of a process that is idle, so
# "floor-stat" (the pread of stat alone, from the same sweeps) is its own
# floor (-F leaves both out).
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
DUR=20; SIZES="80 2000 4000 10000"; TOOLS="perftop top"; SIZE=200x50; FLOOR=1
while getopts "d:s:t:W:F" o; do
	case $o in d) DUR=$OPTARG;; s) SIZES=$OPTARG;; t) TOOLS=$OPTARG;;
	W) SIZE=$OPTARG;; F) FLOOR=0;; *) sed -n '2,26p' "$0"; exit 2;; esac
done
shift $((OPTIND - 1))
case " $TOOLS " in *" perftop "*)
	bench_perftop "${1:-}"
	PERFTOP=$(bench_abs "$PERFTOP");;
esac

bench_init
out=$scratch/out
bench_ulimit 11000 20000 ||
    echo "# note: ulimit -u $(ulimit -u) may stop the largest sizes"
if [ $FLOOR = 1 ] && ! ${CC:-cc} -O2 -o "$scratch/procfloor" "$here/procfloor.c"; then
	echo "# cannot build bench/procfloor.c: no floor figures"
	FLOOR=0
fi
bench_header "${DUR}s per tool and size, $SIZE, 1 s refresh"
for n in $SIZES; do
	bench_grow "$n"
	sleep 1
	for t in $TOOLS; do
		command -v "$t" >/dev/null 2>&1 || [ "$t" = perftop ] ||
		    { echo "# $t not installed: skipped"; continue; }
		line=$(bench_overhead "$t" 0)
		case $line in tool=*) ;; *) echo "# $t at $n: $line"; continue;; esac
		echo "$line size=$n" | tee -a "$out"
	done
	if [ $FLOOR = 1 ]; then
		# 6 sweeps a second apart: as cold as a 1 s refresh.
		f=$("$scratch/procfloor" -k 6 1 | tail -n 1)
		echo "$f" | awk -v n="$n" "$BENCH_AWK"'{
			kv()
			printf "tool=floor cpu_pct=%.4f rss_kb=0 procs_seen=%d-%d size=%s %s\n",
			    v["total_us"] * v["nprocs"] / 1e4, v["nprocs"], v["nprocs"], n, $0
			printf "tool=floor-stat cpu_pct=%.4f rss_kb=0 procs_seen=%d-%d size=%s\n",
			    v["stat_us"] * v["nprocs"] / 1e4, v["nprocs"], v["nprocs"], n
		}' | tee -a "$out"
	fi
done
echo
awk "$BENCH_AWK"'/^tool=/{
	kv(); np = procs()
	t = v["tool"]; k = ++cnt[t]; P[t, k] = np; C[t, k] = v["cpu_pct"] / 100
	R[t, k] = v["rss_kb"]; S[t, k] = v["size"]
	if (!(t in seen)) { seen[t] = 1; order[++nt] = t }
}
function dC(t, k) { return C[t, k] - C[t, k - 1] }
function dP(t, k) { return P[t, k] - P[t, k - 1] }
END {
	printf "%-8s %7s %8s %13s %13s %13s %8s\n", "tool", "size", "procs",
	    "cpu ms/refr", "us/proc", "us/proc incr", "rss MiB"
	for (a = 1; a <= nt; a++) {
		t = order[a]
		for (k = 1; k <= cnt[t]; k++) {
			incr = sprintf("%13s", "-")
			if (k > 1 && P[t, k] > P[t, k - 1])
				incr = sprintf("%13.2f", 1e6 * dC(t, k) / dP(t, k))
			printf "%-8s %7s %8d %13.2f %13.2f %s %8.1f\n", t, S[t, k],
			    P[t, k], 1e3 * C[t, k], 1e6 * C[t, k] / P[t, k], incr,
			    R[t, k] / 1024
		}
	}
	print ""
	for (a = 1; a <= nt; a++) {
		t = order[a]; lo = hi = 0
		for (k = 1; k <= cnt[t]; k++) {
			if (S[t, k] == 80) lo = k
			if (S[t, k] == 4000) hi = k
		}
		if (lo && hi && P[t, hi] > P[t, lo])
			printf "slope %-8s %.2f us per process per refresh (%d -> %d processes)\n",
			    t, 1e6 * (C[t, hi] - C[t, lo]) / (P[t, hi] - P[t, lo]),
			    P[t, lo], P[t, hi]
	}
}' "$out"
