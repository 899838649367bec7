/* Signal names as the guest sees them: its own table, not the host libc's
 * (glibc names 29 POLL where strace says SIGIO). */
#include <stddef.h>

#include "linux.h"
#include "signal_name.h"

/* arch/x86/include/uapi/asm/signal.h */
static const char *const names[LINUX_SIGRTMIN] = {
	[LINUX_SIGHUP] = "SIGHUP", [LINUX_SIGINT] = "SIGINT", [LINUX_SIGQUIT] = "SIGQUIT",
	[LINUX_SIGILL] = "SIGILL", [LINUX_SIGTRAP] = "SIGTRAP", [LINUX_SIGABRT] = "SIGABRT",
	[LINUX_SIGBUS] = "SIGBUS", [LINUX_SIGFPE] = "SIGFPE", [LINUX_SIGKILL] = "SIGKILL",
	[LINUX_SIGUSR1] = "SIGUSR1", [LINUX_SIGSEGV] = "SIGSEGV", [LINUX_SIGUSR2] = "SIGUSR2",
	[LINUX_SIGPIPE] = "SIGPIPE", [LINUX_SIGALRM] = "SIGALRM", [LINUX_SIGTERM] = "SIGTERM",
	[LINUX_SIGSTKFLT] = "SIGSTKFLT", [LINUX_SIGCHLD] = "SIGCHLD", [LINUX_SIGCONT] = "SIGCONT",
	[LINUX_SIGSTOP] = "SIGSTOP", [LINUX_SIGTSTP] = "SIGTSTP", [LINUX_SIGTTIN] = "SIGTTIN",
	[LINUX_SIGTTOU] = "SIGTTOU", [LINUX_SIGURG] = "SIGURG", [LINUX_SIGXCPU] = "SIGXCPU",
	[LINUX_SIGXFSZ] = "SIGXFSZ", [LINUX_SIGVTALRM] = "SIGVTALRM", [LINUX_SIGPROF] = "SIGPROF",
	[LINUX_SIGWINCH] = "SIGWINCH", [LINUX_SIGIO] = "SIGIO", [LINUX_SIGPWR] = "SIGPWR",
	[LINUX_SIGSYS] = "SIGSYS",
};

const char *signal_name(int sig)
{
	return sig > 0 && sig < LINUX_SIGRTMIN ? names[sig] : NULL;
}
