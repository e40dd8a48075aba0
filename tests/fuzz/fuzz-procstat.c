/* proc_start_time(): field 22 of /proc/PID/stat, whose comm field the
 * process itself names (spaces and parentheses included); read through
 * the sysroot layer from a scratch tree, as the helper reads /proc. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "seat.h"
#include "sysroot.h"

static struct sysroot sr;
static char root[] = "/tmp/ss-fuzz-proc.XXXXXX", stat_path[64];

/* libFuzzer ends with exit(): the scratch tree goes with it */
static void remove_tree(void)
{
	char dir[64];

	unlink(stat_path);
	snprintf(dir, sizeof(dir), "%s/proc/42", root);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/proc", root);
	rmdir(dir);
	rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct ss_error e = {""};
	char dir[64];

	(void)argc;
	(void)argv;
	if (!mkdtemp(root))
		abort();
	snprintf(dir, sizeof(dir), "%s/proc", root);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/proc/42", root);
	mkdir(dir, 0700);
	snprintf(stat_path, sizeof(stat_path), "%s/stat", dir);
	if (sysroot_open(&sr, root, &e) < 0)
		abort();
	atexit(remove_tree);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long long start;
	int fd = open(stat_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	(void)proc_start_time(&sr, 42, &start);
	return 0;
}
