/* SPDX-License-Identifier: MIT */
/*
 * replay.c - main() for gcc builds of the fuzz targets: run every file
 * given (folders walked, names sorted) through LLVMFuzzerTestOneInput, so
 * `make check` replays the seed corpus and every crash kept so far.
 * Exit 0 when all ran (a crash aborts), 77 when no input was found.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define REPLAY_MAX ((size_t)64 << 20)

static unsigned long ran;

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	size_t n, want;

	if (!fp) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return 1;
	}
	if (fstat(fileno(fp), &st) != 0 || st.st_size < 0) {
		fclose(fp);
		return 1;
	}
	want = (size_t)st.st_size < REPLAY_MAX ? (size_t)st.st_size
					       : REPLAY_MAX;
	buf = malloc(want ? want : 1);
	if (!buf) {
		fclose(fp);
		return 1;
	}
	n = fread(buf, 1, want, fp);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	ran++;
	return 0;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path, int depth)
{
	struct stat st;
	struct dirent **list;
	int n, i, rc = 0;

	if (stat(path, &st) != 0)
		return 0; /* a seed folder that does not exist: nothing */
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode) ? run_file(path) : 0;
	if (depth > 8)
		return 0;
	n = scandir(path, &list, NULL, name_cmp);
	if (n < 0)
		return 1;
	for (i = 0; i < n; i++) {
		char child[4096];

		if (list[i]->d_name[0] != '.' &&
		    (size_t)snprintf(child, sizeof(child), "%s/%s", path,
				     list[i]->d_name) < sizeof(child))
			rc |= run_path(child, depth + 1);
		free(list[i]);
	}
	free(list);
	return rc;
}

int main(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++)
		rc |= run_path(argv[i], 0);
	printf("%lu inputs replayed\n", ran);
	if (rc)
		return 1;
	return ran ? 0 : 77;
}
