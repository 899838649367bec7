#!/usr/bin/env bash
# The guest syscall fuzzer for a few seconds (`make fuzz` runs it longer,
# under the ASan build): cvisor neither crashes nor hangs, init finishes,
# and no host file outside the guest's root changes.
. "$(dirname "$0")/lib.sh"

secs=${FUZZ_SECONDS:-8}
canary_setup
before=$(canary_snapshot)
root=$TMP/root
mkdir -p "$root/tmp"
cp build/tests/guest/fuzz_syscalls.musl build/tests/guest/fuzz_syscalls.glibc "$root/"
for v in musl glibc; do
	out=$(cd "$TMP" && timeout $((secs * 3 + 30)) "$CVISOR" run --tasks 200 --memory 1G --root "$root" -- \
		"/fuzz_syscalls.$v" "$secs" 2>"$TMP/err")
	st=$?
	check "fuzzer ($v, ${secs}s): init exits 0" [ $st -eq 0 ]
	check "fuzzer ($v): init reports back" grep -q 'init is fine$' <<<"$out"
	[ $st -eq 0 ] || { echo "$out"; grep -v unimplemented "$TMP/err" | tail -5; } | diag
done
check "no host file outside the root was touched" [ "$before" = "$(canary_snapshot)" ]
check "the root itself was not modified" [ "$(ls "$root" | wc -l)" -eq 3 ]
done_testing
