#!/usr/bin/env bash
# cvisor micro-benchmarks: each guest binary natively, under cvisor, and (if
# one exists) against a minimal PTRACE_SYSEMU tracer giving the ptrace floor.
# Prints a markdown table and writes it to $BUILD/bench.md.
#
# Every benchmark binary takes the iteration count as its first argument and
# prints a single number, ns per operation, as the last line of its stdout.
# Runs are interleaved (native, cvisor, floor, native, ...) so that noise on
# the machine hits all configurations alike; the median of each is reported.
#
# Environment:
#   BENCH_RUNS      runs per configuration            (default 7)
#   BENCH_N_NATIVE  iterations for native runs        (default 200000)
#   BENCH_N_TRACED  iterations for cvisor/floor runs  (default 20000)
#   BENCH_TIMEOUT   seconds allowed for any one run   (default 60)
#   BUILD           build directory                   (default build)
#
# Adding a benchmark is one line at the bottom:
#   bench NAME GUEST_BINARY FLOOR_BINARY|- [EXTRA_ARGS...]
# Binary paths are relative to $BUILD; EXTRA_ARGS follow the iteration count.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
[[ $BUILD = /* ]] || BUILD=$ROOT/$BUILD

RUNS=${BENCH_RUNS:-7}
N_NATIVE=${BENCH_N_NATIVE:-200000}
N_TRACED=${BENCH_N_TRACED:-20000}
TIMEOUT=${BENCH_TIMEOUT:-60}
CVISOR=$BUILD/cvisor
OUT=$BUILD/bench.md

die() { echo "bench: error: $*" >&2; exit 1; }

is_posint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
for v in RUNS N_NATIVE N_TRACED TIMEOUT; do
	is_posint "${!v}" || die "BENCH_$v must be a positive integer, got '${!v}'"
done

need() { [[ -f $1 && -x $1 ]] || die "missing binary: $1 (run 'make -j2' first)"; }
need "$CVISOR"

ERR=$(mktemp)
trap 'rm -f "$ERR"' EXIT

# measure LABEL CMD... -> prints the ns/op the command reports, or dies.
measure() {
	local label=$1; shift
	local out rc=0
	out=$(timeout "$TIMEOUT" "$@" 2>"$ERR") || rc=$?
	if (( rc != 0 )); then
		(( rc == 124 )) && echo "bench: $label: timed out after ${TIMEOUT}s" >&2
		echo "bench: $label: stderr:" >&2
		tail -n 20 "$ERR" >&2
		die "$label: '$*' exited with status $rc"
	fi
	local last
	last=$(printf '%s\n' "$out" | awk 'NF { l = $0 } END { gsub(/^[ \t]+|[ \t\r]+$/, "", l); print l }')
	[[ $last =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
		die "$label: '$*' did not print a number (last line of stdout: '${last}')"
	echo "$last"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ratio A B -> "A/B" formatted, or "-" when either is missing or B is zero.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
	if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.1fx\n", a / b }'; }

fmt() { if [[ $1 = - ]]; then echo -; else awk -v x="$1" 'BEGIN { printf "%.0f\n", x }'; fi; }

ROWS=()

bench() {
	(( $# >= 3 )) || die "usage: bench NAME GUEST_BINARY FLOOR_BINARY|- [EXTRA_ARGS...]"
	local name=$1 guest=$BUILD/$2 floor=$3; shift 3
	[[ $floor = - ]] || floor=$BUILD/$floor
	need "$guest"
	[[ $floor = - ]] || need "$floor"

	local -a nat=() cv=() fl=()
	local i
	for (( i = 1; i <= RUNS; i++ )); do
		[[ -t 2 ]] && printf 'bench: %s run %d/%d\r' "$name" "$i" "$RUNS" >&2
		nat+=("$(measure "$name native" "$guest" "$N_NATIVE" "$@")")
		cv+=("$(measure "$name cvisor" "$CVISOR" run --root / -- "$guest" "$N_TRACED" "$@")")
		[[ $floor = - ]] || fl+=("$(measure "$name floor" "$floor" "$N_TRACED" "$@")")
	done
	[[ -t 2 ]] && printf '\033[K' >&2

	local mn mc mf=-
	mn=$(median "${nat[@]}")
	mc=$(median "${cv[@]}")
	[[ $floor = - ]] || mf=$(median "${fl[@]}")
	echo "bench: $name native [${nat[*]}] cvisor [${cv[*]}] floor [${fl[*]:--}]" >&2
	ROWS+=("| $name | $(fmt "$mn") | $(fmt "$mc") | $(fmt "$mf") | $(ratio "$mc" "$mn") | $(ratio "$mc" "$mf") |")
}

table() {
	echo "| benchmark | native ns/op | cvisor ns/op | floor ns/op | cvisor/native | cvisor/floor |"
	echo "|---|---:|---:|---:|---:|---:|"
	printf '%s\n' "${ROWS[@]}"
}

# ---- benchmarks: one line each ------------------------------------------
# (N_NATIVE=... N_TRACED=... before a line set its iteration counts.)
bench getppid tools/bench_getppid tools/ptrace_floor
N_NATIVE=2000 N_TRACED=300 bench fork+wait tools/bench_proc - fork
N_NATIVE=1000 N_TRACED=100 bench fork+exec+wait tools/bench_proc - forkexec
N_NATIVE=5000 N_TRACED=500 bench "thread create+join" tools/bench_proc - thread
N_NATIVE=20000 N_TRACED=2000 bench "open+close" tools/bench_io - open
N_NATIVE=100000 N_TRACED=10000 bench "pread 4 KiB" tools/bench_io - pread
N_NATIVE=2000 N_TRACED=2000 bench "mmap+touch+munmap 1 MiB" tools/bench_io - mmap
N_NATIVE=200 N_TRACED=200 bench "compute loop (1e5 ops)" tools/bench_io - compute
N_NATIVE=50000 N_TRACED=5000 bench "pipe ping-pong (round trip)" tools/bench_ipc - pipe
N_NATIVE=50000 N_TRACED=5000 bench "AF_UNIX stream round trip" tools/bench_ipc - unix
# --------------------------------------------------------------------------

table
{
	echo "cvisor bench, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), kernel $(uname -r), nproc $(nproc)," \
		"median of $RUNS runs (iterations per benchmark: tools/bench/run.sh)"
	echo
	table
} >"$OUT"
echo "bench: table written to ${OUT#"$ROOT"/}" >&2
