#!/bin/sh
# valgrind.sh - the real binary under valgrind memcheck: batch mode (JSON and
# Markdown) and the dashboard for a few refreshes, 0 errors and no definite
# leaks.  libproc2's thread-local buffers are suppressed (tests/valgrind.supp
# says why).  A sanitizer build cannot run under valgrind: there, this test
# has nothing to check and says so (the plain build in the same CI run does).
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh" 2>/dev/null || true
: "${PERFTOP:?PERFTOP not set}"
if [ "${PERFTOP_ASAN:-no}" = yes ]; then
	echo "valgrind.sh: sanitizer build; memcheck runs on the plain build"
	exit 77
fi
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind missing (apt-get install valgrind)"; exit 77; }
SUPP=${SRCDIR:-$(dirname "$0")/..}/tests/valgrind.supp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$SUPP"
fail=0
run() {	# name, args...
	name=$1; shift
	HOME=$tmp XDG_CONFIG_HOME=$tmp $VG --log-file="$tmp/$name.vg" "$PERFTOP" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	if [ $rc -eq 99 ] || grep -q 'ERROR SUMMARY: [1-9]\|definitely lost: [1-9]' "$tmp/$name.vg"; then
		echo "FAIL: valgrind found errors in: perftop $*"; cat "$tmp/$name.vg"; fail=1
	elif [ $rc -gt 3 ]; then
		echo "FAIL: perftop $* exited $rc under valgrind"; cat "$tmp/$name.err"; fail=1
	else
		echo "ok: perftop $* (exit $rc, no memcheck errors)"
	fi
}
run json --batch --count 3 --interval 0.3 --format json
run md --batch --count 2 --interval 0.3
jq -e '.samples | length == 3' "$tmp/json.out" >/dev/null 2>&1 || { echo "FAIL: JSON under valgrind is not 3 samples"; fail=1; }
# The dashboard, in a private tmux server, for a few refreshes.
if command -v tmux >/dev/null; then
	T="tmux -L ptvg$$ -f /dev/null"
	$T new-session -d -x 100 -y 30 "env HOME=$tmp XDG_CONFIG_HOME=$tmp $VG --log-file=$tmp/ui.vg $PERFTOP --interval 0.3 --iterations 5; echo EXIT=\$? > $tmp/ui.rc"
	i=0
	while [ ! -s "$tmp/ui.rc" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	$T kill-server 2>/dev/null
	# tmux 3.3 leaves its socket behind.
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/ptvg$$"
	if ! grep -q 'EXIT=0' "$tmp/ui.rc" 2>/dev/null; then
		echo "FAIL: dashboard under valgrind: $(cat "$tmp/ui.rc" 2>/dev/null || echo 'no exit')"; cat "$tmp/ui.vg"; fail=1
	elif grep -q 'ERROR SUMMARY: [1-9]\|definitely lost: [1-9]\|Invalid\|uninitialised' "$tmp/ui.vg"; then
		echo "FAIL: valgrind found errors in the dashboard"; cat "$tmp/ui.vg"; fail=1
	else
		echo "ok: dashboard --iterations 5 (no memcheck errors)"
	fi
fi
exit $fail
