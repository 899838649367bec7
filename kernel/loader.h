/* The ELF loader: a static executable into a fresh address space. */
#ifndef CVISOR_LOADER_H
#define CVISOR_LOADER_H

#include "task.h"

/* Load req->path into t->mm and set t->regs for its entry. 0 on success,
 * else a message on stderr and cvisor's exit status (126 cannot execute,
 * 127 not found). */
int load_program(struct task *t, const struct exec_request *req);

#endif
