/* The stub's own seccomp filter: only the calls the kernel injects run.
 * Guest syscalls never reach it (SYSEMU stops them first); it is the second
 * wall should a guest ever make the stub run a host call. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ptrace_internal.h"

/* Built before any stub is forked and exported as raw BPF: the stub's set-up
 * code runs with raw syscalls only, no libseccomp and no malloc. */
int stub_filter_build(struct sock_fprog *out)
{
	static const int allowed[] = {
		SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mprotect), SCMP_SYS(mremap),
		SCMP_SYS(madvise), SCMP_SYS(mincore), SCMP_SYS(pause), SCMP_SYS(getpid), SCMP_SYS(getppid),
		SCMP_SYS(kill), SCMP_SYS(exit), SCMP_SYS(exit_group),
	};
	/* The legacy vsyscall page is emulated by the host, which runs seccomp
	 * but not ptrace on it: trap so the tracer sees a SIGSYS stop. */
	static const int trapped[] = { SCMP_SYS(gettimeofday), SCMP_SYS(time), SCMP_SYS(getcpu) };
	int rc = -ENOMEM;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return -ENOMEM;
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0)) < 0)
			goto out;
	for (size_t i = 0; i < sizeof trapped / sizeof trapped[0]; i++)
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_TRAP, trapped[i], 0)) < 0)
			goto out;
	/* A forked stub's death signal, and nothing else prctl does. */
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				   SCMP_A0(SCMP_CMP_EQ, PR_SET_PDEATHSIG))) < 0)
		goto out;
	/* clone only as the kernel injects it: a new stub thread or a fork. */
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				   SCMP_A0(SCMP_CMP_EQ, STUB_THREAD_CLONE_FLAGS))) < 0 ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				   SCMP_A0(SCMP_CMP_EQ, STUB_FORK_CLONE_FLAGS))) < 0)
		goto out;

	/* libseccomp 2.5 exports only to an fd. */
	int fd = memfd_create("cvisor-stub-filter", MFD_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = seccomp_export_bpf(ctx, fd);
	off_t size = lseek(fd, 0, SEEK_END);
	if (rc == 0 && (size <= 0 || size % sizeof(struct sock_filter)))
		rc = -EINVAL;
	if (rc == 0) {
		struct sock_filter *prog = malloc(size);
		if (!prog || pread(fd, prog, size, 0) != size) {
			free(prog);
			rc = -EIO;
		} else {
			out->filter = prog;
			out->len = size / sizeof(struct sock_filter);
		}
	}
	close(fd);
out:
	seccomp_release(ctx);
	return rc;
}
