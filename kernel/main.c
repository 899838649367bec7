/* cvisor's command line. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host_signals.h"
#include "kernel.h"
#include "process.h"
#include "vfs.h"
#include "fdtable.h"
#include "sandbox.h"
#include "stats.h"
#include "syscall.h"
#include "task.h"
#include "timer.h"

struct kernel kernel = {
	.root_fd = -1,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.next_pid = 1,
	.tty_fg_pgrp = 1, /* init's: the guest starts in the foreground */
};

extern char **environ;

static void usage(FILE *out)
{
	fputs("usage: cvisor run [options] [--] PROGRAM [ARG...]\n"
	      "       cvisor filters\n"
	      "Run PROGRAM, a path inside the guest root, in a new sandbox.\n"
	      "`cvisor filters` lists the host syscalls cvisor allows itself.\n"
	      "\n"
	      "  --root DIR         guest root (default: the built rootfs); read-only\n"
	      "                     underneath, changes kept in memory\n"
	      "  --volume HOST:GUEST[:ro|rw]  the host directory HOST at GUEST:\n"
	      "                     read-only, or (rw, the default) written through\n"
	      "  --env K=V          add or replace an environment variable\n"
	      "  --hostname NAME    the guest's host name (default: cvisor)\n"
	      "  --tasks N          at most N guest tasks; fork/clone past it fail EAGAIN\n"
	      "  --timeout SECONDS  wall time for the guest; past it, it is killed and\n"
	      "                     cvisor exits with 124\n"
	      "  --memory BYTES     at most BYTES mapped per process (K, M, G suffixes);\n"
	      "                     mmap, brk, mremap past it fail ENOMEM\n"
	      "  --tmpfs-size BYTES at most BYTES of file data in memory (tmpfs and the\n"
	      "                     root's changes together); past it, ENOSPC\n"
	      "  --files N          at most N open files per process (RLIMIT_NOFILE's\n"
	      "                     ceiling, up to 1024); past it, EMFILE\n"
	      "  --uid N, --gid N   init's user and group ids (default: 0, root)\n"
	      "  --strace[=FILE]    one line per guest syscall, to stderr or FILE\n"
	      "  --strace-time      --strace, each line starting with the wall-clock time\n"
	      "  --stats[=FILE]     per-syscall counts, errors and time at exit\n"
	      "  --stats-format=text|json\n"
	      "  --platform ptrace  the platform (only ptrace for now)\n"
	      "  --no-seccomp       no seccomp filter on cvisor itself (debugging only)\n"
	      "  -h, --help         this text\n", out);
}

/* One line, status 2: a usage error. */
static int die_usage(const char *fmt, const char *arg)
{
	fputs("cvisor: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see cvisor --help)\n", stderr);
	return 2;
}

/* build/cvisor's sibling build/rootfs. */
static char *default_root(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		return NULL;
	self[n] = 0;
	char *slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = 0;
	char *root;
	return asprintf(&root, "%s/rootfs", self) < 0 ? NULL : root;
}

/* The environment: cvisor's own, as for any program it starts, with --env
 * entries added or replacing. */
static char **build_env(char **extra, int nextra)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + (size_t)nextra + 1, sizeof *env);
	if (!env)
		return NULL;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;
		for (int j = 0; j < nextra; j++) {
			size_t klen = strcspn(extra[j], "=");
			if (strncmp(environ[i], extra[j], klen) == 0 && environ[i][klen] == '=')
				replaced = true;
		}
		if (!replaced)
			env[m++] = environ[i];
	}
	for (int j = 0; j < nextra; j++)
		env[m++] = extra[j];
	return env;
}

static void init_uts(const char *hostname)
{
	struct utsname host;
	uname(&host);
	struct linux_utsname *u = &kernel.uts;
	memset(u, 0, sizeof *u);
	snprintf(u->sysname, sizeof u->sysname, "Linux");
	snprintf(u->nodename, sizeof u->nodename, "%s", hostname);
	snprintf(u->release, sizeof u->release, "%s", host.release);
	snprintf(u->version, sizeof u->version, "%s", host.version);
	snprintf(u->machine, sizeof u->machine, "x86_64");
	snprintf(u->domainname, sizeof u->domainname, "(none)");
}

/* The guest's working directory: the host's, when the guest has that path
 * (init's walk falls back to "/"). A relative PROGRAM starts there. */
static char *guest_cwd(void)
{
	char cwd[PATH_MAX];
	return strdup(getcwd(cwd, sizeof cwd) ? cwd : "/");
}

struct run_options {
	char *root;
	const char *hostname, *strace_file, *stats_file;
	bool strace, stats, no_seccomp;
	char **extra_env;
	int nextra;
	struct vfs_volume *volumes;
	int nvolumes;
};

/* --volume HOST:GUEST[:ro|rw]: GUEST absolute, HOST a directory. */
static int parse_volume(char *arg, struct vfs_volume *v)
{
	char *guest = strchr(arg, ':');
	if (!guest || guest == arg)
		return -1;
	*guest++ = 0;
	char *mode = strchr(guest, ':');
	if (mode)
		*mode++ = 0;
	if (guest[0] != '/' || (mode && strcmp(mode, "ro") && strcmp(mode, "rw")))
		return -1;
	*v = (struct vfs_volume){ .host = arg, .guest = guest, .readonly = mode && strcmp(mode, "ro") == 0 };
	return 0;
}

/* A size in bytes with an optional K, M or G: 0 when it is not one. */
static uint64_t parse_size(const char *arg)
{
	char *end;
	unsigned long long n = strtoull(arg, &end, 10);
	int shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
	if (shift)
		end++;
	if (*end || !n || arg[0] == '-' || n > (1ULL << 46) >> shift)
		return 0;
	return n << shift;
}

/* Options of `cvisor run`; -1 to go on, else the status to exit with. */
static int parse_run_options(int argc, char **argv, struct run_options *o)
{
	enum { OPT_ROOT = 256, OPT_ENV, OPT_HOSTNAME, OPT_STRACE, OPT_PLATFORM, OPT_TASKS, OPT_UID,
	       OPT_GID, OPT_STATS, OPT_STATS_FORMAT, OPT_MEMORY, OPT_NO_SECCOMP,
	       OPT_TIMEOUT, OPT_VOLUME, OPT_TMPFS_SIZE, OPT_FILES, OPT_STRACE_TIME };
	static const struct option opts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "volume", required_argument, NULL, OPT_VOLUME },
		{ "env", required_argument, NULL, OPT_ENV },
		{ "hostname", required_argument, NULL, OPT_HOSTNAME },
		{ "strace", optional_argument, NULL, OPT_STRACE },
		{ "strace-time", no_argument, NULL, OPT_STRACE_TIME },
		{ "stats", optional_argument, NULL, OPT_STATS },
		{ "stats-format", required_argument, NULL, OPT_STATS_FORMAT },
		{ "platform", required_argument, NULL, OPT_PLATFORM },
		{ "tasks", required_argument, NULL, OPT_TASKS },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "tmpfs-size", required_argument, NULL, OPT_TMPFS_SIZE },
		{ "files", required_argument, NULL, OPT_FILES },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "gid", required_argument, NULL, OPT_GID },
		{ "no-seccomp", no_argument, NULL, OPT_NO_SECCOMP },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: o->root = optarg; break;
		case OPT_VOLUME: {
			char *copy = strdup(optarg);
			if (!copy || parse_volume(copy, &o->volumes[o->nvolumes]) < 0) {
				free(copy);
				return die_usage("--volume wants HOST:GUEST[:ro|rw] with GUEST absolute, not '%s'", optarg);
			}
			o->nvolumes++;
			break;
		}
		case OPT_ENV:
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return die_usage("--env wants K=V, not '%s'", optarg);
			o->extra_env[o->nextra++] = optarg;
			break;
		case OPT_HOSTNAME: o->hostname = optarg; break;
		case OPT_NO_SECCOMP: o->no_seccomp = true; break;
		case OPT_STRACE:
			o->strace = true;
			o->strace_file = optarg;
			break;
		case OPT_STRACE_TIME:
			o->strace = true;
			kernel.strace_time = true;
			/* localtime_r reads the zone once, now: cvisor's seccomp
			 * filter later would not let it open the file. */
			tzset();
			break;
		case OPT_TIMEOUT: {
			char *end;
			double secs = strtod(optarg, &end);
			if (*end || !(secs > 0) || secs > 1e9)
				return die_usage("--timeout wants seconds, such as 30 or 0.5, not '%s'", optarg);
			kernel.timeout_ns = (int64_t)(secs * 1e9);
			break;
		}
		case OPT_MEMORY:
			if (!(kernel.memory_limit = parse_size(optarg)))
				return die_usage("--memory wants a size such as 512M, not '%s'", optarg);
			break;
		case OPT_TMPFS_SIZE:
			if (!(vfs.mem_limit = parse_size(optarg)))
				return die_usage("--tmpfs-size wants a size such as 64M, not '%s'", optarg);
			break;
		case OPT_FILES: {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > FDTABLE_MAX)
				return die_usage("--files wants a number from 1 to 1024, not '%s'", optarg);
			kernel.max_files = (int)n;
			break;
		}
		case OPT_STATS:
			o->stats = true;
			o->stats_file = optarg;
			break;
		case OPT_STATS_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return die_usage("--stats-format is text or json, not '%s'", optarg);
			kernel.stats_format = strcmp(optarg, "json") == 0 ? STATS_JSON : STATS_TEXT;
			break;
		case OPT_PLATFORM:
			if (strcmp(optarg, "ptrace") != 0)
				return die_usage("unknown platform '%s' (have: ptrace)", optarg);
			break;
		case OPT_TASKS: {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1000000)
				return die_usage("--tasks wants a number from 1 to 1000000, not '%s'", optarg);
			kernel.max_tasks = (int)n;
			break;
		}
		case OPT_UID:
		case OPT_GID: {
			/* Any id but (uid_t)-1, which no process can hold. */
			char *end;
			errno = 0;
			unsigned long id = strtoul(optarg, &end, 10);
			if (*end || end == optarg || optarg[0] == '-' || errno || id >= UINT32_MAX)
				return die_usage(c == OPT_UID ? "--uid wants a number from 0 to 4294967294, not '%s'"
							      : "--gid wants a number from 0 to 4294967294, not '%s'", optarg);
			*(c == OPT_UID ? &kernel.init_uid : &kernel.init_gid) = (uint32_t)id;
			break;
		}
		case 'h': usage(stdout); return 0;
		default: return die_usage("bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return die_usage("%s", "run: no PROGRAM given");
	return -1;
}

/* Everything before the guest's first instruction. */
static int set_up(struct run_options *o)
{
	char *root = o->root ? o->root : default_root();
	if (!root)
		return die_usage("%s", "cannot find the default root; give --root");
	kernel.root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (kernel.root_fd < 0)
		fprintf(stderr, "cvisor: --root %s: %s\n", root, strerror(errno));
	if (root != o->root)
		free(root);
	if (kernel.root_fd < 0)
		return 2;
	const char *why = NULL;
	int vrc = vfs_boot(kernel.root_fd, o->volumes, o->nvolumes, &why);
	if (vrc < 0) {
		fprintf(stderr, "cvisor: %s: %s\n", why ? why : "cannot build the file system", strerror(-vrc));
		return 2;
	}
	if (o->stats) {
		kernel.stats = o->stats_file ? fopen(o->stats_file, "we") : stderr;
		if (!kernel.stats) {
			fprintf(stderr, "cvisor: --stats=%s: %s\n", o->stats_file, strerror(errno));
			return 2;
		}
	}
	if (o->strace) {
		kernel.strace = o->strace_file ? fopen(o->strace_file, "we") : stderr;
		/* Line by line: a killed cvisor still leaves its trace. */
		if (kernel.strace)
			setvbuf(kernel.strace, NULL, _IOLBF, 0);
		if (!kernel.strace) {
			fprintf(stderr, "cvisor: --strace=%s: %s\n", o->strace_file, strerror(errno));
			return 2;
		}
	}
	init_uts(o->hostname);
	/* Kernel sleeps keep deadlines on the monotonic clock. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&kernel.wake, &ca);
	pthread_condattr_destroy(&ca);
	int rc = timer_service_start();
	if (rc == 0)
		rc = host_signals_start();
	if (rc < 0) {
		fprintf(stderr, "cvisor: cannot set up signal forwarding: %s\n", strerror(-rc));
		return 125;
	}
	/* A guest writing to a closed pipe gets EPIPE and its own SIGPIPE;
	 * cvisor itself must not die of it. */
	signal(SIGPIPE, SIG_IGN);
	kernel.platform = ptrace_platform_create();
	if (!kernel.platform)
		return 125;
	/* The last step before the guest runs: from here on cvisor makes
	 * only the host syscalls it allows itself. */
	if (!o->no_seccomp && (rc = sandbox_install(kernel.platform)) < 0) {
		fprintf(stderr, "cvisor: cannot load its seccomp filter: %s"
			" (--no-seccomp runs without it, for debugging)\n", strerror(-rc));
		return 125;
	}
	return -1;
}

static int cmd_run(int argc, char **argv)
{
	struct run_options o = { .hostname = "cvisor" };
	o.extra_env = calloc((size_t)argc, sizeof *o.extra_env);
	o.volumes = calloc((size_t)argc, sizeof *o.volumes);
	if (!o.extra_env || !o.volumes)
		return 125;
	int status = parse_run_options(argc, argv, &o);
	if (status < 0)
		status = set_up(&o);
	if (status < 0) {
		char *cwd = guest_cwd();
		char *path = argv[optind];
		char **env = build_env(o.extra_env, o.nextra);
		kernel.init_cwd = cwd;
		if (cwd && env) {
			struct exec_request req = { .path = path, .argv = &argv[optind], .envp = env };
			status = process_run_init(&req);
			syscall_report_unimplemented(stderr);
		} else {
			fputs("cvisor: out of memory\n", stderr);
			status = 125;
		}
		free(cwd);
		free(env);
	}
	if (kernel.stats) {
		stats_report(kernel.stats, kernel.stats_format);
		if (kernel.stats != stderr)
			fclose(kernel.stats);
	}
	if (kernel.strace && kernel.strace != stderr)
		fclose(kernel.strace);
	free(o.extra_env);
	for (int k = 0; k < o.nvolumes; k++)
		free((char *)o.volumes[k].host); /* parse_volume's copy */
	free(o.volumes);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return die_usage("%s", "no command given");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "filters") == 0) {
		/* The platform's syscalls are part of the filter. */
		struct platform *p = ptrace_platform_create();
		return p && sandbox_print(stdout, p) == 0 && fflush(stdout) == 0 ? 0 : 125;
	}
	return die_usage("unknown command '%s'", argv[1]);
}
