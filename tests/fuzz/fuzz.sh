#!/bin/sh
# fuzz.sh - build and run perftop's libFuzzer targets (tests/fuzz/*.c).
#
#   fuzz.sh [-t SECONDS] [-b] [TARGET...]
#
# Builds every source of src/ but main.c with clang's fuzzer, address and
# undefined-behaviour instrumentation into an archive under $FUZZ_OUT, links
# each target against it (only the objects it needs are pulled in) and the
# system's non-instrumented libconfig, jansson, libproc2 and libstatgrab,
# then runs each target for SECONDS (default 25) from its seed corpus in
# tests/fuzz/corpus/TARGET.  New inputs go to $FUZZ_OUT/corpus/TARGET (the
# source tree is never written); a crash, a leak, a hang (-timeout) or an
# oversized allocation leaves its input in $FUZZ_OUT/artifacts/ and fails.
# -b only builds.  Targets: sanitize procfs conf snapshot (default: all).
#
# Environment: SRCDIR (the source tree; default: this script's ../..),
# BUILDDIR (a configured build tree, for config.h; default: .), FUZZ_CC
# (clang), FUZZ_OUT ($BUILDDIR/fuzz), FUZZ_SAN (the -fsanitize= list
# besides fuzzer), FUZZ_FLAGS (extra libFuzzer flags).
# Prints one line per target: executions, and the outcome.  Exit 0 when
# every target ran clean, 1 otherwise, 77 when clang cannot build a fuzzer.

set -u
T=25
BUILD_ONLY=0
while getopts bt: o; do
	case $o in
	b) BUILD_ONLY=1 ;;
	t) T=$OPTARG ;;
	*) echo "usage: fuzz.sh [-t SECONDS] [-b] [TARGET...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
TARGETS=${*:-sanitize procfs conf snapshot}

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILDDIR=${BUILDDIR:-.}
BUILDDIR=$(cd "$BUILDDIR" && pwd)
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_OUT=${FUZZ_OUT:-$BUILDDIR/fuzz}
FUZZ_SAN=${FUZZ_SAN:-address,undefined,float-divide-by-zero}
FUZZ_FLAGS=${FUZZ_FLAGS:-}
PKGS="libconfig jansson libproc2 libstatgrab ncursesw"

if [ ! -f "$BUILDDIR/config.h" ]; then
	echo "fuzz.sh: no config.h in $BUILDDIR: run configure first" >&2
	exit 2
fi
if ! command -v "$FUZZ_CC" >/dev/null 2>&1; then
	echo "fuzz.sh: $FUZZ_CC not found: SKIP" >&2
	exit 77
fi
mkdir -p "$FUZZ_OUT/obj" "$FUZZ_OUT/corpus" "$FUZZ_OUT/artifacts" || exit 2

PKG_CFLAGS=$(pkg-config --cflags $PKGS) || exit 2
PKG_LIBS=$(pkg-config --libs $PKGS) || exit 2
CFLAGS="-g -O1 -std=gnu11 -fno-omit-frame-pointer -fsanitize=$FUZZ_SAN
    -fno-sanitize-recover=all -pthread -I$BUILDDIR -I$SRCDIR/src -I$SRCDIR/ui
    -I$SRCDIR/tests/fuzz -DSYSCONFDIR=\"/nonexistent\" $PKG_CFLAGS"

# Can this clang link a fuzzer at all (Debian: libclang-rt-14-dev)?
printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n' \
    >"$FUZZ_OUT/probe.c"
if ! $FUZZ_CC -fsanitize=fuzzer "$FUZZ_OUT/probe.c" -o "$FUZZ_OUT/probe" \
    2>"$FUZZ_OUT/probe.log"; then
	sed 's/^/# /' "$FUZZ_OUT/probe.log" >&2
	echo "fuzz.sh: $FUZZ_CC cannot link -fsanitize=fuzzer: SKIP" >&2
	exit 77
fi

# ---- build ----------------------------------------------------------------
newest_h=$(ls -t "$SRCDIR"/src/*.h "$BUILDDIR/config.h" | head -n 1)
objs=
for src in "$SRCDIR"/src/*.c; do
	base=$(basename "$src" .c)
	[ "$base" = main ] && continue
	obj=$FUZZ_OUT/obj/$base.o
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ]; then
		# A file that does not build is left out: the link below
		# fails if a target needed it.
		if ! $FUZZ_CC $CFLAGS -fsanitize=fuzzer-no-link -c "$src" \
		    -o "$obj" 2>"$FUZZ_OUT/obj/$base.log"; then
			echo "fuzz.sh: warning: $src does not build; left" \
			    "out (see $FUZZ_OUT/obj/$base.log)" >&2
			rm -f "$obj"
			continue
		fi
	fi
	objs="$objs $obj"
done
rm -f "$FUZZ_OUT/libfuzz.a"
ar cr "$FUZZ_OUT/libfuzz.a" $objs || exit 1
for t in $TARGETS; do
	src=$SRCDIR/tests/fuzz/fuzz_$t.c
	if [ ! -f "$src" ]; then
		echo "fuzz.sh: no target '$t'" >&2
		exit 2
	fi
	$FUZZ_CC $CFLAGS -fsanitize=fuzzer "$src" "$FUZZ_OUT/libfuzz.a" \
	    $PKG_LIBS -lm -o "$FUZZ_OUT/fuzz_$t" || exit 1
done
[ $BUILD_ONLY -eq 1 ] && exit 0

# ---- run ------------------------------------------------------------------
failed=0
for t in $TARGETS; do
	mkdir -p "$FUZZ_OUT/corpus/$t"
	dict=
	[ -f "$SRCDIR/tests/fuzz/$t.dict" ] &&
	    dict="-dict=$SRCDIR/tests/fuzz/$t.dict"
	log=$FUZZ_OUT/$t.log
	# Known leaks of the system libraries, each with its reason.
	LSAN_OPTIONS="suppressions=$SRCDIR/tests/fuzz/lsan.supp:print_suppressions=0"
	export LSAN_OPTIONS
	# -timeout: one input taking 10 s is a hang; -rss_limit_mb and
	# -malloc_limit_mb: a count from the input must not size memory.
	"$FUZZ_OUT/fuzz_$t" -max_total_time="$T" -timeout=10 \
	    -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=65536 \
	    -print_final_stats=1 -artifact_prefix="$FUZZ_OUT/artifacts/$t-" \
	    $dict $FUZZ_FLAGS "$FUZZ_OUT/corpus/$t" \
	    "$SRCDIR/tests/fuzz/corpus/$t" >"$log" 2>&1 &
	fpid=$!
	# (A background job ignores ^C: pass it on.)
	trap 'kill $fpid 2>/dev/null; exit 130' INT TERM
	wait $fpid
	rc=$?
	# A target that died on a finding had no time for its atexit.
	rm -f /dev/shm/perftop-fuzz-$fpid.* "${TMPDIR:-/tmp}"/perftop-fuzz-$fpid.*
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW).*cov: ' "$log" | tail -n 1 |
	    sed -E 's/.*cov: ([0-9]+).*/\1/')
	if [ $rc -eq 0 ]; then
		echo "fuzz $t: ${execs:-?} executions (${secs:-?}/s, edge" \
		    "coverage ${cov:-?}) in ${T} s: 0 crashes, 0 hangs, 0 leaks"
	else
		failed=1
		echo "fuzz $t: FAILED (exit $rc) after ${execs:-?} executions;" \
		    "log $log"
		grep -E 'ERROR|invariant|SUMMARY|Test unit written|==[0-9]+==' \
		    "$log" | head -n 20 | sed 's/^/#   /'
	fi
done
exit $failed
