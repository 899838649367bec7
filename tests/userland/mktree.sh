# Builds the deterministic input tree the userland scripts work on, in the
# current directory. Sourced by tests/userland.t with the host's busybox sh;
# fixed contents and timestamps so listings compare byte for byte.
set -e
mkdir -p data/sub/deep docs empty
i=1
while [ $i -le 40 ]; do
	echo "line $i: $(( (i * 7919) % 101 )) fruit$(( i % 5 ))"
	i=$((i + 1))
done > data/numbers.txt
printf 'banana\napple\ncherry\napple\nbanana\nbanana\ndate\n' > data/fruits.txt
printf 'alpha beta gamma\ndelta epsilon\nzeta\n' > data/sub/words.txt
printf 'needle in sub\nhay\n' > data/sub/deep/hay.txt
printf 'no needle here? needle!\n' > docs/readme.md
printf 'name,age,city\nann,31,oslo\nbob,27,lima\ncid,45,rome\n' > data/people.csv
# Bytes 0..255, for od, hexdump, dd, cmp.
printf "$(i=0; while [ $i -lt 256 ]; do printf '\\%03o' $i; i=$((i+1)); done)" > data/bytes.bin
chmod 640 data/people.csv
chmod 755 data/sub
ln -s ../data/fruits.txt docs/fruits.link
find . -exec touch -h -d '2024-03-01 12:34:56' {} +
