# Text tools over the input tree: cat head tail sort uniq wc grep sed awk cut
# tr tee yes seq expr printf nl rev tac paste fold expand shuf factor dos2unix
# strings base64 bc dc, in pipelines.
exec 2>&1
cat data/fruits.txt data/sub/words.txt | wc -l
head -n 3 data/numbers.txt
head -c 20 data/numbers.txt; echo
tail -n 2 data/numbers.txt
tail -n +38 data/numbers.txt
sort data/fruits.txt | uniq -c
sort -r data/fruits.txt | uniq
sort -t: -k2,2n -k1 data/numbers.txt | head -5
sort -u data/fruits.txt | tr '\n' ' '; echo
wc data/numbers.txt data/fruits.txt
wc -c < data/bytes.bin
grep -r needle . | sort
grep -rl needle data docs | sort
grep -c banana data/fruits.txt
grep -n -E 'fruit[13]$' data/numbers.txt | head -4
grep -v -i APPLE data/fruits.txt
grep -q nothing data/fruits.txt; echo "grep -q miss: $?"
sed -n '2,4p' data/numbers.txt
sed -e 's/fruit\([0-9]\)/F<\1>/' -e '/line 1[0-9]/d' data/numbers.txt | head -12
sed '1!G;h;$!d' data/fruits.txt
awk -F, 'NR > 1 { sum += $2; print $1, $3 } END { print "total", sum, NR }' data/people.csv
awk '{ n[$4]++ } END { for (k in n) print k, n[k] }' data/numbers.txt | sort
awk 'BEGIN { printf "%5.2f|%-4s|%x\n", 3.14159, "ab", 255 }'
cut -d, -f1,3 data/people.csv
cut -c1-6 data/numbers.txt | tail -3
echo 'Hello, World' | tr 'a-z' 'A-Z'
echo 'aabbccdd' | tr -s 'a-d'
echo 'remove digits 12345' | tr -d '0-9'
echo 'tee test' | tee out1.txt out2.txt | wc -c
cat out1.txt out2.txt
yes | head -n 3
yes cvisor | head -n 2
seq 5
seq 2 3 14 | tr '\n' ,; echo
seq -s: 1 4
expr 7 \* 6
expr length "hello"
expr substr cvisor 2 3
expr 5 \> 9; echo "expr status $?"
printf '%s=%d %05.1f %x %o %c|%-6s|\n' x 42 3.14159 255 8 A pad
printf '%b\n' 'tab\there'
nl -ba data/fruits.txt | head -3
echo abc | rev
tac data/fruits.txt | head -2
paste -d: data/fruits.txt data/fruits.txt | head -2
echo 'aaaa bbbb cccc dddd' | fold -w 9
printf 'a\tb\n' | expand -t 4 | od -c | head -2
seq 10 | shuf | sort -n | tr '\n' ' '; echo
factor 360 97
printf 'dos\r\n' | dos2unix | od -c | head -1
strings -n 6 data/numbers.txt | head -2
printf 'base64 me' | base64
printf 'YmFzZTY0IG1l' | base64 -d; echo
echo '2^20 + 3*7' | bc
echo '6 7 * p' | dc
