#!/usr/bin/env bash
# A blocking read interrupted by alarm, natively and under cvisor: EINTR
# without SA_RESTART, restarted with it. stdin is a fifo whose writer sends
# its line only after a second, so the reads block until then.
. "$(dirname "$0")/lib.sh"

# run_read BIN [cvisor]: the program's output with the fifo as stdin.
run_read() {
	local bin=$1 under=${2:-}
	mkfifo "$TMP/in"
	(sleep 1; echo data) >"$TMP/in" &
	if [ -n "$under" ]; then
		cv run --root / -- "$bin" <"$TMP/in" 2>/dev/null
	else
		timeout 60 "$bin" <"$TMP/in"
	fi
	echo "exit=$?"
	wait
	rm -f "$TMP/in"
}

for v in musl glibc; do
	bin=$TOP/build/tests/guest/signals_read.$v
	native=$(run_read "$bin")
	under=$(run_read "$bin" cvisor)
	check "signals_read.$v: same output natively and under cvisor" [ "$native" = "$under" ]
	check "signals_read.$v: the SA_RESTART read got the data" grep -q 'SA_RESTART: 5 data' <<<"$under"
	[ "$native" = "$under" ] || diff <(echo "$native") <(echo "$under") | diag
done
done_testing
