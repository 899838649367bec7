/* The resident counts follow what the process touches: VmRSS in status,
 * field 2 of statm, rss in stat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, key, strlen(key)))
			v = atol(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

static long statm_resident(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = -1;
	if (f && fscanf(f, "%ld %ld", &size, &res) != 2)
		res = -1;
	if (f)
		fclose(f);
	return res;
}

int main(void)
{
	long before = status_kb("VmRSS:"), sbefore = statm_resident();
	size_t len = 16 << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 1, len);
	long after = status_kb("VmRSS:"), safter = statm_resident();
	printf("VmRSS grew by 16 MiB or more: %d\n", after - before >= 16 * 1024);
	printf("statm resident grew by 4096 pages or more: %d\n", safter - sbefore >= 4096);
	printf("VmHWM at least VmRSS: %d\n", status_kb("VmHWM:") >= after);
	munmap(p, len);
	printf("VmRSS fell again: %d\n", status_kb("VmRSS:") < after - 8 * 1024);
	return 0;
}
