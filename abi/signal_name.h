#ifndef CVISOR_ABI_SIGNAL_NAME_H
#define CVISOR_ABI_SIGNAL_NAME_H
/* "SIGINT" for 2, as strace names it; NULL for real-time and unknown ones. */
const char *signal_name(int sig);
#endif
