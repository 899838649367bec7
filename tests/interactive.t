#!/usr/bin/env bash
# Interactive shells on a pseudo-terminal (tests/ptyrun drives them):
# line editing, a command, Ctrl-C ending the foreground job and not the
# shell, the prompt coming back, Ctrl-Z stopping a job and fg continuing
# it, exit -- natively and under cvisor. And Ctrl-Z on `cvisor run prog`
# from a host shell stops it as it would stop prog.
. "$(dirname "$0")/lib.sh"

ptyrun=$TOP/build/tests/ptyrun
script=$TMP/session
cat >"$script" <<'SESSION'
expect sh$ 
send echo hello-$((6*7))\r
expect hello-42
expect sh$ 
send echo edX\x7fited\r
expect edited
expect sh$ 
send echo abc | /bin/busybox tr a-c x-z\r
expect xyz
expect sh$ 
send /bin/busybox sh -c "echo sleep-started; exec /bin/busybox sleep 100"\r
expect sleep-started\r\n
send \x03
expect sh$ 
send echo back-$?\r
expect back-130
send exit\r
SESSION

# Ctrl-Z stops the job, the shell goes on, fg brings it back.
tstp=$TMP/session-tstp
cat >"$tstp" <<'SESSION'
expect sh$ 
send /bin/busybox sh -c "echo sleep-started; exec /bin/busybox sleep 100"\r
expect sleep-started\r\n
send \x1a
expect Stopped
expect sh$ 
send echo still-here-$((6*7))\r
expect still-here-42
expect sh$ 
send fg\r
expect sleep
pause 300
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
	check "$sh under cvisor: line editing, a pipeline, Ctrl-C ends sleep, the prompt comes back, exit" [ $st -eq 0 ]
	[ $st -eq 0 ] || tail -5 "$TMP/cvisor.out" | diag

	# shellcheck disable=SC2086
	timeout 60 "$ptyrun" -t 10 -- env PS1='sh$ ' $sh <"$tstp" >"$TMP/native.out" 2>&1
	check "$sh natively: Ctrl-Z stops the job, fg continues it" [ $? -eq 0 ]
	# shellcheck disable=SC2086
	timeout 60 "$ptyrun" -t 10 -- env PS1='sh$ ' "$CVISOR" run --root / -- $sh <"$tstp" >"$TMP/cvisor.out" 2>&1
	st=$?
	check "$sh under cvisor: Ctrl-Z stops the job and not the shell, fg continues it" [ $st -eq 0 ]
	[ $st -eq 0 ] || tail -5 "$TMP/cvisor.out" | diag
done

# A host shell runs the program (natively) or cvisor running it: Ctrl-Z
# stops either, fg continues, Ctrl-C ends it.
if [ -x /bin/bash ]; then
	for how in native cvisor; do
		run="/bin/busybox sh -c \"echo sleep-started; exec /bin/busybox sleep 100\""
		[ $how = cvisor ] && run="$CVISOR run --root / -- $run"
		sed "s|^send /bin/busybox sh -c.*|send $run\\r|" "$tstp" >"$TMP/session-host"
		timeout 60 "$ptyrun" -t 10 -- env PS1='sh$ ' /bin/bash --norc --noprofile -i \
			<"$TMP/session-host" >"$TMP/host.out" 2>&1
		st=$?
		check "host bash, $how: Ctrl-Z stops the program, fg continues it, Ctrl-C ends it" [ $st -eq 0 ]
		[ $st -eq 0 ] || tail -5 "$TMP/host.out" | diag
	done
fi
done_testing
