/* Errno names as the guest sees them (x86-64 Linux numbers equal the host's). */
#include <string.h>

#include "errno_name.h"
#include "linux.h"

const char *errno_name(int err)
{
	switch (err) {
	case ERESTARTSYS: return "ERESTARTSYS";
	case ERESTARTNOINTR: return "ERESTARTNOINTR";
	case ERESTARTNOHAND: return "ERESTARTNOHAND";
	case ERESTART_RESTARTBLOCK: return "ERESTART_RESTARTBLOCK";
	}
	return strerrorname_np(err);
}

const char *errno_text(int err)
{
	switch (err) {
	case ERESTARTSYS: return "To be restarted if SA_RESTART is set";
	case ERESTARTNOINTR: return "To be restarted";
	case ERESTARTNOHAND: return "To be restarted if no handler";
	case ERESTART_RESTARTBLOCK: return "Interrupted by signal";
	}
	return strerrordesc_np(err);
}
