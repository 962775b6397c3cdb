#!/usr/bin/env bash
# bench/run.sh - perftop's running cost beside its peers, in one run.
#
# Usage: bench/run.sh [-d SECONDS] [-p NPROCS] [-W COLSxROWS] [PERFTOP]
#
# Runs bench/overhead.sh for perftop, btop, htop and top one after another,
# each in a private tmux pane with NPROCS (default 2000) idle processes and a
# 1 s refresh, and prints CPU (% of one core), RSS and bytes per second
# written to the terminal.  btop and htop are installed with apt-get when
# missing and this runs as root; otherwise they are skipped with a note.
# Compare ratios within one run: the machines are shared and noisy.  The
# 2000 idle processes are started by overhead.sh and killed by PID.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
DUR=30; NPROCS=2000; SIZE=200x50
while getopts "d:p:W:" o; do
	case $o in d) DUR=$OPTARG;; p) NPROCS=$OPTARG;; W) SIZE=$OPTARG;;
	*) sed -n '2,12p' "$0"; exit 2;; esac
done
shift $((OPTIND - 1))
bench_perftop "${1:-}"
PERFTOP=$(bench_abs "$PERFTOP")

bench_install btop htop
command -v top >/dev/null || echo "# top (procps) not installed: skipped"

bench_init
out=$scratch/out
bench_header "$NPROCS idle processes, ${DUR}s window, $SIZE"
for t in perftop btop htop top; do
	case $t in
	perftop) ;;
	top) command -v top >/dev/null || continue;;
	*) bench_have "$t" || continue;;
	esac
	bench_overhead "$t" "$NPROCS" | tee -a "$out"
done
echo
awk "$BENCH_AWK"'/^tool=/{
	kv(); np = procs()
	cpu[v["tool"]] = v["cpu_pct"]
	printf "%-8s cpu %6.2f %% of a core  %6.2f us/proc/refresh   rss %6.1f MiB   tty %7.0f B/s\n",
	    v["tool"], v["cpu_pct"], (np > 0 ? v["cpu_pct"] * 1e4 / np : 0),
	    v["rss_kb"] / 1024, v["tty_bytes_per_s"]
}
END {
	if (("perftop" in cpu) && ("btop" in cpu) && cpu["btop"] > 0)
		printf "perftop / btop CPU = %.2f (target <= 0.7)\n",
		    cpu["perftop"] / cpu["btop"]
}' "$out"
