#!/usr/bin/env bash
# Stub processes: sandboxed by their own seccomp filter, and never left
# behind when cvisor is killed.
. "$(dirname "$0")/lib.sh"

# A guest that blocks in read(0): cvisor waits on a pipe that never ends.
mkfifo "$TMP/fifo"
"$CVISOR" run --root / -- /bin/busybox cat <"$TMP/fifo" >/dev/null 2>&1 &
cvpid=$!
exec 3>"$TMP/fifo"  # a writer that never writes: cat blocks

stubs=
for _ in $(seq 100); do
	stubs=$(pgrep -P $cvpid)
	[ -n "$stubs" ] && break
	sleep 0.1
done
check "cvisor started a stub process" [ -n "$stubs" ]
for s in $stubs; do
	check "stub $s runs under a seccomp filter" grep -q '^Seccomp:[[:space:]]*2' /proc/$s/status
	# Away from cvisor's session (and its terminal): the master stub's
	# session, which every stub forked from it shares.
	check "stub $s is not in cvisor's session" \
		[ "$(ps -o sid= -p $s | tr -d ' ')" != "$(ps -o sid= -p $cvpid | tr -d ' ')" ]
	# Nothing of cvisor's own address space survives in the stub: only
	# the guest's mappings, the stub page and [vsyscall].
	check "stub $s keeps none of cvisor's mappings" \
		bash -c "! grep -qE 'cvisor\$|/lib|\[(heap|stack|vdso|vvar)\]' /proc/$s/maps"
	check "stub $s has the stub page" grep -q 'memfd:cvisor-stub' /proc/$s/maps
done

kill -9 $cvpid
wait $cvpid 2>/dev/null
exec 3>&-
left=
for _ in $(seq 50); do
	left=
	for s in $stubs; do kill -0 $s 2>/dev/null && left="$left $s"; done
	[ -z "$left" ] && break
	sleep 0.1
done
check "killing cvisor with SIGKILL leaves no stub behind" [ -z "$left" ]

# A stub killed from outside: its guest process dies of SIGKILL as its guest
# parent sees it, and the rest of the guest goes on.
mkfifo "$TMP/out"
"$CVISOR" run --root / -- "$TOP/build/tests/guest/stub_killed.musl" >"$TMP/out" 2>/dev/null &
cvpid=$!
exec 9<"$TMP/out"
read -r -t 20 line <&9
check "the child runs" [ "$line" = child-running ]
# The child's stub is the one running (the child computes forever; the
# others wait stopped or parked, and an empty one forked ahead for the next
# exec may be newer).
victim=$(pgrep -n -r R -P $cvpid)
check "found the child's stub" [ -n "$victim" ]
kill -9 "$victim"
read -r -t 20 line <&9
check "the guest parent saw its child killed by SIGKILL" [ "$line" = "child ended: killed by 9" ]
wait $cvpid
check "the guest went on and cvisor exited 0" [ $? -eq 0 ]
exec 9<&-
done_testing
