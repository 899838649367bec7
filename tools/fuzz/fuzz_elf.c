/* libFuzzer harness: the loader's parsing of an executable's first bytes
 * (kernel/elf_parse.c), fed as exec would read them from a file: the ELF
 * header at 0, the program headers at e_phoff, or a "#!" line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf_parse.h"

/* The ptrace platform's guest address limit (the stub page above it). */
#define MAX_USER 0x7ffffffef000UL
#define BINPRM_BUF_SIZE 256

static void check_script(const uint8_t *data, size_t size)
{
	char head[BINPRM_BUF_SIZE], line[BINPRM_BUF_SIZE];
	size_t n = size < sizeof head ? size : sizeof head;
	memcpy(head, data, n);
	char *interp, *arg;
	if (script_parse(head, n, line, &interp, &arg) < 0)
		return;
	/* Both point into line, NUL-terminated, without blanks at the ends. */
	if (interp < line || interp >= line + sizeof line || !*interp || strlen(interp) >= sizeof line)
		abort();
	if (arg && (arg < line || arg >= line + sizeof line || !*arg || arg[strlen(arg) - 1] == ' '))
		abort();
}

static void check_elf(const uint8_t *data, size_t size)
{
	Elf64_Ehdr eh;
	if (size < sizeof eh)
		return;
	memcpy(&eh, data, sizeof eh);
	if (elf_check_header(&eh))
		return;
	size_t bytes = eh.e_phnum * sizeof(Elf64_Phdr);
	if (eh.e_phoff > size || size - eh.e_phoff < bytes)
		return; /* a short pread: "truncated" */
	Elf64_Phdr *ph = malloc(bytes);
	if (!ph)
		return;
	memcpy(ph, data + eh.e_phoff, bytes);
	struct elf_layout l;
	if (!elf_check_segments(&eh, ph, MAX_USER, &l)) {
		/* What the loader then maps must lie in the guest's range. */
		for (int i = 0; i < eh.e_phnum; i++) {
			if (ph[i].p_type != PT_LOAD)
				continue;
			uint64_t start = ph[i].p_vaddr + l.bias, end = start + ph[i].p_memsz;
			if (start < 0x10000 || end < start || end > MAX_USER || ph[i].p_filesz > ph[i].p_memsz)
				abort();
		}
	}
	free(ph);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 2 && data[0] == '#' && data[1] == '!')
		check_script(data, size);
	else
		check_elf(data, size);
	return 0;
}
