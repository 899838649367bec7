#!/usr/bin/env bash
# #! scripts, run as the program and through a guest's execve: argv as
# Linux builds it (interpreter, its one argument, the script, the rest).
. "$(dirname "$0")/lib.sh"

hello=$TOP/build/tests/guest/hello.musl
execer=$TOP/build/tests/guest/proc_fork.musl
printf '#!%s  one arg  \nignored\n' "$hello" >"$TMP/script"
printf '#!%s\n' "$hello" >"$TMP/bare"
printf '#!%s\n' "$TMP/script" >"$TMP/nested"
printf '#!/no/such/interpreter\n' >"$TMP/missing"
printf '#!\n' >"$TMP/empty"
chmod +x "$TMP"/script "$TMP"/bare "$TMP"/nested "$TMP"/missing "$TMP"/empty

# same DESC CMD...: the command's output and status natively and under cvisor.
same() {
	local desc=$1; shift
	local native under
	native=$(cd "$TMP" && "$@" 2>&1 </dev/null; echo "exit=$?")
	under=$(cd "$TMP" && cv run --root / -- "$@" 2>&1 </dev/null | grep -v '^cvisor: '; echo "exit=${PIPESTATUS[0]}")
	if [ "$native" = "$under" ]; then ok "$desc"; else not_ok "$desc"; diff <(echo "$native") <(echo "$under") | diag; fi
}

same "a script with an interpreter argument, run directly" "$TMP/script" a b
same "a script without one" "$TMP/bare" a
same "a script whose interpreter is a script" "$TMP/nested" z
same "execve of a script from the guest" "$execer" exec "$TMP/script" x y
same "execve of a script with a missing interpreter" "$execer" exec "$TMP/missing"
same "execve of a script with no interpreter" "$execer" exec "$TMP/empty"
same "execve of /proc/self/exe runs the same image" "$execer" exec /proc/self/exe exec-child again
same "execve of /proc/self//exe too" "$execer" exec /proc/self//exe exec-child again
done_testing
