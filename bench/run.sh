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
DUR=30; NPROCS=2000; SIZE=200x50
while getopts "d:p:W:" o; do
	case $o in d) DUR=$OPTARG;; p) NPROCS=$OPTARG;; W) SIZE=$OPTARG;;
	*) sed -n '2,12p' "$0"; exit 2;; esac
done
shift $((OPTIND - 1))
PERFTOP=${1:-$here/../perftop}
[ -x "$PERFTOP" ] || { echo "run.sh: no perftop binary at $PERFTOP (build first)" >&2; exit 2; }
PERFTOP=$(cd "$(dirname "$PERFTOP")" && pwd)/$(basename "$PERFTOP")

# Peers: install what is missing when we may (root, apt-get), else skip.
missing=""
for t in btop htop; do command -v "$t" >/dev/null || missing="$missing $t"; done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "# installing$missing with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null 2>&1 ||
	    echo "# apt-get install$missing failed: those peers are skipped"
fi
command -v top >/dev/null || echo "# top (procps) not installed: skipped"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
run() {	# name, overhead.sh options..., -- command
	local name=$1; shift
	bash "$here/overhead.sh" -d "$DUR" -p "$NPROCS" -W "$SIZE" -n "$name" -i 1 "$@" \
		2>&1 | tail -n 1 | tee -a "$out"
}
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) cpus, $NPROCS idle processes, ${DUR}s window, $SIZE"
run perftop -- "$PERFTOP" --interval 1
if command -v btop >/dev/null; then run btop -c "$here/conf" -- btop; else echo "# btop not installed (not root, or apt-get failed): skipped"; fi
if command -v htop >/dev/null; then run htop -- htop -d 10; else echo "# htop not installed (not root, or apt-get failed): skipped"; fi
if command -v top >/dev/null; then run top -- top -d 1; fi
echo
awk '/^tool=/{
	for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	split(v["procs_seen"], pr, "-"); np = (pr[1] + pr[2]) / 2
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
