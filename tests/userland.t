#!/usr/bin/env bash
# Real userland: Debian's busybox-static and bash-static run the scripts in
# tests/userland/ natively and under cvisor, each on a fresh copy of the same
# input tree at the same path; output and exit status must be identical.
# KEEP=1 keeps build/tmp.*/ with each script's two outputs.
. "$(dirname "$0")/lib.sh"

bb=/bin/busybox
if ! [ -x $bb ] || readelf -l $bb 2>/dev/null | grep -q INTERP; then
	echo "1..0 # SKIP busybox-static is not installed"
	exit 0
fi
# Every applet as a symlink to busybox: PATH for both runs, so `which`,
# exec through a symlink and bash's external commands are busybox too.
BIN=$TMP/bin
mkdir -p "$BIN"
for a in $($bb --list); do ln -s $bb "$BIN/$a"; done
W=$TMP/w
host=$(uname -n)

# run_in MODE SHELL SCRIPT: a fresh input tree at $W (the same path both
# times), the script run there; stdout (the scripts send stderr there too)
# and the exit status into $TMP/NAME.MODE.
run_in() {
	local mode=$1 shell=$2 script=$3 out=$TMP/${3##*/}.$1
	rm -rf "$W" && mkdir "$W" && (cd "$W" && $bb sh "$TOP/tests/userland/mktree.sh") || return 1
	local envv=(env -i PATH="$BIN" HOME="$W" LC_ALL=C TZ=UTC0 TERM=dumb)
	local cmd=()
	[ "$mode" = cvisor ] && cmd=("$CVISOR" run --root / --hostname "$host" --timeout 50 --)
	# shellcheck disable=SC2086
	(cd "$W" && "${envv[@]}" "${cmd[@]}" $shell "$script" </dev/null >"$out" 2>"$out.err"
	 echo "exit=$?" >>"$out")
}

scripts=(tests/userland/bb_*.sh)
[ -x /bin/bash-static ] && scripts+=(tests/userland/bash_*.sh)
# Scripts that wait for someone else's subsystem (see their headers).
[ -n "${USERLAND_PENDING:-}" ] && scripts+=(tests/userland/pending/*.sh)
for script in "${scripts[@]}"; do
	[ -f "$script" ] || continue
	name=${script##*/}
	case $name in bash_*) shell=/bin/bash-static ;; *) shell="$bb sh" ;; esac
	run_in native "$shell" "$TOP/$script"
	run_in cvisor "$shell" "$TOP/$script"
	if cmp -s "$TMP/$name.native" "$TMP/$name.cvisor"; then
		ok "$name: same output and status natively and under cvisor ($(wc -l <"$TMP/$name.native") lines)"
	else
		not_ok "$name: same output and status natively and under cvisor"
		diff -a -u "$TMP/$name.native" "$TMP/$name.cvisor" | head -40 | diag
		grep -v '^cvisor: unimplemented' "$TMP/$name.cvisor.err" | head -5 | diag
	fi
done

# The default rootfs (make run): busybox is its userland, and init's last
# demo is a scripted busybox sh session.
if [ -x build/rootfs/bin/busybox ]; then
	out=$(cv run -- /sbin/init 2>/dev/null); st=$?
	check "make run: init and every demo exit 0" [ $st -eq 0 ]
	check "make run: the busybox session runs its pipelines" \
		grep -qx 'sum: 5050' <<<"$out"
	# cvisor run -- /bin/sh: an interactive shell of the default rootfs, on a
	# pty: line editing (a backspace), a pipeline, Ctrl-C, exit.
	cat >"$TMP/session" <<'SESSION'
expect sh$ 
send echo abd\x7fc-$((6*7))\r
expect abc-42
expect sh$ 
send seq 1 5 | tr 1-5 a-e | sort -r | head -2 | wc -l\r
expect 2\r\n
expect sh$ 
send sh -c "echo sleep-started; exec sleep 100"\r
expect sleep-started\r\n
send \x03
expect sh$ 
send echo back-$?\r
expect back-130
send exit\r
SESSION
	timeout 60 "$TOP/build/tests/ptyrun" -t 10 -- "$CVISOR" run --env PS1='sh$ ' -- /bin/sh <"$TMP/session" >"$TMP/sh.out" 2>&1
	st=$?
	check "cvisor run -- /bin/sh: line editing, a pipeline, Ctrl-C, exit on a pty" [ $st -eq 0 ]
	[ $st -eq 0 ] || tail -5 "$TMP/sh.out" | diag
fi
done_testing
