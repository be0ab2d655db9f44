/* Disk workloads the shell cannot time well: random 4 KiB reads of a file, and creating small files each made durable by fsync. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "randread")) {
		/* randread FILE COUNT SEED: COUNT preads of 4 KiB at random 4 KiB-aligned offsets. */
		int fd = open(argv[2], O_RDONLY);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) || st.st_size < 4096) {
			perror("diskio: randread");
			return 1;
		}
		long count = atol(argv[3]);
		unsigned long x = strtoul(argv[4], NULL, 0) | 1, blocks = (unsigned long)st.st_size / 4096;
		static char buf[4096];
		for (long i = 0; i < count; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			if (pread(fd, buf, sizeof buf, (off_t)(x % blocks) * 4096) != (ssize_t)sizeof buf) {
				perror("diskio: pread");
				return 1;
			}
		}
		return close(fd) ? 1 : 0;
	}
	if (argc == 4 && !strcmp(argv[1], "smallfiles")) {
		/* smallfiles DIR N: N files of 100 bytes, each written and fsync'd. */
		long n = atol(argv[3]);
		char path[4096], data[100];
		memset(data, 'd', sizeof data);
		for (long i = 0; i < n; i++) {
			snprintf(path, sizeof path, "%s/f%05ld", argv[2], i);
			int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || write(fd, data, sizeof data) != (ssize_t)sizeof data || fsync(fd) ||
			    close(fd)) {
				perror("diskio: smallfiles");
				return 1;
			}
		}
		return 0;
	}
	fprintf(stderr, "usage: diskio randread FILE COUNT SEED | diskio smallfiles DIR N\n");
	return 2;
}
