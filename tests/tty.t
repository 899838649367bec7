#!/usr/bin/env bash
# On a pseudo-terminal (script(1) provides one), the terminal ioctls on the
# inherited std fds answer as natively, and so does job control.
. "$(dirname "$0")/lib.sh"

if ! command -v script >/dev/null; then
	echo "1..0 # SKIP script(1) is not installed"
	exit 0
fi
for v in musl glibc; do
	bin=$TOP/build/tests/guest/tty.$v
	native=$(script -qec "stty rows 24 cols 80; $bin" /dev/null </dev/null | tr -d '\r')
	under=$(script -qec "stty rows 24 cols 80; $CVISOR run --root / -- $bin" /dev/null </dev/null | tr -d '\r' | grep -v "^cvisor: unimplemented")
	check "tty.$v: same terminal facts natively and under cvisor" [ "$native" = "$under" ]
	check "tty.$v: the guest saw a terminal" grep -q 'isatty(1)=1' <<<"$under"
	[ "$native" = "$under" ] || diff <(echo "$native") <(echo "$under") | diag

	# Job control: background groups meet SIGTTIN/SIGTTOU and EIO.
	bin=$TOP/build/tests/guest/tty_job.$v
	native=$(timeout 60 script -qec "$bin" /dev/null </dev/null | tr -d '\r')
	under=$(timeout 60 script -qec "$CVISOR run --root / -- $bin" /dev/null </dev/null | tr -d '\r' | grep -v "^cvisor: unimplemented")
	check "tty_job.$v: same job control natively and under cvisor" [ "$native" = "$under" ]
	check "tty_job.$v: a background read was stopped by SIGTTIN" grep -q 'stopped by SIGTTIN' <<<"$under"
	[ "$native" = "$under" ] || diff <(echo "$native") <(echo "$under") | diag
done
done_testing
