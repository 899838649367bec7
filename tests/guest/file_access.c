/* access, faccessat, faccessat2: modes, flags, and the credentials used. */
#include "guest.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

static void as_user(void)
{
	if (setuid(4321) != 0)
		return;
	SHOW("user: access(/etc/passwd, R_OK)", access("/etc/passwd", R_OK));
	SHOW("user: access(/etc/passwd, W_OK)", access("/etc/passwd", W_OK));
	SHOW("user: access(/etc/shadow, R_OK)", access("/etc/shadow", R_OK));
	SHOW("user: access(/bin/busybox, X_OK)", access("/bin/busybox", X_OK));
}

int main(void)
{
	SHOW("access(/bin/busybox, X_OK)", access("/bin/busybox", X_OK));
	SHOW("access(/bin/busybox, R_OK|W_OK)", access("/bin/busybox", R_OK | W_OK));
	SHOW("access(/etc/passwd, X_OK) as root", access("/etc/passwd", X_OK));
	SHOW("access(/etc, X_OK)", access("/etc", X_OK));
	SHOW("access(/nonexistent, F_OK)", access("/nonexistent", F_OK));
	SHOW("access bad mode", access("/etc/passwd", 8));
	SHOW("access bad pointer", syscall(SYS_access, (char *)8, R_OK));
	SHOW("faccessat(AT_FDCWD, etc/passwd from /)", faccessat(AT_FDCWD, "/etc/passwd", R_OK, 0));
	SHOW("faccessat2 AT_EACCESS", syscall(SYS_faccessat2, AT_FDCWD, "/etc/passwd", R_OK, AT_EACCESS));
	SHOW("faccessat2 bad flags", syscall(SYS_faccessat2, AT_FDCWD, "/etc/passwd", R_OK, 0x4));
	SHOW("faccessat2 AT_EMPTY_PATH on stdout", syscall(SYS_faccessat2, 1, "", R_OK, AT_EMPTY_PATH));
	SHOW("faccessat2 empty path without the flag", syscall(SYS_faccessat2, 1, "", R_OK, 0));
	in_child(as_user);
	return 0;
}
