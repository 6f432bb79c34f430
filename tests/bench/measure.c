/*
 * measure.c - what one run of a command costs, for the benchmark
 * (tests/bench/perf_bench.py): its wall time and its peak resident memory.
 *
 * Usage: measure FILE COMMAND [ARG]...
 *
 * Runs COMMAND with this program's standard streams, writes "SECONDS
 * BYTES" to FILE, and exits with the command's status (128 + the signal
 * that ended it; 127 if it could not be run). The wall time is from fork
 * to waitpid; the memory is the child's, this program's only one
 * (getrusage of RUSAGE_CHILDREN). Python cannot measure either itself: the
 * kernel keeps the largest resident size a process ever had, the memory of the
 * process it was forked from included, so a child of the benchmark counted the
 * benchmark's own 20 MB; and Python's spawning takes as long as a small
 * run. This program is small, and its child starts from its size.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: measure FILE COMMAND [ARG]...\n", stderr);
		return 2;
	}
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	pid_t pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "measure: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("measure: waitpid");
			return 2;
		}
	clock_gettime(CLOCK_MONOTONIC, &end);
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	double secs = (double)(end.tv_sec - start.tv_sec) +
		      (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	FILE *f = fopen(argv[1], "w");
	if (!f ||
	    fprintf(f, "%.9f %lld\n", secs, (long long)ru.ru_maxrss * 1024) <
		    0 ||
	    fclose(f)) {
		perror(argv[1]);
		return 2;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
