/*
 * main.c - the driver: options, the command, the exit status.
 *
 * The options are a table: each names its spelling, whether it takes a
 * value, the commands it belongs to and the field it sets. The passes are
 * pipeline.c's; build, fix and diff are build.c, fix.c and diff.c.
 * Exit status: 0 clean or warnings only, 1 an input has errors, 2 usage,
 * I/O or internal failure.
 */
#include "skillc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum command {
	CMD_NONE,
	CMD_CHECK,
	CMD_BUILD,
	CMD_FIX,
	CMD_EXPLAIN,
	CMD_INIT,
	CMD_DIFF,
	CMD_COUNT
};
enum {
	IN_CHECK = 1 << CMD_CHECK,
	IN_BUILD = 1 << CMD_BUILD,
	IN_FIX = 1 << CMD_FIX,
	IN_EXPLAIN = 1 << CMD_EXPLAIN,
	IN_INIT = 1 << CMD_INIT,
	IN_DIFF = 1 << CMD_DIFF,
	/* the commands that read standards through the pipeline */
	IN_ANY = IN_CHECK | IN_BUILD | IN_FIX | IN_DIFF
};

static const char *const command_names[] = { NULL,	"check", "build", "fix",
					     "explain", "init",	 "diff" };

/* The help, in three blocks (C promises string literals of 4095 bytes),
 * each translated whole; macros, so that the compiler checks the formats
 * of their translations' calls (gettext's format_arg). */
/* TRANSLATORS: the help (skillc --help), first block; %s is the
 * list of output formats. Keep the option names, the metavariables
 * (FILE, NAME, DIR, LIST...) and the commands as they are, and the
 * descriptions in a column (a Chinese character is two columns
 * wide on a terminal). */
/* xgettext:c-format */
#define USAGE_TEXT                                                                       \
	N_("usage: skillc check [options] FILE...\n"                                     \
	   "       skillc build [options] -o DIR FILE...\n"                              \
	   "       skillc fix [options] FILE...\n"                                       \
	   "       skillc diff [options] OLD NEW\n"                                      \
	   "       skillc init [--profile KEY] [--levels LEVELS] FILE\n"                 \
	   "       skillc explain [--rules FILE]... [--profile FILE]... NAME...|--all\n" \
	   "       skillc [--rules FILE]... [--profile FILE]... --list-checks\n"         \
	   "       skillc --version\n"                                                   \
	   "\n"                                                                          \
	   "check validates skill standards and reports every problem found;\n"          \
	   "build also writes, for each FILE, a C header, JSON, Markdown and a\n"        \
	   "Word document;\n"                                                            \
	   "fix applies the replacements of the text rules to FILE in place.\n"          \
	   "diff compares two drafts of a standard by meaning, one line per\n"           \
	   "change; exit status 0 if equal, 1 if not, 2 on error (docs/diff.md).\n"      \
	   "A FILE '-' is standard input (check, and build with --name).\n"              \
	   "init writes FILE ('-': standard output), a new standard to fill in\n"        \
	   "that checks clean, from the skeleton of a profile; never over a file.\n"     \
	   "explain prints the entry of check NAME (a name or an ID) in the\n"           \
	   "catalogue, docs/checks.md: what it catches, why, an example, and how\n"      \
	   "to silence it; --all, of every check.\n"                                     \
	   "\n"                                                                          \
	   "options:\n"                                                                  \
	   "  -W NAME, -WNAME   report check NAME (a name or an ID) as a warning\n"      \
	   "  -Wno-NAME         do not report check NAME\n"                              \
	   "  -E NAME, -ENAME   report check NAME as an error\n"                         \
	   "  -Werror           report every warning as an error\n"                      \
	   "  -Werror=NAME      report check NAME as an error, as -E NAME does\n"        \
	   "  -Wno-error=NAME   keep check NAME a warning, under -Werror too\n"          \
	   "  -Wno-error        undo -Werror\n"                                          \
	   "  -w                report no warnings: only errors\n"                       \
	   "                    (the last option for a check wins; -Werror\n"            \
	   "                    applies at the end, -w before it)\n"                     \
	   "  --caret=WHEN      quote the source line under each diagnostic:\n"          \
	   "                    auto (when stderr is a terminal), always, never\n"       \
	   "  --rules FILE      add a rules file's text rules, terms and severities\n"   \
	   "                    to the shipped ones (repeatable)\n"                      \
	   "  --profile FILE    add a profile (docs/profiles.md) to the built-in\n"      \
	   "                    ones, for standards that name it (repeatable)\n"         \
	   "  --baseline=FILE   report only the findings FILE does not hold\n"           \
	   "                    (docs/suppressions.md)\n"                                \
	   "  --update-baseline (check) write the findings into the --baseline\n"        \
	   "                    FILE instead of reporting them\n"                        \
	   "diff options:\n"                                                             \
	   "  --format=FORMAT   text (default), markdown (for a report of the\n"         \
	   "                    changes) or json (schema/skillc-diff.schema.json)\n"     \
	   "fix options:\n"                                                              \
	   "  --dry-run, --diff print what fix would change as a unified diff,\n"        \
	   "                    change nothing; exit status 1 if it would\n"             \
	   "build options:\n"                                                            \
	   "  -o DIR            write the outputs into DIR (created if missing)\n"       \
	   "  --format=LIST     the outputs to write, of %s (default: all)\n"            \
	   "  --name=BASE       base name of the outputs (one FILE only; default:\n"     \
	   "                    FILE's name without its .yaml or .yml)\n"                \
	   "  --with=LIST       add parts no draft prints to the documents, of\n"        \
	   "                    notice (the covering letter of a draft for\n"            \
	   "                    comment), cumulative (each level's requirements\n"       \
	   "                    along the levels it includes); default: none\n"          \
	   "  --prefix=PREFIX   prefix of the C header's names (one FILE only;\n"        \
	   "                    default: from the standard's id)\n"                      \
	   "  -MF FILE, --depfile=FILE\n"                                                \
	   "                    write what the outputs depend on as a Makefile\n"        \
	   "                    rule, as gcc -MD -MF does\n"                             \
	   "  -MT TARGET        the target of the depfile's rule (default: the\n"        \
	   "                    outputs), as with gcc\n")

/* TRANSLATORS: the help, last block; %s is the list of the
 * profiles (their keys, one marked "(default)"). */
/* xgettext:c-format */
#define USAGE_TEXT_END                                                          \
	N_("init options:\n"                                                    \
	   "  --profile KEY     the profile whose layout FILE takes, of\n"      \
	   "                    %s\n"                                           \
	   "  --levels LEVELS   the levels: N (the N lowest), or consecutive\n" \
	   "                    levels by key or name, comma-separated\n"       \
	   "                    (default: the profile's usual ones)\n"          \
	   "  -h, --help        print this help\n")

struct options {
	enum command command;
	bool help, version, list_checks, werror, no_warnings, explain_all;
	bool dry_run; /* fix --dry-run, --diff */
	enum diff_format diff_format;
	int caret; /* -1 auto */
	const char *caret_arg, *format_arg, *with_arg;
	/* docs/diagnostics.md */
	const char *diag_format_arg, *color_arg, *column_arg, *diag_file;
	struct diag_sink_options diag;
	struct build build;
	struct run_options run;
	struct init_options init;
	/* growing lists, argc long */
	const char **files, **rules_files, **profile_files;
	const char **inputs; /* rules and profile files: never overwritten */
	struct setting *settings;
};

/* How an option takes its value: none, "--x=V" or "--x V", glued to the
 * spelling ("-WNAME"), or either of the last two. */
enum arity { FLAG, VALUE, GLUED, VALUE_OR_GLUED };

enum action {
	SET,
	ADD_RULES,
	ADD_PROFILE,
	SET_SEVERITY,
	KEEP_WARNING,
	TRUE,
	FALSE,
	SET_ALWAYS, /* a WHEN option without its value: always */
	SET_NEVER   /* its -fno- form: never */
};

#define AT(member) offsetof(struct options, member)

static const struct option {
	const char *spelling;
	enum arity arity;
	unsigned commands;
	enum action action;
	size_t field; /* offsetof in struct options */
	enum severity sev;
} options[] = {
	/* Longer spellings first: -Werror= before -Werror, -Wno-error= and
	 * -Wno-error before -Wno-X, all before -WX. -h and --help are seen
	 * before the table is. The severity options apply in their order
	 * (struct setting); -Werror and -Wno-error, the last of them, to
	 * every warning left at the end but -Wno-error=NAME's. */
	{ "--version", FLAG, IN_ANY, TRUE, AT(version), 0 },
	{ "--list-checks", FLAG, IN_ANY, TRUE, AT(list_checks), 0 },
	{ "-Werror=", GLUED, IN_ANY, SET_SEVERITY, 0, SEV_ERROR },
	{ "-Werror", FLAG, IN_ANY, TRUE, AT(werror), 0 },
	{ "-Wno-error=", GLUED, IN_ANY, KEEP_WARNING, 0, 0 },
	{ "-Wno-error", FLAG, IN_ANY, FALSE, AT(werror), 0 },
	{ "-Wno-", GLUED, IN_ANY, SET_SEVERITY, 0, SEV_OFF },
	{ "-W", VALUE_OR_GLUED, IN_ANY, SET_SEVERITY, 0, SEV_WARNING },
	{ "-E", VALUE_OR_GLUED, IN_ANY, SET_SEVERITY, 0, SEV_ERROR },
	{ "-w", FLAG, IN_ANY, TRUE, AT(no_warnings), 0 },
	{ "--caret", VALUE, IN_ANY, SET, AT(caret_arg), 0 },
	{ "--diagnostics-format", VALUE, IN_ANY, SET, AT(diag_format_arg), 0 },
	{ "-fdiagnostics-format", VALUE, IN_ANY, SET, AT(diag_format_arg), 0 },
	{ "--diagnostics-file", VALUE, IN_ANY, SET, AT(diag_file), 0 },
	{ "-fdiagnostics-color", FLAG, IN_ANY, SET_ALWAYS, AT(color_arg), 0 },
	{ "-fdiagnostics-color", VALUE, IN_ANY, SET, AT(color_arg), 0 },
	{ "-fno-diagnostics-color", FLAG, IN_ANY, SET_NEVER, AT(color_arg), 0 },
	{ "-fdiagnostics-column-unit", VALUE, IN_ANY, SET, AT(column_arg), 0 },
	{ "--rules", VALUE, IN_ANY | IN_EXPLAIN, ADD_RULES, 0, 0 },
	/* init: the key of a profile, not a file */
	{ "--profile", VALUE, IN_ANY | IN_EXPLAIN | IN_INIT, ADD_PROFILE, 0,
	  0 },
	{ "--levels", VALUE, IN_INIT, SET, AT(init.levels), 0 },
	{ "--all", FLAG, IN_EXPLAIN, TRUE, AT(explain_all), 0 },
	{ "--baseline", VALUE, IN_ANY, SET, AT(run.baseline), 0 },
	{ "--update-baseline", FLAG, IN_CHECK, TRUE, AT(run.update_baseline),
	  0 },
	{ "--dry-run", FLAG, IN_FIX, TRUE, AT(dry_run), 0 },
	{ "--diff", FLAG, IN_FIX, TRUE, AT(dry_run), 0 },
	{ "-o", VALUE, IN_BUILD, SET, AT(build.outdir), 0 },
	{ "--format", VALUE, IN_BUILD | IN_DIFF, SET, AT(format_arg), 0 },
	{ "--name", VALUE, IN_BUILD, SET, AT(build.name), 0 },
	{ "--with", VALUE, IN_BUILD, SET, AT(with_arg), 0 },
	{ "--prefix", VALUE, IN_BUILD, SET, AT(run.prefix), 0 },
	{ "--depfile", VALUE, IN_BUILD, SET, AT(build.depfile), 0 },
	{ "-MF", VALUE, IN_BUILD, SET, AT(build.depfile), 0 },
	{ "-MT", VALUE, IN_BUILD, SET, AT(build.depfile_target), 0 },
};

/* TRANSLATORS: the help, the block between the two others. */
#define USAGE_DIAGNOSTICS                                                              \
	N_("diagnostics options (docs/diagnostics.md):\n"                              \
	   "  --diagnostics-format=FORMAT, -fdiagnostics-format=FORMAT\n"              \
	   "                    text (default), or one json or sarif document\n"       \
	   "                    instead of the text on stderr\n"                       \
	   "  --diagnostics-file=FILE\n"                                               \
	   "                    write the json or sarif document to FILE instead;\n"   \
	   "                    stderr keeps the text\n"                               \
	   "  -fdiagnostics-color[=WHEN], -fno-diagnostics-color\n"                    \
	   "                    colour the text: auto (the default: stderr is a\n"     \
	   "                    terminal, NO_COLOR unset or empty, TERM set and not\n" \
	   "                    dumb), always, never\n"                                \
	   "  -fdiagnostics-column-unit=UNIT\n"                                        \
	   "                    count columns in codepoint (the default), display\n"   \
	   "                    (terminal columns) or byte (UTF-8 bytes)\n")

static void
print_usage(FILE *out)
{
	struct strbuf names = { 0 }, profiles = { 0 };
	build_format_names(&names, ",");
	init_profile_names(&profiles);
	/* Formats the compiler cannot see: msgfmt --check holds each
	 * translation to its block's one %s. */
	fprintf(out, _(USAGE_TEXT), names.buf);
	fputs(_(USAGE_DIAGNOSTICS), out);
	fprintf(out, _(USAGE_TEXT_END), profiles.buf);
	strbuf_free(&names);
	strbuf_free(&profiles);
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
		    (*rest || op->spelling[len - 1] == '='))
			*value = rest; /* "-Werror=" needs a value */
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

/* An unknown command (command true) or option, with the nearest known
 * one. */
static int
unknown_name(bool command, const char *arg)
{
	struct diag_suggest s;
	size_t len = strcspn(arg, "="); /* "--formt=c": "--formt" */
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)len, arg);
	diag_suggest_init(&s, name);
	if (*arg != '-')
		for (int c = CMD_CHECK; c < CMD_COUNT; c++)
			diag_suggest_try(&s, command_names[c]);
	/* as GCC, no guess at a letter or two ("-x") */
	for (size_t k = 0;
	     *arg == '-' && len > 3 && k < sizeof options / sizeof *options;
	     k++)
		if (options[k].arity == FLAG || options[k].arity == VALUE)
			diag_suggest_try(&s, options[k].spelling);
	if (s.best && command)
		return diag_usage_error(
			"unknown command '%s'; did you mean '%s'?", arg,
			s.best);
	if (s.best)
		return diag_usage_error(
			"unknown option '%s'; did you mean '%s'?", arg, s.best);
	if (*arg != '-')
		return diag_usage_error(
			"unknown command '%s' (check, build, fix, diff, explain or init)",
			arg);
	return command ? diag_usage_error("unknown command '%s'", arg)
		       : diag_usage_error("unknown option '%s'", arg);
}

/* skillc init: one FILE, at most one --profile, which names a profile. */
static int
init_args(struct options *o)
{
	if (o->build.nfiles != 1)
		return o->build.nfiles
			       ? diag_usage_error(
					 "'skillc init' writes one FILE, not %zu",
					 o->build.nfiles)
			       : diag_usage_error(
					 "'skillc init' needs the FILE to write ('-': standard output)");
	if (o->run.nprofile_files > 1)
		return diag_usage_error(
			"'skillc init' takes one --profile, not %zu",
			o->run.nprofile_files);
	o->init.profile = o->run.nprofile_files ? o->profile_files[0] : NULL;
	o->init.path = o->files[0];
	return 0;
}

/* ---- diagnostics: docs/diagnostics.md -------------------------------- */

/* The index of arg among the n names, or -1. */
static int
pick(const char *arg, const char *const *names, int n)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(arg, names[k]))
			return k;
	return -1;
}

/* -fdiagnostics-format (GCC's json-stderr and sarif-stderr are json and
 * sarif; its -file forms are --diagnostics-file here), -fdiagnostics-color,
 * -fdiagnostics-column-unit and --diagnostics-file, into o->diag. */
static int
parse_diagnostics(struct options *o)
{
	static const char *const formats[] = { "text", "json", "sarif",
					       "json-stderr", "sarif-stderr" };
	static const char *const when[] = { "auto", "always", "never" };
	static const char *const units[] = { "codepoint", "display", "byte" };
	const char *arg = o->diag_format_arg;
	int k = arg ? pick(arg, formats, 5) : 0;
	if (k < 0 && strstr(arg, "-file"))
		return diag_usage_error(
			"unknown diagnostics format '%s' (text, json or sarif; --diagnostics-file=FILE writes the document to a file)",
			arg);
	if (k < 0)
		return diag_usage_error(
			"unknown diagnostics format '%s' (text, json or sarif)",
			arg);
	o->diag.format = k == 0 ? DIAG_TEXT : k % 2 ? DIAG_JSON : DIAG_SARIF;
	if (o->color_arg && pick(o->color_arg, when, 3) < 0)
		return diag_usage_error(
			"-fdiagnostics-color takes auto, always or never, not '%s'",
			o->color_arg);
	arg = o->column_arg;
	if (arg && (k = pick(arg, units, 3)) < 0)
		return diag_usage_error(
			"-fdiagnostics-column-unit takes codepoint, display or byte, not '%s'",
			arg);
	o->diag.column = arg ? (enum diag_column)k : DIAG_COLUMN_CODEPOINT;
	if (o->diag_file && !*o->diag_file)
		return diag_usage_error(
			"--diagnostics-file takes a file, not an empty name");
	if (o->diag_file && o->diag.format == DIAG_TEXT)
		return diag_usage_error(
			"--diagnostics-file writes a JSON or SARIF document: add --diagnostics-format=json or sarif");
	/* A file gets the document and stderr keeps the text; without one
	 * stderr gets the document instead. */
	o->diag.text = o->diag.format == DIAG_TEXT || o->diag_file;
	return 0;
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	/* per command, the first option given that is not one of its */
	const struct option *misplaced[CMD_COUNT] = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		if (arg[0] != '-' || !arg[1]) {
			if (o->command) {
				o->files[o->build.nfiles++] = arg;
				continue;
			}
			for (int c = CMD_CHECK; c < CMD_COUNT && !o->command;
			     c++)
				if (!strcmp(arg, command_names[c]))
					o->command = (enum command)c;
			if (!o->command)
				return unknown_name(true, arg);
			continue;
		}
		int at = i;
		const struct option *op = find_option(argc, argv, &i, &v);
		if (!op)
			return unknown_name(false, arg);
		if (v && !*v && op->action != SET)
			return diag_usage_error("'%s' needs a value", argv[at]);
		for (int c = CMD_CHECK; c < CMD_COUNT; c++)
			if (!(op->commands & 1u << c) && !misplaced[c])
				misplaced[c] = op;
		char *field = (char *)o + op->field;
		switch (op->action) {
		case TRUE:
			*(bool *)field = true;
			break;
		case FALSE:
			*(bool *)field = false;
			break;
		case SET_ALWAYS:
		case SET_NEVER:
			*(const char **)field =
				op->action == SET_ALWAYS ? "always" : "never";
			break;
		case SET:
			if (i == at && !v)
				return diag_usage_error("'%s' needs a value",
							arg);
			if (op->field == AT(build.depfile_target) &&
			    *(const char **)field)
				return diag_usage_error(
					"-MT given twice: the depfile has one target");
			*(const char **)field = v;
			break;
		case ADD_RULES:
			o->rules_files[o->run.nrules_files++] = v;
			break;
		case ADD_PROFILE:
			o->profile_files[o->run.nprofile_files++] = v;
			break;
		case SET_SEVERITY:
		case KEEP_WARNING:
			o->settings[o->run.nsettings++] =
				(struct setting){ v, op->sev,
						  op->action == KEEP_WARNING,
						  op->spelling, i != at };
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
	/* The baseline is read too: no output may be written over it (with
	 * --update-baseline it is written, but only as the baseline). */
	if (o->run.baseline && *o->run.baseline)
		o->inputs[o->build.nrules_files++] = o->run.baseline;
	o->build.rules_files = o->inputs;
	/* --list-checks reads the rules files: their diagnostics print as
	 * the options say. */
	if (o->version || (o->list_checks && !o->command))
		return o->version ? 0 : parse_diagnostics(o);
	if (argc == 1) {
		print_usage(stderr);
		return 2;
	}
	if (!o->command)
		return diag_usage_error(
			"no command (check, build, fix, diff, explain or init)");
	const struct option *op = misplaced[o->command];
	if (op && op->commands == IN_BUILD)
		return diag_usage_error("'%s' belongs to 'skillc build'",
					op->spelling);
	if (op)
		return diag_usage_error("'%s' is not an option of 'skillc %s'",
					op->spelling,
					command_names[o->command]);
	if (o->command == CMD_EXPLAIN && o->explain_all && o->build.nfiles)
		return diag_usage_error(
			"'skillc explain --all' takes no names");
	if (o->command == CMD_EXPLAIN && !o->explain_all && !o->build.nfiles)
		return diag_usage_error(
			"'skillc explain' needs the ID or name of a check (see skillc --list-checks)");
	if (o->command == CMD_EXPLAIN)
		return 0;
	if (o->command == CMD_INIT)
		return init_args(o);
	if (o->command == CMD_DIFF && o->build.nfiles != 2)
		return diag_usage_error(
			"'skillc diff' compares two files, OLD and NEW, not %zu",
			o->build.nfiles);
	/* as gcc says it (no "fatal": nothing else is fatal here) */
	if (!o->build.nfiles)
		return diag_usage_error("no input files");
	size_t from_stdin = 0;
	for (size_t i = 0; i < o->build.nfiles; i++)
		from_stdin += !strcmp(o->files[i], "-");
	if (from_stdin > 1)
		return diag_usage_error(
			"'-' (standard input) is given %zu times; it can be read once",
			from_stdin);
	if (from_stdin && o->command == CMD_FIX)
		return diag_usage_error(
			"'skillc fix' rewrites files in place and cannot take '-' (standard input)");
	if (o->caret_arg) {
		static const char *const when[] = { "never", "always", "auto" };
		int k = 0;
		while (k < 3 && strcmp(o->caret_arg, when[k]))
			k++;
		if (k == 3)
			return diag_usage_error(
				"--caret takes auto, always or never, not '%s'",
				o->caret_arg);
		o->caret = k == 2 ? -1 : k;
	}
	int diag_status = parse_diagnostics(o);
	if (diag_status)
		return diag_status;
	if (o->run.baseline && !*o->run.baseline)
		return diag_usage_error(
			"--baseline takes a file, not an empty name");
	if (o->run.update_baseline && !o->run.baseline)
		return diag_usage_error(
			"--update-baseline needs --baseline=FILE, the file to write");
	struct build *b = &o->build;
	if (o->command == CMD_DIFF && o->format_arg &&
	    !diff_format_of(o->format_arg, &o->diff_format))
		return diag_usage_error(
			"unknown format '%s' in --format (text, markdown, json)",
			o->format_arg);
	if (o->command != CMD_DIFF && o->format_arg) {
		const char *bad = o->format_arg;
		if (!build_formats(&bad, &b->formats)) {
			struct strbuf names = { 0 };
			build_format_names(&names, _(", "));
			int s = *bad ? diag_usage_error(
					       "unknown format '%.*s' in --format (%s)",
					       (int)strcspn(bad, ","), bad,
					       names.buf)
				     : diag_usage_error(
					       "--format takes a list of %s, not an empty one",
					       names.buf);
			strbuf_free(&names);
			return s;
		}
	}
	if (o->with_arg) {
		const char *bad = o->with_arg;
		if (!build_parts(&bad, &b->parts))
			return *bad ? diag_usage_error(
					      "unknown part '%.*s' in --with (notice, cumulative)",
					      (int)strcspn(bad, ","), bad)
				    : diag_usage_error(
					      "--with takes a list of notice, cumulative, not an empty one");
	}
	if (o->command != CMD_BUILD)
		return 0;
	if (!b->outdir)
		return diag_usage_error("'skillc build' needs -o DIR");
	if (!*b->outdir)
		return diag_usage_error(
			"-o takes a directory, not an empty name");
	if (b->depfile && !*b->depfile)
		return diag_usage_error(
			"--depfile takes a file, not an empty name");
	if (b->name && b->nfiles > 1)
		return diag_usage_error("--name takes one input file, not %zu",
					b->nfiles);
	if (o->run.prefix && b->nfiles > 1)
		return diag_usage_error(
			"--prefix takes one input file, not %zu", b->nfiles);
	if (b->name && (!*b->name || strchr(b->name, '/')))
		return diag_usage_error("--name takes a base name, not '%s'",
					b->name);
	if (from_stdin && !b->name)
		return diag_usage_error(
			"'skillc build' of '-' (standard input) needs --name=BASE to name the outputs");
	if (from_stdin && b->depfile)
		return diag_usage_error(
			"--depfile cannot name standard input as what the outputs depend on; give the standard as a file");
	if (o->run.prefix && !cname_valid_prefix(o->run.prefix))
		return diag_usage_error(
			"--prefix '%s' is not a C identifier of at most 31 characters without '__' or a final '_'",
			o->run.prefix);
	return 0;
}

/* The columns s takes on a terminal. */
static int
columns(const char *s)
{
	int n = 0;
	for (size_t i = 0, len = strlen(s); i < len;) {
		uint32_t cp = '?';
		size_t k =
			utf8_decode((const unsigned char *)s + i, len - i, &cp);
		n += utf8_width(cp);
		i += k ? k : 1;
	}
	return n;
}

static void
list_checks(const struct diag *d)
{
	for (size_t r = 0; r < diag_rule_total(d); r++) {
		const struct rule_info *info = diag_rule(d, (int)r);
		/* TRANSLATORS: the default severity of a rule in skillc
		 * --list-checks: "input" for a rule of the input format,
		 * always an error; "off" for one reported only when -W
		 * turns it on. At most 8 columns. */
		const char *sev = info->fixed			  ? _("input")
				  : info->severity == SEV_ERROR	  ? _("error")
				  : info->severity == SEV_WARNING ? _("warning")
								  : _("off");
		const char *summary = rule_summary(info);
		int pad = 8 - columns(sev);
		printf("%s  %-24s %s%*s %s\n", info->id, info->name, sev,
		       pad > 0 ? pad : 0, "", summary);
	}
}

static int
run_command(struct arena *a, struct options *o)
{
	if (o->command == CMD_INIT)
		return init_run(a, &o->init);
	struct run *run = pipeline_new(a, &o->run);
	if (!run)
		return 2;
	int status = 0;
	if (o->list_checks) {
		list_checks(pipeline_diag(run));
		return 0;
	}
	if (o->command == CMD_EXPLAIN)
		return explain_run(run, a, o->files, o->build.nfiles);
	if (o->command == CMD_DIFF)
		return diff_files(run, o->files[0], o->files[1],
				  o->diff_format);
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
						   o->run.caret > 0, o->dry_run)
					: pipeline_read(run, fa, &u,
							o->files[i], 0);
			arena_free(fa);
			if (s > status)
				status = s;
		}
	}
	if (!status) /* --update-baseline: the findings recorded */
		status = pipeline_finish(run);
	return status;
}

/* Whether the text is in colour: -fdiagnostics-color=WHEN; auto (the
 * default) as GCC decides it, when stderr is a terminal and TERM is set
 * and not "dumb", and as no-color.org asks: not when NO_COLOR is set and
 * not empty. */
static bool
want_color(const char *when)
{
	if (when && strcmp(when, "auto"))
		return !strcmp(when, "always");
	const char *term = getenv("TERM"), *no_color = getenv("NO_COLOR");
	return isatty(STDERR_FILENO) && term && strcmp(term, "dumb") &&
	       !(no_color && *no_color);
}

/* Whether paths a and b name one file: the same name in the same
 * directory, however the directories are spelled. */
static bool
same_file(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	if (strcmp(sa ? sa + 1 : a, sb ? sb + 1 : b))
		return false;
	struct strbuf da = { 0 }, db = { 0 };
	strbuf_add(&da, sa ? a : ".", sa ? (size_t)(sa - a) + (sa == a) : 1);
	strbuf_add(&db, sb ? b : ".", sb ? (size_t)(sb - b) + (sb == b) : 1);
	struct stat st_a, st_b;
	bool same = !stat(da.buf, &st_a) && !stat(db.buf, &st_b)
			    ? st_a.st_dev == st_b.st_dev &&
				      st_a.st_ino == st_b.st_ino
			    : !strcmp(da.buf, db.buf);
	strbuf_free(&da);
	strbuf_free(&db);
	return same;
}

/* Whether the directory of --diagnostics-file is build's -o, spelled as
 * -o spells it: build makes it. */
static bool
in_outdir(const struct options *o)
{
	const char *f = o->diag_file, *dir = o->build.outdir;
	const char *slash = strrchr(f, '/');
	if (o->command != CMD_BUILD || !slash)
		return false;
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	return (size_t)(slash - f) == len && !strncmp(f, dir, len);
}

/* The run's sink; and --diagnostics-file checked before any file is read
 * or written: a file that can be replaced, in a directory that is there
 * (or is -o's), that is none of the run's inputs and none of build's
 * outputs. */
static int
diagnostics_open(struct arena *a, struct options *o)
{
	o->diag.color = o->diag.text && want_color(o->color_arg);
	o->run.sink = diag_sink_new(a, &o->diag);
	const char *f = o->diag_file;
	if (!f)
		return 0;
	int err = output_check(f);
	const char *slash = strrchr(f, '/');
	struct strbuf dir = { 0 };
	strbuf_add(&dir, slash ? f : ".",
		   slash ? (size_t)(slash - f) + (slash == f) : 1);
	struct stat st;
	if (!err)
		err = stat(dir.buf, &st)    ? errno
		      : S_ISDIR(st.st_mode) ? 0
					    : ENOTDIR;
	if (err == ENOENT && in_outdir(o))
		err = 0;
	strbuf_free(&dir);
	if (err)
		return diag_fatal("cannot write '%s': %s", f,
				  output_strerror(err));
	const struct build *b = &o->build;
	for (size_t i = 0; i < b->nfiles + b->nrules_files; i++) {
		const char *in = i < b->nfiles ? b->files[i]
					       : b->rules_files[i - b->nfiles];
		if (strcmp(in, "-") && same_file(f, in))
			return diag_fatal(
				"--diagnostics-file '%s' would overwrite the input '%s'",
				f, in);
	}
	if (o->command != CMD_BUILD)
		return 0;
	if (b->depfile && same_file(f, b->depfile))
		return diag_fatal("--diagnostics-file '%s' is the depfile too",
				  f);
	/* build's outputs: DIR/BASE.EXT, as build.c names them */
	static const char *const ext[] = {
#define FORMAT(name, ext, emitter, needs, ready) ext,
#include "formats.def"
#undef FORMAT
	};
	struct strbuf out = { 0 };
	for (size_t i = 0; i < b->nfiles; i++) {
		const char *base = b->name ? b->name : b->files[i];
		const char *s = strrchr(base, '/');
		base = b->name || !s ? base : s + 1;
		size_t len = strlen(base);
		if (!b->name && len > 5 && !strcmp(base + len - 5, ".yaml"))
			len -= 5;
		else if (!b->name && len > 4 && !strcmp(base + len - 4, ".yml"))
			len -= 4;
		for (size_t e = 0; e < sizeof ext / sizeof *ext; e++) {
			if (!(b->formats & 1u << e))
				continue;
			strbuf_reset(&out);
			strbuf_addf(&out, "%s/%.*s%s", b->outdir, (int)len,
				    base, ext[e]);
			if (same_file(f, out.buf)) {
				int status = diag_fatal(
					"--diagnostics-file '%s' is an output of the build too",
					f);
				strbuf_free(&out);
				return status;
			}
		}
	}
	strbuf_free(&out);
	return 0;
}

/* The end of a command's run: the JSON or SARIF document to stderr, or to
 * --diagnostics-file when the run ends with 0 or 1 (the file is an
 * output: nothing is written on a failure), and on a terminal the summary
 * under the text. */
static int
diagnostics_close(const struct options *o, int status)
{
	const struct diag_sink *sink = o->run.sink;
	/* --list-checks has diagnostics only when a rules or profile file
	 * is wrong. */
	bool reads = o->list_checks ? status != 0
				    : o->command == CMD_CHECK ||
					      o->command == CMD_BUILD ||
					      o->command == CMD_FIX ||
					      o->command == CMD_DIFF;
	if (!reads)
		return status;
	if (o->diag.text && isatty(STDERR_FILENO)) {
		struct strbuf line = { 0 };
		diag_sink_summary(sink, &line);
		if (line.len)
			fputs(line.buf, stderr);
		strbuf_free(&line);
	}
	if (o->diag.format == DIAG_TEXT || (o->diag_file && status > 1))
		return status;
	struct strbuf doc = { 0 };
	diag_sink_document(sink, status, &doc);
	if (!o->diag_file) {
		fwrite(doc.buf, 1, doc.len, stderr);
		strbuf_free(&doc);
		return status;
	}
	const char *f = o->diag_file, *failed = f;
	/* build makes -o when it writes: with errors it has not */
	int err = in_outdir(o) ? output_mkdirs(o->build.outdir) : 0;
	if (err) {
		strbuf_free(&doc);
		return diag_fatal("cannot create '%s': %s", o->build.outdir,
				  strerror(err));
	}
	struct output_set *set = output_begin(&f, 1);
	err = output_stage(set, f, doc.buf, doc.len, NULL);
	if (!err)
		err = output_commit(set, &failed);
	output_end(set);
	strbuf_free(&doc);
	return err ? diag_fatal("cannot write '%s': %s", failed,
				output_strerror(err))
		   : status;
}

int
main(int argc, char **argv)
{
	i18n_init();
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
	} else if (!(status = diagnostics_open(a, &o))) {
		o.run.werror = o.werror;
		o.run.no_warnings = o.no_warnings;
		o.run.caret = o.caret < 0 ? isatty(STDERR_FILENO) : o.caret;
		status = run_command(a, &o);
		status = diagnostics_close(&o, status);
	}
	arena_free(a);
	/* What went to standard output must have arrived: a full disk or a
	 * closed pipe is an error like any other write. */
	if (fflush(stdout) || ferror(stdout)) {
		return diag_fatal("cannot write to standard output: %s",
				  strerror(errno));
	}
	return status;
}
