#!/usr/bin/env bash
# A guest cannot execute a host syscall: junk calls of every number keep
# cvisor in control and touch no host file outside the sandbox's root.
. "$(dirname "$0")/lib.sh"

canary=$TMP/outside
mkdir -p "$canary"
echo original >"$canary/file"
snapshot() { (cd "$canary" && find . -printf '%p %s %T@ %m\n' | sort; cat file); }
before=$(snapshot)

root=$TMP/root
mkdir -p "$root"
cp build/tests/guest/escape_syscall_junk.musl build/tests/guest/escape_syscall_junk.glibc "$root/"
for v in musl glibc; do
	out=$(cd "$TMP" && cv run --root "$root" -- /escape_syscall_junk.$v "$canary/file" 2>"$TMP/err")
	st=$?
	check "junk syscalls ($v): guest survives and exits 0" [ $st -eq 0 ]
	check "junk syscalls ($v): guest reports every call returned" \
		grep -q '^survived 1[0-9]* calls' <<<"$out"
	[ $st -eq 0 ] || { echo "$out"; tail -5 "$TMP/err"; } | diag
done
check "no host file outside the root was touched" [ "$before" = "$(snapshot)" ]
check "the root itself was not modified" [ "$(ls "$root" | wc -l)" -eq 2 ]
done_testing
