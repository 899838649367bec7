/* What exec reads from a file, parsed without any I/O (tools/fuzz feeds
 * these any bytes): the ELF header, the program headers and a "#!" line. */
#ifndef CVISOR_ELF_PARSE_H
#define CVISOR_ELF_PARSE_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Program headers exec reads at most (binfmt_elf: 64 KiB of them). */
#define ELF_MAX_PHNUM (65536 / sizeof(Elf64_Phdr))

/* The ELF header: NULL if it is one cvisor loads, else why not. */
const char *elf_check_header(const Elf64_Ehdr *e);

struct elf_layout {
	uint64_t bias;   /* added to every p_vaddr (ET_DYN) */
	bool exec_stack; /* PT_GNU_STACK asks for PF_X */
};

/* The program headers, checked as binfmt_elf does before anything is
 * mapped, for a guest whose addresses end at max_user: NULL and *out, or
 * why not. e passed elf_check_header; ph has e->e_phnum entries. */
const char *elf_check_segments(const Elf64_Ehdr *e, const Elf64_Phdr *ph, uint64_t max_user,
			       struct elf_layout *out);

/* fs/binfmt_script.c: the interpreter and its optional argument from the
 * first n bytes of a file starting "#!", copied into line (n bytes at
 * least). 0, or -ENOEXEC when there is no interpreter. */
int script_parse(const char *head, size_t n, char *line, char **interp, char **arg);

#endif
