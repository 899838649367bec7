# Archives, compression and binary tools: tar c/x gzip gunzip zcat bzip2
# md5sum sha1sum sha256sum sha512sum crc32 od hexdump xxd dd cmp diff
# patch cpio uuencode.
exec 2>&1
tar cf t.tar data docs && tar tf t.tar | sort
mkdir x && tar xf t.tar -C x && diff -r data x/data && echo tar-roundtrip
tar czf t.tgz data && mkdir y && (cd y && tar xzf ../t.tgz) && cmp data/bytes.bin y/data/bytes.bin && echo tgz-roundtrip
tar tvf t.tar | awk '{ print $1, $3, $4, $5, $6 }' | sort -k5 | head -5
cp data/numbers.txt n.txt && gzip -9 n.txt && ls n.txt* && gunzip -t n.txt.gz && echo gz-ok
zcat n.txt.gz | tail -1
gunzip n.txt.gz && md5sum n.txt
gzip -c data/fruits.txt | gunzip | md5sum
bzip2 -c data/numbers.txt | bzcat | sha1sum
md5sum data/*.txt data/bytes.bin
sha1sum data/fruits.txt
sha256sum data/bytes.bin > sums && sha256sum -c sums
sha512sum data/people.csv
crc32 data/bytes.bin
od -A x -t x1 data/bytes.bin | head -4
od -c data/fruits.txt | head -3
od -A d -t d2 -N 16 data/bytes.bin
hexdump -C data/bytes.bin | tail -3
hexdump -n 8 -e '8/1 "%02x " "\n"' data/bytes.bin
xxd -l 32 data/bytes.bin
dd if=data/bytes.bin of=chunk bs=16 skip=2 count=3 2>/dev/null && od -A d -t u1 chunk | head -2
dd if=/dev/zero bs=1k count=4 2>/dev/null | wc -c
dd if=data/bytes.bin bs=1 skip=65 count=5 2>/dev/null; echo
dd if=data/fruits.txt conv=ucase 2>/dev/null | head -2
printf 'ABC' | dd of=data/bytes.bin bs=1 seek=10 conv=notrunc 2>/dev/null
cmp data/bytes.bin y/data/bytes.bin; echo "cmp status $?"
cmp -l data/bytes.bin y/data/bytes.bin | head -3
sed 's/banana/BANANA/; 3a\
inserted' data/fruits.txt > fruits.new
diff -u data/fruits.txt fruits.new > fruits.patch; echo "diff status $?"
sed 1,2d fruits.patch
cp data/fruits.txt f.txt && patch f.txt < fruits.patch && cmp f.txt fruits.new && echo patched
patch -R f.txt < fruits.patch && cmp f.txt data/fruits.txt && echo reversed
diff data/fruits.txt data/fruits.txt && echo no-diff
find docs data/sub | sort | cpio -o -H newc 2>/dev/null > a.cpio && mkdir z && (cd z && cpio -id < ../a.cpio 2>/dev/null) && find z | sort
uuencode -m data/fruits.txt f | head -2
