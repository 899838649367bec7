# Files and directories: ls -la (stable fields) find -exec xargs cp -a mv
# rm -r mkdir -p ln -s readlink realpath stat touch du df mktemp basename
# dirname chmod rmdir truncate link unlink mkfifo sync, and split
# done by hand (Debian's busybox has no split applet).
exec 2>&1
# ls -la: mode, links, size, date and name; owner columns depend on the host.
ls -la --full-time data | awk '{ print $1, $2, $5, $6, $7, $9, $10, $11 }'
ls -1R docs data | head -20
ls -l docs/fruits.link | awk '{ print $1, $9, $10, $11 }'
find . -type f | sort
find . -name '*.txt' -exec wc -l {} \; | sort -k2
find data -type d -exec echo dir: {} + | tr ' ' '\n' | sort
find . -newer data/fruits.txt | wc -l
find . -type l -exec readlink {} \;
find data -name '*.txt' | sort | xargs cat | wc -l
echo one two three four | xargs -n 2 echo pair:
printf 'x\ny\n' | xargs -I{} echo item-{}
mkdir -p a/b/c/d && ls -d a/b/c/d
# (directories the guest makes live in memory: their size is tmpfs's, not the disk's)
cp -a data copy && ls -la --full-time copy | awk '$9 != ".." { print $1, ($1 ~ /^d/ ? "dir" : $5), $6, $7, $9 }'
cmp data/bytes.bin copy/bytes.bin && echo same-copy
stat -c '%n %s %a %F' copy/numbers.txt docs/fruits.link; stat -c '%n %a %F %h' copy/sub
stat -L -c '%n %s %F %Y' docs/fruits.link
mv copy/fruits.txt copy/moved.txt && ls copy
mv copy a/b/ && ls a/b
rm -r a/b/copy && ls a/b
rm -r a; ls a 2>/dev/null || echo a-removed
ln -s ../data/numbers.txt docs/n.link
readlink docs/n.link
readlink -f docs/n.link | sed "s|$PWD|.|"
realpath docs/fruits.link | sed "s|$PWD|.|"
head -1 docs/n.link
ln data/fruits.txt hard.txt && stat -c '%h' data/fruits.txt hard.txt
touch -d '2020-01-02 03:04:05' new.txt && stat -c '%s %Y' new.txt
touch -r data/fruits.txt new.txt && stat -c '%Y' new.txt
date -u -r new.txt '+%Y-%m-%d %H:%M:%S'
du -s data | cut -f2
du -a docs | awk '{ print $2 }' | sort
df . >/dev/null && echo df-ok
df -P / | awk 'NR == 1 { print $1, $6 } NR > 1 { print ($2 > 0), $6 }'
t=$(mktemp) && [ -f "$t" ] && echo mktemp-file && rm "$t"
d=$(mktemp -d) && [ -d "$d" ] && echo mktemp-dir && rmdir "$d"
t=$(mktemp -p . tmp.XXXXXX) && basename "$t" | cut -c1-4 && rm "$t"
basename /a/b/c.txt .txt; dirname /a/b/c.txt
chmod 600 new.txt && stat -c '%a' new.txt
chmod u+x,g+r new.txt && stat -c '%A' new.txt
mkdir -p e1/e2 && rmdir -p e1/e2 && ls -d e1 2>/dev/null || echo rmdir-p-ok
truncate -s 5 new.txt && wc -c < new.txt
cp data/fruits.txt inst.txt && chmod 700 inst.txt && stat -c '%a %s' inst.txt
link inst.txt inst2.txt && unlink inst.txt && cat inst2.txt | head -1
mkfifo ff && stat -c '%F' ff && rm ff
sync && echo synced
# split by hand: 15-line chunks with head/tail, then joined back
n=0; while [ $((n * 15)) -lt 40 ]; do
	tail -n +$((n * 15 + 1)) data/numbers.txt | head -n 15 > part.$n; n=$((n + 1))
done
ls part.*; cat part.* | cmp - data/numbers.txt && echo split-joined
rm -r empty && ls
