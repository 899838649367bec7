#ifndef CVISOR_ABI_ERRNO_NAME_H
#define CVISOR_ABI_ERRNO_NAME_H
/* "ENOENT" for 2; the restart codes by their kernel names; NULL if unknown. */
const char *errno_name(int err);
/* "No such file or directory", as strace prints it after the name. */
const char *errno_text(int err);
#endif
