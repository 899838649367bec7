#!/usr/bin/env bash
# Every guest test program, natively and under cvisor: stdout and exit
# status must be identical. The host kernel is the oracle.
. "$(dirname "$0")/lib.sh"

# compare_run BIN NAME ARGS: one test point.
compare_run() {
	local bin=$1 name=$2 args=$3 label=$2
	[ -n "${args// }" ] && label="$name $args"
	# shellcheck disable=SC2086
	# (a subshell of its own, so bash's "Segmentation fault" goes too)
	(cd "$TMP" && (CVISOR_TEST_VAR=set "$TOP/$bin" $args </dev/null >"$TMP/native")
	 echo "exit=$?" >>"$TMP/native") 2>/dev/null
	# shellcheck disable=SC2086
	(cd "$TMP" && CVISOR_TEST_VAR=set cv run --root / -- "$TOP/$bin" $args </dev/null >"$TMP/cvisor" 2>"$TMP/cvisor.err"
	 echo "exit=$?" >>"$TMP/cvisor")
	if cmp -s "$TMP/native" "$TMP/cvisor"; then
		ok "$label: same output and status natively and under cvisor"
	else
		not_ok "$label: same output and status natively and under cvisor"
		diff -u "$TMP/native" "$TMP/cvisor" | head -40 | diag
		head -5 "$TMP/cvisor.err" | diag
	fi
}

for bin in build/tests/guest/*.musl build/tests/guest/*.glibc build/tests/guest/*.glibc-pie; do
	[ -x "$bin" ] || continue
	name=${bin#build/tests/guest/}
	src=tests/guest/${name%.*}.c
	# Programs marked own-harness are run by a .t of their own.
	grep -q 'TEST: own-harness' "$src" 2>/dev/null && continue
	# Each "TEST-ARGS: ..." line in the source is one run; none means one
	# run without arguments.
	runs=$(sed -n 's|.*TEST-ARGS: *\(.*\)|\1|p' "$src")
	[ -n "$runs" ] || runs=" "
	while IFS= read -r args; do
		compare_run "$bin" "$name" "$args"
	done <<<"$runs"
done
done_testing
