/* ELF header and "#!" parsing for the loader, pure (see elf_parse.h). */
#include <errno.h>
#include <string.h>

#include "../abi/linux.h"
#include "elf_parse.h"

/* arch/x86/include/asm/elf.h: ELF_ET_DYN_BASE with randomization off. */
#define ET_DYN_BASE 0x555555554000UL

const char *elf_check_header(const Elf64_Ehdr *e)
{
	if (memcmp(e->e_ident, ELFMAG, SELFMAG) != 0)
		return "not an ELF executable";
	if (e->e_ident[EI_CLASS] != ELFCLASS64 || e->e_ident[EI_DATA] != ELFDATA2LSB ||
	    e->e_machine != EM_X86_64)
		return "not an x86-64 ELF64 executable";
	if (e->e_type != ET_EXEC && e->e_type != ET_DYN)
		return "not an executable ELF file (neither ET_EXEC nor ET_DYN)";
	if (e->e_phentsize != sizeof(Elf64_Phdr) || e->e_phnum == 0 || e->e_phnum > ELF_MAX_PHNUM)
		return "bad ELF program header table";
	return NULL;
}

const char *elf_check_segments(const Elf64_Ehdr *e, const Elf64_Phdr *ph, uint64_t max_user,
			       struct elf_layout *out)
{
	const uint64_t page = LINUX_PAGE_SIZE;
	uint64_t lo = UINT64_MAX, hi = 0;
	bool any = false;
	*out = (struct elf_layout){ 0 };
	for (int i = 0; i < e->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		if (p->p_type == PT_INTERP)
			return "dynamically linked executables are not supported (it has PT_INTERP); build it with -static";
		if (p->p_type == PT_GNU_STACK)
			out->exec_stack = (p->p_flags & PF_X) != 0;
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz || p->p_memsz > max_user ||
		    (p->p_vaddr & (page - 1)) != (p->p_offset & (page - 1)) ||
		    p->p_vaddr > max_user - p->p_memsz || p->p_offset > INT64_MAX - p->p_filesz)
			return "bad ELF segment";
		lo = p->p_vaddr < lo ? p->p_vaddr : lo;
		hi = p->p_vaddr + p->p_memsz > hi ? p->p_vaddr + p->p_memsz : hi;
		any = true;
	}
	if (!any)
		return "no loadable segments";
	if (e->e_type == ET_DYN)
		out->bias = ET_DYN_BASE - (lo & ~(page - 1));
	/* Modular: a bias "below zero" moves the image down. */
	if ((lo & ~(page - 1)) + out->bias < LINUX_MMAP_MIN_ADDR ||
	    hi + out->bias > max_user - (128UL << 20))
		return "segments outside the guest address space";
	return NULL;
}

int script_parse(const char *head, size_t n, char *line, char **interp, char **arg)
{
	size_t len = 0;
	while (len + 2 < n && head[len + 2] != '\n')
		len++;
	memcpy(line, head + 2, len);
	line[len] = 0;
	char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		/* the rest of the line, trailing blanks cut, is one argument */
		char *end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
		if (*p)
			*arg = p;
	}
	return **interp ? 0 : -ENOEXEC;
}
