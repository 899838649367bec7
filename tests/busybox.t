#!/usr/bin/env bash
# Debian's busybox-static, a glibc static binary nobody here wrote.
. "$(dirname "$0")/lib.sh"

bb=/bin/busybox
if ! [ -x $bb ] || readelf -l $bb 2>/dev/null | grep -q INTERP; then
	echo "1..0 # SKIP busybox-static is not installed"
	exit 0
fi
out=$(cv run --root / -- $bb echo hello from busybox 2>/dev/null); st=$?
check "busybox echo exits 0" [ $st -eq 0 ]
check "busybox echo prints its arguments" [ "$out" = "hello from busybox" ]
cv run --root / -- $bb true 2>/dev/null
check "busybox true exits 0" [ $? -eq 0 ]
cv run --root / -- $bb false 2>/dev/null
check "busybox false exits 1" [ $? -eq 1 ]
out=$(cv run --root / -- $bb printf '%s-%d\n' abc 42 2>/dev/null)
check "busybox printf formats" [ "$out" = "abc-42" ]
done_testing
