/*
 * pipeline.c - the passes, in their order, for every command.
 *
 * Takes: the run's rules files and options (struct run_options), then one
 * standard at a time, as a path or as bytes. Gives: for each standard a
 * struct unit: its tree, model, C names and the replacements its text
 * rules propose, with every finding reported through a diag of its own.
 *
 * The order is written here once, and check, build, fix, the fuzz targets
 * and the unit tests all come through it:
 *
 *   load -> model (+ its profile) -> checks -> text rules
 *        -> accepted findings dropped (comments, --baseline) -> C names
 *
 * A pass runs on what the pass before it built: the model needs a tree,
 * the checks and the text rules a model, and each reports all it finds.
 * A finding a suppression comment or the baseline accepts is dropped
 * before its error could stop the passes (suppress.c, baseline.c).
 * The C names are judged once the rest is clean (a key used twice would
 * clash as a name too), for every command, so that check and build
 * report the same errors.
 *
 * What belongs to the run (the shipped rules, the profiles and their
 * rules, --profile and --rules files, the -W, -Wno-, -E and -Wno-error=
 * options, every name of which must be a rule of the run) is set up once,
 * before any standard is read, and not changed by any standard. What a
 * standard brings (its own text rules, terms and severities) lives in its
 * unit's diag and arena, and dies with them.
 */
#include "skillc.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct run {
	struct arena *arena;
	struct diag *diag; /* the run's rules and severities */
	struct rules *rules;
	struct profiles *profiles; /* built-in, then --profile files */
	const struct run_options *opt;
	struct baseline *baseline; /* --baseline, or NULL */
};

static void
run_release(void *p)
{
	struct run *r = p;
	rules_free(r->rules);
}

void
pipeline_unknown_rule(const struct run *r, const char *name, const char *option,
		      bool apart)
{
	const char *near = diag_nearest_rule(r->diag, name);
	const char *sep = apart ? " " : "";
	if (!option) {
		if (near)
			diag_fatal("unknown check '%s'; did you mean '%s'?",
				   name, near);
		else
			diag_fatal(
				"unknown check '%s' (see skillc --list-checks)",
				name);
		return;
	}
	/* the option as given ("-W NAME", "-WNAME"), and as it may have
	 * been meant */
	struct strbuf given = { 0 }, meant = { 0 };
	strbuf_addf(&given, "%s%s%s", option, sep, name);
	if (near) {
		strbuf_addf(&meant, "%s%s%s", option, sep, near);
		diag_fatal("unknown check '%s' in '%s'; did you mean '%s'?",
			   name, given.buf, meant.buf);
	} else {
		diag_fatal(
			"unknown check '%s' in '%s' (see skillc --list-checks)",
			name, given.buf);
	}
	strbuf_free(&given);
	strbuf_free(&meant);
}

/* -W NAME, -Wno-NAME, -E NAME and -Wno-error=NAME on one diag, in the
 * order given: the run's diag, then again each standard's, after the
 * standard's own severities. Every name must be a rule of the run, known
 * before any standard is read (a standard's own text rules take their
 * severities from its own severity list); false after reporting each one
 * that is not, or that names a rule of the input format. */
static bool
apply_settings(struct run *r, struct diag *d)
{
	bool ok = true;
	for (size_t i = 0; i < r->opt->nsettings; i++) {
		const struct setting *s = &r->opt->settings[i];
		int rule = diag_find_rule(d, s->name);
		if (rule < 0) {
			pipeline_unknown_rule(r, s->name, s->option, s->apart);
			ok = false;
		} else if (diag_rule(d, rule)->fixed) {
			diag_fatal(
				"'%s' is a rule of the input format and is always an error",
				s->name);
			ok = false;
		} else if (s->keep_warning) {
			/* as GCC's -Wno-error= on an error that is a
			 * warning underneath: reported as a warning */
			if (diag_severity(d, rule) == SEV_ERROR)
				diag_set_severity(d, rule, SEV_WARNING);
			diag_set_keep_warning(d, rule, true);
		} else {
			diag_set_severity(d, rule, s->sev);
			if (s->sev == SEV_ERROR)
				diag_set_keep_warning(d, rule, false);
		}
	}
	if (!ok)
		fprintf(stderr, "%s\n", _("(run 'skillc --help' for usage)"));
	return ok;
}

/* Read a rules file's tree (NULL where it did not load) into the run;
 * false after reporting. */
static bool
add_rules(struct run *r, const char *file, const struct node *root)
{
	const struct text_rules *tr =
		root ? model_read_rules(r->arena, r->diag, file, root) : NULL;
	return tr && rules_add(r->rules, r->diag, tr, true);
}

struct run *
pipeline_new(struct arena *a, const struct run_options *opt)
{
	struct run *r = arena_alloc(a, sizeof *r);
	r->arena = a;
	r->opt = opt;
	r->diag = diag_new(a);
	diag_set_sink(r->diag, opt->sink);
	r->rules = rules_new(a);
	arena_on_free(a, run_release, r);
	/* The profiles first, the built-in ones before --profile files:
	 * their rules are listed before the shipped text rules. */
	r->profiles = profiles_new(a);
	bool ok = true;
	for (size_t i = 0; i < embedded_profiles_count; i++) {
		const struct embedded_file *f = &embedded_profiles[i];
		const struct node *root = load_embedded(a, r->diag, f);
		ok = profiles_add(r->profiles, r->rules, r->diag, f->name,
				  root) &&
		     ok;
	}
	for (size_t i = 0; i < opt->nprofile_files; i++) {
		char *buf;
		size_t len;
		int err = load_read(a, opt->profile_files[i], &buf, &len);
		if (err) {
			diag_fatal("cannot read '%s': %s",
				   opt->profile_files[i], strerror(err));
			return NULL;
		}
		const struct node *root = load_buffer(
			a, r->diag, opt->profile_files[i], buf, len);
		ok = profiles_add(r->profiles, r->rules, r->diag,
				  opt->profile_files[i], root) &&
		     ok;
	}
	ok = profiles_finish(r->profiles, r->diag) && ok;
	ok = add_rules(r, embedded_rules.name,
		       load_embedded(a, r->diag, &embedded_rules)) &&
	     ok;
	for (size_t i = 0; i < opt->nrules_files; i++) {
		char *buf;
		size_t len;
		int err = load_read(a, opt->rules_files[i], &buf, &len);
		if (err) {
			diag_fatal("cannot read '%s': %s", opt->rules_files[i],
				   strerror(err));
			return NULL;
		}
		ok = add_rules(r, opt->rules_files[i],
			       load_buffer(a, r->diag, opt->rules_files[i], buf,
					   len)) &&
		     ok;
	}
	/* Bad patterns are reported before any standard is read. */
	ok = ok && rules_compile(r->rules, r->diag);
	/* So is a baseline that cannot be read (a missing one is made). */
	if (ok && opt->baseline) {
		r->baseline = baseline_read(a, r->diag, opt->baseline,
					    opt->update_baseline);
		ok = r->baseline != NULL;
	}
	diag_flush(r->diag, stderr, opt->caret > 0);
	if (!ok || diag_errors(r->diag))
		return NULL;
	diag_set_werror(r->diag, opt->werror);
	diag_set_no_warnings(r->diag, opt->no_warnings);
	return apply_settings(r, r->diag) ? r : NULL;
}

const struct diag *
pipeline_diag(const struct run *r)
{
	return r->diag;
}

const char *
pipeline_unknown_setting(const struct run *r)
{
	(void)r; /* pipeline_new refuses them all */
	return NULL;
}

bool
pipeline_passes(struct run *r, struct arena *a, struct unit *u, unsigned want)
{
	struct diag *d = u->diag = diag_clone(a, r->diag);
	/* A tree only for the passes that need one: fix's, and the
	 * suppression comments'. Built as the file is read, a model
	 * peaks some 15% lower (docs/limits.md). */
	struct standard *std;
	if ((want & PIPE_EDITS) || suppress_wanted(u->buf, u->len)) {
		u->root = load_buffer(a, d, u->path, u->buf, u->len);
		std = u->root ? model_build(a, d, u->path, u->root) : NULL;
	} else {
		u->root = NULL;
		std = model_stream(a, d, u->path, u->buf, u->len);
	}
	u->std = std;
	u->names = NULL;
	u->edits = NULL;
	u->nedits = 0;
	if (!u->std)
		return false;
	/* The profile it is drafted under completes the model: an unknown
	 * one stops the passes as a model error does. */
	if (!profiles_resolve(r->profiles, std, d, &std->profile_def)) {
		u->std = NULL;
		return false;
	}
	/* The standard's own rules and severities, and the options over
	 * them, before any check reports: they are the checks' severities
	 * too. */
	bool ok = rules_add(r->rules, d, &u->std->text_rules, false);
	apply_settings(r, d);
	if (want & PIPE_NAMES) /* the C header: what it asserts must hold */
		build_c_preconditions(d);
	check_run(u->std, d, a);
	rules_levels(r->rules, u->std);
	bool ran = ok && rules_compile(r->rules, d);
	if (ran)
		check_text(r->rules, u->std, d, a,
			   want & PIPE_EDITS ? &u->edits : NULL, &u->nedits);
	/* What a comment or the baseline accepts goes before its errors
	 * could stop the passes; for the C header, warnings only (what it
	 * asserts must hold, and which errors it asserts is build.c's). */
	suppress_apply(a, u, ran, want & PIPE_NAMES);
	rules_drop_local(r->rules, d);
	if (r->baseline)
		baseline_apply(r->baseline, a, u, want & PIPE_NAMES);
	/* The C names for every command, so that check and build agree;
	 * once the rest is clean, as a duplicate key would also clash as a
	 * name. The lengths of the texts only for the C header itself. */
	if (!diag_errors(d))
		u->names = cname_build(a, d, u->std, r->opt->prefix,
				       want & PIPE_NAMES);
	return !diag_errors(d);
}

int
pipeline_read(struct run *r, struct arena *a, struct unit *u, const char *path,
	      unsigned want)
{
	char *buf;
	size_t len;
	/* "-" is standard input, named as GCC names it. */
	bool in = !strcmp(path, "-");
	if (in)
		path = PIPELINE_STDIN;
	*u = (struct unit){ .path = path };
	int err = in ? load_read_fd(a, STDIN_FILENO, &buf, &len)
		     : load_read(a, path, &buf, &len);
	if (err == EFBIG) {
		struct diag *d = diag_clone(a, r->diag);
		/* a variable, not a compound literal: xgettext reads the
		 * commas of its braces as the call's */
		struct loc file = { path, 0, 0 };
		diag_report(d, RULE_LIMIT, file,
			    "the file is larger than the limit of %zu MiB",
			    LOAD_MAX_BYTES >> 20);
		diag_flush(d, stderr, false);
		return 1;
	}
	if (err && in)
		diag_fatal("cannot read standard input: %s", strerror(err));
	else if (err)
		diag_fatal("cannot read '%s': %s", path, strerror(err));
	if (err)
		return 2;
	u->buf = buf, u->len = len;
	bool ok = pipeline_passes(r, a, u, want);
	diag_flush(u->diag, stderr, r->opt->caret > 0);
	return ok ? 0 : 1;
}

struct rules *
pipeline_rules(const struct run *r)
{
	return r->rules;
}

int
pipeline_finish(struct run *r)
{
	return r->baseline ? baseline_write(r->baseline) : 0;
}
