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
 *   load -> model (+ its profile) -> checks -> text rules -> C names
 *
 * A pass runs on what the pass before it built: the model needs a tree,
 * the checks and the text rules a model, and each reports all it finds.
 * The C names are judged once the rest is clean (a key used twice would
 * clash as a name too), for every command, so that check and build
 * report the same errors.
 *
 * What belongs to the run (the shipped rules, the profiles and their
 * rules, --profile and --rules files, the -W, -Wno- and -E options) is set
 * up once and not changed by any standard. What a
 * standard brings (its own text rules, terms and severities) lives in its
 * unit's diag and arena, and dies with them.
 */
#include "skillc.h"

#include <errno.h>
#include <string.h>

struct run {
	struct arena *arena;
	struct diag *diag; /* the run's rules and severities */
	struct rules *rules;
	struct profiles *profiles; /* built-in, then --profile files */
	const struct run_options *opt;
	bool *matched; /* per setting: some rule of the run has its name */
};

static void
run_release(void *p)
{
	struct run *r = p;
	rules_free(r->rules);
}

/* -W NAME, -Wno-NAME, -E NAME on one diag; false after reporting a rule
 * of the input format. A name no rule has yet may be a standard's own
 * rule: it waits for one. */
static bool
apply_settings(struct run *r, struct diag *d)
{
	for (size_t i = 0; i < r->opt->nsettings; i++) {
		const struct setting *s = &r->opt->settings[i];
		int rule = diag_find_rule(d, s->name);
		if (rule < 0)
			continue;
		r->matched[i] = true;
		if (diag_rule(d, rule)->fixed) {
			fprintf(stderr,
				"skillc: error: '%s' is a rule of the input format and is always an error\n"
				"(run 'skillc --help' for usage)\n",
				s->name);
			return false;
		}
		diag_set_severity(d, rule, s->sev);
	}
	return true;
}

/* Read a rules file's text rules into the run; false after reporting. */
static bool
add_rules(struct run *r, const char *name, const char *buf, size_t len)
{
	const struct node *root =
		load_buffer(r->arena, r->diag, name, buf, len);
	const struct text_rules *tr =
		root ? model_read_rules(r->arena, r->diag, root) : NULL;
	return tr && rules_add(r->rules, r->diag, tr, true);
}

struct run *
pipeline_new(struct arena *a, const struct run_options *opt)
{
	struct run *r = arena_alloc(a, sizeof *r);
	r->arena = a;
	r->opt = opt;
	r->diag = diag_new(a);
	r->rules = rules_new(a);
	r->matched = arena_array(a, opt->nsettings + 1, sizeof *r->matched);
	arena_on_free(a, run_release, r);
	/* The profiles first, the built-in ones before --profile files:
	 * their rules are listed before the shipped text rules. */
	r->profiles = profiles_new(a);
	bool ok = true;
	for (size_t i = 0; i < embedded_profiles_count; i++) {
		const struct embedded_file *f = &embedded_profiles[i];
		ok = profiles_add(r->profiles, r->rules, r->diag, f->name,
				  (const char *)f->bytes, f->len) &&
		     ok;
	}
	for (size_t i = 0; i < opt->nprofile_files; i++) {
		char *buf;
		size_t len;
		int err = load_read(a, opt->profile_files[i], &buf, &len);
		if (err) {
			fprintf(stderr, "skillc: error: cannot read '%s': %s\n",
				opt->profile_files[i], strerror(err));
			return NULL;
		}
		ok = profiles_add(r->profiles, r->rules, r->diag,
				  opt->profile_files[i], buf, len) &&
		     ok;
	}
	ok = profiles_finish(r->profiles, r->diag) && ok;
	ok = add_rules(r, embedded_rules_name, (const char *)embedded_rules,
		       embedded_rules_len) &&
	     ok;
	for (size_t i = 0; i < opt->nrules_files; i++) {
		char *buf;
		size_t len;
		int err = load_read(a, opt->rules_files[i], &buf, &len);
		if (err) {
			fprintf(stderr, "skillc: error: cannot read '%s': %s\n",
				opt->rules_files[i], strerror(err));
			return NULL;
		}
		ok = add_rules(r, opt->rules_files[i], buf, len) && ok;
	}
	/* Bad patterns are reported before any standard is read. */
	ok = ok && rules_compile(r->rules, r->diag);
	diag_flush(r->diag, stderr, opt->caret > 0);
	if (!ok || diag_errors(r->diag))
		return NULL;
	diag_set_werror(r->diag, opt->werror);
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
	for (size_t i = 0; i < r->opt->nsettings; i++)
		if (!r->matched[i])
			return r->opt->settings[i].name;
	return NULL;
}

bool
pipeline_passes(struct run *r, struct arena *a, struct unit *u, unsigned want)
{
	struct diag *d = u->diag = diag_clone(a, r->diag);
	u->root = load_buffer(a, d, u->path, u->buf, u->len);
	struct standard *std = u->root ? model_build(a, d, u->root) : NULL;
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
	check_run(u->std, d, a);
	bool ok = rules_add(r->rules, d, &u->std->text_rules, false);
	apply_settings(r, d); /* for the standard's own rules */
	rules_levels(r->rules, u->std);
	if (ok && rules_compile(r->rules, d))
		check_text(r->rules, u->std, d, a,
			   want & PIPE_EDITS ? &u->edits : NULL, &u->nedits);
	rules_drop_local(r->rules, d);
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
	*u = (struct unit){ .path = path };
	int err = load_read(a, path, &buf, &len);
	if (err == EFBIG) {
		struct diag *d = diag_clone(a, r->diag);
		diag_report(d, RULE_LIMIT, (struct loc){ path, 0, 0 },
			    "the file is larger than the limit of %zu MiB",
			    LOAD_MAX_BYTES >> 20);
		diag_flush(d, stderr, false);
		return 1;
	}
	if (err) {
		fprintf(stderr, "skillc: error: cannot read '%s': %s\n", path,
			strerror(err));
		return 2;
	}
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
