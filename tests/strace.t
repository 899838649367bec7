#!/usr/bin/env bash
# --strace decodes as strace does: structures (stat, sigaction, iovecs,
# pollfds, AF_UNIX addresses, wait statuses, argv), flags and signals by
# name, errno names, "[pid N]" while more than one task runs, and
# --strace-time's clock.
. "$(dirname "$0")/lib.sh"

probe=$TOP/build/tests/guest/strace_probe

# expect DESC REGEX: a line of $trace matches the (extended) regex.
expect() {
	if grep -qE -- "$2" "$trace"; then
		ok "$1"
	else
		not_ok "$1"
		echo "no line matches: $2" | diag
	fi
}

for v in glibc musl; do
	trace=$TMP/trace.$v
	out=$(cd "$TMP" && cv run --root / --strace="$trace" -- "$probe.$v" 2>/dev/null); st=$?
	check "$v: the probe runs under --strace" [ $st -eq 0 ]
	check "$v: its output is the program's, the trace apart" grep -q '^child status=7$' <<<"$out"

	expect "$v: open flags and mode by name" \
		'^open(at)?\((AT_FDCWD, )?"strace_probe.txt", O_WRONLY\|O_CREAT\|O_TRUNC(\|O_LARGEFILE)?\|O_CLOEXEC, 0640\) = 3$'
	expect "$v: a flag-less open shows no mode" \
		'^open(at)?\((AT_FDCWD, )?"/nonexistent/strace_probe", O_RDONLY(\|O_LARGEFILE)?\) = -1 ENOENT \(No such file or directory\)$'
	expect "$v: a stat result, decoded after the call" \
		'^(fstat\(3|newfstatat\(3, ""), \{st_mode=S_IFREG\|0640, st_size=5, \.\.\.\}(, AT_EMPTY_PATH)?\) = 0$'
	expect "$v: an unreadable stat buffer is its address" \
		'^newfstatat\(AT_FDCWD, "/", 0x8, 0\) = -1 EFAULT \(Bad address\)$'
	expect "$v: rt_sigaction's new action" \
		'^rt_sigaction\(SIGUSR1, \{sa_handler=0x[0-9a-f]+, sa_mask=\[INT TERM\], sa_flags=SA_RESTORER\|SA_RESTART, sa_restorer=0x[0-9a-f]+\}, NULL, 8\) = 0$'
	expect "$v: rt_sigaction's old action" \
		'^rt_sigaction\(SIGUSR1, \{sa_handler=SIG_IGN, [^}]*\}, \{sa_handler=0x[0-9a-f]+, sa_mask=\[INT TERM\], sa_flags=SA_RESTORER\|SA_RESTART, sa_restorer=0x[0-9a-f]+\}, 8\) = 0$'
	expect "$v: an unreadable sigaction is its address" \
		'^rt_sigaction\(SIGUSR2, 0x8, NULL, 8\) = -1 EFAULT \(Bad address\)$'
	expect "$v: writev's iovecs with their data" \
		'^writev\(1, \[\{iov_base="hello ", iov_len=6\}, \{iov_base="world\\n", iov_len=6\}\], 2\) = 12$'
	expect "$v: an unreadable iovec array is its address" \
		'^writev\(1, 0x8, 1\) = -1 EFAULT \(Bad address\)$'
	expect "$v: readv's iovecs hold what was read" \
		'^readv\(4, \[\{iov_base="po", iov_len=2\}, \{iov_base="ng", iov_len=8\}\], 2\) = 4$'
	expect "$v: pipe's fds" '^pipe2?\(\[3, 4\](, 0)?\) = 0$'
	expect "$v: poll's pollfds, and revents after the result" \
		'^poll\(\[\{fd=3, events=POLLIN\}\], 1, 1000\) = 1 \(\[\{fd=3, revents=POLLIN\}\]\)$'
	expect "$v: ppoll's timespec, and a timeout" \
		'^ppoll\(\[\{fd=4, events=POLLIN\}\], 1, \{tv_sec=0, tv_nsec=0\}, NULL, 8\) = 0 \(Timeout\)$'
	expect "$v: mmap's prot and flags" \
		'^mmap\(NULL, 4096, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS, -1, 0\) = 0x[0-9a-f]+$'
	expect "$v: socket's family and type" '^socket\(AF_UNIX, SOCK_STREAM, 0\) = 3$'
	expect "$v: bind's sockaddr_un" \
		'^bind\(3, \{sa_family=AF_UNIX, sun_path="strace_probe.sock"\}, 20\) = 0$'
	expect "$v: connect's sockaddr_un" \
		'^connect\(4, \{sa_family=AF_UNIX, sun_path="strace_probe.sock"\}, 20\) = 0$'
	expect "$v: accept's peer and its length in and out" \
		'^accept4?\(3, \{sa_family=AF_UNIX\}, \[110 => 2\](, 0)?\) = 5$'
	expect "$v: an abstract name as @" \
		'^bind\(6, \{sa_family=AF_UNIX, sun_path=@"strace_probe\.[0-9]+"\}, [0-9]+\) = 0$'
	expect "$v: sendmsg's msghdr" \
		'^sendmsg\(4, \{msg_name=NULL, msg_namelen=0, msg_iov=\[\{iov_base="ping", iov_len=4\}\], msg_iovlen=1, msg_controllen=0, msg_flags=0\}, 0\) = 4$'
	expect "$v: recvmsg's msghdr, after the call" \
		'^recvmsg\(5, \{msg_name=NULL, [^}]*msg_iov=\[\{iov_base="ping", iov_len=16\}\], msg_iovlen=1, [^}]*\}, 0\) = 4$'
	expect "$v: the forked child's lines are tagged [pid N]" \
		'^\[pid +[0-9]+\] write\(1, "child\\n", 6\) = 6$'
	expect "$v: so is the parent's fork while both run" \
		'^\[pid +1\] (fork\(\)|clone\(CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD, .*\)) = [0-9]+$'
	expect "$v: the child's exit_group does not return" '^\[pid +[0-9]+\] exit_group\(7\) = \?$'
	expect "$v: wait4's status" \
		'^wait4\([0-9]+, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 7\}\], 0, NULL\) = [0-9]+$'
	check "$v: a lone task's lines are untagged" grep -q '^exit_group(0) = ?$' "$trace"
done

# --strace-time: "HH:MM:SS.uuuuuu " after any pid tag.
trace=$TMP/trace.time
(cd "$TMP" && cv run --root / --strace="$trace" --strace-time -- "$probe.glibc" >/dev/null 2>&1)
expect "--strace-time: the wall clock begins a lone task's line" \
	'^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6} exit_group\(0\) = \?$'
expect "--strace-time: after the tag of a tagged one" \
	'^\[pid +[0-9]+\] [0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6} write\(1, "child\\n", 6\) = 6$'
check "--strace-time: every line has it" [ "$(grep -cvE '^(\[pid +[0-9]+\] )?[0-9:]{8}\.[0-9]{6} ' "$trace")" -eq 0 ]
check "--strace without it: no time" [ "$(grep -cE '^(\[pid +[0-9]+\] )?[0-9:]{8}\.' "$TMP/trace.glibc")" -eq 0 ]

# A signal's line names it and its code.
trace=$TMP/trace.sh
cv run --root / --strace="$trace" -- /bin/busybox sh -c 'trap "echo got" USR1; kill -USR1 $$; /bin/busybox true x' >/dev/null 2>&1
expect "a signal's line: its name, si_code and sender" \
	'^--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER, si_pid=1, si_uid=0\} ---$'
expect "kill's signal by name" '^kill\(1, SIGUSR1\) = 0$'
expect "execve's argv, and the size of its environment" \
	'^(\[pid +[0-9]+\] )?execve\("/bin/busybox", \["/bin/busybox", "true", "x"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/\) = 0$'
done_testing
