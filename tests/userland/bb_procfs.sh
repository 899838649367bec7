# What reads procfs (/proc/PID/stat, cmdline, /proc/meminfo, uptime...):
# ps, pidof, killall, top, free, uptime, setpriv, logname, and /proc read
# by cat.
exec 2>&1
mkfifo ff
# cat blocks opening the fifo until we open it: by then it has exec'd.
cat ff > /dev/null & p=$!
exec 5> ff
ps -o pid,comm,args | grep "^ *$p " | sed "s/^ *$p /PID /"
ps -o comm | grep -c '^ps$'
pidof cat | grep -qw $p && echo pidof-finds-cat
exec 5>&-
wait $p; echo "cat exit $?"
cat ff > /dev/null & p=$!
exec 5> ff
killall cat || kill $p; wait $p 2>/dev/null; echo "killall'd cat: $?"
exec 5>&-
top -b -n 1 | head -1 | cut -c1-4
free | head -1 | awk '{ print $1, $2 }'
uptime | grep -c 'load average'
tr '\0' ' ' < /proc/self/cmdline; echo
cut -d' ' -f2,3 /proc/self/stat
grep -c processor /proc/cpuinfo | sed 's/^[1-9][0-9]*$/some/'
head -1 /proc/meminfo | cut -d: -f1
# setpriv reads NoNewPrivs back from /proc/self/status
setpriv --nnp sh -c 'grep -c NoNewPrivs /proc/self/status'
# logname: glibc's getlogin reads /proc/self/loginuid (unset: ENXIO)
logname; echo "logname $?"
