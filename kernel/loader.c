/* Loading ELF64 ET_EXEC and static-PIE ET_DYN images and building the initial
 * stack (argv, envp, auxv) as Linux's fs/binfmt_elf.c does. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_parse.h"
#include "process.h"
#include "loader.h"
#include "guest_mem.h"
#include "mm.h"
#include "fdtable.h"

#define STACK_SIZE_DEFAULT (8UL << 20)
/* Linux refuses argv+envp beyond a quarter of the stack limit. */
#define MAX_ARG_BYTES (STACK_SIZE_DEFAULT / 4)

struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	uint64_t bias;          /* added to every p_vaddr */
	uint64_t phdr_addr;     /* where the program headers are mapped */
	uint64_t end;           /* end of the highest segment */
	bool exec_stack;
};

static int fail(const char *path, const char *why, int status)
{
	fprintf(stderr, "cvisor: %s: %s\n", path, why);
	return status;
}

static int prot_of(uint32_t pflags)
{
	return (pflags & PF_R ? LINUX_PROT_READ : 0) | (pflags & PF_W ? LINUX_PROT_WRITE : 0) |
	       (pflags & PF_X ? LINUX_PROT_EXEC : 0);
}

/* Headers read and checked; the reason on failure. */
static const char *read_headers(int fd, struct image *img)
{
	if (pread(fd, &img->eh, sizeof img->eh, 0) != sizeof img->eh)
		return "not an ELF executable";
	const char *why = elf_check_header(&img->eh);
	if (why)
		return why;
	size_t size = img->eh.e_phnum * sizeof(Elf64_Phdr);
	img->ph = malloc(size);
	if (!img->ph)
		return "out of memory";
	if (pread(fd, img->ph, size, (off_t)img->eh.e_phoff) != (ssize_t)size)
		return "truncated ELF program header table";
	struct elf_layout l;
	why = elf_check_segments(&img->eh, img->ph, kernel.platform->max_user_address, &l);
	img->bias = l.bias;
	img->exec_stack = l.exec_stack;
	return why;
}

static long map_segment(struct mm *mm, int fd, const Elf64_Phdr *p, uint64_t bias, struct vma_name *name)
{
	uint64_t start = page_down(p->p_vaddr + bias);
	uint64_t file_end = p->p_vaddr + bias + p->p_filesz;
	uint64_t mem_end = page_up(p->p_vaddr + bias + p->p_memsz);
	int prot = prot_of(p->p_flags);
	int flags = LINUX_MAP_PRIVATE | LINUX_MAP_FIXED;
	long r;
	if (p->p_filesz) {
		r = mm_map_named(mm, start, page_up(file_end) - start, prot, flags, fd,
				 page_down(p->p_offset), name);
		if (r < 0)
			return r;
		/* bss starting mid-page: the rest of that page must be zero. */
		uint64_t tail = page_up(file_end) - file_end;
		if (p->p_memsz > p->p_filesz && tail) {
			static const char zeros[LINUX_PAGE_SIZE];
			r = kernel.platform->poke(mm->as, file_end, zeros, tail);
			if (r < 0)
				return r;
		}
		start = page_up(file_end);
	}
	if (mem_end > start) {
		r = mm_map(mm, start, mem_end - start, prot, flags | LINUX_MAP_ANONYMOUS, -1, 0);
		if (r < 0)
			return r;
	}
	return 0;
}

static long map_image(struct mm *mm, int fd, struct image *img, struct vma_name *name)
{
	mm->start_code = mm->start_data = UINT64_MAX;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];
		if (p->p_type != PT_LOAD)
			continue;
		long r = map_segment(mm, fd, p, img->bias, name);
		if (r < 0)
			return r;
		/* binfmt_elf's start/end_code and _data, for /proc/PID/stat. */
		uint64_t lo = p->p_vaddr + img->bias, hi = lo + p->p_filesz;
		if (p->p_flags & PF_X) {
			mm->start_code = lo < mm->start_code ? lo : mm->start_code;
			mm->end_code = hi > mm->end_code ? hi : mm->end_code;
		} else {
			mm->start_data = lo < mm->start_data ? lo : mm->start_data;
			mm->end_data = hi > mm->end_data ? hi : mm->end_data;
		}
		uint64_t end = p->p_vaddr + img->bias + p->p_memsz;
		img->end = end > img->end ? end : img->end;
		/* AT_PHDR: the segment that maps the program headers. */
		if (img->eh.e_phoff >= p->p_offset && img->eh.e_phoff - p->p_offset < p->p_filesz)
			img->phdr_addr = p->p_vaddr + img->bias + (img->eh.e_phoff - p->p_offset);
	}
	for (int i = 0; i < img->eh.e_phnum; i++)
		if (img->ph[i].p_type == PT_PHDR)
			img->phdr_addr = img->ph[i].p_vaddr + img->bias;
	if (mm->start_code == UINT64_MAX)
		mm->start_code = 0;
	if (mm->start_data == UINT64_MAX)
		mm->start_data = 0;
	return 0;
}

/* The host's own auxv value for type, as the host kernel gave it (glibc's
 * getauxval rewrites AT_HWCAP on x86). */
static uint64_t host_auxv(uint64_t type)
{
	static uint64_t auxv[64][2];
	static bool loaded;
	if (!loaded) {
		int fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (read(fd, auxv, sizeof auxv - sizeof auxv[0]) < 0)
				auxv[0][0] = LINUX_AT_NULL;
			close(fd);
		}
		loaded = true;
	}
	for (int i = 0; i < 64 && auxv[i][0] != LINUX_AT_NULL; i++)
		if (auxv[i][0] == type)
			return auxv[i][1];
	return 0;
}

static size_t count_strings(char *const *v, size_t *bytes)
{
	size_t n = 0;
	for (; v && v[n]; n++)
		*bytes += strlen(v[n]) + 1;
	return n;
}

/* The initial stack, top down: execfn, envp and argv strings, platform
 * string, AT_RANDOM bytes; then 16-byte aligned auxv, envp, argv, argc. */
static long build_stack(struct task *t, struct mm *mm, const struct exec_request *req,
			const struct image *img, uint64_t *sp)
{
	const char *execfn = req->execfn ? req->execfn : req->path;
	size_t strbytes = strlen(execfn) + 1;
	size_t argc = count_strings(req->argv, &strbytes);
	size_t envc = count_strings(req->envp, &strbytes);
	if (strbytes > MAX_ARG_BYTES)
		return -E2BIG;

	uint64_t size = STACK_SIZE_DEFAULT;
	uint64_t limit = t->tg->rlimits[LINUX_RLIMIT_STACK].rlim_cur;
	if (limit < size)
		size = page_up(limit);
	if (size < (256UL << 10))
		size = 256UL << 10;
	int prot = LINUX_PROT_READ | LINUX_PROT_WRITE | (img->exec_stack ? LINUX_PROT_EXEC : 0);
	long r = mm_map(mm, mm->stack_top - size, size, prot,
			LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED | LINUX_MAP_GROWSDOWN, -1, 0);
	if (r < 0)
		return r;

	/* Assemble the used top of the stack in one buffer, write it once. */
	static const char platform[] = "x86_64";
	size_t nauxv = 20;
	size_t vec_bytes = (1 + argc + 1 + envc + 1 + 2 * nauxv) * 8;
	size_t total = strbytes + sizeof platform + 16 + vec_bytes + 64;
	total = (total + 15) & ~15UL;
	char *buf = calloc(1, total);
	if (!buf)
		return -ENOMEM;
	uint64_t base = mm->stack_top - total; /* guest address of buf[0] */
	size_t pos = total - 8;                /* a zero word at the very top */

#define PUSH_BYTES(src, len) (pos -= (len), memcpy(buf + pos, (src), (len)), base + pos)
	uint64_t execfn_addr = PUSH_BYTES(execfn, strlen(execfn) + 1);
	uint64_t *envp = calloc(envc + argc + 2, sizeof *envp), *argvp = envp + envc + 1;
	if (!envp) {
		free(buf);
		return -ENOMEM;
	}
	/* The strings' extents are /proc/PID/cmdline's and environ's. */
	mm->env_end = base + pos;
	for (size_t i = envc; i-- > 0;)
		envp[i] = PUSH_BYTES(req->envp[i], strlen(req->envp[i]) + 1);
	mm->env_start = mm->arg_end = base + pos;
	for (size_t i = argc; i-- > 0;)
		argvp[i] = PUSH_BYTES(req->argv[i], strlen(req->argv[i]) + 1);
	mm->arg_start = base + pos;
	uint64_t plat = PUSH_BYTES(platform, sizeof platform);
	unsigned char random[16];
	if (getrandom(random, sizeof random, 0) != sizeof random)
		memset(random, 0x5a, sizeof random);
	uint64_t rand_addr = PUSH_BYTES(random, sizeof random);

	struct cred cred = task_cred(t);
	uint64_t auxv[][2] = {
		{ LINUX_AT_HWCAP, host_auxv(LINUX_AT_HWCAP) },
		{ LINUX_AT_PAGESZ, LINUX_PAGE_SIZE },
		{ LINUX_AT_CLKTCK, 100 },
		{ LINUX_AT_PHDR, img->phdr_addr },
		{ LINUX_AT_PHENT, sizeof(Elf64_Phdr) },
		{ LINUX_AT_PHNUM, img->eh.e_phnum },
		{ LINUX_AT_BASE, 0 },
		{ LINUX_AT_FLAGS, 0 },
		{ LINUX_AT_ENTRY, img->eh.e_entry + img->bias },
		{ LINUX_AT_UID, cred.uid },
		{ LINUX_AT_EUID, cred.euid },
		{ LINUX_AT_GID, cred.gid },
		{ LINUX_AT_EGID, cred.egid },
		{ LINUX_AT_SECURE, cred_secure_exec(&cred) },
		{ LINUX_AT_RANDOM, rand_addr },
		{ LINUX_AT_HWCAP2, host_auxv(LINUX_AT_HWCAP2) },
		{ LINUX_AT_EXECFN, execfn_addr },
		{ LINUX_AT_PLATFORM, plat },
		{ LINUX_AT_MINSIGSTKSZ, host_auxv(LINUX_AT_MINSIGSTKSZ) },
		{ LINUX_AT_NULL, 0 },
	};
	_Static_assert(sizeof auxv / sizeof auxv[0] == 20, "nauxv matches auxv");

	/* Vectors below the strings, with the final sp 16-byte aligned. */
	size_t words = 1 + argc + 1 + envc + 1 + 2 * nauxv;
	pos = (pos - words * 8) & ~15UL;
	uint64_t *w = (uint64_t *)(buf + pos);
	*w++ = argc;
	for (size_t i = 0; i < argc; i++)
		*w++ = argvp[i];
	*w++ = 0;
	for (size_t i = 0; i < envc; i++)
		*w++ = envp[i];
	*w++ = 0;
	memcpy(w, auxv, sizeof auxv);
#undef PUSH_BYTES

	r = kernel.platform->write(mm->as, base + pos, buf + pos, total - pos);
	r = r == (long)(total - pos) ? 0 : -EFAULT;
	*sp = mm->start_stack = base + pos;
	free(envp);
	free(buf);
	return r;
}

/* Registers at the entry point: all zero but rip and rsp (rdx = 0 tells the
 * libc there is no dynamic linker's finalizer); selectors as the stub has. */
static void entry_regs(guest_regs *r, const struct image *img, uint64_t sp)
{
	*r = (guest_regs){ 0 };
	r->rip = img->eh.e_entry + img->bias;
	r->rsp = sp;
	r->eflags = 0x202;
	r->cs = 0x33;
	r->ss = 0x2b;
	r->orig_rax = (uint64_t)-1;
}

static long load_elf(struct task *t, int fd, const struct exec_request *req, struct exec_image *out,
		     struct vma_name *name)
{
	struct image img = { 0 };
	long r = -ENOEXEC;
	out->why = read_headers(fd, &img);
	if (out->why)
		goto out;
	out->mm = mm_new();
	if (!out->mm) {
		r = -errno;
		out->why = "cannot create an address space";
		goto out;
	}
	out->mm->as_limit = rlimit_bytes(t->tg->rlimits[LINUX_RLIMIT_AS].rlim_cur);
	r = map_image(out->mm, fd, &img, name);
	uint64_t sp = 0;
	if (r == 0) {
		out->mm->start_brk = out->mm->brk = page_up(img.end);
		r = build_stack(t, out->mm, req, &img, &sp);
	}
	if (r < 0) {
		out->why = r == -E2BIG ? "argument list too long" : strerror((int)-r);
		mm_put(out->mm);
		out->mm = NULL;
		goto out;
	}
	entry_regs(&out->regs, &img, sp);
out:
	free(img.ph);
	return r;
}

/* "#!interpreter [arg]" in the first line: the request for the interpreter. */
static long parse_script(const char *head, size_t n, const struct exec_request *req,
			 struct exec_request *next, char *line, char ***argv_out)
{
	char *interp, *arg;
	if (script_parse(head, n, line, &interp, &arg) < 0)
		return -ENOEXEC;
	size_t argc = 0;
	while (req->argv && req->argv[argc])
		argc++;
	char **argv = calloc(argc + 4, sizeof *argv);
	if (!argv)
		return -ENOMEM;
	size_t k = 0;
	argv[k++] = interp;
	if (arg)
		argv[k++] = arg;
	argv[k++] = (char *)req->path;
	for (size_t i = 1; i < argc; i++)
		argv[k++] = req->argv[i];
	*next = (struct exec_request){ .path = interp, .argv = argv, .envp = req->envp,
				       .execfn = req->execfn ? req->execfn : req->path };
	*argv_out = argv;
	return 0;
}

/* fs/binfmt_script.c allows this many interpreters in a chain. */
#define MAX_SCRIPT_DEPTH 4
#define BINPRM_BUF_SIZE 256

/* The file to exec: a regular file t may execute (fs/exec.c do_open_execat
 * and may_open: EACCES for anything else). */
static long open_exec(struct task *t, const char *path, struct file **out, struct exec_image *img)
{
	struct file *f;
	long r = vfs_open(t, LINUX_AT_FDCWD, path, O_RDONLY, 0, 0, &f);
	if (r == -EISDIR) {
		img->why = "is a directory";
		return -EACCES;
	}
	if (r < 0)
		return r;
	pthread_mutex_lock(&vfs.lock);
	struct inode *i = f->inode;
	if (!i || !S_ISREG(i->mode))
		r = -EACCES, img->why = S_ISDIR(i ? i->mode : 0) ? "is a directory" : "not a regular file";
	else if (vfs_permission(t, i, MAY_EXEC) < 0)
		r = -EACCES, img->why = "permission denied (not executable)";
	pthread_mutex_unlock(&vfs.lock);
	if (r == 0 && f->host_fd < 0)
		r = -EACCES;
	if (r < 0) {
		file_put(f);
		return r;
	}
	*out = f;
	return 0;
}

static long exec_depth(struct task *t, const struct exec_request *req, struct exec_image *out, int depth)
{
	struct file *f;
	long r = open_exec(t, req->path, &f, out);
	if (r < 0)
		return r;
	int fd = f->host_fd;
	char head[BINPRM_BUF_SIZE];
	ssize_t n = pread(fd, head, sizeof head, 0);
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		file_put(f);
		if (depth >= MAX_SCRIPT_DEPTH)
			return -ELOOP;
		char line[BINPRM_BUF_SIZE];
		char **argv = NULL;
		struct exec_request next;
		r = parse_script(head, (size_t)n, req, &next, line, &argv);
		if (r == 0)
			r = exec_depth(t, &next, out, depth + 1);
		free(argv);
		return r;
	}
	struct vma_name *name = vma_name_of(t, f);
	r = load_elf(t, fd, req, out, name);
	vma_name_put(name);
	if (r == 0) {
		char buf[VFS_PATH_MAX];
		pthread_mutex_lock(&vfs.lock);
		long len = vfs_d_path(t, f->path, buf, sizeof buf);
		out->exe = path_get(f->path);
		pthread_mutex_unlock(&vfs.lock);
		if (len < 0 || !(out->exe_path = strdup(buf))) {
			mm_put(out->mm);
			pthread_mutex_lock(&vfs.lock);
			path_put(out->exe);
			pthread_mutex_unlock(&vfs.lock);
			out->exe = (struct path){ 0 };
			r = -ENOMEM;
		}
	}
	/* The mappings hold the file; the fd itself is not the guest's. */
	file_put(f);
	return r;
}

long loader_exec(struct task *t, const struct exec_request *req, struct exec_image *out)
{
	*out = (struct exec_image){ 0 };
	return exec_depth(t, req, out, 0);
}

int loader_boot(struct task *t, const struct exec_request *req)
{
	struct exec_image img;
	long r = loader_exec(t, req, &img);
	if (r < 0)
		return fail(req->path, img.why ? img.why : strerror((int)-r), r == -ENOENT ? 127 : 126);
	t->mm = img.mm;
	t->regs = img.regs;
	t->exe_path = img.exe_path;
	t->exe = img.exe;
	process_attrs_exec(t, req->path);
	return 0;
}
