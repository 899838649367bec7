# bash-static, processes: process substitution (/dev/fd), traps on EXIT,
# ERR and INT, wait -n, read -t, coproc, background jobs, fd redirections.
exec 2>&1
diff <(sort data/fruits.txt) <(sort -u data/fruits.txt)
echo "diff status $?"
paste -d' ' <(seq 3) <(printf 'a\nb\nc\n')
tee >(wc -l > count.txt) < data/numbers.txt > /dev/null; wait $!; cat count.txt
while read -r l; do echo "got $l"; done < <(head -2 data/fruits.txt)
echo <(true) | grep -c '^/dev/fd/'
cat <(echo one) <(echo two)
( trap 'echo "EXIT trap, status $?"' EXIT; exit 5 ); echo "after: $?"
( trap 'echo "ERR trap on line $LINENO"' ERR; false; echo continues; grep -q zzz data/fruits.txt; true )
( set -E; trap 'echo ERR in function' ERR; h() { false; }; h; echo after-h )
( trap 'echo got INT; exit 130' INT; kill -INT $BASHPID; echo not-reached ); echo "INT subshell: $?"
( trap 'echo "TERM then EXIT"' EXIT; trap 'echo got TERM; exit 143' TERM; kill -TERM $BASHPID; echo not-reached ); echo "TERM subshell: $?"
( trap '' INT; kill -INT $BASHPID; echo INT ignored )
# wait -n: the quickest job first, by making the others wait on a fifo
mkfifo gate
( read -r _ < gate; exit 3 ) & slow=$!
( exit 7 ) & 
wait -n; echo "wait -n: $?"
echo go > gate; wait -n; echo "wait -n: $?"
wait $slow 2>/dev/null; echo "already reaped: $?"
( exit 2 ) & ( exit 9 ) & wait; echo "wait all: $?"
sleep 5 & s=$!; kill -TERM $s; wait $s; echo "killed: $?"
# read -t: a timeout on a pipe nobody writes, then data that is there
mkfifo never; exec 5<>never
read -r -t 0.2 line <&5; echo "read -t timed out: $? '${line:-}'"
echo ready >&5; read -r -t 5 line <&5; echo "read -t got: $? $line"
exec 5>&-
read -r -t 0 <&0; echo "read -t 0 on /dev/null: $?"
IFS= read -r -n 4 four < data/fruits.txt; echo "read -n: $four"
coproc BC { while read -r q; do echo $((q * q)); done; }
echo 12 >&"${BC[1]}"; read -r sq <&"${BC[0]}"; echo "coproc: $sq"
exec {BC[1]}>&-; wait "$BC_PID"; echo "coproc exit: $?"
exec {fd}>fdvar.txt; echo "via named fd" >&$fd; exec {fd}>&-; cat fdvar.txt
{ echo a; echo b >&2; } > both.txt 2>&1; cat both.txt
echo "$(< data/people.csv)" | tail -1
cat /dev/fd/0 <<< "dev-fd-0"
ls /dev/fd/ >/dev/null && echo dev-fd-lists
echo "pid differs in subshell: $([ $BASHPID != $$ ] && echo yes)"
echo "\$\$ same in subshell: $( (echo $$) | grep -c "^$$\$")"
type -t cd; type -t cat; command -v seq >/dev/null && echo found-seq
hash -r; enable -n echo; echo external-echo; enable echo
ulimit -n >/dev/null && echo ulimit-ok
times >/dev/null && echo times-ok
time_out=$( { time true; } 2>&1 ); [[ $time_out == *real* ]] && echo time-keyword
exit 4
