# The shell itself and process tools: pipelines, subshells, functions,
# traps, here-docs, command substitution, background jobs and wait,
# redirections to files and fds; test, env, id, uname, which, nproc, date,
# kill, sleep, timeout, ps, pwd, hostname, whoami, printenv.
exec 2>&1
f() { local x=$1; echo "f($x) -> $(( x * 2 ))"; return $(( x % 3 )); }
f 4; echo "status $?"
f 3; echo "status $?"
(cd data && pwd | sed "s|$OLDPWD|.|"; exit 3); echo "subshell status $?"
v=outer; (v=inner; echo $v); echo $v
echo "cmdsub: $(echo a $(echo b $(echo c)))"
n=$(seq 100 | wc -l); echo "n=$n"
cat <<END
here-doc $n $((n + 1))
  keeps indentation
END
cat <<'END'
quoted $n not expanded
END
cat <<-END
	tabs stripped
	END
echo to-file > r.txt; echo appended >> r.txt; cat r.txt
exec 3> fd3.txt; echo via-fd3 >&3; echo more >&3; exec 3>&-; cat fd3.txt
exec 4< data/fruits.txt; read -r first <&4; read -r second <&4; exec 4<&-; echo "$first $second"
{ echo out; echo err >&2; } 2> err.txt > out.txt; cat out.txt err.txt
ls nonexistent 2>/dev/null; echo "ls status $?"
echo pipe | cat | cat | tr a-z A-Z
false | true; echo "pipe status $?"
trap 'echo trapped USR1' USR1
kill -USR1 $$
trap 'echo parent TERM' TERM; kill -TERM $$; echo after-TERM
(trap 'echo sub TERM; exit 5' TERM; sh -c 'kill -TERM $PPID'; sleep 1; echo not-reached); echo "sub status $?"
trap - TERM USR1
(trap 'echo exit trap ran' EXIT; echo in-sub)
sleep 0.2 & p1=$!
(sleep 0.1; exit 4) & p2=$!
wait $p2; echo "bg2 status $?"
wait $p1; echo "bg1 status $?"
{ for i in 1 2 3; do (echo job $i; exit $i) & done; wait; echo all-waited; } | sort
sleep 10 & p=$!; kill $p; wait $p 2>/dev/null; echo "killed status $?" # (the shell says "Terminated" on stderr, or not, by timing)
sleep 10 & p=$!; kill -9 $p; wait $p 2>/dev/null; echo "kill -9 status $?"
timeout 1 sleep 10; echo "timeout status $?"
timeout 5 true; echo "timeout true status $?"
timeout -s KILL 1 sleep 10; echo "timeout KILL status $?"
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); case $i in 2) continue;; esac; echo loop $i; done
set -- a "b c" d; echo "$# args: $2"; shift; echo "$*"
test -f data/fruits.txt && echo is-file
test -d data && test ! -f data && echo is-dir
[ -L docs/fruits.link ] && [ -r data/fruits.txt ] && [ -s data/bytes.bin ] && echo link-readable-nonempty
[ 3 -lt 10 ] && [ abc = abc ] && [ -n x ] && [ -z "" ] && echo comparisons
[ data/fruits.txt -nt nonexistent ] ; echo "nt $?"
env -i A=1 B=2 env | sort
env -u HOME sh -c 'echo "HOME=${HOME-unset}"'
A=set env | grep '^A='
id -u; id -g; id -un 2>/dev/null || echo noname
whoami 2>/dev/null || echo "whoami fails"
uname -s; uname -m
[ "$(uname -n)" = "$(hostname)" ] && echo hostname-matches
which sh | sed 's|.*/||'; which nonexistent-cmd; echo "which status $?"
[ "$(nproc)" -ge 1 ] && echo nproc-ok
date -u -d '2024-02-29 13:14:15' '+%Y/%m/%d %H:%M:%S %a %j'
date -u -d @1700000000 '+%F %T %s'
[ "$(date +%Y)" -ge 2024 ] && echo date-now-ok
pwd | sed "s|$PWD|.|"
cd data/sub && pwd -P | sed "s|$OLDPWD|.|" && cd ../..
sleep 0.01 && echo slept
usleep 1000 && echo usleept
echo "last $?"
exit 3
