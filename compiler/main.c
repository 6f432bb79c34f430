/*
 * main.c - options, pass order, exit status; nothing else.
 *
 * check: load, model, checks, per file. build: the same, then names and
 * every output rendered in memory for every file; only if no file had an
 * error are the outputs written, each atomically, then the depfile.
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

enum { EXIT_CLEAN = 0, EXIT_INPUT = 1, EXIT_FAILURE_ = 2 };

static const char usage_text[] =
	"usage: skillc check [options] FILE...\n"
	"       skillc build [options] -o DIR FILE...\n"
	"       skillc fix [options] FILE...\n"
	"       skillc [--rules FILE]... --list-checks\n"
	"       skillc --version\n"
	"\n"
	"check validates skill standards and reports every problem found;\n"
	"build also writes, for each FILE, a C header, JSON and Markdown;\n"
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
	"build options:\n"
	"  -o DIR            write the outputs into DIR (created if missing)\n"
	"  --format=LIST     the outputs to write, of c,json,md (default: all)\n"
	"  --name=BASE       base name of the outputs (one FILE only; default:\n"
	"                    FILE's name without its .yaml or .yml)\n"
	"  --prefix=PREFIX   prefix of the C header's names (default: from\n"
	"                    the standard's id)\n"
	"  -MF FILE, --depfile=FILE\n"
	"                    write what the outputs depend on as a Makefile\n"
	"                    rule, as gcc -MD -MF does\n"
	"  -h, --help        print this help\n";

/* The outputs build can write: a name for --format, an extension, and
 * the emitter. */
enum format { FORMAT_C, FORMAT_JSON, FORMAT_MD, FORMAT_COUNT };

static const struct format_info {
	const char *name, *ext;
} formats[FORMAT_COUNT] = {
	[FORMAT_C] = { "c", ".h" },
	[FORMAT_JSON] = { "json", ".json" },
	[FORMAT_MD] = { "md", ".md" },
};

/* A -W, -Wno- or -E option, applied once every rule is known. */
struct setting {
	const char *name;
	enum severity sev;
	bool matched; /* some rule of the run has this name */
};

struct options {
	bool build, fix;
	int caret; /* -1 auto */
	const char *outdir, *name, *prefix, *depfile;
	bool format[FORMAT_COUNT];
	const char **files;
	size_t nfiles;
	const char **rules_files;
	size_t nrules_files;
	struct setting *settings;
	size_t nsettings;
	bool werror, list_checks;
};

/* One rendered output waiting to be written. */
struct output {
	char *path;
	struct strbuf data;
};

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
list_checks(const struct diag *d)
{
	for (size_t r = 0; r < diag_rule_total(d); r++) {
		const struct rule_info *info = diag_rule(d, (int)r);
		const char *sev = info->fixed			 ? "input"
				  : info->severity == SEV_ERROR	 ? "error"
				  : info->severity == SEV_WARNING ? "warning"
								 : "off";
		printf("%s  %-24s %-8s %s\n", info->id, info->name, sev,
		       info->summary);
	}
}

/* -W NAME, -Wno-NAME, -E NAME: set one rule's severity for this run. A
 * name no rule has yet may be a standard's own rule: it waits for one. */
static int
apply_setting(struct diag *d, struct setting *s)
{
	int r = diag_find_rule(d, s->name);
	if (r < 0)
		return EXIT_CLEAN;
	s->matched = true;
	if (diag_rule(d, r)->fixed)
		return usage_error("'%s' is a rule of the input format and is always an error",
				   s->name);
	diag_set_severity(d, r, s->sev);
	return EXIT_CLEAN;
}

static void
add_setting(struct options *o, const char *name, enum severity sev)
{
	o->settings[o->nsettings++] = (struct setting){ name, sev, false };
}

static int
set_formats(struct options *o, const char *list)
{
	if (!*list)
		return usage_error("--format takes a list of c, json and md, not an empty one%s",
				   "");
	for (int f = 0; f < FORMAT_COUNT; f++)
		o->format[f] = false;
	while (*list) {
		size_t len = strcspn(list, ",");
		int f = 0;
		while (f < FORMAT_COUNT && (strlen(formats[f].name) != len ||
					    strncmp(formats[f].name, list, len)))
			f++;
		if (f == FORMAT_COUNT)
			return usage_error("unknown format '%.*s' in --format (c, json, md)",
					   (int)len, list);
		o->format[f] = true;
		list += len + (list[len] == ',');
	}
	return EXIT_CLEAN;
}

/* The value of "--opt=value", or of "-o value" from the next argument. */
static const char *
option_value(int argc, char **argv, int *i, const char *opt)
{
	size_t len = strlen(opt);
	const char *arg = argv[*i];
	if (!strncmp(arg, opt, len) && arg[len] == '=')
		return arg + len + 1;
	if (!strcmp(arg, opt) && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static bool
is_option(const char *arg, const char *opt)
{
	size_t len = strlen(opt);
	return !strncmp(arg, opt, len) && (arg[len] == '\0' || arg[len] == '=');
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	bool command = false;
	for (int f = 0; f < FORMAT_COUNT; f++)
		o->format[f] = true;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v = NULL;
		int status = EXIT_CLEAN;
		static const char *const valued[] = { "-o", "--format", "--name",
						      "--prefix", "--depfile",
						      "-MF", "--caret", "--rules" };
		for (size_t k = 0; k < sizeof valued / sizeof *valued; k++) {
			if (!is_option(arg, valued[k]))
				continue;
			v = option_value(argc, argv, &i, valued[k]);
			if (!v)
				return usage_error("'%s' needs a value", arg);
			if (k == 0)
				o->outdir = v;
			else if (k == 1)
				status = set_formats(o, v);
			else if (k == 2)
				o->name = v;
			else if (k == 3)
				o->prefix = v;
			else if (k <= 5)
				o->depfile = v;
			else if (k == 7)
				o->rules_files[o->nrules_files++] = v;
			else if (!strcmp(v, "always"))
				o->caret = 1;
			else if (!strcmp(v, "never"))
				o->caret = 0;
			else if (!strcmp(v, "auto"))
				o->caret = -1;
			else
				status = usage_error("--caret takes auto, always or never, not '%s'",
						     v);
			break;
		}
		if (v) {
			if (status)
				return status;
			continue;
		}
		if (!strcmp(arg, "-Werror")) {
			o->werror = true;
		} else if (!strcmp(arg, "--list-checks")) {
			o->list_checks = true;
		} else if (!strncmp(arg, "-Wno-", 5)) {
			add_setting(o, arg + 5, SEV_OFF);
		} else if (!strcmp(arg, "-W") || !strcmp(arg, "-E")) {
			if (i + 1 == argc)
				return usage_error("'%s' needs a check name",
						   arg);
			add_setting(o, argv[++i],
				    arg[1] == 'W' ? SEV_WARNING : SEV_ERROR);
		} else if (!strncmp(arg, "-W", 2) || !strncmp(arg, "-E", 2)) {
			add_setting(o, arg + 2,
				    arg[1] == 'W' ? SEV_WARNING : SEV_ERROR);
		} else if (arg[0] == '-' && arg[1]) {
			status = usage_error("unknown option '%s'", arg);
		} else if (!command) {
			if (strcmp(arg, "check") && strcmp(arg, "build") &&
			    strcmp(arg, "fix"))
				return usage_error("unknown command '%s' (check, build or fix)",
						   arg);
			command = true;
			o->build = arg[0] == 'b';
			o->fix = arg[0] == 'f';
		} else {
			o->files[o->nfiles++] = arg;
		}
		if (status)
			return status;
	}
	if (o->list_checks && !command)
		return EXIT_CLEAN;
	if (!command || !o->nfiles) {
		fputs(usage_text, stderr);
		return EXIT_FAILURE_;
	}
	if (!o->build && (o->outdir || o->name || o->depfile || o->prefix))
		return usage_error("-o, --name, --prefix and --depfile belong to 'skillc build'%s",
				   "");
	if (o->build && !o->outdir)
		return usage_error("'skillc build' needs -o DIR%s", "");
	if (o->name && o->nfiles > 1)
		return usage_error("--name takes one input file, not %zu",
				   o->nfiles);
	if (o->outdir && !*o->outdir)
		return usage_error("-o takes a directory, not an empty name%s", "");
	if (o->depfile && !*o->depfile)
		return usage_error("--depfile takes a file, not an empty name%s",
				   "");
	if (o->name && (!*o->name || strchr(o->name, '/')))
		return usage_error("--name takes a base name, not '%s'", o->name);
	if (o->prefix && !cname_valid_prefix(o->prefix))
		return usage_error("--prefix '%s' is not a C identifier of at most 31 characters without '__' or a final '_'",
				   o->prefix);
	return EXIT_CLEAN;
}

/* The base name of path without its directory and .yaml or .yml. */
static char *
base_name(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len > 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	return arena_strndup(a, base, len);
}

static int
write_error(const char *path, int err)
{
	fprintf(stderr, "skillc: error: cannot write '%s': %s\n", path,
		output_strerror(err));
	return EXIT_FAILURE_;
}

/* The passes over one file; stops between passes when errors exist.
 * For build, renders its outputs into out[]; for fix, makes its edits. */
static int
run_file(struct arena *a, struct diag *d, struct rules *rules,
	 struct options *o, const char *path, struct output *out)
{
	char *buf;
	size_t len;
	struct fix *fix = NULL;
	int err = o->fix ? fix_open(a, path, &fix, &buf, &len)
			 : load_read(a, path, &buf, &len);
	if (err == EFBIG) {
		diag_report(d, RULE_LIMIT, (struct loc){ path, 0, 0 },
			    "the file is larger than the limit of %zu MiB",
			    LOAD_MAX_BYTES >> 20);
		diag_flush(d, stderr, false);
		return EXIT_INPUT;
	}
	if (err && o->fix)
		return fix_error(path, err);
	if (err) {
		fprintf(stderr, "skillc: error: cannot read '%s': %s\n", path,
			strerror(err));
		return EXIT_FAILURE_;
	}
	size_t errors = diag_errors(d);
	const struct node *root = load_buffer(a, d, path, buf, len);
	const struct standard *s = root ? model_build(a, d, root) : NULL;
	struct edit *edits = NULL;
	size_t nedits = 0;
	if (s) {
		check_run(s, d, a);
		bool ok = rules_add(rules, d, &s->text_rules, false);
		for (size_t i = 0; i < o->nsettings; i++)
			apply_setting(d, &o->settings[i]);
		if (ok && rules_compile(rules, d))
			check_text(rules, s, d, a, o->fix ? &edits : NULL,
				   &nedits);
		rules_drop_local(rules, d);
	}
	const struct cnames *names = NULL;
	if (s && o->build && o->format[FORMAT_C] && diag_errors(d) == errors)
		names = cname_build(a, d, s, o->prefix);
	if (fix) {
		int status = s ? fix_apply(fix, a, d, rules, o->caret, buf, len,
					   root, edits, nedits)
			       : (diag_flush(d, stderr, o->caret), EXIT_INPUT);
		fix_close(fix);
		return status;
	}
	diag_flush(d, stderr, o->caret);
	if (diag_errors(d) > errors)
		return EXIT_INPUT;
	if (!o->build)
		return EXIT_CLEAN;
	const char *source = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	for (int f = 0; f < FORMAT_COUNT; f++) {
		if (!o->format[f])
			continue;
		switch ((enum format)f) {
		case FORMAT_C:
			emit_c(s, names, source, &out[f].data);
			break;
		case FORMAT_JSON:
			emit_json(s, &out[f].data);
			break;
		case FORMAT_MD:
			emit_md(s, &out[f].data);
			break;
		case FORMAT_COUNT:
			break;
		}
	}
	return EXIT_CLEAN;
}

/* Stage every output and the depfile, then commit them all: a failure on
 * any leaves every earlier output as it was. */
static int
write_outputs(const struct options *o, struct output *out, size_t n)
{
	int err = output_mkdirs(o->outdir);
	if (err) {
		fprintf(stderr, "skillc: error: cannot create '%s': %s\n",
			o->outdir, strerror(err));
		return EXIT_FAILURE_;
	}
	struct strbuf dep = { 0 };
	const char **paths = calloc(n + 2, sizeof *paths);
	if (!paths)
		die_oom();
	size_t npaths = 0;
	for (size_t i = 0; i < n; i++) {
		if (!out[i].path)
			continue;
		paths[npaths++] = out[i].path;
		if (dep.len)
			strbuf_addc(&dep, ' ');
		depfile_path(&dep, out[i].path, true); /* check_paths saw to it */
	}
	if (o->depfile) {
		strbuf_adds(&dep, ":");
		for (size_t i = 0; i < o->nfiles; i++) {
			strbuf_adds(&dep, " ");
			depfile_path(&dep, o->files[i], false);
		}
		strbuf_adds(&dep, "\n");
		paths[npaths++] = o->depfile;
	}
	struct output_set *set = output_begin(paths, npaths);
	int status = EXIT_CLEAN;
	for (size_t i = 0; i < npaths && !status; i++) {
		bool is_dep = o->depfile && i + 1 == npaths;
		const struct strbuf *data = is_dep ? &dep : NULL;
		for (size_t k = 0; !data && k < n; k++)
			if (out[k].path == paths[i])
				data = &out[k].data;
		err = output_stage(set, paths[i], data->buf ? data->buf : "",
				   data->len, NULL);
		if (err)
			status = write_error(paths[i], err);
	}
	const char *failed = NULL;
	if (!status && (err = output_commit(set, &failed)))
		status = write_error(failed, err);
	output_end(set);
	strbuf_free(&dep);
	free(paths);
	return status;
}

static int
depfile_refused(const char *path)
{
	fprintf(stderr, "skillc: error: cannot write '%s' in a depfile: %s\n",
		path,
		strchr(path, '\n') ? "it holds a newline"
				   : "GNU make and ninja cannot both read it back");
	return EXIT_FAILURE_;
}

/* Whether two paths name one file (both exist). */
static bool
same_file(const struct stat *a, const char *path)
{
	struct stat b;
	return !stat(path, &b) && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/* Before anything is read or written: every output and the depfile can
 * be written where build will put them, none is an input, no two inputs
 * write the same outputs, and every name fits in a depfile. */
static int
check_paths(struct arena *a, struct options *o, struct output *out)
{
	struct stat st;
	int err = stat(o->outdir, &st)	? errno == ENOENT ? 0 : errno
		  : S_ISDIR(st.st_mode) ? 0
					: ENOTDIR;
	if (err) { /* missing is fine: build makes it */
		fprintf(stderr, "skillc: error: cannot create '%s': %s\n",
			o->outdir, strerror(err));
		return EXIT_FAILURE_;
	}
	struct hash *by_path = hash_new(a, o->nfiles * FORMAT_COUNT + 1);
	struct strbuf dep = { 0 };
	int status = EXIT_CLEAN;
	for (size_t i = 0; i < o->nfiles && !status; i++) {
		const char *base = o->name ? o->name : base_name(a, o->files[i]);
		for (int f = 0; f < FORMAT_COUNT && !status; f++) {
			if (!o->format[f])
				continue;
			struct strbuf p = { 0 };
			strbuf_addf(&p, "%s/%s%s", o->outdir, base,
				    formats[f].ext);
			char *path = arena_strndup(a, p.buf, p.len);
			strbuf_free(&p);
			out[i * FORMAT_COUNT + f].path = path;
			const char **other = hash_put(by_path, path, strlen(path),
						      &o->files[i]);
			if (other)
				status = usage_error("'%s' and '%s' would both write '%s'",
						     *other, o->files[i], path);
		}
	}
	const char *dev_null = "/dev/null";
	struct stat null_st;
	if (!status && o->depfile && !stat(o->depfile, &st) &&
	    S_ISCHR(st.st_mode) && !stat(dev_null, &null_st) &&
	    S_ISCHR(null_st.st_mode) && st.st_rdev == null_st.st_rdev)
		o->depfile = NULL; /* -MF /dev/null: no depfile, as with gcc */
	size_t n = o->nfiles * FORMAT_COUNT;
	for (size_t i = 0; i <= n && !status; i++) {
		const char *path = i < n ? out[i].path : o->depfile;
		if (!path)
			continue;
		strbuf_reset(&dep);
		if ((err = output_check(path)))
			status = usage_error("cannot write '%s': %s", path,
					     output_strerror(err));
		else if (i == n && hash_get(by_path, path, strlen(path)))
			status = usage_error("the depfile '%s' is an output too",
					     path);
		else if (o->depfile && i < n && !depfile_path(&dep, path, true))
			status = depfile_refused(path);
		for (size_t k = 0; k < o->nfiles + o->nrules_files && !status;
		     k++) {
			const char *in = k < o->nfiles ? o->files[k]
						       : o->rules_files[k - o->nfiles];
			if (!stat(in, &st) && same_file(&st, path))
				status = usage_error("'%s' would overwrite the input '%s'",
						     path, in);
		}
	}
	for (size_t i = 0; i < o->nfiles && !status; i++) {
		strbuf_reset(&dep);
		if (o->depfile && !depfile_path(&dep, o->files[i], false))
			status = depfile_refused(o->files[i]);
	}
	if (!status && o->depfile) {
		/* Its directory must be there: build makes only -o's. */
		char *dir = arena_strndup(a, o->depfile, strlen(o->depfile));
		char *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0';
		err = stat(slash ? dir : ".", &st) ? errno
		      : S_ISDIR(st.st_mode)	   ? 0
						   : ENOTDIR;
		if (err)
			status = usage_error("cannot write the depfile '%s': %s",
					     o->depfile, strerror(err));
	}
	strbuf_free(&dep);
	return status;
}

/* The shipped rules, then each --rules file; false after reporting. */
static bool
load_rules(struct arena *a, struct diag *d, struct rules *r,
	   const struct options *o)
{
	size_t errors = diag_errors(d);
	const struct node *root = load_buffer(a, d, embedded_rules_name,
					      (const char *)embedded_rules,
					      embedded_rules_len);
	const struct text_rules *tr = root ? model_read_rules(a, d, root) : NULL;
	if (tr)
		rules_add(r, d, tr, true);
	for (size_t i = 0; i < o->nrules_files; i++) {
		char *buf;
		size_t len;
		int err = load_read(a, o->rules_files[i], &buf, &len);
		if (err) {
			fprintf(stderr, "skillc: error: cannot read '%s': %s\n",
				o->rules_files[i], strerror(err));
			return false;
		}
		root = load_buffer(a, d, o->rules_files[i], buf, len);
		tr = root ? model_read_rules(a, d, root) : NULL;
		if (tr)
			rules_add(r, d, tr, true);
	}
	if (diag_errors(d) == errors)
		rules_compile(r, d); /* report bad patterns before any standard */
	diag_flush(d, stderr, o->caret > 0);
	return diag_errors(d) == errors;
}

int
main(int argc, char **argv)
{
	struct arena *a = arena_new();
	struct diag *d = diag_new(a);
	struct rules *rules = rules_new(a);
	struct options o = { .caret = -1 };
	o.files = arena_array(a, (size_t)argc, sizeof *o.files);
	o.rules_files = arena_array(a, (size_t)argc, sizeof *o.rules_files);
	o.settings = arena_array(a, (size_t)argc, sizeof *o.settings);
	int status = EXIT_CLEAN;
	/* A closed pipe is reported as a write error, not a silent death; so
	 * is a file size limit (ulimit -f): "File too large". */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			goto done;
		} else if (!strcmp(argv[i], "--version")) {
			puts("skillc " SKILLC_VERSION);
			goto done;
		}
	}
	status = parse_args(argc, argv, &o);
	if (status)
		goto done;
	if (!load_rules(a, d, rules, &o)) {
		status = EXIT_FAILURE_;
		goto done;
	}
	diag_set_werror(d, o.werror);
	for (size_t i = 0; i < o.nsettings && !status; i++)
		status = apply_setting(d, &o.settings[i]);
	if (status)
		goto done;
	if (o.list_checks || !o.nfiles) {
		for (size_t i = 0; i < o.nsettings && !status; i++)
			if (!o.settings[i].matched)
				status = usage_error("unknown check '%s' (see --list-checks)",
						     o.settings[i].name);
		if (status)
			goto done;
		list_checks(d);
		goto done;
	}
	if (o.caret < 0)
		o.caret = isatty(STDERR_FILENO);
	struct output *out = calloc(o.nfiles * FORMAT_COUNT + 1, sizeof *out);
	if (!out)
		die_oom();
	if (o.build && (status = check_paths(a, &o, out))) {
		free(out);
		goto done;
	}
	/* Each standard in an arena of its own, gone before the next: a run
	 * over a thousand files needs the memory of the largest. What the
	 * run keeps of it: diagnostics printed, rendered outputs. */
	size_t run_rules = diag_rule_total(d);
	for (size_t i = 0; i < o.nfiles; i++) {
		struct arena *fa = arena_new();
		int s = run_file(fa, d, rules, &o, o.files[i],
				 out + i * FORMAT_COUNT);
		diag_drop_source(d, o.files[i]);
		diag_truncate_rules(d, run_rules);
		arena_free(fa);
		if (s > status)
			status = s;
	}
	for (size_t i = 0; i < o.nsettings; i++)
		if (!o.settings[i].matched)
			status = usage_error("unknown check '%s' (see --list-checks)",
					     o.settings[i].name);
	if (o.build && status == EXIT_CLEAN)
		status = write_outputs(&o, out, o.nfiles * FORMAT_COUNT);
	for (size_t i = 0; i < o.nfiles * FORMAT_COUNT; i++)
		strbuf_free(&out[i].data);
	free(out);
done:
	rules_free(rules);
	arena_free(a);
	/* What went to standard output must have arrived: a full disk or a
	 * closed pipe is an error like any other write. */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "skillc: error: cannot write to standard output: %s\n",
			strerror(errno));
		return EXIT_FAILURE_;
	}
	return status;
}
