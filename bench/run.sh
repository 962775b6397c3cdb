#!/usr/bin/env bash
# bench/run.sh - perftop's running cost beside its peers, in one run.
#
# Usage: bench/run.sh [-d SECONDS] [-p NPROCS] [-W COLSxROWS] [PERFTOP]
#
# Runs bench/overhead.sh for perftop, btop, htop and top one after another,
# each in a private tmux pane with NPROCS (default 2000) idle processes and a
# 1 s refresh, and prints CPU (% of one core), RSS and bytes per second
# written to the terminal.  Peers that are not installed are skipped with a
# note (install them with: apt-get install btop htop).  Compare ratios within
# one run: the machines are shared and noisy.
set -u
here=$(cd "$(dirname "$0")" && pwd)
DUR=30; NPROCS=2000; SIZE=200x50
while getopts "d:p:W:" o; do
	case $o in d) DUR=$OPTARG;; p) NPROCS=$OPTARG;; W) SIZE=$OPTARG;;
	*) sed -n '2,12p' "$0"; exit 2;; esac
done
shift $((OPTIND - 1))
PERFTOP=${1:-$here/../perftop}
[ -x "$PERFTOP" ] || { echo "run.sh: no perftop binary at $PERFTOP (build first)" >&2; exit 2; }
PERFTOP=$(cd "$(dirname "$PERFTOP")" && pwd)/$(basename "$PERFTOP")

out=$(mktemp)
trap 'rm -f "$out"' EXIT
run() {	# name, overhead.sh options..., -- command
	local name=$1; shift
	bash "$here/overhead.sh" -d "$DUR" -p "$NPROCS" -W "$SIZE" -n "$name" -i 1 "$@" \
		2>&1 | tail -n 1 | tee -a "$out"
}
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) cpus, $NPROCS idle processes, ${DUR}s window, $SIZE"
run perftop -- "$PERFTOP" --interval 1
if command -v btop >/dev/null; then run btop -c "$here/conf" -- btop; else echo "# btop not installed: skipped"; fi
if command -v htop >/dev/null; then run htop -- htop -d 10; else echo "# htop not installed: skipped"; fi
run top -- top -d 1
echo
awk '/^tool=/{
	for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	printf "%-8s cpu %6.2f %% of a core   rss %6.1f MiB   tty %7.0f B/s\n",
	    v["tool"], v["cpu_pct"], v["rss_kb"] / 1024, v["tty_bytes_per_s"]
}' "$out"
