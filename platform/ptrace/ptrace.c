/* The ptrace platform: guest code runs in stub processes under
 * PTRACE_SYSEMU; see DESIGN.md and reference/ptrace-platform.txt. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "ptrace_internal.h"

static struct address_space *new_address_space(struct platform *p)
{
	(void)p;
	return spawner_new_address_space();
}

/* Host syscalls the platform makes once the kernel is sandboxed: tracing
 * stubs, guest memory I/O (process_vm_*, /proc/PID/mem), interrupting and
 * killing them, pinning them. No clone: the only stub cloned from cvisor
 * itself, the master, is made by ptrace_platform_create(), before the
 * filter; every later stub is forked by the master or by another stub. */
static const int platform_syscalls[] = {
	SYS_ptrace, SYS_wait4, SYS_process_vm_readv, SYS_process_vm_writev,
	SYS_pwrite64, SYS_tgkill, SYS_kill, SYS_sched_setaffinity, SYS_sched_getaffinity,
	SYS_getcpu, SYS_openat, SYS_close, SYS_futex, -1,
};

static struct platform ptrace_platform = {
	.name = "ptrace",
	.map_unit = 4096,
	.max_user_address = STUB_ADDR,
	.supports_address_space_io = true,
	.cooperatively_schedules_address_space = false,
	.syscall_filters = platform_syscalls,
	.new_address_space = new_address_space,
	.place_thread = cpu_place_thread,
	.new_context = context_new,
	.release_context = context_release,
	.leave = context_leave,
	.map = as_map,
	.unmap = as_unmap,
	.protect = as_protect,
	.remap = as_remap,
	.resident = as_resident,
	.advise = as_advise,
	.mincore = as_mincore,
	.read = as_read,
	.write = as_write,
	.poke = as_poke,
	.cpu_clock = as_cpu_clock,
	.fork = as_fork,
	.prepare_thread = as_prepare_thread,
	.release = as_release,
	.switch_to = context_switch,
	.interrupt = context_interrupt,
	.spread = context_spread,
	.complete_regs = context_complete_regs,
	.get_fpstate = context_get_fpstate,
	.set_fpstate = context_set_fpstate,
};

struct platform *ptrace_platform_create(void)
{
	static struct sock_fprog filter;
	cpu_place_init();
	int rc = stub_filter_build(&filter);
	if (rc == 0)
		rc = spawner_start(&filter);
	if (rc < 0) {
		fprintf(stderr, "cvisor: cannot start the ptrace platform: %s\n", strerror(-rc));
		return NULL;
	}
	return &ptrace_platform;
}
