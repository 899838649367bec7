/* --strace: arguments decoded by their letter in abi/syscall_64.tbl, in
 * strace's notation. Guest memory is read only through guest_mem.h; what
 * cannot be read prints as its address, as strace does. Everything is
 * bounded: strings and buffers at strace's default -s 32, arrays at 32. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "../abi/signal_name.h"
#include "guest_mem.h"
#include "strace_decode.h"

#define STRACE_STRING_MAX 32
#define STRACE_ARRAY_MAX 32
/* How far an environment is counted. */
#define STRACE_ENV_MAX 4096

static void put_hex(struct sbuf *b, uint64_t v)
{
	sbuf_printf(b, "%#lx", (unsigned long)v);
}

static void put_quoted(struct sbuf *b, const unsigned char *s, size_t len, bool cut)
{
	sbuf_put(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		switch (c) {
		case '\n': sbuf_printf(b, "\\n"); break;
		case '\t': sbuf_printf(b, "\\t"); break;
		case '\r': sbuf_printf(b, "\\r"); break;
		case '"': sbuf_printf(b, "\\\""); break;
		case '\\': sbuf_printf(b, "\\\\"); break;
		default:
			if (c >= 32 && c < 127)
				sbuf_put(b, &c, 1);
			else
				sbuf_printf(b, "\\%o", c);
		}
	}
	sbuf_put(b, "\"", 1);
	if (cut)
		sbuf_printf(b, "...");
}

/* A structure of len bytes at addr into dst; when it cannot be read, NULL
 * or the address goes in its place, and false back. */
static bool fetch(struct sbuf *b, struct task *t, void *dst, uint64_t addr, size_t len)
{
	if (addr && copy_from_guest(t, dst, addr, len) == 0)
		return true;
	if (addr)
		put_hex(b, addr);
	else
		sbuf_printf(b, "NULL");
	return false;
}

/* len bytes at addr, the first STRACE_STRING_MAX of them. */
static void put_buffer(struct sbuf *b, struct task *t, uint64_t addr, uint64_t len)
{
	unsigned char buf[STRACE_STRING_MAX];
	size_t n = len < sizeof buf ? len : sizeof buf;
	if (fetch(b, t, buf, addr, n))
		put_quoted(b, buf, n, len > n);
}

static void put_string(struct sbuf *b, struct task *t, uint64_t addr)
{
	char buf[STRACE_STRING_MAX + 1];
	long n = addr ? copy_string_from_guest(t, buf, addr, sizeof buf) : -EFAULT;
	if (!addr)
		sbuf_printf(b, "NULL");
	else if (n == -EFAULT)
		put_hex(b, addr);
	else
		put_quoted(b, (unsigned char *)buf, n < 0 ? STRACE_STRING_MAX : (size_t)n, n < 0);
}

/* execve's argv as ["ls", "-l"]; envp (count_only) as strace shows it,
 * "0x7ffd... /\* 20 vars *\/". */
static void put_strv(struct sbuf *b, struct task *t, uint64_t addr, bool count_only)
{
	uint64_t s;
	size_t n = 0, max = count_only ? STRACE_ENV_MAX : STRACE_ARRAY_MAX;
	if (!fetch(b, t, &s, addr, sizeof s))
		return;
	if (!count_only)
		sbuf_put(b, "[", 1);
	for (; s && n < max; n++) {
		if (!count_only) {
			sbuf_printf(b, "%s", n ? ", " : "");
			put_string(b, t, s);
		}
		if (copy_from_guest(t, &s, addr + (n + 1) * sizeof s, sizeof s) < 0)
			s = 0;
	}
	if (count_only) {
		put_hex(b, addr);
		sbuf_printf(b, " /* %zu%s var%s */", n, s ? "+" : "", n == 1 ? "" : "s");
	} else {
		sbuf_printf(b, "%s]", s ? ", ..." : "");
	}
}

/* Flags by name. */
struct flag_name {
	uint64_t bits;
	const char *name;
};
/* A constant of abi/linux.h by its Linux name. */
#define L(x) { LINUX_##x, #x }
/* One the host's headers define with Linux's x86-64 value (as the handlers
 * use them too). */
#define H(x) { x, #x }
#define N(table) (sizeof(table) / sizeof *(table))

/* v as "A|B|0x40": the names whose bits are all set, in table order (so a
 * many-bit name goes before its parts), then what is left; 0 as zero. */
static void put_flags(struct sbuf *b, const struct flag_name *tab, size_t n, uint64_t v, const char *zero)
{
	if (!v) {
		sbuf_printf(b, "%s", zero);
		return;
	}
	bool any = false;
	for (size_t k = 0; k < n && v; k++)
		if ((v & tab[k].bits) == tab[k].bits) {
			sbuf_printf(b, "%s%s", any ? "|" : "", tab[k].name);
			v &= ~tab[k].bits;
			any = true;
		}
	if (v)
		sbuf_printf(b, "%s%#lx", any ? "|" : "", (unsigned long)v);
}

/* One of choices for the bits in mask (open's access mode, mmap's type),
 * then the other bits as flags. */
static void put_choice_flags(struct sbuf *b, const struct flag_name *choices, size_t nc, uint64_t mask,
			     const struct flag_name *tab, size_t n, uint64_t v)
{
	size_t k = 0;
	while (k < nc && choices[k].bits != (v & mask))
		k++;
	if (k < nc)
		sbuf_printf(b, "%s", choices[k].name);
	else
		put_hex(b, v & mask);
	if (v & ~mask) {
		sbuf_put(b, "|", 1);
		put_flags(b, tab, n, v & ~mask, "0");
	}
}

/* include/uapi/asm-generic/fcntl.h */
static const struct flag_name open_modes[] = { H(O_RDONLY), H(O_WRONLY), H(O_RDWR) };
static const struct flag_name open_flags[] = {
	H(O_CREAT), H(O_EXCL), H(O_NOCTTY), H(O_TRUNC), H(O_APPEND), H(O_NONBLOCK),
	H(O_SYNC), H(O_DSYNC), H(O_ASYNC), H(O_DIRECT), L(O_LARGEFILE), H(O_TMPFILE),
	H(O_DIRECTORY), H(O_NOFOLLOW), H(O_NOATIME), L(O_CLOEXEC), H(O_PATH),
};

/* include/uapi/linux/fcntl.h */
static const struct flag_name at_flags[] = {
	L(AT_SYMLINK_NOFOLLOW), L(AT_REMOVEDIR), L(AT_SYMLINK_FOLLOW), L(AT_NO_AUTOMOUNT),
	L(AT_EMPTY_PATH),
};
static const struct flag_name statx_syncs[] = {
	L(AT_STATX_SYNC_AS_STAT), L(AT_STATX_FORCE_SYNC), L(AT_STATX_DONT_SYNC),
};

/* include/uapi/linux/stat.h */
static const struct flag_name statx_mask[] = {
	L(STATX_BASIC_STATS), L(STATX_TYPE), L(STATX_MODE), L(STATX_NLINK), L(STATX_UID),
	L(STATX_GID), L(STATX_ATIME), L(STATX_MTIME), L(STATX_CTIME), L(STATX_INO),
	L(STATX_SIZE), L(STATX_BLOCKS), L(STATX_BTIME), L(STATX_MNT_ID),
};
static const struct flag_name file_types[] = {
	H(S_IFSOCK), H(S_IFLNK), H(S_IFREG), H(S_IFBLK), H(S_IFDIR), H(S_IFCHR), H(S_IFIFO),
};
static const struct flag_name mode_bits[] = { H(S_ISUID), H(S_ISGID), H(S_ISVTX) };

/* include/uapi/asm-generic/mman-common.h, arch/x86/include/uapi/asm/mman.h */
static const struct flag_name mmap_prots[] = {
	L(PROT_READ), L(PROT_WRITE), L(PROT_EXEC), L(PROT_SEM), L(PROT_GROWSDOWN), L(PROT_GROWSUP),
};
static const struct flag_name mmap_types[] = { L(MAP_SHARED), L(MAP_PRIVATE), L(MAP_SHARED_VALIDATE) };
static const struct flag_name mmap_flags[] = {
	L(MAP_FIXED), L(MAP_ANONYMOUS), L(MAP_32BIT), L(MAP_GROWSDOWN), L(MAP_DENYWRITE),
	L(MAP_EXECUTABLE), L(MAP_LOCKED), L(MAP_NORESERVE), L(MAP_POPULATE), L(MAP_NONBLOCK),
	L(MAP_STACK), L(MAP_HUGETLB), L(MAP_SYNC), L(MAP_FIXED_NOREPLACE), L(MAP_UNINITIALIZED),
};

/* include/uapi/linux/sched.h */
static const struct flag_name clone_flags[] = {
	L(CLONE_VM), L(CLONE_FS), L(CLONE_FILES), L(CLONE_SIGHAND), L(CLONE_PIDFD),
	L(CLONE_PTRACE), L(CLONE_VFORK), L(CLONE_PARENT), L(CLONE_THREAD), L(CLONE_NEWNS),
	L(CLONE_SYSVSEM), L(CLONE_SETTLS), L(CLONE_PARENT_SETTID), L(CLONE_CHILD_CLEARTID),
	L(CLONE_DETACHED), L(CLONE_UNTRACED), L(CLONE_CHILD_SETTID), L(CLONE_NEWCGROUP),
	L(CLONE_NEWUTS), L(CLONE_NEWIPC), L(CLONE_NEWUSER), L(CLONE_NEWPID), L(CLONE_NEWNET),
	L(CLONE_IO),
};

/* arch/x86/include/uapi/asm/signal.h */
static const struct flag_name sa_flags[] = {
	L(SA_NOCLDSTOP), L(SA_NOCLDWAIT), L(SA_SIGINFO), L(SA_UNSUPPORTED), L(SA_EXPOSE_TAGBITS),
	L(SA_RESTORER), L(SA_ONSTACK), L(SA_RESTART), L(SA_NODEFER), L(SA_RESETHAND),
};
static const struct flag_name sigprocmask_hows[] = { L(SIG_BLOCK), L(SIG_UNBLOCK), L(SIG_SETMASK) };

/* include/uapi/asm-generic/poll.h */
static const struct flag_name poll_events[] = {
	H(POLLIN), H(POLLPRI), H(POLLOUT), H(POLLERR), H(POLLHUP), H(POLLNVAL), H(POLLRDNORM),
	H(POLLRDBAND), H(POLLWRNORM), H(POLLWRBAND), H(POLLMSG), H(POLLRDHUP),
};

/* include/linux/socket.h */
static const struct flag_name msg_flags[] = {
	H(MSG_OOB), H(MSG_PEEK), H(MSG_DONTROUTE), H(MSG_CTRUNC), H(MSG_TRUNC), H(MSG_DONTWAIT),
	H(MSG_EOR), H(MSG_WAITALL), H(MSG_NOSIGNAL), H(MSG_MORE), H(MSG_CMSG_CLOEXEC),
};
static const struct flag_name families[] = {
	H(AF_UNSPEC), H(AF_UNIX), H(AF_INET), H(AF_INET6), H(AF_NETLINK), H(AF_PACKET),
};
/* include/linux/net.h */
#define SOCK_TYPE_MASK 0xf
static const struct flag_name sock_types[] = {
	H(SOCK_STREAM), H(SOCK_DGRAM), H(SOCK_RAW), H(SOCK_RDM), H(SOCK_SEQPACKET), H(SOCK_PACKET),
};
static const struct flag_name sock_flags[] = { H(SOCK_NONBLOCK), H(SOCK_CLOEXEC) };

/* A signal's name; in a set strace leaves out each name's "SIG". */
static void put_signal(struct sbuf *b, int sig, bool in_set)
{
	const char *name = signal_name(sig);
	const char *sig_ = in_set ? "" : "SIG";
	if (name)
		sbuf_printf(b, "%s", in_set ? name + 3 : name);
	else if (sig == LINUX_SIGRTMIN)
		sbuf_printf(b, "%sRTMIN", sig_);
	else if (sig > LINUX_SIGRTMIN && sig <= LINUX_NSIG)
		sbuf_printf(b, "%sRT_%d", sig_, sig - LINUX_SIGRTMIN);
	else
		sbuf_printf(b, "%d", sig);
}

void strace_put_signal(struct sbuf *b, int sig)
{
	put_signal(b, sig, false);
}

/* include/uapi/asm-generic/siginfo.h */
static const struct flag_name si_codes[] = {
	L(SI_USER), L(SI_KERNEL), L(SI_QUEUE), L(SI_TKILL), L(SI_TIMER),
};
static const struct flag_name cld_codes[] = { L(CLD_EXITED), L(CLD_KILLED), L(CLD_DUMPED) };

void strace_put_si_code(struct sbuf *b, int sig, int code)
{
	const struct flag_name *tab = code > 0 && sig == LINUX_SIGCHLD ? cld_codes : si_codes;
	size_t n = tab == cld_codes ? N(cld_codes) : N(si_codes);
	for (size_t k = 0; k < n; k++)
		if ((int)tab[k].bits == code) {
			sbuf_printf(b, "%s", tab[k].name);
			return;
		}
	sbuf_printf(b, "%d", code);
}

/* "[INT TERM]"; more than half set as "~[...]", the ones not set. */
static void put_sigset(struct sbuf *b, uint64_t set)
{
	bool inverted = __builtin_popcountll(set) > LINUX_NSIG / 2;
	if (inverted)
		set = ~set;
	sbuf_printf(b, "%s[", inverted ? "~" : "");
	bool any = false;
	for (int sig = 1; sig <= LINUX_NSIG; sig++) {
		if (!(set & (1ULL << (sig - 1))))
			continue;
		if (any)
			sbuf_put(b, " ", 1);
		put_signal(b, sig, true);
		any = true;
	}
	sbuf_printf(b, "]");
}

static void put_sigset_at(struct sbuf *b, struct task *t, uint64_t addr)
{
	uint64_t set;
	if (fetch(b, t, &set, addr, sizeof set))
		put_sigset(b, set);
}

static void put_sigaction(struct sbuf *b, struct task *t, uint64_t addr)
{
	struct linux_sigaction sa;
	if (!fetch(b, t, &sa, addr, sizeof sa))
		return;
	sbuf_printf(b, "{sa_handler=");
	if (sa.handler == LINUX_SIG_DFL)
		sbuf_printf(b, "SIG_DFL");
	else if (sa.handler == LINUX_SIG_IGN)
		sbuf_printf(b, "SIG_IGN");
	else
		put_hex(b, sa.handler);
	sbuf_printf(b, ", sa_mask=");
	put_sigset(b, sa.mask);
	sbuf_printf(b, ", sa_flags=");
	put_flags(b, sa_flags, N(sa_flags), sa.flags, "0");
	if (sa.flags & LINUX_SA_RESTORER) {
		sbuf_printf(b, ", sa_restorer=");
		put_hex(b, sa.restorer);
	}
	sbuf_printf(b, "}");
}

/* wait4's status: "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]" */
static void put_wait_status(struct sbuf *b, struct task *t, uint64_t addr)
{
	int st;
	if (!fetch(b, t, &st, addr, sizeof st))
		return;
	if (WIFEXITED(st)) {
		sbuf_printf(b, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		sbuf_printf(b, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
		put_signal(b, WTERMSIG(st), false);
		sbuf_printf(b, "%s}]", WCOREDUMP(st) ? " && WCOREDUMP(s)" : "");
	} else if (WIFSTOPPED(st)) {
		sbuf_printf(b, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		put_signal(b, WSTOPSIG(st), false);
		sbuf_printf(b, "}]");
	} else if (WIFCONTINUED(st)) {
		sbuf_printf(b, "[{WIFCONTINUED(s)}]");
	} else {
		sbuf_printf(b, "[%#x]", st);
	}
}

/* "S_IFREG|0644": the type is one value, the set-id bits flags. */
static void put_mode(struct sbuf *b, uint32_t mode)
{
	if (mode & ~0777U) {
		put_choice_flags(b, file_types, N(file_types), S_IFMT, mode_bits, N(mode_bits), mode & ~0777U);
		sbuf_put(b, "|", 1);
	}
	sbuf_printf(b, "0%03o", mode & 0777);
}

static void put_stat(struct sbuf *b, struct task *t, uint64_t addr)
{
	struct linux_stat st;
	if (!fetch(b, t, &st, addr, sizeof st))
		return;
	sbuf_printf(b, "{st_mode=");
	put_mode(b, st.st_mode);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		/* include/linux/kdev_t.h new_decode_dev() */
		sbuf_printf(b, ", st_rdev=makedev(%#lx, %#lx)",
			    (unsigned long)(((st.st_rdev >> 8) & 0xfff) | ((st.st_rdev >> 32) & ~0xfffUL)),
			    (unsigned long)((st.st_rdev & 0xff) | ((st.st_rdev >> 12) & ~0xffUL)));
	else
		sbuf_printf(b, ", st_size=%ld", (long)st.st_size);
	sbuf_printf(b, ", ...}");
}

static void put_statx(struct sbuf *b, struct task *t, uint64_t addr)
{
	struct linux_statx stx;
	if (!fetch(b, t, &stx, addr, sizeof stx))
		return;
	sbuf_printf(b, "{stx_mask=");
	put_flags(b, statx_mask, N(statx_mask), stx.stx_mask, "0");
	sbuf_printf(b, ", stx_attributes=%#lx, stx_mode=", (unsigned long)stx.stx_attributes);
	put_mode(b, stx.stx_mode);
	sbuf_printf(b, ", stx_size=%lu, ...}", (unsigned long)stx.stx_size);
}

static void put_timespec(struct sbuf *b, struct task *t, uint64_t addr)
{
	struct linux_timespec ts;
	if (fetch(b, t, &ts, addr, sizeof ts))
		sbuf_printf(b, "{tv_sec=%ld, tv_nsec=%ld}", (long)ts.tv_sec, (long)ts.tv_nsec);
}

/* count iovecs at addr; of their data at most limit bytes in all (what a
 * read moved), each buffer cut as a string is. */
static void put_iovec(struct sbuf *b, struct task *t, uint64_t addr, uint64_t count, uint64_t limit)
{
	if (count > GUEST_UIO_MAXIOV) {
		put_hex(b, addr);
		return;
	}
	struct iovec iov[STRACE_ARRAY_MAX];
	size_t n = count < STRACE_ARRAY_MAX ? count : STRACE_ARRAY_MAX;
	if (!fetch(b, t, iov, addr, n * sizeof *iov))
		return;
	sbuf_put(b, "[", 1);
	for (size_t k = 0; k < n; k++) {
		uint64_t len = iov[k].iov_len < limit ? iov[k].iov_len : limit;
		limit -= len;
		sbuf_printf(b, "%s{iov_base=", k ? ", " : "");
		put_buffer(b, t, (uint64_t)iov[k].iov_base, len);
		sbuf_printf(b, ", iov_len=%lu}", (unsigned long)iov[k].iov_len);
	}
	sbuf_printf(b, "%s]", count > n ? ", ..." : "");
}

/* poll's fds: their events before the call, or (revents) the ones that
 * came back with some after it. */
static void put_pollfds(struct sbuf *b, struct task *t, uint64_t addr, uint64_t count, bool revents)
{
	struct pollfd fds[STRACE_ARRAY_MAX];
	size_t n = count < STRACE_ARRAY_MAX ? count : STRACE_ARRAY_MAX;
	if (!fetch(b, t, fds, addr, n * sizeof *fds))
		return;
	sbuf_put(b, "[", 1);
	bool any = false;
	for (size_t k = 0; k < n; k++) {
		short ev = revents ? fds[k].revents : fds[k].events;
		if (revents && !ev)
			continue;
		sbuf_printf(b, "%s{fd=%d, %s=", any ? ", " : "", fds[k].fd, revents ? "revents" : "events");
		put_flags(b, poll_events, N(poll_events), (uint16_t)ev, "0");
		sbuf_put(b, "}", 1);
		any = true;
	}
	sbuf_printf(b, "%s]", count > n ? ", ..." : "");
}

/* len bytes of a struct sockaddr at addr. */
static void put_sockaddr(struct sbuf *b, struct task *t, uint64_t addr, uint64_t len)
{
	struct sockaddr_storage ss;
	size_t n = len < sizeof ss ? len : sizeof ss;
	if (addr && n < sizeof(sa_family_t)) {
		put_hex(b, addr);
		return;
	}
	if (!fetch(b, t, &ss, addr, n))
		return;
	sbuf_printf(b, "{sa_family=");
	put_choice_flags(b, families, N(families), 0xffff, NULL, 0, ss.ss_family);
	if (ss.ss_family == AF_UNIX && n > offsetof(struct sockaddr_un, sun_path)) {
		const char *path = ((struct sockaddr_un *)&ss)->sun_path;
		size_t plen = n - offsetof(struct sockaddr_un, sun_path);
		if (path[0]) {
			sbuf_printf(b, ", sun_path=");
			put_quoted(b, (const unsigned char *)path, strnlen(path, plen), false);
		} else {
			/* An abstract name: every byte after the NUL counts. */
			sbuf_printf(b, ", sun_path=@");
			put_quoted(b, (const unsigned char *)path + 1, plen - 1, false);
		}
	} else if (ss.ss_family == AF_INET && n >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
		char ip[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
		sbuf_printf(b, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")", ntohs(in->sin_port), ip);
	} else if (ss.ss_family == AF_INET6 && n >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
		char ip[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
		sbuf_printf(b, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), inet_pton(AF_INET6, \"%s\", &sin6_addr), sin6_scope_id=%u",
			    ntohs(in6->sin6_port), ntohl(in6->sin6_flowinfo), ip, in6->sin6_scope_id);
	} else if (n > sizeof(sa_family_t)) {
		sbuf_printf(b, ", sa_data=");
		put_quoted(b, (const unsigned char *)&ss + sizeof(sa_family_t), n - sizeof(sa_family_t), false);
	}
	sbuf_put(b, "}", 1);
}

/* An in-out socklen_t: "[in => out]", or one value when it stayed. */
static void put_socklen(struct sbuf *b, struct task *t, uint64_t addr, long result, uint64_t in)
{
	uint32_t out;
	bool got = result >= 0 && addr && copy_from_guest(t, &out, addr, sizeof out) == 0;
	if (!addr)
		sbuf_printf(b, "NULL");
	else if (got && in != UINT64_MAX && in != out)
		sbuf_printf(b, "[%lu => %u]", (unsigned long)in, out);
	else if (got)
		sbuf_printf(b, "[%u]", out);
	else if (in != UINT64_MAX)
		sbuf_printf(b, "[%lu]", (unsigned long)in);
	else
		put_hex(b, addr);
}

/* sendmsg's or recvmsg's struct msghdr; limit as for put_iovec. */
static void put_msghdr(struct sbuf *b, struct task *t, uint64_t addr, uint64_t limit)
{
	struct msghdr m;
	if (!fetch(b, t, &m, addr, sizeof m))
		return;
	sbuf_printf(b, "{msg_name=");
	put_sockaddr(b, t, (uint64_t)m.msg_name, m.msg_namelen);
	sbuf_printf(b, ", msg_namelen=%u, msg_iov=", m.msg_namelen);
	put_iovec(b, t, (uint64_t)m.msg_iov, m.msg_iovlen, limit);
	sbuf_printf(b, ", msg_iovlen=%lu", (unsigned long)m.msg_iovlen);
	if (m.msg_controllen) {
		sbuf_printf(b, ", msg_control=");
		put_hex(b, (uint64_t)m.msg_control);
	}
	sbuf_printf(b, ", msg_controllen=%lu, msg_flags=", (unsigned long)m.msg_controllen);
	put_flags(b, msg_flags, N(msg_flags), (unsigned)m.msg_flags, "0");
	sbuf_put(b, "}", 1);
}

/* The letters are listed at the top of abi/syscall_64.tbl. */
bool strace_arg_is_output(char kind)
{
	return kind && strchr("OSXaqWIVKLH", kind);
}

bool strace_arg_omitted(char kind, const uint64_t a[6], int i)
{
	return kind == 'M' && i > 0 && !(a[i - 1] & (O_CREAT | LINUX_O_TMPFILE_BIT));
}

static uint64_t next_arg(const uint64_t a[6], int i)
{
	return i < 5 ? a[i + 1] : 0;
}

void strace_put_input(struct sbuf *b, struct task *t, char kind, const uint64_t a[6], int i,
		      uint64_t *saved)
{
	uint64_t v = a[i];
	switch (kind) {
	case 'd': sbuf_printf(b, "%d", (int)v); break;
	case 'u': sbuf_printf(b, "%lu", (unsigned long)v); break;
	case 'o': case 'M': sbuf_printf(b, "0%lo", (unsigned long)v); break;
	case 's': put_string(b, t, v); break;
	case 'b': put_buffer(b, t, v, next_arg(a, i)); break;
	case 'F':
		if ((int)v == LINUX_AT_FDCWD)
			sbuf_printf(b, "AT_FDCWD");
		else
			sbuf_printf(b, "%d", (int)v);
		break;
	case 'f': put_choice_flags(b, open_modes, N(open_modes), O_ACCMODE, open_flags, N(open_flags), (uint32_t)v); break;
	case 't': put_flags(b, at_flags, N(at_flags), (uint32_t)v, "0"); break;
	case 'Y':
		put_choice_flags(b, statx_syncs, N(statx_syncs), LINUX_AT_STATX_SYNC_TYPE, at_flags, N(at_flags),
				 (uint32_t)v);
		break;
	case 'z': put_flags(b, statx_mask, N(statx_mask), (uint32_t)v, "0"); break;
	case 'P': put_flags(b, mmap_prots, N(mmap_prots), v, "PROT_NONE"); break;
	case 'm': put_choice_flags(b, mmap_types, N(mmap_types), LINUX_MAP_TYPE, mmap_flags, N(mmap_flags), v); break;
	case 'C':
		put_flags(b, clone_flags, N(clone_flags), v & ~LINUX_CSIGNAL, v & LINUX_CSIGNAL ? "" : "0");
		if (v & LINUX_CSIGNAL) {
			if (v & ~LINUX_CSIGNAL)
				sbuf_put(b, "|", 1);
			strace_put_signal(b, (int)(v & LINUX_CSIGNAL));
		}
		break;
	case 'g': strace_put_signal(b, (int)v); break;
	case 'w': put_choice_flags(b, sigprocmask_hows, N(sigprocmask_hows), ~0ULL, NULL, 0, (uint32_t)v); break;
	case 'Q': put_sigset_at(b, t, v); break;
	case 'A': put_sigaction(b, t, v); break;
	case 'T': put_timespec(b, t, v); break;
	case 'v': put_iovec(b, t, v, next_arg(a, i), UINT64_MAX); break;
	case 'l': put_pollfds(b, t, v, next_arg(a, i), false); break;
	case 'k': put_sockaddr(b, t, v, next_arg(a, i)); break;
	case 'h': put_msghdr(b, t, v, UINT64_MAX); break;
	case 'R': put_strv(b, t, v, false); break;
	case 'E': put_strv(b, t, v, true); break;
	case 'n': put_flags(b, msg_flags, N(msg_flags), (uint32_t)v, "0"); break;
	case 'D': put_choice_flags(b, families, N(families), ~0ULL, NULL, 0, (uint32_t)v); break;
	case 'y':
		put_choice_flags(b, sock_types, N(sock_types), SOCK_TYPE_MASK, sock_flags, N(sock_flags), (uint32_t)v);
		break;
	case 'L': {
		uint32_t len;
		*saved = v && copy_from_guest(t, &len, v, sizeof len) == 0 ? len : UINT64_MAX;
		break;
	}
	case 'p':
		if (!v) {
			sbuf_printf(b, "NULL");
			break;
		}
		/* fallthrough */
	default:
		if (!strace_arg_is_output(kind))
			put_hex(b, v);
		break;
	}
}

void strace_put_output(struct sbuf *b, struct task *t, char kind, const uint64_t a[6], int i,
		       long result, uint64_t saved)
{
	uint64_t v = a[i];
	if (kind == 'L') {
		put_socklen(b, t, v, result, saved);
		return;
	}
	/* A failed call filled nothing in: its address, as strace shows. */
	if (result < 0 || !v) {
		if (!v)
			sbuf_printf(b, "NULL");
		else
			put_hex(b, v);
		return;
	}
	switch (kind) {
	case 'O': put_buffer(b, t, v, (uint64_t)result); break;
	case 'S': put_stat(b, t, v); break;
	case 'X': put_statx(b, t, v); break;
	case 'a': put_sigaction(b, t, v); break;
	case 'q': put_sigset_at(b, t, v); break;
	case 'W':
		if (result > 0)
			put_wait_status(b, t, v);
		else
			put_hex(b, v); /* WNOHANG and no child: nothing written */
		break;
	case 'I': {
		int fds[2];
		if (fetch(b, t, fds, v, sizeof fds))
			sbuf_printf(b, "[%d, %d]", fds[0], fds[1]);
		break;
	}
	case 'V': put_iovec(b, t, v, next_arg(a, i), (uint64_t)result); break;
	case 'H': put_msghdr(b, t, v, (uint64_t)result); break;
	case 'K': {
		uint32_t len;
		if (next_arg(a, i) && copy_from_guest(t, &len, next_arg(a, i), sizeof len) == 0)
			put_sockaddr(b, t, v, len);
		else
			put_hex(b, v);
		break;
	}
	default: put_hex(b, v); break;
	}
}

void strace_put_after(struct sbuf *b, struct task *t, char kind, const uint64_t a[6], int i, long result)
{
	if (kind != 'l' || result < 0)
		return;
	if (result == 0) {
		sbuf_printf(b, " (Timeout)");
		return;
	}
	sbuf_printf(b, " (");
	put_pollfds(b, t, a[i], next_arg(a, i), true);
	sbuf_printf(b, ")");
}
