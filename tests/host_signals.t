#!/usr/bin/env bash
# SIGINT, SIGTERM, SIGHUP, SIGQUIT sent to cvisor reach the guest, which
# takes the default action: cvisor exits 128+N as the program would natively,
# whether it was running guest code or blocked in a read.
# (Background jobs of a script ignore SIGINT and SIGQUIT: env --default-signal
# undoes that for both runs.)
. "$(dirname "$0")/lib.sh"

spin=$TOP/build/tests/guest/spin.musl

# run_and_signal SIG MODE [cvisor]: start, wait for "spinning", signal, status.
run_and_signal() {
	local sig=$1 mode=$2 under=${3:-}
	mkfifo "$TMP/in" "$TMP/out"
	if [ -n "$under" ]; then
		env --default-signal "$CVISOR" run --root / -- "$spin" "$mode" <"$TMP/in" >"$TMP/out" 2>/dev/null &
	else
		env --default-signal "$spin" "$mode" <"$TMP/in" >"$TMP/out" 2>/dev/null &
	fi
	local pid=$!
	exec 7>"$TMP/in"   # a writer that never writes: the read blocks
	local line
	read -r -t 20 line <"$TMP/out"
	kill -s "$sig" $pid
	wait $pid
	local st=$?
	exec 7>&-
	rm -f "$TMP/in" "$TMP/out"
	echo "$line $st"
}

for sig in INT TERM HUP QUIT; do
	for mode in spin read; do
		native=$(run_and_signal $sig $mode)
		under=$(run_and_signal $sig $mode cvisor)
		check "SIG$sig while the guest ${mode}s: '$native' natively, '$under' under cvisor" \
			[ "$native" = "$under" ]
	done
done
done_testing
