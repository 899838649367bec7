# bash-static, more: seeded $RANDOM, ulimit -a, select, printf -v and %(fmt)T,
# a SIGCHLD trap, a trapped signal from a job,
# getopts, local/declare scoping, eval, exec of a script via #!, $BASH_*,
# SIGPIPE in pipelines, deaths by signal, ulimit -v.
exec 2>&1
RANDOM=42; echo $RANDOM $RANDOM $RANDOM
ulimit -a
printf '%(%Y-%m-%d)T\n' 86400
TZ=UTC0 printf -v day '%(%A)T' 0; echo "$day"
echo 2 | select x in alpha beta; do echo "selected $x"; break; done
n=0; trap '((n++))' CHLD
for i in 1 2 3; do ( exit 0 ) & wait $!; done
trap - CHLD; echo "SIGCHLD trap ran ${n} times"
# a trapped signal from a job, handled once the job is waited for
trap 'echo "USR1 trapped"' USR1
( kill -USR1 $$ ) & j=$!; wait $j; wait $j 2>/dev/null; echo waited; trap - USR1
f() { local OPTIND o; while getopts 'ab:c' o; do echo "opt $o ${OPTARG:-}"; done; shift $((OPTIND - 1)); echo "rest $*"; }
f -a -b val -c -- x y
g() { local v=inner; declare -g gv=global; h; }; h() { echo "h sees v=$v"; }; v=outer; g; echo "v=$v gv=$gv"
eval 'e=$((6 * 7))'; echo "eval $e"
printf '#!/bin/bash-static\necho "script args: $*"; exit 6\n' > s.sh; chmod +x s.sh; ./s.sh one two; echo "status $?"
printf '#!/bin/sh\necho "busybox sh script via #!: $0"\n' > b.sh; chmod +x b.sh; ./b.sh | sed 's|/.*/||'
echo "${BASH_VERSINFO[0]} $BASH_SUBSHELL $( echo $BASH_SUBSHELL )"
( echo "$SHLVL" ); bash-static -c 'echo $SHLVL' 2>/dev/null || /bin/bash-static -c 'echo $SHLVL'
echo "${#BASH_SOURCE[@]} ${LINENO}"
x=$(exec 3>&1; echo captured >&3); echo "${x:-(empty)}"
exec 7< data/fruits.txt; read -r -u 7 a; read -r -u 7 b; echo "$a $b"; exec 7<&-
set -o noclobber; echo a > nc.txt; echo b > nc.txt; echo "noclobber $?"; echo c >| nc.txt; cat nc.txt; set +o noclobber
shopt -s dotglob; mkdir dg; touch dg/.hidden dg/shown; echo dg/*; shopt -u dotglob; echo dg/*
echo "$(( $(wc -l < data/numbers.txt) * 2 ))"
declare -a sorted; readarray -t sorted < <(printf '%s\n' c a b | sort); echo "${sorted[@]}"
# SIGPIPE through pipelines, deaths by signal, RLIMIT_AS (RLIMIT_FSIZE: main has it)
yes | head -1; echo "${PIPESTATUS[@]}"
seq 1 100000 | head -2; echo "${PIPESTATUS[@]}"
(trap '' PIPE; yes 2>/dev/null | head -1; echo "${PIPESTATUS[@]}")
cat /dev/zero | head -c 100000 | wc -c; echo "${PIPESTATUS[@]}"
( sh -c 'kill -SEGV $$'; echo "segv $?"; sh -c 'kill -ABRT $$'; echo "abrt $?" ) 2>&1 | sed 's/: *[0-9][0-9]* /: PID /'
(ulimit -v 50000; awk 'BEGIN { s = sprintf("%100000000s", "x"); print length(s) }'); echo "RLIMIT_AS: $?"
trap 'echo "EXIT with $?"' EXIT
false
