/*
 * main.c - options, pass order, exit status; nothing else.
 *
 * Exit status: 0 clean or warnings only, 1 an input has errors, 2 usage,
 * I/O or internal failure.
 */
#include "skillc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_CLEAN = 0, EXIT_INPUT = 1, EXIT_FAILURE_ = 2 };

static const char usage_text[] =
	"usage: skillc check [options] FILE...\n"
	"       skillc --list-checks\n"
	"       skillc --version\n"
	"\n"
	"Validate skill standards and report every problem found.\n"
	"\n"
	"options:\n"
	"  -W NAME, -WNAME   report check NAME (a name or an ID) as a warning\n"
	"  -Wno-NAME         do not report check NAME\n"
	"  -E NAME, -ENAME   report check NAME as an error\n"
	"  -Werror           report every warning as an error\n"
	"  --caret=WHEN      quote the source line under each diagnostic:\n"
	"                    auto (when stderr is a terminal), always, never\n"
	"  -h, --help        print this help\n";

PRINTF_LIKE(1, 2) static int
usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("skillc: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n(run 'skillc --help' for usage)\n", stderr);
	va_end(ap);
	return EXIT_FAILURE_;
}

static void
list_checks(void)
{
	for (int r = 0; r < RULE_COUNT; r++) {
		const struct rule_info *info = &rule_table[r];
		const char *sev = info->fixed			 ? "input"
				  : info->severity == SEV_ERROR ? "error"
								: "warning";
		printf("%s  %-24s %-8s %s\n", info->id, info->name, sev,
		       info->summary);
	}
}

/* -W NAME, -Wno-NAME, -E NAME: set one rule's severity for this run. */
static int
set_rule(struct diag *d, const char *name, enum severity sev)
{
	int r = rule_find(name);
	if (r < 0)
		return usage_error("unknown check '%s' (see --list-checks)",
				   name);
	if (rule_table[r].fixed)
		return usage_error("'%s' is a rule of the input format and is always an error",
				   name);
	diag_set_severity(d, (enum rule)r, sev);
	return EXIT_CLEAN;
}

/* The passes over one file; stops between passes when errors exist. */
static int
check_file(struct arena *a, struct diag *d, const char *path, bool caret)
{
	char *buf;
	size_t len;
	int err = load_read(a, path, &buf, &len);
	if (err) {
		fprintf(stderr, "skillc: error: cannot read '%s': %s\n", path,
			err == EFBIG ? "file larger than the 256 MiB limit"
				     : strerror(err));
		return EXIT_FAILURE_;
	}
	size_t errors = diag_errors(d);
	const struct node *root = load_buffer(a, d, path, buf, len);
	const struct standard *s = root ? model_build(a, d, root) : NULL;
	if (s)
		check_run(s, d, a);
	diag_flush(d, stderr, caret);
	return diag_errors(d) > errors ? EXIT_INPUT : EXIT_CLEAN;
}

int
main(int argc, char **argv)
{
	struct arena *a = arena_new();
	struct diag *d = diag_new(a);
	int status = EXIT_CLEAN;
	int caret = -1; /* auto */
	const char **files = calloc((size_t)argc, sizeof *files);
	size_t nfiles = 0;
	bool check = false;
	if (!files)
		die_oom();
	for (int i = 1; i < argc && status == EXIT_CLEAN; i++) {
		const char *arg = argv[i];
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			fputs(usage_text, stdout);
			goto done;
		} else if (!strcmp(arg, "--version")) {
			puts("skillc " SKILLC_VERSION);
			goto done;
		} else if (!strcmp(arg, "--list-checks")) {
			list_checks();
			goto done;
		} else if (!strcmp(arg, "-Werror")) {
			diag_set_werror(d, true);
		} else if (!strncmp(arg, "-Wno-", 5)) {
			status = set_rule(d, arg + 5, SEV_OFF);
		} else if (!strcmp(arg, "-W") || !strcmp(arg, "-E")) {
			if (i + 1 == argc)
				status = usage_error("'%s' needs a check name",
						     arg);
			else
				status = set_rule(d, argv[++i],
						  arg[1] == 'W' ? SEV_WARNING
								: SEV_ERROR);
		} else if (!strncmp(arg, "-W", 2) || !strncmp(arg, "-E", 2)) {
			status = set_rule(d, arg + 2,
					  arg[1] == 'W' ? SEV_WARNING
							: SEV_ERROR);
		} else if (!strncmp(arg, "--caret=", 8)) {
			const char *when = arg + 8;
			if (!strcmp(when, "always"))
				caret = 1;
			else if (!strcmp(when, "never"))
				caret = 0;
			else if (!strcmp(when, "auto"))
				caret = -1;
			else
				status = usage_error("--caret takes auto, always or never, not '%s'",
						     when);
		} else if (arg[0] == '-' && arg[1]) {
			status = usage_error("unknown option '%s'", arg);
		} else if (!check && !nfiles) {
			if (strcmp(arg, "check"))
				status = usage_error("unknown command '%s'",
						     arg);
			check = true;
		} else {
			files[nfiles++] = arg;
		}
	}
	if (status == EXIT_CLEAN && !nfiles) {
		fputs(usage_text, stderr);
		status = EXIT_FAILURE_;
	}
	if (caret < 0)
		caret = isatty(STDERR_FILENO);
	if (status == EXIT_CLEAN) {
		for (size_t i = 0; i < nfiles; i++) {
			int s = check_file(a, d, files[i], caret);
			if (s > status)
				status = s;
		}
	}
done:
	free(files);
	arena_free(a);
	return status;
}
