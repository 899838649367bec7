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
expect_bad() { cv run --timeout "$1" -- /bin/hello >/dev/null 2>&1; [ $? -eq 2 ]; }
check "--timeout rejects nonsense" expect_bad -3

bin=$TOP/build/tests/guest/limit_memory.musl
out=$(cv run --memory 256M --root / -- "$bin" 2>/dev/null); st=$?
check "--memory 256M: mmap past it fails ENOMEM" grep -q '^mapped 3 chunks of 64 MiB, then ENOMEM$' <<<"$out"
check "--memory: brk past it is refused" grep -q '^brk past the limit refused=1$' <<<"$out"
check "--memory: mremap past it fails ENOMEM" grep -q '^mremap past the limit: ENOMEM$' <<<"$out"
check "--memory: cvisor exits with the guest's status" [ $st -eq 0 ]
out=$(cv run --root / -- "$bin" 2>/dev/null)
check "without --memory, 64 chunks map" grep -q '^mapped 64 chunks' <<<"$out"
done_testing
