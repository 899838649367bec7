# Volume: long pipelines, megabytes through pipes and gzip, a few hundred
# processes, and the host's own /usr/include/linux tree (read-only under
# cvisor's root) walked, listed, summed and archived.
exec 2>&1
seq 200000 | sort -rn | head -3
seq 100000 | md5sum
yes abcdefgh | head -c 5000000 | gzip -1 | gunzip | wc -c
dd if=/dev/zero bs=64k count=64 2>/dev/null | md5sum
i=0; while [ $i -lt 150 ]; do echo $i | cat | tr 0-9 a-j; i=$((i + 1)); done | tail -2
awk 'BEGIN { for (i = 0; i < 100000; i++) s += i * i; print s }'
seq 1 200 | xargs -P 8 -n 1 sh -c 'echo $0 | md5sum' | sort | md5sum
inc=/usr/include/linux
[ -d $inc ] || { echo "no $inc"; exit 0; }
find $inc -type f | sort | wc -l
find $inc -name '*.h' | sort | xargs md5sum | md5sum
ls -laR $inc | md5sum
ls -la $inc | head -3 | awk '{ print $1, $2, $5 }'
du -s $inc; du -a $inc | sort -k2 | md5sum
tar cf - -C /usr/include linux | md5sum
tar cf - -C /usr/include linux | tar tvf - | md5sum
grep -rl 'define _LINUX_TYPES_H' $inc | sort
cp -a $inc inc && diff -r $inc inc && echo copied-same && du -s inc | cut -f2
rm -r inc && echo removed
