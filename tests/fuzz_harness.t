#!/usr/bin/env bash
# The libFuzzer harnesses (tools/fuzz) build, pass over their seed corpus
# and survive a few seconds of mutation: a broken harness fails here, not
# first in `make fuzz`.
. "$(dirname "$0")/lib.sh"

secs=${FUZZ_HARNESS_SECONDS:-3}
out=$(make -s fuzzers 2>&1)
check "the harnesses build" [ $? -eq 0 ]
[ -z "$out" ] || echo "$out" | tail -20 | diag
for src in tools/fuzz/fuzz_*.c; do
	name=${src##*/fuzz_}
	name=${name%.c}
	bin=build/fuzz/fuzz_$name
	seeds=tools/fuzz/corpus/$name
	check "$name: has a seed corpus" [ -n "$(ls "$seeds" 2>/dev/null)" ]
	"$bin" -runs=0 "$seeds" >"$TMP/$name.seeds" 2>&1
	check "$name: passes over its seeds" [ $? -eq 0 ]
	mkdir -p "$TMP/corpus-$name"
	"$bin" -max_total_time="$secs" -artifact_prefix="$TMP/$name-" "$TMP/corpus-$name" "$seeds" \
		>"$TMP/$name.log" 2>&1
	st=$?
	check "$name: ${secs}s of fuzzing find nothing" [ $st -eq 0 ]
	[ $st -eq 0 ] || grep -A20 -E 'ERROR|runtime error|deadly' "$TMP/$name.log" | head -30 | diag
done
done_testing
