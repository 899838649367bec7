#!/usr/bin/env bash
# A guest cannot execute a host syscall: junk calls of every number keep
# cvisor in control and touch no host file outside the sandbox's root.
. "$(dirname "$0")/lib.sh"

canary_setup
before=$(canary_snapshot)

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
# The hostile guest's other probes: fds, /proc, pids, the stub page,
# lengths, a thread bomb, paths past PATH_MAX.
cp build/tests/guest/escape_misc.musl "$root/"
sleep 300 & host_sleeper=$!
out=$(cd "$TMP" && HOSTMARK=1 cv run --tasks 64 --root "$root" -- /escape_misc.musl 2>/dev/null); st=$?
check "hostile guest: runs to the end" [ $st -eq 0 ]
check "hostile guest: sees only its own 3 fds" grep -qx 'open fds: 3' <<<"$out"
check "hostile guest: /proc shows no host process or string" \
	grep -qx 'pids in /proc: 1, host strings seen: 0' <<<"$out"
check "hostile guest: no host pid answers kill 0" grep -qx 'other pids that answer kill 0: 0' <<<"$out"
check "hostile guest: kill -1 reaches only guest processes" grep -qx '  its sibling: killed' <<<"$out"
check "hostile guest: a host process outlives its kill -1" kill -0 $host_sleeper
kill $host_sleeper 2>/dev/null
check "hostile guest: the stub page is EFAULT to read and write" \
	[ "$(grep -c 'stub page: -1 EFAULT$' <<<"$out")" -eq 2 ]
check "hostile guest: the stub page cannot be mapped over, unmapped or unprotected" \
	[ "$(grep -c 'of the stub page: -1 E\|over the stub page: -1 E' <<<"$out")" -eq 3 ]
check "hostile guest: impossible lengths are EFAULT" [ "$(grep -c 'length: -1 EFAULT$' <<<"$out")" -eq 2 ]
check "hostile guest: a thread bomb stops at --tasks" grep -qx 'threads before the limit: stopped by the limit' <<<"$out"
check "hostile guest: getcwd past PATH_MAX is ENAMETOOLONG" grep -qx 'getcwd past PATH_MAX: -1 ENAMETOOLONG' <<<"$out"
[ $st -eq 0 ] || echo "$out" | diag
# A memory bomb: processes touching memory until they cannot, under
# --memory; each gets NULL/ENOMEM below the limit and lives on.
cp build/tests/guest/escape_membomb.musl "$root/"
out=$(cd "$TMP" && cv run --memory 64M --tasks 16 --root "$root" -- /escape_membomb.musl 64 2>/dev/null); st=$?
check "memory bomb: runs to the end" [ $st -eq 0 ]
check "memory bomb: every child stops below 64 MiB, out of memory" \
	[ "$(grep -cE '^child [0-9]: touched ([0-9]|[1-5][0-9]|6[0-3]) MiB, then out of memory$' <<<"$out")" -eq 4 ]
check "memory bomb: every child exits cleanly" grep -qx 'children that exited cleanly: 4 of 4' <<<"$out"
check "memory bomb: a 1 TiB mapping is ENOMEM" grep -qx 'a 1 TiB mapping: ENOMEM' <<<"$out"
check "memory bomb: mremap growth stops at the limit" \
	grep -qx 'mremap growth stopped at or below the limit: ENOMEM' <<<"$out"
[ $st -eq 0 ] || echo "$out" | diag
rm "$root/escape_membomb.musl"
check "no host file outside the root was touched" [ "$before" = "$(canary_snapshot)" ]
check "the root itself was not modified" [ "$(ls "$root" | wc -l)" -eq 3 ]
done_testing
