#!/usr/bin/env bash
# cvisor micro-benchmarks: each guest binary natively, under cvisor, (if one
# exists) against a minimal PTRACE_SYSEMU tracer giving the ptrace floor, and
# under the peers that are installed: gVisor's runsc on its ptrace platform
# and PRoot (`tools/deps.sh bench` installs them; `make bench` runs it).
# Prints a markdown table and writes it to $BUILD/bench.md.
#
# Every benchmark binary takes the iteration count as its first argument and
# prints a single number, ns per operation, as the last line of its stdout.
# Runs are interleaved (native, cvisor, floor, runsc, proot, native, ...) so
# that noise on the machine hits all configurations alike; the median of each
# is reported. A peer that fails a run (or is not installed) gets "-" in that
# benchmark's cell, with a footnote saying why, and is not run again for it.
#
# Environment:
#   BENCH_RUNS      runs per configuration            (default 7)
#   BENCH_N_NATIVE  iterations for native runs        (default 200000)
#   BENCH_N_TRACED  iterations for cvisor/floor/peer runs (default 20000)
#   BENCH_PEERS     peers to run, of: runsc proot     (default both)
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
PEERS=(${BENCH_PEERS-runsc proot})
CVISOR=$BUILD/cvisor
OUT=$BUILD/bench.md

# How each peer runs a static binary (PATH ARGS... follow). runsc do runs it
# in a sandbox whose root is the host's, read-only under a tmpfs overlay.
RUNSC=(runsc --network=none --platform=ptrace do -quiet)
[[ $(id -u) = 0 ]] || RUNSC=(runsc --rootless "${RUNSC[@]:1}")
PROOT=(proot)

die() { echo "bench: error: $*" >&2; exit 1; }

is_posint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
for v in RUNS N_NATIVE N_TRACED TIMEOUT; do
	is_posint "${!v}" || die "BENCH_$v must be a positive integer, got '${!v}'"
done
for p in "${PEERS[@]}"; do
	[[ $p = runsc || $p = proot ]] || die "BENCH_PEERS: unknown peer '$p' (runsc, proot)"
done

need() { [[ -f $1 && -x $1 ]] || die "missing binary: $1 (run 'make -j2' first)"; }
need "$CVISOR"

ERR=$(mktemp)
WHY=$(mktemp)
trap 'rm -f "$ERR" "$WHY"' EXIT

# measure LABEL CMD... -> prints the ns/op the command reports; otherwise
# says why on stderr, its last line "bench: error: LABEL: REASON", and fails.
measure() {
	local label=$1; shift
	local out rc=0
	out=$(timeout "$TIMEOUT" "$@" 2>"$ERR") || rc=$?
	if (( rc != 0 )); then
		echo "bench: $label: stderr:" >&2
		tail -n 20 "$ERR" >&2
		if (( rc == 124 )); then
			echo "bench: error: $label: '$*' timed out after ${TIMEOUT}s" >&2
		else
			echo "bench: error: $label: '$*' exited with status $rc" >&2
		fi
		return 1
	fi
	local last
	last=$(printf '%s\n' "$out" | awk 'NF { l = $0 } END { gsub(/^[ \t]+|[ \t\r]+$/, "", l); print l }')
	if ! [[ $last =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
		echo "bench: error: $label: '$*' did not print a number (last line of stdout: '${last}')" >&2
		return 1
	fi
	echo "$last"
}

# Footnotes for the table, each text once: note TEXT -> prints its mark.
NOTES=()
declare -A NOTE_MARK=()
note() {
	[[ -n ${NOTE_MARK[$1]:-} ]] || { NOTES+=("$1"); NOTE_MARK[$1]=${#NOTES[@]}; }
}

# peer_try LABEL CMD... -> one peer run: its ns/op, or "-" with the reason
# (measure's error and the program's last stderr line) left in $WHY.
peer_try() {
	local label=$1; shift
	local v why last
	if v=$(measure "$label" "$@" 2>"$WHY"); then echo "$v"; return; fi
	cat "$WHY" >&2
	why=$(tail -n 1 "$WHY" | sed "s|^bench: error: [^:]*: ||; s|$ROOT/||g")
	last=$(awk 'NF { l = $0 } END { print l }' "$ERR")
	[[ -z $last ]] || why+="; its stderr ends: $last"
	echo "$why" >"$WHY"
	echo -
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ratio A B -> "A/B" formatted, or "-" when either is missing or B is zero.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
	if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2fx\n", a / b }'; }

fmt() { if [[ $1 = - ]]; then echo -; else awk -v x="$1" 'BEGIN { printf "%.0f\n", x }'; fi; }

ROWS=()

bench() {
	(( $# >= 3 )) || die "usage: bench NAME GUEST_BINARY FLOOR_BINARY|- [EXTRA_ARGS...]"
	local name=$1 guest=$BUILD/$2 floor=$3; shift 3
	[[ $floor = - ]] || floor=$BUILD/$floor
	need "$guest"
	[[ $floor = - ]] || need "$floor"

	local -a nat=() cv=() fl=()
	local -A pv=() why=()
	local i p v
	local -a cmd
	for p in "${PEERS[@]}"; do
		command -v "$p" >/dev/null || why[$p]="$p is not installed (tools/deps.sh bench installs it)"
	done
	for (( i = 1; i <= RUNS; i++ )); do
		[[ -t 2 ]] && printf 'bench: %s run %d/%d\r' "$name" "$i" "$RUNS" >&2
		nat+=("$(measure "$name native" "$guest" "$N_NATIVE" "$@")") || exit 1
		cv+=("$(measure "$name cvisor" "$CVISOR" run --root / -- "$guest" "$N_TRACED" "$@")") || exit 1
		[[ $floor = - ]] || fl+=("$(measure "$name floor" "$floor" "$N_TRACED" "$@")") || exit 1
		for p in "${PEERS[@]}"; do
			[[ -z ${why[$p]:-} ]] || continue
			case $p in runsc) cmd=("${RUNSC[@]}") ;; proot) cmd=("${PROOT[@]}") ;; esac
			v=$(peer_try "$name $p" "${cmd[@]}" "$guest" "$N_TRACED" "$@")
			if [[ $v = - ]]; then why[$p]="$p, $name: $(<"$WHY")"; else pv[$p]+=" $v"; fi
		done
	done
	[[ -t 2 ]] && printf '\033[K' >&2

	local mn mc mf=- best=- bestp=
	mn=$(median "${nat[@]}")
	mc=$(median "${cv[@]}")
	[[ $floor = - ]] || mf=$(median "${fl[@]}")
	local row="| $name | $(fmt "$mn") | $(fmt "$mc") | $(fmt "$mf") |" log=
	for p in "${PEERS[@]}"; do
		if [[ -n ${why[$p]:-} ]]; then
			note "${why[$p]}"
			row+=" - (${NOTE_MARK[${why[$p]}]}) |"
			log+=" $p [-]"
			continue
		fi
		v=$(median ${pv[$p]})
		row+=" $(fmt "$v") |"
		log+=" $p [${pv[$p]# }]"
		if [[ $best = - ]] || awk -v a="$v" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$v bestp=$p
		fi
	done
	row+=" $(ratio "$mc" "$mn") | $(ratio "$mc" "$mf") | $(ratio "$mc" "$best")${bestp:+ ($bestp)} |"
	echo "bench: $name native [${nat[*]}] cvisor [${cv[*]}] floor [${fl[*]:--}]$log" >&2
	ROWS+=("$row")
}

table() {
	local p head="| benchmark | native ns/op | cvisor ns/op | floor ns/op |" rule="|---|---:|---:|---:|"
	for p in "${PEERS[@]}"; do head+=" $p ns/op |"; rule+="---:|"; done
	echo "$head cvisor/native | cvisor/floor | cvisor/best peer |"
	echo "$rule---:|---:|---:|"
	printf '%s\n' "${ROWS[@]}"
	(( ${#NOTES[@]} == 0 )) || echo
	for i in "${!NOTES[@]}"; do echo "($((i + 1))) ${NOTES[$i]}"; done
}

# The peers' versions and how each ran, for the file's header.
peers_line() {
	local p
	for p in "${PEERS[@]}"; do
		command -v "$p" >/dev/null || continue
		case $p in
		runsc) printf '%s (`%s BINARY N`); ' "$(runsc --version | head -n 1)" "${RUNSC[*]}" ;;
		proot) printf 'proot %s (`%s BINARY N`); ' "$(dpkg-query -W -f='${Version}' proot 2>/dev/null || echo '?')" "${PROOT[*]}" ;;
		esac
	done
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
	peers=$(peers_line)
	[[ -z $peers ]] || { echo; echo "Peers: ${peers%; }."; }
	echo
	table
} >"$OUT"
echo "bench: table written to ${OUT#"$ROOT"/}" >&2
