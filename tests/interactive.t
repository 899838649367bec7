#!/usr/bin/env bash
# Interactive shells on a pseudo-terminal (tests/ptyrun drives them):
# line editing, a command, Ctrl-C ending the foreground job and not the
# shell, the prompt coming back, exit -- natively and under cvisor.
. "$(dirname "$0")/lib.sh"

ptyrun=$TOP/build/tests/ptyrun
script=$TMP/session
cat >"$script" <<'SESSION'
expect sh$ 
send echo hello-$((6*7))\r
expect hello-42
expect sh$ 
send /bin/busybox sh -c "echo sleep-started; exec /bin/busybox sleep 100"\r
expect sleep-started\r\n
send \x03
expect sh$ 
send echo back-$?\r
expect back-130
send exit\r
SESSION

shells=()
[ -x /bin/busybox ] && shells+=("/bin/busybox sh")
[ -x /bin/bash-static ] && shells+=("/bin/bash-static --norc --noprofile -i")
for sh in "${shells[@]}"; do
	# shellcheck disable=SC2086
	timeout 60 "$ptyrun" -t 10 -- env PS1='sh$ ' $sh <"$script" >"$TMP/native.out" 2>&1
	check "$sh natively: the session goes as scripted" [ $? -eq 0 ]
	# shellcheck disable=SC2086
	timeout 60 "$ptyrun" -t 10 -- env PS1='sh$ ' "$CVISOR" run --root / -- $sh <"$script" >"$TMP/cvisor.out" 2>&1
	st=$?
	check "$sh under cvisor: Ctrl-C ends sleep, the prompt comes back, exit" [ $st -eq 0 ]
	[ $st -eq 0 ] || tail -5 "$TMP/cvisor.out" | diag
done
done_testing
