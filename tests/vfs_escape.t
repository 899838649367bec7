#!/usr/bin/env bash
# The guest root is a jail (issue #4): a guest tries every way out of its
# root to a secret file beside it (.. chains, absolute and relative
# symlinks of its own and planted by the host, /proc/self/root, /proc/PID/
# cwd, hard links, chroot break-outs, openat with a dirfd and "..",
# symlinks swapped during a walk, volumes) and never reads it; and a guest
# that creates, edits, renames and deletes all over its root leaves the host
# tree byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"

# snapshot DIR: every entry's path, type, size, mode, mtime, ctime and link
# target, and every regular file's checksum.
snapshot() {
	(cd "$1" && find . -printf '%p %y %s %m %U:%G %T@ %C@ %n %l\n' | sort &&
	 find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

host=$TMP/host
root=$host/root
secret=$host/outside_secret
mkdir -p "$root/sub" "$host/vol/inner"
echo "TOPSECRET $$ $RANDOM" >"$secret"
echo "a file inside the root" >"$root/inside"
echo "a file inside the volume" >"$host/vol/inner/file"
# Links planted by the host, in the read-only layer.
ln -s "$secret" "$root/planted_abs"
ln -s ../outside_secret "$root/planted_rel"
ln -s ../../outside_secret "$root/sub/planted_rel2"
ln -s .. "$root/planted_dir"
ln -s ../.. "$root/sub/planted_dir2"
ln -s "$host" "$root/planted_hostdir"
ln -s ../newfile_outside "$root/planted_dangling"
ln -s "$host/newfile_abs" "$root/planted_dangling_abs"
ln -s ../outside_secret "$host/vol/up"
ln -s "$secret" "$host/vol/abs"
for v in musl glibc; do
	cp "build/tests/guest/escape_fs.$v" "$root/"
done
before=$(snapshot "$host")

ran_all() { [ "$st" -eq 0 ] && grep -q "^escape_fs: done" <<<"$out"; }
no_leak() { ! grep -q LEAKED <<<"$out"; }
# unchanged SNAPSHOT DIR: DIR still looks as SNAPSHOT says.
unchanged() { [ "$1" = "$(snapshot "$2")" ]; }

# escape_run LABEL CVISOR-OPTIONS... -- GUEST-ARGS...
escape_run() {
	local label=$1; shift
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	out=$(cd "$TMP" && cv run --root "$root" "${opts[@]}" -- "$@" 2>"$TMP/err")
	st=$?
	check "$label: guest ran every attempt and exited 0" ran_all
	check "$label: no attempt reached the secret" no_leak
	n=$(sed -n 's/^escape_fs: done, \([0-9]*\) attempts.*/\1/p' <<<"$out")
	check "$label: at least 50 attempts were made (${n:-0})" [ "${n:-0}" -ge 50 ]
	if [ $st -ne 0 ] || grep -q LEAKED <<<"$out"; then
		{ grep -v ': blocked' <<<"$out" | head -30; tail -5 "$TMP/err"; } | diag
	fi
	check "$label: the host tree (root, secret, volume) is unchanged" unchanged "$before" "$host"
}

for v in musl glibc; do
	escape_run "escape ($v)" -- "/escape_fs.$v" escape "$secret"
done
escape_run "escape with a read-only volume" --volume "$host/vol:/vol:ro" -- \
	/escape_fs.musl escape "$secret" /vol
escape_run "escape with a read-write volume" --volume "$host/vol:/vol:rw" -- \
	/escape_fs.glibc escape "$secret" /vol /vol/inner

# A guest that changes everything in its root: the host copy is untouched.
tree=$TMP/tree
mkdir -p "$tree/etc" "$tree/usr/share/doc" "$tree/var/empty" "$tree/home/user/.cache"
for i in 1 2 3 4 5 6 7; do
	printf 'line %s\n' $i >"$tree/etc/conf$i"
	head -c $((i * 1000)) /dev/urandom >"$tree/usr/share/doc/blob$i"
done
echo secret >"$tree/home/user/private"
chmod 600 "$tree/home/user/private"
echo setuid >"$tree/usr/tool"
chmod 4755 "$tree/usr/tool"
ln "$tree/etc/conf1" "$tree/etc/conf1.link"
ln -s conf2 "$tree/etc/conf2.sym"
ln -s /etc "$tree/home/user/etc"
mkfifo "$tree/var/fifo"
touch -d '2001-02-03 04:05:06' "$tree/etc/conf3"
for v in musl glibc; do
	cp "build/tests/guest/escape_fs.$v" "$tree/"
done
tree_before=$(snapshot "$tree")
for v in musl glibc; do
	out=$(cd "$TMP" && cv run --root "$tree" -- "/escape_fs.$v" mutate 2>"$TMP/err")
	st=$?
	check "mutate ($v): guest exits 0" [ $st -eq 0 ]
	check "mutate ($v): guest made several changes" grep -q '^changes made: several' <<<"$out"
	check "mutate ($v): guest sees its own changes" grep -q '^mutations visible: yes' <<<"$out"
	check "mutate ($v): guest removed a whole tree" grep -q '^a whole tree removed: yes' <<<"$out"
	[ $st -eq 0 ] || { echo "$out"; tail -5 "$TMP/err"; } | diag
	check "mutate ($v): the host tree is byte-for-byte unchanged" unchanged "$tree_before" "$tree"
	[ "$tree_before" = "$(snapshot "$tree")" ] ||
		diff <(echo "$tree_before") <(snapshot "$tree") | head -20 | diag
done
done_testing
