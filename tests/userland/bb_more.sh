# More applets and corners: sed -i (a rename over the file), find's tests,
# xargs -P, chmod -R, renice, setsid, time, cal, ipcalc, getopt, stat -f,
# /dev/std*, EXDEV moves to the guest's /tmp, dd to /dev/full, tty, ed,
# chroot, taskset, ionice, run-parts (#! scripts), time, sysctl.
exec 2>&1
cp data/fruits.txt f.txt && sed -i 's/apple/APPLE/g' f.txt && cat f.txt | head -2
sed -i.bak '1d' data/people.csv && cat data/people.csv && cat data/people.csv.bak | head -1
find . -type f -size -100c | sort
find . -type d -name sub -prune -o -type f -print | sort
find data -depth | tail -1
find . -perm 640 -type f | sort; find . -mtime -1 -type f -name 'f.txt'
find . -maxdepth 1 -mindepth 1 | sort
find data -name '*.txt' -exec sh -c 'echo "$# files"' sh {} +
seq 20 | xargs -P 4 -n 5 sh -c 'echo $(( $1 + $2 + $3 + $4 + $5 ))' sh | sort -n
printf 'a b\0c d\0' | xargs -0 -n1 echo | cat -A 2>/dev/null || printf 'a b\0c d\0' | xargs -0 -n1 echo
chmod -R go-rwx data && stat -c '%a %n' data data/sub data/sub/words.txt
chmod -R u=rwX,go=rX data && stat -c '%a %n' data/sub data/fruits.txt
renice -n 2 $$ && sh -c 'renice -n 3 $$' && echo reniced
setsid sh -c 'echo "session leader: $( [ "$(ps -o sid= -p $$ 2>/dev/null)" ] && echo maybe || echo yes)"'
time sleep 0.01 2>&1 | grep -c real
cal 2 2024
ipcalc -bnm 192.168.10.77/20
getopt -o ab:c -l long: -- -a -b x --long=y file -c
stat -f -c '%b %s' . >/dev/null && echo statfs-ok
# (appending: > would truncate the output file itself)
echo to-stdout >> /dev/stdout; echo to-stderr >> /dev/stderr; echo via-fd >> /proc/self/fd/1
echo 'from /dev/stdin' | cat /dev/stdin
t=$(mktemp -d /tmp/ul.XXXXXX) && mv data/fruits.txt "$t/" && mv "$t/fruits.txt" data/ && cp -r data/sub "$t/" && mv "$t/sub" moved-sub && ls moved-sub && rm -r "$t" && echo exdev-moves
dd if=data/fruits.txt of=/dev/full 2>&1 | head -1
head -c 10 /dev/zero | od -A n -t x1
head -c 16 /dev/urandom | wc -c
tty; echo "tty status $?"
kill -l 9; kill -l | tr ' ' '\n' | grep -c .
sh -c 'kill -s TERM $$; echo not-reached'; echo "self-TERM status $?"
sh -c 'exit 300'; echo "exit 300 -> $?"
ulimit -n 64 && sh -c 'ulimit -n'
( ulimit -c 0; ulimit -c )
umask 027 && touch um.txt && mkdir umd && stat -c '%a %n' um.txt umd
ln -sf data/numbers.txt lnk && ln -sf data/fruits.txt lnk && readlink lnk
ln -s nowhere dangling && [ -L dangling ] && [ ! -e dangling ] && echo dangling-ok
cat dangling 2>&1 | sed 's/.*: //'
mkdir ro && chmod 500 ro && touch ro/x 2>/dev/null; echo "root writes into 500 dir: $?"
truncate -s 1M sparse && stat -c '%s' sparse && du -k sparse | cut -f1 | sed 's/^0$/sparse/'
fallocate -l 8192 alloc && stat -c '%s %b' alloc
echo 'x=1' | ts '%s' 2>/dev/null | wc -l
hostid >/dev/null && echo hostid-ok
printf '%s\n' 3 1 2 | sort | sed -n '$p'
printf 'one\ntwo\nthree\n' > e.txt; printf '2d\nw\nq\n' | ed e.txt; cat e.txt
# chroot into a tree holding busybox alone; .. at its root stays there
mkdir -p cr/bin && cp /bin/busybox cr/bin/ && chroot cr /bin/busybox sh -c 'echo in-chroot; cd ../..; pwd; /bin/busybox ls /'
taskset 1 sh -c 'echo pinned'; taskset -p 1 $$ >/dev/null; echo "taskset $?"
ionice -c 3 sh -c ionice; ionice -c 2 -n 5 sh -c ionice; ionice -c 2 -n 9 true; echo "ionice -n 9: $?"
sha3sum e.txt; ascii | head -2 | tail -1 | cut -c1-20
# run-parts execs each script through its #! line
mkdir rp; printf '#!/bin/busybox sh\necho "part $0"\n' > rp/a; cp rp/a rp/b; chmod +x rp/*; run-parts rp
time -p true 2>&1 | head -1 | cut -c1-4
sysctl kernel.ostype
rm -rf data && [ ! -e data ] && echo data-gone
