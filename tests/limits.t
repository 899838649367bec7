#!/usr/bin/env bash
# Limits given on the command line are clear errors inside the guest.
. "$(dirname "$0")/lib.sh"

bin=$TOP/build/tests/guest/limit_tasks.musl
out=$(cv run --tasks 5 --root / -- "$bin" 50 2>/dev/null); st=$?
check "--tasks 5: fork past it fails EAGAIN (init + 4 children)" \
	[ "$out" = "forked 4 children, then EAGAIN" ]
check "--tasks: cvisor exits with the guest's status" [ $st -eq 0 ]
out=$(cv run --root / -- "$bin" 20 2>/dev/null)
check "without --tasks, 20 children fork" [ "$out" = "forked 20 children, then 0" ]

# A fork bomb is contained: the guest sees EAGAIN, cvisor ends with init.
bin=$TOP/build/tests/guest/limit_forkbomb.musl
out=$(cv run --tasks 64 --root / -- "$bin" 2>/dev/null); st=$?
check "fork bomb under --tasks 64: EAGAIN inside, clean exit" \
	[ $st -eq 0 -a "$out" = "init saw EAGAIN=1 and is done" ]

# --timeout: past it the guest is killed, running or blocked, and cvisor
# exits with 124.
spin=$TOP/build/tests/guest/spin.musl
out=$(cv run --timeout 0.5 --root / -- "$spin" 2>/dev/null); st=$?
check "--timeout ends a guest computing forever: status 124" [ $st -eq 124 -a "$out" = spinning ]
mkfifo "$TMP/never"
exec 8<>"$TMP/never"   # held open for writing by us: reads block, never end
out=$(cv run --timeout 0.5 --root / -- "$spin" read <"$TMP/never" 2>/dev/null); st=$?
exec 8>&-
check "--timeout ends a guest blocked in read: status 124" [ $st -eq 124 ]
expect_bad_timeout() { cv run --timeout "$1" -- /bin/hello >/dev/null 2>&1; [ $? -eq 2 ]; }
check "--timeout rejects nonsense" expect_bad_timeout -3

bin=$TOP/build/tests/guest/limit_memory.musl
out=$(cv run --memory 256M --root / -- "$bin" 2>/dev/null); st=$?
check "--memory 256M: mmap past it fails ENOMEM" grep -q '^mapped 3 chunks of 64 MiB, then ENOMEM$' <<<"$out"
check "--memory: brk past it is refused" grep -q '^brk past the limit refused=1$' <<<"$out"
check "--memory: mremap past it fails ENOMEM" grep -q '^mremap past the limit: ENOMEM$' <<<"$out"
check "--memory: cvisor exits with the guest's status" [ $st -eq 0 ]
out=$(cv run --root / -- "$bin" 2>/dev/null)
check "without --memory, 64 chunks map" grep -q '^mapped 64 chunks' <<<"$out"

# --files: the RLIMIT_NOFILE ceiling; --tmpfs-size: ENOSPC for all the
# file data in memory (tmpfs and the root's changes share it).
bin=$TOP/build/tests/guest/limit_files.musl
out=$(cv run --files 32 --root / -- "$bin" files 2>/dev/null); st=$?
check "--files 32: 29 opens past stdio, then EMFILE" grep -q '^opened 29, then EMFILE$' <<<"$out"
check "--files: RLIMIT_NOFILE cannot be raised past it" grep -q 'past --files: -1 EPERM' <<<"$out"
out=$(cv run --tmpfs-size 4M --root / -- "$bin" 2>/dev/null); st=$?
check "--tmpfs-size 4M: /tmp fills to 4 MiB, then ENOSPC" grep -q '^/tmp/fill: 4096 KiB, then ENOSPC$' <<<"$out"
check "--tmpfs-size: the upper layer shares the budget" grep -q '^/upper-fill: 0 KiB, then ENOSPC$' <<<"$out"
check "--tmpfs-size: freed space can be used again" grep -q '^/upper-fill: 4096 KiB, then ENOSPC$' <<<"$out"
check "--tmpfs-size: the guest exits normally" [ $st -eq 0 ]
expect_bad() { cv run "$@" -- /bin/hello >/dev/null 2>&1; [ $? -eq 2 ]; }
check "--files and --tmpfs-size reject nonsense" expect_bad --files 0
check "--tmpfs-size rejects nonsense" expect_bad --tmpfs-size 12Q
done_testing
