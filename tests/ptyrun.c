/* ptyrun: drive a program on a pseudo-terminal, expect-style, for tests.
 *   ptyrun [-t SECONDS] -- PROGRAM [ARG...] < SCRIPT
 * SCRIPT lines: "expect TEXT" waits until the output so far (since the last
 * match) contains TEXT; "send TEXT" types TEXT (\r, \n, \t, \xNN escapes:
 * \x03 is Ctrl-C); "pause MS" reads output for MS milliseconds (to let
 * the program get somewhere no output shows). Exit 0 when every expect matched within the timeout
 * (default 10 s each), 1 otherwise; the output goes to stdout. */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char seen[1 << 16];
static size_t nseen, from;

static size_t unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p != '\\' || !p[1]) {
			*o++ = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'r': *o++ = '\r'; break;
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'x': *o++ = (char)strtol((char[]){ p[1], p[2], 0 }, NULL, 16); p += 2; break;
		default: *o++ = *p;
		}
	}
	*o = 0;
	return (size_t)(o - s);
}

/* Read what the program wrote, for up to ms milliseconds. */
static int pump(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int r = poll(&p, 1, ms);
	if (r <= 0)
		return r;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n <= 0)
		return -1;
	fwrite(buf, 1, (size_t)n, stdout);
	fflush(stdout);
	if (nseen + (size_t)n < sizeof seen) {
		memcpy(seen + nseen, buf, (size_t)n);
		nseen += (size_t)n;
		seen[nseen] = 0;
	}
	return 1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double timeout = 10;
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "-t") == 0) {
		timeout = atof(argv[i + 1]);
		i += 2;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: ptyrun [-t SECONDS] -- PROGRAM [ARG...] < SCRIPT\n");
		return 2;
	}
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		perror("ptyrun: forkpty");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[i], argv + i);
		perror("ptyrun: exec");
		_exit(127);
	}
	char line[4096];
	int ok = 1;
	while (ok && fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, "expect ", 7) == 0) {
			char *want = line + 7;
			unescape(want);
			double end = now() + timeout;
			while (!strstr(seen + from, want)) {
				if (now() > end || pump(master, 100) < 0) {
					fprintf(stderr, "\nptyrun: never saw \"%s\"\n", want);
					ok = 0;
					break;
				}
			}
			if (ok)
				from = (size_t)(strstr(seen + from, want) - seen) + strlen(want);
		} else if (strncmp(line, "pause ", 6) == 0) {
			double end = now() + atof(line + 6) / 1000;
			while (now() < end && pump(master, 50) >= 0)
				;
		} else if (strncmp(line, "send ", 5) == 0) {
			size_t n = unescape(line + 5);
			if (write(master, line + 5, n) != (ssize_t)n)
				ok = 0;
		}
	}
	/* Drain, then end the program if it is still there. */
	while (pump(master, 200) > 0)
		;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return ok ? 0 : 1;
}
