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

# run_in MODE SHELL SCRIPT [VOLUME]: a fresh input tree at $W (the same
# path both times), the script run there; stdout (the scripts send stderr
# there too) and the exit status into $TMP/NAME.MODE. With VOLUME, cvisor
# gets $W as a read-write volume: the changes go to the host tree.
run_in() {
	local mode=$1 shell=$2 script=$3 vol=${4:-} out=$TMP/${3##*/}.$1
	rm -rf "$W" && mkdir "$W" && (cd "$W" && $bb sh "$TOP/tests/userland/mktree.sh") || return 1
	local envv=(env -i PATH="$BIN" HOME="$W" LC_ALL=C TZ=UTC0 TERM=dumb)
	local cmd=()
	[ "$mode" = cvisor ] && cmd=("$CVISOR" run --root / ${vol:+--volume "$W:$W:rw"} --hostname "$host" --timeout 50 --)
	# shellcheck disable=SC2086
	(cd "$W" && "${envv[@]}" "${cmd[@]}" $shell "$script" </dev/null >"$out" 2>"$out.err"
	 echo "exit=$?" >>"$out")
}

# Names, types, modes and contents of a tree (the host's view).
tree_of() {
	(cd "$1" && find . | sort | while IFS= read -r f; do
		printf '%s %s\n' "$(stat -c '%A %h' "$f")" "$f"
		[ -f "$f" ] && [ ! -L "$f" ] && md5sum <"$f"
	done)
}

scripts=(tests/userland/bb_*.sh)
[ -x /bin/bash-static ] && scripts+=(tests/userland/bash_*.sh)
# Scripts that wait for someone else's subsystem (see their headers).
[ -n "${USERLAND_PENDING:-}" ] && scripts+=(tests/userland/pending/*.sh)
# The file-heavy ones once more on a read-write volume (USERLAND_VOLUME=1:
# all of them).
for s in bb_files.sh bb_more.sh; do scripts+=("tests/userland/$s+volume"); done
for script in "${scripts[@]}"; do
	vol=
	case $script in *+volume) script=${script%+volume}; vol=1 ;; *) vol=${USERLAND_VOLUME:-} ;; esac
	[ -f "$script" ] || continue
	name=${script##*/}
	case $name in bash_*) shell=/bin/bash-static ;; *) shell="$bb sh" ;; esac
	run_in native "$shell" "$TOP/$script"
	# On a volume the host tree left behind must be the native one too.
	[ -n "$vol" ] && tree_of "$W" >>"$TMP/${script##*/}.native"
	run_in cvisor "$shell" "$TOP/$script" "$vol"
	[ -n "$vol" ] && tree_of "$W" >>"$TMP/${script##*/}.cvisor"
	name="$name${vol:+ on a rw volume}"
	if cmp -s "$TMP/${script##*/}.native" "$TMP/${script##*/}.cvisor"; then
		ok "$name: same output and status natively and under cvisor ($(wc -l <"$TMP/${script##*/}.native") lines)"
	else
		not_ok "$name: same output and status natively and under cvisor"
		diff -a -u "$TMP/${script##*/}.native" "$TMP/${script##*/}.cvisor" | head -40 | diag
		grep -v '^cvisor: unimplemented' "$TMP/${script##*/}.cvisor.err" | head -5 | diag
	fi
done

# Guest programs that need a read-write --volume (their "TEST: own-harness"
# is this): natively in a scratch directory, under cvisor in the same one
# bound read-write, so their changes go to the host.
for bin in build/tests/guest/ul_volume_*.musl build/tests/guest/ul_volume_*.glibc; do
	[ -x "$bin" ] || continue
	name=${bin##*/}
	rm -rf "$W" && mkdir "$W"
	(cd "$W" && "$TOP/$bin" </dev/null >"$TMP/$name.native" 2>&1; echo "exit=$?" >>"$TMP/$name.native")
	rm -rf "$W" && mkdir "$W"
	(cd "$W" && cv run --root / --volume "$W:$W:rw" -- "$TOP/$bin" </dev/null >"$TMP/$name.cvisor" 2>"$TMP/$name.err"
	 echo "exit=$?" >>"$TMP/$name.cvisor")
	if cmp -s "$TMP/$name.native" "$TMP/$name.cvisor" && [ -z "$(ls -A "$W")" ]; then
		ok "$name on a read-write volume: same output and status, the host tree as natively"
	else
		not_ok "$name on a read-write volume: same output and status, the host tree as natively"
		diff -u "$TMP/$name.native" "$TMP/$name.cvisor" | head -30 | diag
		ls -lA "$W" | diag
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
