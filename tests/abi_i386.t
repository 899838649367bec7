#!/usr/bin/env bash
# int 0x80 and sysenter from 64-bit code: natively i386 calls; under cvisor
# (no i386 ABI) each is ENOSYS, never the 64-bit call of that number (39
# getpid, 60 exit, 1 write...), with one note on stderr.
. "$(dirname "$0")/lib.sh"

for v in musl glibc; do
	bin=build/tests/guest/escape_int80.$v
	(cd "$TMP" && "$TOP/$bin" >"$TMP/native" 2>/dev/null; echo "exit=$?" >>"$TMP/native")
	(cd "$TMP" && cv run --root / -- "$TOP/$bin" >"$TMP/cvisor" 2>"$TMP/err"; echo "exit=$?" >>"$TMP/cvisor")
	out=$(cat "$TMP/cvisor")
	# Hosts without the i386 ABI raise SIGSEGV for int 0x80, under cvisor too.
	i386=yes
	grep -q '^int 0x80 eax=20.*: the pid$' "$TMP/native" || i386=no
	if [ $i386 = yes ]; then
		check "$v: natively int 0x80 is i386 (mkdir(NULL) EFAULT, umask, exit(42))" \
			grep -qx 'exit=42' "$TMP/native"
		check "$v: every int 0x80 is ENOSYS under cvisor, from 32-bit code too" \
			[ "$(grep -c '^int 0x80.*: ENOSYS$' <<<"$out")" -eq 6 ]
		check "$v: cvisor notes the i386 calls once" \
			[ "$(grep -c 'unimplemented: i386 system calls' "$TMP/err")" -eq 1 ]
	else
		check "$v: int 0x80 faults under cvisor as natively" \
			[ "$(grep -c '^int 0x80.*: SIGSEGV$' <<<"$out")" -eq 6 ]
	fi
	check "$v: no int 0x80 ran the 64-bit getpid" eval '! grep -q "the pid" <<<"$out"'
	check "$v: the 64-bit exit and write never ran" grep -qx 'still running' <<<"$out"
	check "$v: exit status 0 under cvisor" grep -qx 'exit=0' <<<"$out"
	check "$v: the umask is untouched" grep -qx 'umask now: 022' <<<"$out"
	check "$v: sysenter does what it does natively" \
		[ "$(grep '^sysenter' "$TMP/native")" = "$(grep '^sysenter' <<<"$out")" ]
	grep -q 'still running' <<<"$out" || { cat "$TMP/cvisor"; tail -5 "$TMP/err"; } | diag
done
done_testing
