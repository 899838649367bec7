#!/usr/bin/env bash
# Networking families are not there: EAFNOSUPPORT, and one note on stderr.
. "$(dirname "$0")/lib.sh"

bin=$TOP/build/tests/guest/io_inet.musl
out=$(cv run --root / -- "$bin" 2>"$TMP/err")
check "AF_INET, AF_INET6, AF_NETLINK: EAFNOSUPPORT" \
	[ "$(grep -c 'E97$\|EAFNOSUPPORT$' <<<"$out")" -eq 4 ]
check "AF_UNIX still works" grep -q '^AF_UNIX: ok$' <<<"$out"
check "one note that networking is not available" \
	[ "$(grep -c 'networking is not available in this sandbox' "$TMP/err")" -eq 1 ]
done_testing
