#!/usr/bin/env bash
# The command line and the loader's errors: one clear line and a non-zero
# status for every bad input, never a crash.
. "$(dirname "$0")/lib.sh"

hello=$TOP/build/tests/guest/hello.musl

out=$(cv run --root / -- "$hello" x 2>/dev/null); st=$?
check "run: exit status is the guest's" [ $st -eq 3 ]
check "run: argv reaches the guest" grep -q '^argv\[1\]=x$' <<<"$out"

out=$(cv run -- /bin/hello 2>&1); st=$?
check "default root is build/rootfs" [ $st -eq 0 ]
check "default root runs /bin/hello" grep -q 'hello from a static binary' <<<"$out"

out=$(cv run -- /sbin/init 2>/dev/null); st=$?
check "the default rootfs's init (make run) exits 0" [ $st -eq 0 ]
check "init runs every demo with fork, exec and wait" grep -q '^init: 0 demos failed' <<<"$out"
check "the threads demo counts right" grep -q '^4 threads counted to 40000$' <<<"$out"

out=$(cd build/tests && cv run --root / -- guest/hello.musl 2>/dev/null); st=$?
check "a relative PROGRAM starts at the host's cwd when it is in the root" [ $st -eq 3 ]

# expect_error DESC STATUS PATTERN ARGS...: exit STATUS, one stderr line matching.
expect_error() {
	local desc=$1 want=$2 pat=$3; shift 3
	cv "$@" >"$TMP/out" 2>"$TMP/err"; local st=$?
	if [ $st -eq "$want" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q -- "$pat" "$TMP/err"; then
		ok "$desc"
	else
		not_ok "$desc (status $st)"
		diag <"$TMP/err"
	fi
}

expect_error "missing program: 127 and a message" 127 'No such file' run -- /no/such/program
printf '#!/nonexistent\n' >"$TMP/script" ; chmod +x "$TMP/script"
printf 'just text\n' >"$TMP/text"; chmod +x "$TMP/text"
expect_error "non-ELF file: 126 and a message" 126 'not an ELF' run --root "$TMP" -- /text
expect_error "not executable: 126" 126 'permission denied' run --root / -- "$TOP/tests/lib.sh"
expect_error "a directory: 126" 126 'directory' run --root / -- /tmp
if [ -x /bin/true ] && readelf -l /bin/true 2>/dev/null | grep -q INTERP; then
	expect_error "dynamic binary: 126 naming PT_INTERP" 126 'PT_INTERP' run --root / -- /bin/true
fi
printf '\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\2\0\76\0' >"$TMP/trunc"; chmod +x "$TMP/trunc"
expect_error "truncated ELF: 126" 126 'ELF' run --root "$TMP" -- /trunc
expect_error "unknown option: 2" 2 'bad option' run --frobnicate -- /bin/hello
expect_error "no program: 2" 2 'no PROGRAM' run
expect_error "unknown command: 2" 2 'unknown command' frob
expect_error "bad root: 2" 2 'root' run --root /no/such/dir -- /bin/hello
expect_error "bad --env: 2" 2 'K=V' run --env novalue -- /bin/hello

out=$(cv --help); check "--help prints usage" grep -q '^usage: cvisor run' <<<"$out"

out=$(cv run --env CVISOR_TEST_VAR=from-env --root / -- "$TOP/build/tests/guest/auxv.musl" 2>/dev/null)
check "--env reaches the guest" grep -q 'PATH from env=from-env' <<<"$out"

# --strace: one decoded line per call, errno names, strings quoted.
cv run --strace --root / -- "$hello" "a b" >/dev/null 2>"$TMP/strace"
check "--strace decodes write with its string" grep -q '^write(1, "raw write\\n", 10) = 10$' "$TMP/strace"
check "--strace shows errors by name" grep -q '= -1 ENOTTY (Inappropriate ioctl for device)$' "$TMP/strace"
check "--strace marks exit_group as not returning" grep -q '^exit_group(3) = ?$' "$TMP/strace"
cv run --strace="$TMP/trace.out" --root / -- "$hello" >/dev/null 2>&1
check "--strace=FILE writes there" grep -q 'exit_group' "$TMP/trace.out"

# --uid/--gid: init's credentials, in the auxv and every id; not root.
creds=$TOP/build/tests/guest/proc_creds.musl
out=$(cv run --uid 1000 --gid 100 --root / -- "$creds" ids 2>/dev/null)
check "--uid/--gid set every id of init" grep -q '^ids: uid 1000 1000 1000 fs 1000, gid 100 100 100 fs 100$' <<<"$out"
check "--uid: setuid(0) is EPERM" grep -q '^setuid(0): EPERM$' <<<"$out"
check "--uid: setgroups is EPERM" grep -q '^setgroups(0): EPERM$' <<<"$out"
out=$(cv run --uid 1000 --gid 100 --root / -- "$TOP/build/tests/guest/auxv.musl" 2>/dev/null)
check "--uid/--gid reach the auxv" grep -q '^AT_UID=1000 AT_EUID=1000 AT_GID=100 AT_EGID=100$' <<<"$out"
check "--uid/--gid: AT_SECURE stays 0" grep -q '^AT_SECURE=0$' <<<"$out"
out=$(cv run --uid 0 --gid 4294967294 --root / -- "$creds" ids 2>/dev/null)
check "--gid takes the largest id" grep -q '^ids: uid 0 0 0 fs 0, gid 4294967294 4294967294 4294967294 fs 4294967294$' <<<"$out"
expect_error "--uid -1: 2" 2 'uid wants a number' run --uid -1 -- /bin/hello
expect_error "--uid 4294967295: 2" 2 'uid wants a number' run --uid 4294967295 -- /bin/hello
expect_error "--gid abc: 2" 2 'gid wants a number' run --gid abc -- /bin/hello

# --stats: a table at exit; JSON that tools/stats-svg turns into a chart.
cv run --stats --root / -- "$hello" >/dev/null 2>"$TMP/stats"
check "--stats counts the guest's writes" grep -qE '^write +1 +0 ' "$TMP/stats"
check "--stats counts failed calls" grep -qE '^ioctl +1 +1 ' "$TMP/stats"
cv run --stats="$TMP/stats.json" --stats-format=json --root / -- "$hello" >/dev/null 2>&1
check "--stats-format=json writes JSON" grep -q '"name": "exit_group", "nr": 231, "calls": 1' "$TMP/stats.json"
check "tools/stats-svg draws it" bash -c "tools/stats-svg '$TMP/stats.json' | grep -q '<svg'"
expect_error "bad --stats-format: 2" 2 'text or json' run --stats-format=xml -- /bin/hello

# Unimplemented calls: ENOSYS, reported once at exit.
cv run --root / -- "$TOP/build/tests/guest/hello.glibc" >/dev/null 2>"$TMP/err"
check "unimplemented calls are reported at exit" grep -q '^cvisor: unimplemented: rseq (1 call)$' "$TMP/err"
done_testing
