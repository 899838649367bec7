#!/usr/bin/env bash
# cvisor's own seccomp filter: loaded into every thread before the guest
# runs, off with --no-seccomp, listed by `cvisor filters`. (That the filter
# lets everything cvisor does through is what the rest of the suite shows.)
. "$(dirname "$0")/lib.sh"

# start_blocked [OPTION...]: cvisor running a guest that blocks reading a
# fifo (cvpid), once init's address space exists: by then cvisor is as
# sandboxed as it will be. The guest's output goes to $TMP/out.
start_blocked() {
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	"$CVISOR" run "$@" --root / -- /bin/busybox cat <"$TMP/fifo" >"$TMP/out" 2>/dev/null &
	cvpid=$!
	exec 3>"$TMP/fifo"  # a writer that has not written yet: cat blocks
	stubs=
	for _ in $(seq 100); do
		stubs=$(pgrep -P $cvpid)
		[ "$(wc -w <<<"$stubs")" -ge 2 ] && break  # the master and init's
		sleep 0.1
	done
}

# finish: let cat end; cvisor's exit status.
finish() {
	echo hello >&3
	exec 3>&-
	wait $cvpid
}

status_field() { awk -v f="$1:" '$1 == f { print $2 }' "$2"; }

start_blocked
check "cvisor runs under a seccomp filter (Seccomp: 2)" \
	[ "$(status_field Seccomp /proc/$cvpid/status)" = 2 ]
check "cvisor has at least one filter (Seccomp_filters)" \
	[ "$(status_field Seccomp_filters /proc/$cvpid/status)" -ge 1 ]
unfiltered=
for task in /proc/$cvpid/task/*; do
	[ "$(status_field Seccomp "$task/status")" = 2 ] || unfiltered="$unfiltered ${task##*/}"
done
check "every thread of cvisor is filtered (TSYNC):${unfiltered:- all}" [ -z "$unfiltered" ]
# Stubs come from the master stub, made before cvisor's filter: they carry
# their own filter only.
for s in $stubs; do
	check "stub $s carries only its own filter" \
		[ "$(status_field Seccomp_filters /proc/$s/status)" = 1 ]
done
# Stopped and continued, cvisor's timed waits resume through
# restart_syscall, which the filter must allow.
kill -STOP $cvpid
sleep 0.3
kill -CONT $cvpid
sleep 1.5  # past the spawner's one-second timed wait
check "cvisor survives SIGSTOP and SIGCONT" kill -0 $cvpid
finish
st=$?
check "the guest then finishes normally (status $st)" [ $st -eq 0 ]
check "and its output is intact" grep -qx hello "$TMP/out"

start_blocked --no-seccomp
check "--no-seccomp: no filter on cvisor (Seccomp: 0)" \
	[ "$(status_field Seccomp /proc/$cvpid/status)" = 0 ]
finish
check "--no-seccomp: the guest runs as usual" [ $? -eq 0 ]

out=$("$CVISOR" filters); st=$?
check "filters: exit status 0" [ $st -eq 0 ]
check "filters: ptrace is allowed" grep -qx ptrace <<<"$out"
check "filters: clone only with pthread_create's flags" grep -qx 'clone arg0 == 0x3d0f00 (pthread_create)' <<<"$out"
check "filters: clone3 answers ENOSYS" grep -q '^clone3 errno ENOSYS' <<<"$out"
for name in execve execveat fork vfork socket connect bind seccomp; do
	check "filters: no $name" bash -c "! grep -q '^$name\\b' <<<\"\$1\"" _ "$out"
done
check "filters: one syscall a line, sorted" bash -c 'sort -c <<<"$1"' _ "$out"
done_testing
