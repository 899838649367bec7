/* cvisor's own seccomp filter: after start-up, only the host syscalls the
 * kernel and its platform make are allowed (see sandbox.c). */
#ifndef CVISOR_SANDBOX_H
#define CVISOR_SANDBOX_H

#include <stdio.h>

#include "../platform/platform.h"

/* Load the filter into every thread of cvisor: 0, or -errno with nothing
 * loaded. From then on any other syscall kills the whole process. */
int sandbox_install(const struct platform *p);

/* The rules sandbox_install loads, one syscall a line with its argument
 * conditions, sorted by name: 0, or -errno. */
int sandbox_print(FILE *out, const struct platform *p);

#endif
