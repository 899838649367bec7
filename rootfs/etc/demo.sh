# The scripted session init runs last: busybox as the guest's userland.
# Each command is shown as typed, then run by /bin/sh inside the sandbox.
run() {
	printf '$ %s\n' "$*"
	sh -c "$*"
}
cd /tmp
run 'uname -sm; id; echo "shell: $0, pid $$"'
run 'ls / && ls /bin | wc -l'
run 'mkdir -p work/a/b && echo "kept in memory, not on the host" > work/a/b/note && find work -type f -exec cat {} +'
run 'seq 1 100 | awk "{ s += \$1 } END { print \"sum:\", s }"'
run 'printf "pear\napple\npear\nfig\n" | sort | uniq -c | sort -rn'
run 'tar czf work.tgz work && tar tzf work.tgz && md5sum work/a/b/note'
run 'sleep 0.1 & echo "started job $!"; wait; echo "job done"'
run 'date -u -d @0 "+epoch: %Y-%m-%d %H:%M:%S"; cat /proc/self/status | head -1'
echo
echo 'For an interactive shell: build/cvisor run -- /bin/sh'
