/* The ELF loader: a static executable (or a #! script's interpreter) into a
 * fresh address space. */
#ifndef CVISOR_LOADER_H
#define CVISOR_LOADER_H

#include "task.h"

struct exec_image {
	struct mm *mm;      /* the new memory map, image and stack in place */
	guest_regs regs;    /* registers at the entry point */
	char *exe_path;     /* guest path of the ELF file */
	struct path exe;    /* the ELF file (/proc/self/exe), a reference */
	const char *why;    /* on failure, a reason for a person, or NULL */
};

/* Load req: 0 and *out filled, or -errno (ENOENT, EACCES, ENOEXEC, E2BIG,
 * ELOOP, ENOMEM...). t supplies the limits; t's own memory is untouched. */
long loader_exec(struct task *t, const struct exec_request *req, struct exec_image *out);
/* The first program: loaded into t, or a message on stderr and cvisor's exit
 * status (126 cannot execute, 127 not found). */
int loader_boot(struct task *t, const struct exec_request *req);

#endif
