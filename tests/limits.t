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

bin=$TOP/build/tests/guest/limit_memory.musl
out=$(cv run --memory 256M --root / -- "$bin" 2>/dev/null); st=$?
check "--memory 256M: mmap past it fails ENOMEM" grep -q '^mapped 3 chunks of 64 MiB, then ENOMEM$' <<<"$out"
check "--memory: brk past it is refused" grep -q '^brk past the limit refused=1$' <<<"$out"
check "--memory: mremap past it fails ENOMEM" grep -q '^mremap past the limit: ENOMEM$' <<<"$out"
check "--memory: cvisor exits with the guest's status" [ $st -eq 0 ]
out=$(cv run --root / -- "$bin" 2>/dev/null)
check "without --memory, 64 chunks map" grep -q '^mapped 64 chunks' <<<"$out"
done_testing
