/*
 * main.c - the driver: options, the command, the exit status.
 *
 * The options are a table: each names its spelling, whether it takes a
 * value, the commands it belongs to and the field it sets. The passes are
 * pipeline.c's; build and fix are build.c and fix.c.
 * Exit status: 0 clean or warnings only, 1 an input has errors, 2 usage,
 * I/O or internal failure.
 */
#include "skillc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum command { CMD_NONE, CMD_CHECK, CMD_BUILD, CMD_FIX };
enum {
	IN_CHECK = 1 << CMD_CHECK,
	IN_BUILD = 1 << CMD_BUILD,
	IN_FIX = 1 << CMD_FIX,
	IN_ANY = IN_CHECK | IN_BUILD | IN_FIX
};

static const char *const command_names[] = { NULL, "check", "build", "fix" };

static const char usage_text[] =
	"usage: skillc check [options] FILE...\n"
	"       skillc build [options] -o DIR FILE...\n"
	"       skillc fix [options] FILE...\n"
	"       skillc [--rules FILE]... [--profile FILE]... --list-checks\n"
	"       skillc --version\n"
	"\n"
	"check validates skill standards and reports every problem found;\n"
	"build also writes, for each FILE, a C header, JSON, Markdown and a\n"
	"Word document;\n"
	"fix applies the replacements of the text rules to FILE in place.\n"
	"\n"
	"options:\n"
	"  -W NAME, -WNAME   report check NAME (a name or an ID) as a warning\n"
	"  -Wno-NAME         do not report check NAME\n"
	"  -E NAME, -ENAME   report check NAME as an error\n"
	"  -Werror           report every warning as an error\n"
	"  --caret=WHEN      quote the source line under each diagnostic:\n"
	"                    auto (when stderr is a terminal), always, never\n"
	"  --rules FILE      add a rules file's text rules, terms and severities\n"
	"                    to the shipped ones (repeatable)\n"
	"  --profile FILE    add a profile (docs/profiles.md) to the built-in\n"
	"                    ones, for standards that name it (repeatable)\n"
	"build options:\n"
	"  -o DIR            write the outputs into DIR (created if missing)\n"
	"  --format=LIST     the outputs to write, of %s (default: all)\n"
	"  --name=BASE       base name of the outputs (one FILE only; default:\n"
	"                    FILE's name without its .yaml or .yml)\n"
	"  --with=LIST       add parts no draft prints to the documents, of\n"
	"                    notice (the covering letter of a draft for\n"
	"                    comment), cumulative (each level's requirements\n"
	"                    along the levels it includes); default: none\n"
	"  --prefix=PREFIX   prefix of the C header's names (default: from\n"
	"                    the standard's id)\n"
	"  -MF FILE, --depfile=FILE\n"
	"                    write what the outputs depend on as a Makefile\n"
	"                    rule, as gcc -MD -MF does\n"
	"  -h, --help        print this help\n";

struct options {
	enum command command;
	bool help, version, list_checks, werror;
	int caret; /* -1 auto */
	const char *caret_arg, *format_arg, *with_arg;
	struct build build;
	struct run_options run;
	/* growing lists, argc long */
	const char **files, **rules_files, **profile_files;
	const char **inputs; /* rules and profile files: never overwritten */
	struct setting *settings;
};

/* How an option takes its value: none, "--x=V" or "--x V", glued to the
 * spelling ("-WNAME"), or either of the last two. */
enum arity { FLAG, VALUE, GLUED, VALUE_OR_GLUED };

enum action { SET, ADD_RULES, ADD_PROFILE, SET_SEVERITY, TRUE };

#define AT(member) offsetof(struct options, member)

static const struct option {
	const char *spelling;
	enum arity arity;
	unsigned commands;
	enum action action;
	size_t field; /* offsetof in struct options */
	enum severity sev;
} options[] = {
	/* Longer spellings first: -Werror and -Wno-X before -WX. -h and
	 * --help are seen before the table is. */
	{ "--version", FLAG, IN_ANY, TRUE, AT(version), 0 },
	{ "--list-checks", FLAG, IN_ANY, TRUE, AT(list_checks), 0 },
	{ "-Werror", FLAG, IN_ANY, TRUE, AT(werror), 0 },
	{ "-Wno-", GLUED, IN_ANY, SET_SEVERITY, 0, SEV_OFF },
	{ "-W", VALUE_OR_GLUED, IN_ANY, SET_SEVERITY, 0, SEV_WARNING },
	{ "-E", VALUE_OR_GLUED, IN_ANY, SET_SEVERITY, 0, SEV_ERROR },
	{ "--caret", VALUE, IN_ANY, SET, AT(caret_arg), 0 },
	{ "--rules", VALUE, IN_ANY, ADD_RULES, 0, 0 },
	{ "--profile", VALUE, IN_ANY, ADD_PROFILE, 0, 0 },
	{ "-o", VALUE, IN_BUILD, SET, AT(build.outdir), 0 },
	{ "--format", VALUE, IN_BUILD, SET, AT(format_arg), 0 },
	{ "--name", VALUE, IN_BUILD, SET, AT(build.name), 0 },
	{ "--with", VALUE, IN_BUILD, SET, AT(with_arg), 0 },
	{ "--prefix", VALUE, IN_BUILD, SET, AT(run.prefix), 0 },
	{ "--depfile", VALUE, IN_BUILD, SET, AT(build.depfile), 0 },
	{ "-MF", VALUE, IN_BUILD, SET, AT(build.depfile), 0 },
};

static void
print_usage(FILE *out)
{
	struct strbuf names = { 0 };
	build_format_names(&names, ",");
	fprintf(out, usage_text, names.buf);
	strbuf_free(&names);
}

static int usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2);

static int
usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("skillc: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n(run 'skillc --help' for usage)\n", stderr);
	va_end(ap);
	return 2;
}

/* The option arg is, and its value; NULL when it is none. */
static const struct option *
find_option(int argc, char **argv, int *i, const char **value)
{
	const char *arg = argv[*i];
	for (size_t k = 0; k < sizeof options / sizeof *options; k++) {
		const struct option *op = &options[k];
		size_t len = strlen(op->spelling);
		if (strncmp(arg, op->spelling, len))
			continue;
		const char *rest = arg + len;
		*value = NULL;
		if (op->arity == FLAG && !*rest)
			return op;
		if ((op->arity == GLUED || op->arity == VALUE_OR_GLUED) &&
		    *rest)
			*value = rest;
		else if (op->arity == VALUE && *rest == '=')
			*value = rest + 1;
		else if ((op->arity == VALUE || op->arity == VALUE_OR_GLUED) &&
			 !*rest)
			*value = *i + 1 < argc ? argv[++*i] : "";
		else
			continue;
		return op;
	}
	return NULL;
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	const char *first_build_only = NULL;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		if (arg[0] != '-' || !arg[1]) {
			if (o->command) {
				o->files[o->build.nfiles++] = arg;
				continue;
			}
			for (int c = CMD_CHECK; c <= CMD_FIX && !o->command;
			     c++)
				if (!strcmp(arg, command_names[c]))
					o->command = (enum command)c;
			if (!o->command)
				return usage_error(
					"unknown command '%s' (check, build or fix)",
					arg);
			continue;
		}
		int at = i;
		const struct option *op = find_option(argc, argv, &i, &v);
		if (!op)
			return usage_error("unknown option '%s'", arg);
		if (v && !*v && op->action != SET)
			return usage_error("'%s' needs a value", argv[at]);
		if (op->commands != IN_ANY && !first_build_only)
			first_build_only = op->spelling;
		char *field = (char *)o + op->field;
		switch (op->action) {
		case TRUE:
			*(bool *)field = true;
			break;
		case SET:
			if (i == at && !v)
				return usage_error("'%s' needs a value", arg);
			*(const char **)field = v;
			break;
		case ADD_RULES:
			o->rules_files[o->run.nrules_files++] = v;
			break;
		case ADD_PROFILE:
			o->profile_files[o->run.nprofile_files++] = v;
			break;
		case SET_SEVERITY:
			o->settings[o->run.nsettings++] =
				(struct setting){ v, op->sev };
			break;
		}
	}
	o->run.rules_files = o->rules_files;
	o->run.profile_files = o->profile_files;
	o->run.settings = o->settings;
	o->build.files = o->files;
	for (size_t i = 0; i < o->run.nrules_files; i++)
		o->inputs[o->build.nrules_files++] = o->rules_files[i];
	for (size_t i = 0; i < o->run.nprofile_files; i++)
		o->inputs[o->build.nrules_files++] = o->profile_files[i];
	o->build.rules_files = o->inputs;
	if (o->version || (o->list_checks && !o->command))
		return 0;
	if (!o->command || !o->build.nfiles) {
		print_usage(stderr);
		return 2;
	}
	if (first_build_only && o->command != CMD_BUILD)
		return usage_error("'%s' belongs to 'skillc build'",
				   first_build_only);
	if (o->caret_arg) {
		static const char *const when[] = { "never", "always", "auto" };
		int k = 0;
		while (k < 3 && strcmp(o->caret_arg, when[k]))
			k++;
		if (k == 3)
			return usage_error(
				"--caret takes auto, always or never, not '%s'",
				o->caret_arg);
		o->caret = k == 2 ? -1 : k;
	}
	struct build *b = &o->build;
	if (o->format_arg) {
		const char *bad = o->format_arg;
		if (!build_formats(&bad, &b->formats)) {
			struct strbuf names = { 0 };
			build_format_names(&names, ", ");
			int s = *bad ? usage_error(
					       "unknown format '%.*s' in --format (%s)",
					       (int)strcspn(bad, ","), bad,
					       names.buf)
				     : usage_error(
					       "--format takes a list of %s, not an empty one",
					       names.buf);
			strbuf_free(&names);
			return s;
		}
	}
	if (o->with_arg) {
		const char *bad = o->with_arg;
		if (!build_parts(&bad, &b->parts))
			return *bad ? usage_error(
					      "unknown part '%.*s' in --with (notice, cumulative)",
					      (int)strcspn(bad, ","), bad)
				    : usage_error(
					      "--with takes a list of notice, cumulative, not an empty one%s",
					      "");
	}
	if (o->command != CMD_BUILD)
		return 0;
	if (!b->outdir)
		return usage_error("'skillc build' needs -o DIR%s", "");
	if (!*b->outdir)
		return usage_error("-o takes a directory, not an empty name%s",
				   "");
	if (b->depfile && !*b->depfile)
		return usage_error(
			"--depfile takes a file, not an empty name%s", "");
	if (b->name && b->nfiles > 1)
		return usage_error("--name takes one input file, not %zu",
				   b->nfiles);
	if (b->name && (!*b->name || strchr(b->name, '/')))
		return usage_error("--name takes a base name, not '%s'",
				   b->name);
	if (o->run.prefix && !cname_valid_prefix(o->run.prefix))
		return usage_error(
			"--prefix '%s' is not a C identifier of at most 31 characters without '__' or a final '_'",
			o->run.prefix);
	return 0;
}

static void
list_checks(const struct diag *d)
{
	for (size_t r = 0; r < diag_rule_total(d); r++) {
		const struct rule_info *info = diag_rule(d, (int)r);
		const char *sev = info->fixed			  ? "input"
				  : info->severity == SEV_ERROR	  ? "error"
				  : info->severity == SEV_WARNING ? "warning"
								  : "off";
		printf("%s  %-24s %-8s %s\n", info->id, info->name, sev,
		       info->summary);
	}
}

static int
run_command(struct arena *a, struct options *o)
{
	struct run *run = pipeline_new(a, &o->run);
	if (!run)
		return 2;
	int status = 0;
	if (o->list_checks) {
		const char *unknown = pipeline_unknown_setting(run);
		if (unknown)
			return usage_error(
				"unknown check '%s' (see --list-checks)",
				unknown);
		list_checks(pipeline_diag(run));
		return 0;
	}
	if (o->command == CMD_BUILD) {
		status = build_run(run, a, &o->build);
	} else {
		for (size_t i = 0; i < o->build.nfiles; i++) {
			/* Each standard in an arena of its own, gone before
			 * the next: a run over a thousand files needs the
			 * memory of the largest. */
			struct arena *fa = arena_new();
			struct unit u;
			int s = o->command == CMD_FIX
					? fix_file(run, fa, o->files[i],
						   o->run.caret > 0)
					: pipeline_read(run, fa, &u,
							o->files[i], 0);
			arena_free(fa);
			if (s > status)
				status = s;
		}
	}
	const char *unknown = pipeline_unknown_setting(run);
	if (unknown)
		return usage_error("unknown check '%s' (see --list-checks)",
				   unknown);
	return status;
}

int
main(int argc, char **argv)
{
	struct arena *a = arena_new();
	struct options o = { .caret = -1, .build.formats = ~0u };
	o.files = arena_array(a, (size_t)argc, sizeof *o.files);
	o.rules_files = arena_array(a, (size_t)argc, sizeof *o.rules_files);
	o.profile_files = arena_array(a, (size_t)argc, sizeof *o.profile_files);
	o.inputs = arena_array(a, (size_t)argc, sizeof *o.inputs);
	o.settings = arena_array(a, (size_t)argc, sizeof *o.settings);
	/* A closed pipe is reported as a write error, not a silent death; so
	 * is a file size limit (ulimit -f): "File too large". */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	/* Help wins over everything else on the line, errors included. */
	for (int i = 1; i < argc && !o.help; i++)
		o.help = !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help");
	int status = o.help ? 0 : parse_args(argc, argv, &o);
	if (status) {
	} else if (o.help) {
		print_usage(stdout);
	} else if (o.version) {
		puts("skillc " SKILLC_VERSION);
	} else {
		o.run.werror = o.werror;
		o.run.caret = o.caret < 0 ? isatty(STDERR_FILENO) : o.caret;
		status = run_command(a, &o);
	}
	arena_free(a);
	/* What went to standard output must have arrived: a full disk or a
	 * closed pipe is an error like any other write. */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr,
			"skillc: error: cannot write to standard output: %s\n",
			strerror(errno));
		return 2;
	}
	return status;
}
