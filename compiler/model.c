/*
 * model.c - tree -> typed model, references resolved.
 *
 * Takes: the loader's nodes as it reads them (model_stream), or a tree
 * given node by node in the same order (model_build). Gives: a struct standard
 * whose every member was read through a shape table (the format as data: key,
 * kind, required, where it goes, and flags saying what the field is to the
 * passes), every reference resolved to a pointer, the levels ordered along
 * their inclusions, and an index built once: every capability, work content and
 * weight table listed in order, each level's chain of includes and first
 * weight column of each kind, each weight table's rows by what they
 * reference. Reports unknown and missing keys, wrong types and forms,
 * unknown references and inclusion cycles, all of them, and returns NULL
 * if there was any: the checks may rely on a model with no cycle, every
 * reference resolved and every weight list as long as its table's columns.
 * Each value and struct holds where it was read from as a place (struct
 * place: an offset into the source, not a node), so a model holds no node
 * and both ways give the same places.
 *
 * model_walk shows a pass every value of a model through the same shapes,
 * so that what reads every text (text rules, the C names, JSON) follows
 * the format as it is, and asks the field's flags, not its name.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

const char *const education_names[] = {
	"none",	    "junior-secondary", "secondary", "vocational", "associate",
	"bachelor", "master",		"doctorate", NULL,
};
const char *const experience_field_names[] = { "occupation", "related",
					       "either", NULL };
const char *const diploma_names[] = { "none", "technical-school",
				      "senior-technical-school",
				      "preparatory-technician", NULL };
const char *const prof_title_names[] = { "none", "junior", "intermediate",
					 "senior", NULL };
const char *const counted_names[] = { "total", "after-certificate", NULL };
const char *const status_names[] = { "draft", "draft-for-comment",
				     "draft-for-approval", "published", NULL };
const char *const weight_kind_names[] = { "theory", "skills", NULL };
const char *const severity_names[] = { "off", "warning", "error", NULL };

bool
text_eq(const struct text *a, const struct text *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->s, b->s, a->len));
}

const char *
text_str(struct arena *a, const struct text *t)
{
	if (!t->s)
		return "";
	/* a span never ends the source (load_scalar): the byte past it is
	 * the source's next, a line end or a closing quote, never NUL */
	return t->s[t->len] ? arena_strndup(a, t->s, t->len) : t->s;
}

/* ---- shapes: the format as data --------------------------------------- */

/* A field of struct T: member m, read from key. The _F forms take
 * FIELD_* flags; the others have none. */
#define FIELD(T, m, key, type_, req, fl, ...)                                  \
	{                                                                      \
		.name = key, .type = type_, .required = req, .flags = fl,      \
		.offset = offsetof(T, m), __VA_ARGS__                          \
	}
#define TEXT_F(T, m, key, fl) FIELD(T, m, key, F_TEXT, true, fl, .shape = NULL)
#define TEXT(T, m, key)	      TEXT_F(T, m, key, 0)
#define OPT_TEXT(T, m, key)   FIELD(T, m, key, F_TEXT, false, 0, .shape = NULL)
#define LTEXT(T, m, key)      FIELD(T, m, key, F_LTEXT, true, 0, .shape = NULL)
#define KEY_F(T, m, key, fl)  FIELD(T, m, key, F_KEY, true, fl, .shape = NULL)
#define KEY(T, m, key)	      KEY_F(T, m, key, 0)
#define OPT_KEY_F(T, m, key, fl)                                               \
	FIELD(T, m, key, F_KEY, false, fl, .shape = NULL)
#define OPT_KEY(T, m, key) OPT_KEY_F(T, m, key, 0)
#define INT(T, m, key, req, lo, hi)                                            \
	FIELD(T, m, key, F_INT, req, 0, .min = lo, .max = hi)
#define BOOL(T, m, key) FIELD(T, m, key, F_BOOL, false, 0, .shape = NULL)
#define ENUM(T, m, key, req, list)                                             \
	FIELD(T, m, key, F_ENUM, req, 0, .names = list)
#define SEQ(T, m, key, type_, req, fl, ...)                                    \
	FIELD(T, m, key, type_, req, fl, .count_offset = offsetof(T, n_##m),   \
	      __VA_ARGS__)
#define TEXTS(T, m, key)     SEQ(T, m, key, F_TEXTS, true, 0, .shape = NULL)
#define OPT_TEXTS(T, m, key) SEQ(T, m, key, F_TEXTS, false, 0, .shape = NULL)
#define OPT_KEYS(T, m, key)  SEQ(T, m, key, F_KEYS, false, 0, .shape = NULL)
#define INTS(T, m, key, lo, hi)                                                \
	SEQ(T, m, key, F_INTS, true, 0, .min = lo, .max = hi)
#define CELLS(T, m, key, lo, hi)                                               \
	SEQ(T, m, key, F_CELLS, true, 0, .min = lo, .max = hi)
#define LIST_F(T, m, key, req, sh, fl)                                         \
	SEQ(T, m, key, F_LIST, req, fl, .shape = &sh)
#define LIST(T, m, key, req, sh) LIST_F(T, m, key, req, sh, 0)
#define STRUCT_F(T, m, key, req, sh, fl)                                       \
	FIELD(T, m, key, F_STRUCT, req, fl, .shape = &sh)
#define STRUCT(T, m, key, req, sh) STRUCT_F(T, m, key, req, sh, 0)
/* A text the C header holds; a name the C header holds. */
#define C_TEXT(T, m, key) TEXT_F(T, m, key, FIELD_C)
#define C_NAME(T, m, key) TEXT_F(T, m, key, FIELD_C | FIELD_NAME)
#define END                                                                    \
	{                                                                      \
		.name = NULL                                                   \
	}
#define SHAPE(name_, T, what_, ...)                                            \
	static const struct field name_##_fields[] = { __VA_ARGS__, END };     \
	static const struct shape name_ = { what_, sizeof(T), name_##_fields }

/* TRANSLATORS: the shapes' names are what a mapping of the source is, in
 * messages such as "unknown key 'x' in work content" and "capability has no
 * 'key'". */
SHAPE(title_shape, struct title, N_("title"), C_TEXT(struct title, zh, "zh"),
      C_TEXT(struct title, en, "en"));

SHAPE(meta_shape, struct meta, N_("meta"), TEXT(struct meta, number, "number"),
      OPT_TEXT(struct meta, ics, "ics"), OPT_TEXT(struct meta, ccs, "ccs"),
      TEXT(struct meta, kind, "kind"),
      STRUCT(struct meta, title, "title", true, title_shape),
      ENUM(struct meta, status, "status", true, status_names),
      TEXT(struct meta, status_text, "status_text"),
      TEXT(struct meta, issuer, "issuer"),
      OPT_TEXT(struct meta, issuer_word, "issuer_word"),
      TEXT(struct meta, published, "published"),
      TEXT(struct meta, effective, "effective"),
      OPT_TEXT(struct meta, edition, "edition"),
      OPT_TEXT(struct meta, proposer, "proposer"),
      OPT_TEXTS(struct meta, drafting_units, "drafting_units"),
      OPT_TEXTS(struct meta, participating_units, "participating_units"),
      OPT_TEXTS(struct meta, drafters, "drafters"),
      OPT_TEXT(struct meta, foreword_title, "foreword_title"),
      TEXTS(struct meta, foreword, "foreword"));

SHAPE(notice_shape, struct notice, N_("notice"),
      TEXT(struct notice, number, "number"),
      TEXT(struct notice, title, "title"),
      TEXT(struct notice, addressee, "addressee"),
      TEXTS(struct notice, paragraphs, "paragraphs"),
      TEXTS(struct notice, contacts, "contacts"),
      TEXTS(struct notice, attachments, "attachments"),
      TEXT(struct notice, signature, "signature"),
      TEXT(struct notice, date, "date"),
      TEXTS(struct notice, footer, "footer"));

SHAPE(scope_shape, struct paragraphs, N_("scope"),
      TEXT(struct paragraphs, clause, "clause"),
      TEXT(struct paragraphs, title, "title"),
      TEXTS(struct paragraphs, paragraphs, "paragraphs"));

SHAPE(references_shape, struct paragraphs, N_("normative references"),
      TEXT(struct paragraphs, clause, "clause"),
      TEXT(struct paragraphs, title, "title"),
      TEXTS(struct paragraphs, paragraphs, "paragraphs"),
      TEXTS(struct paragraphs, documents, "documents"));

SHAPE(term_shape, struct term, N_("term"), TEXT(struct term, id, "id"),
      TEXT(struct term, zh, "zh"), TEXT(struct term, en, "en"),
      TEXT(struct term, definition, "definition"));

SHAPE(terms_shape, struct terms, N_("terms"),
      TEXT(struct terms, clause, "clause"), TEXT(struct terms, title, "title"),
      TEXT(struct terms, intro, "intro"),
      LIST(struct terms, entries, "entries", true, term_shape));

SHAPE(clause_text_shape, struct clause_text, N_("clause"),
      TEXT(struct clause_text, clause, "clause"),
      TEXT(struct clause_text, title, "title"),
      TEXT(struct clause_text, text, "text"));

SHAPE(clause_head_shape, struct clause_head, N_("clause"),
      TEXT(struct clause_head, clause, "clause"),
      TEXT(struct clause_head, title, "title"));

SHAPE(education_clause_shape, struct education_clause, N_("clause"),
      TEXT(struct education_clause, clause, "clause"),
      TEXT(struct education_clause, title, "title"),
      TEXT(struct education_clause, text, "text"),
      ENUM(struct education_clause, education, "education", false,
	   education_names));

SHAPE(branch_shape, struct branch, N_("branch"),
      KEY_F(struct branch, key, "key", FIELD_C),
      C_NAME(struct branch, name, "name"));

SHAPE(level_shape, struct level, N_("level"),
      KEY_F(struct level, key, "key", FIELD_C),
      C_NAME(struct level, name, "name"),
      OPT_KEY(struct level, includes_key, "includes"));

SHAPE(route_shape, struct route, N_("route"),
      C_TEXT(struct route, label, "label"), C_TEXT(struct route, text, "text"),
      OPT_KEY(struct route, certificate_key, "certificate"),
      INT(struct route, experience_months, "experience_months", false, 0, 1200),
      ENUM(struct route, experience_counted, "experience_counted", false,
	   counted_names),
      ENUM(struct route, experience_field, "experience_field", false,
	   experience_field_names),
      ENUM(struct route, education, "education", false, education_names),
      ENUM(struct route, diploma, "diploma", false, diploma_names),
      BOOL(struct route, apprenticeship, "apprenticeship"),
      INT(struct route, min_age, "min_age", false, 1, 100),
      ENUM(struct route, professional_title, "professional_title", false,
	   prof_title_names));

SHAPE(eligibility_shape, struct eligibility, N_("eligibility clause"),
      KEY(struct eligibility, level_key, "level"),
      OPT_TEXT(struct eligibility, clause, "clause"),
      OPT_TEXT(struct eligibility, title, "title"),
      TEXT(struct eligibility, intro, "intro"),
      LIST(struct eligibility, routes, "routes", true, route_shape));

SHAPE(method_shape, struct method, N_("method"),
      KEY_F(struct method, key, "key", FIELD_C),
      C_NAME(struct method, name, "name"), TEXT(struct method, label, "label"),
      TEXT(struct method, text, "text"),
      OPT_KEYS(struct method, level_keys, "levels"));

SHAPE(methods_shape, struct methods_clause, N_("methods clause"),
      TEXT(struct methods_clause, clause, "clause"),
      TEXT(struct methods_clause, title, "title"),
      TEXT(struct methods_clause, intro, "intro"),
      LIST(struct methods_clause, items, "items", true, method_shape));

/* National standards print the pass mark inside 评价方式, under no heading
 * of its own: clause and title absent. */
SHAPE(pass_score_shape, struct pass_score, N_("pass score clause"),
      OPT_TEXT(struct pass_score, clause, "clause"),
      OPT_TEXT(struct pass_score, title, "title"),
      TEXT(struct pass_score, text, "text"),
      INT(struct pass_score, full_marks, "full_marks", true, 1, 1000),
      INT(struct pass_score, score, "score", true, 0, 1000));

SHAPE(ratio_shape, struct ratio, N_("ratio"),
      KEY(struct ratio, method_key, "method"),
      C_TEXT(struct ratio, role, "role"),
      INT(struct ratio, staff, "staff", false, 1, 1000),
      INT(struct ratio, candidates, "candidates", false, 1, 100000),
      INT(struct ratio, min_staff, "min_staff", false, 1, 1000),
      BOOL(struct ratio, per_room, "per_room"), BOOL(struct ratio, odd, "odd"));

SHAPE(ratios_shape, struct ratios_clause, N_("ratios clause"),
      TEXT(struct ratios_clause, clause, "clause"),
      TEXT(struct ratios_clause, title, "title"),
      TEXT(struct ratios_clause, text, "text"),
      LIST(struct ratios_clause, items, "items", true, ratio_shape));

SHAPE(duration_shape, struct duration, N_("duration"),
      KEY(struct duration, method_key, "method"),
      INT(struct duration, minutes, "minutes", true, 1, 10000),
      OPT_KEYS(struct duration, level_keys, "levels"));

SHAPE(durations_shape, struct durations_clause, N_("durations clause"),
      TEXT(struct durations_clause, clause, "clause"),
      TEXT(struct durations_clause, title, "title"),
      TEXT(struct durations_clause, text, "text"),
      LIST(struct durations_clause, items, "items", true, duration_shape));

SHAPE(venue_shape, struct venue, N_("venue"),
      KEY(struct venue, method_key, "method"),
      TEXT(struct venue, label, "label"), TEXT(struct venue, text, "text"));

SHAPE(venues_shape, struct venues_clause, N_("venues clause"),
      TEXT(struct venues_clause, clause, "clause"),
      TEXT(struct venues_clause, title, "title"),
      TEXT(struct venues_clause, intro, "intro"),
      LIST(struct venues_clause, items, "items", true, venue_shape));

SHAPE(assessment_shape, struct assessment, N_("assessment"),
      STRUCT(struct assessment, methods, "methods", true, methods_shape),
      STRUCT(struct assessment, pass_score, "pass_score", true,
	     pass_score_shape),
      STRUCT(struct assessment, ratios, "ratios", true, ratios_shape),
      STRUCT(struct assessment, durations, "durations", true, durations_shape),
      STRUCT(struct assessment, venues, "venues", true, venues_shape));

SHAPE(labelled_shape, struct labelled, N_("item"),
      TEXT(struct labelled, label, "label"),
      TEXT(struct labelled, text, "text"));

/* Sections nest: the shape refers to itself. */
static const struct shape section_shape;
static const struct field section_fields[] = {
	OPT_KEY_F(struct section, key, "key", FIELD_C | FIELD_C_KEY),
	TEXT(struct section, clause, "clause"),
	C_TEXT(struct section, title, "title"),
	OPT_TEXT(struct section, intro, "intro"),
	OPT_TEXT(struct section, text, "text"),
	LIST(struct section, items, "items", false, labelled_shape),
	LIST(struct section, sections, "sections", false, section_shape),
	END,
};
static const struct shape section_shape = { N_("section"),
					    sizeof(struct section),
					    section_fields };

SHAPE(occupation_shape, struct occupation, N_("occupation"),
      TEXT(struct occupation, clause, "clause"),
      TEXT(struct occupation, title, "title"),
      C_NAME(struct occupation, name, "name"),
      STRUCT(struct occupation, name_clause, "name_clause", false,
	     clause_head_shape),
      STRUCT(struct occupation, code, "code", false, clause_text_shape),
      STRUCT(struct occupation, definition, "definition", false,
	     clause_text_shape),
      STRUCT(struct occupation, levels, "levels", true, clause_text_shape),
      STRUCT(struct occupation, environment, "environment", true,
	     clause_text_shape),
      STRUCT(struct occupation, abilities, "abilities", false,
	     clause_text_shape),
      STRUCT(struct occupation, education, "education", false,
	     education_clause_shape),
      STRUCT(struct occupation, training, "training", false, section_shape),
      STRUCT(struct occupation, assessment, "assessment", true,
	     clause_head_shape),
      STRUCT(struct occupation, eligibility, "eligibility", false,
	     clause_head_shape));

SHAPE(basic_shape, struct basic_requirements, N_("basic requirements"),
      TEXT(struct basic_requirements, clause, "clause"),
      TEXT(struct basic_requirements, title, "title"),
      ENUM(struct basic_requirements, education, "education", false,
	   education_names),
      LIST(struct basic_requirements, sections, "sections", true,
	   section_shape));

/* Skill and knowledge items differ only in what kind of text they hold. */
SHAPE(skill_shape, struct item, N_("item"), C_TEXT(struct item, id, "id"),
      TEXT_F(struct item, text, "text", FIELD_C | FIELD_SKILL | FIELD_SPAN));

SHAPE(knowledge_shape, struct item, N_("item"), C_TEXT(struct item, id, "id"),
      TEXT_F(struct item, text, "text",
	     FIELD_C | FIELD_KNOWLEDGE | FIELD_SPAN));

SHAPE(content_shape, struct content, N_("work content"),
      KEY_F(struct content, key, "key", FIELD_C),
      C_TEXT(struct content, id, "id"),
      TEXT_F(struct content, name, "name", FIELD_C | FIELD_NAME | FIELD_SPAN),
      LIST(struct content, skills, "skills", true, skill_shape),
      LIST(struct content, knowledge, "knowledge", true, knowledge_shape));

SHAPE(capability_shape, struct capability, N_("capability"),
      OPT_KEY_F(struct capability, key, "key", FIELD_C),
      C_TEXT(struct capability, id, "id"),
      TEXT_F(struct capability, name, "name",
	     FIELD_C | FIELD_NAME | FIELD_SPAN),
      LIST(struct capability, contents, "contents", true, content_shape));

SHAPE(work_table_shape, struct work_table, N_("work-requirements table"),
      KEY(struct work_table, level_key, "level"),
      OPT_KEY(struct work_table, branch_key, "branch"),
      STRUCT(struct work_table, heading, "heading", false, clause_head_shape),
      TEXT(struct work_table, clause, "clause"),
      TEXT(struct work_table, title, "title"),
      OPT_TEXT(struct work_table, intro, "intro"),
      OPT_TEXT(struct work_table, number, "number"),
      OPT_TEXT(struct work_table, caption, "caption"),
      TEXTS(struct work_table, header, "header"),
      LIST_F(struct work_table, capabilities, "capabilities", true,
	     capability_shape, FIELD_BY_LEVEL));

SHAPE(work_shape, struct work_requirements, N_("work requirements"),
      TEXT(struct work_requirements, clause, "clause"),
      TEXT(struct work_requirements, title, "title"),
      OPT_TEXT(struct work_requirements, intro, "intro"),
      STRUCT(struct work_requirements, general, "general", false,
	     clause_text_shape),
      LIST(struct work_requirements, tables, "tables", true, work_table_shape));

SHAPE(row_shape, struct weight_row, N_("weight row"),
      OPT_KEY(struct weight_row, basic_key, "basic"),
      OPT_KEY_F(struct weight_row, capability_key, "capability", FIELD_C),
      OPT_KEY_F(struct weight_row, content_key, "content", FIELD_C),
      C_NAME(struct weight_row, label, "label"),
      CELLS(struct weight_row, weights, "weights", 0, 100));

SHAPE(group_shape, struct group, N_("row group"),
      C_TEXT(struct group, label, "label"),
      LIST(struct group, rows, "rows", true, row_shape));

SHAPE(column_shape, struct column, N_("column"),
      KEY(struct column, level_key, "level"),
      OPT_KEY(struct column, branch_key, "branch"),
      TEXT(struct column, label, "label"));

SHAPE(total_shape, struct total, N_("total"),
      TEXT(struct total, label, "label"),
      INTS(struct total, weights, "weights", 0, 100000));

SHAPE(weight_table_shape, struct weight_table, N_("weight table"),
      C_TEXT(struct weight_table, clause, "clause"),
      C_TEXT(struct weight_table, title, "title"),
      OPT_TEXT(struct weight_table, intro, "intro"),
      FIELD(struct weight_table, number, "number", F_TEXT, false, FIELD_C,
	    .shape = NULL),
      FIELD(struct weight_table, caption, "caption", F_TEXT, false, FIELD_C,
	    .shape = NULL),
      ENUM(struct weight_table, kind, "kind", true, weight_kind_names),
      TEXTS(struct weight_table, header, "header"),
      LIST(struct weight_table, columns, "columns", true, column_shape),
      LIST(struct weight_table, groups, "groups", true, group_shape),
      STRUCT(struct weight_table, total, "total", true, total_shape));

SHAPE(weight_section_shape, struct weight_section, N_("weight section"),
      TEXT(struct weight_section, clause, "clause"),
      TEXT(struct weight_section, title, "title"),
      LIST(struct weight_section, tables, "tables", true, weight_table_shape));

SHAPE(weights_shape, struct weights, N_("weights"),
      TEXT(struct weights, clause, "clause"),
      TEXT(struct weights, title, "title"),
      LIST(struct weights, sections, "sections", false, weight_section_shape),
      LIST(struct weights, tables, "tables", false, weight_table_shape));

SHAPE(spelling_shape, struct spelling, N_("spelling"),
      TEXT(struct spelling, from, "from"), TEXT(struct spelling, to, "to"));

SHAPE(setting_shape, struct severity_setting, N_("severity setting"),
      TEXT(struct severity_setting, rule, "rule"),
      ENUM(struct severity_setting, severity, "severity", true,
	   severity_names));

SHAPE(text_rule_shape, struct text_rule, N_("text rule"),
      TEXT(struct text_rule, id, "id"), KEY(struct text_rule, name, "name"),
      ENUM(struct text_rule, severity, "severity", true, severity_names),
      LTEXT(struct text_rule, summary, "summary"),
      TEXTS(struct text_rule, fields, "fields"),
      OPT_KEYS(struct text_rule, levels, "levels"),
      INT(struct text_rule, min_rank, "min_rank", false, 0, 1000),
      OPT_TEXT(struct text_rule, pattern, "pattern"),
      LTEXT(struct text_rule, message, "message"),
      OPT_TEXT(struct text_rule, replacement, "replacement"),
      OPT_TEXT(struct text_rule, example, "example"),
      BOOL(struct text_rule, consistent, "consistent"),
      LIST(struct text_rule, spellings, "spellings", false, spelling_shape));

SHAPE(text_rules_shape, struct text_rules, N_("text rules"),
      OPT_TEXTS(struct text_rules, terms, "terms"),
      LIST(struct text_rules, severity, "severity", false, setting_shape),
      LIST(struct text_rules, rules, "rules", false, text_rule_shape));

SHAPE(rules_file_shape, struct text_rules, N_("rules file"),
      INT(struct text_rules, version, "skillc_rules", true, 1, 1),
      OPT_TEXTS(struct text_rules, terms, "terms"),
      LIST(struct text_rules, severity, "severity", false, setting_shape),
      LIST(struct text_rules, rules, "rules", false, text_rule_shape));

/* A profile file (schema/profiles/, docs/profiles.md). */
SHAPE(profile_staff_shape, struct profile_staff, N_("profile staff"),
      TEXTS(struct profile_staff, methods, "methods"),
      TEXTS(struct profile_staff, roles, "roles"),
      INT(struct profile_staff, staff, "staff", false, 1, 1000),
      INT(struct profile_staff, candidates, "candidates", false, 1, 100000),
      INT(struct profile_staff, min_staff, "min_staff", false, 1, 1000),
      BOOL(struct profile_staff, per_room, "per_room"),
      BOOL(struct profile_staff, odd, "odd"));

SHAPE(profile_pass_shape, struct profile_pass, N_("profile pass mark"),
      INT(struct profile_pass, score, "score", true, 0, 1000),
      INT(struct profile_pass, full_marks, "full_marks", true, 1, 1000));

SHAPE(profile_review_shape, struct profile_review, N_("profile review"),
      TEXTS(struct profile_review, methods, "methods"),
      TEXTS(struct profile_review, levels, "levels"));

SHAPE(profile_coverage_shape, struct profile_coverage, N_("profile coverage"),
      TEXTS(struct profile_coverage, sentences, "sentences"),
      TEXTS(struct profile_coverage, in, "in"));

SHAPE(profile_shape, struct profile, N_("profile"),
      INT(struct profile, version, "skillc_profile", true, 1, 1),
      KEY(struct profile, key, "key"), TEXT(struct profile, name, "name"),
      TEXT(struct profile, summary, "summary"),
      OPT_KEY(struct profile, extends_key, "extends"),
      BOOL(struct profile, is_default, "default"),
      OPT_TEXTS(struct profile, levels, "levels"),
      STRUCT(struct profile, coverage, "coverage", false,
	     profile_coverage_shape),
      STRUCT(struct profile, review, "review", false, profile_review_shape),
      STRUCT(struct profile, pass_mark, "pass_mark", false, profile_pass_shape),
      STRUCT(struct profile, invigilators, "invigilators", false,
	     profile_staff_shape),
      STRUCT(struct profile, examiners, "examiners", false,
	     profile_staff_shape),
      OPT_TEXTS(struct profile, theory_rows, "theory_rows"),
      LIST(struct profile, rules, "rules", false, text_rule_shape));

SHAPE(standard_shape_, struct standard, N_("standard"),
      INT(struct standard, version, "skillc", true, 1, 1),
      KEY_F(struct standard, id, "id", FIELD_C),
      OPT_KEY(struct standard, profile, "profile"),
      STRUCT(struct standard, meta, "meta", true, meta_shape),
      STRUCT(struct standard, notice, "notice", false, notice_shape),
      STRUCT(struct standard, scope, "scope", false, scope_shape),
      STRUCT(struct standard, normative_references, "normative_references",
	     false, references_shape),
      STRUCT(struct standard, terms, "terms", false, terms_shape),
      STRUCT(struct standard, occupation, "occupation", true, occupation_shape),
      LIST(struct standard, levels, "levels", true, level_shape),
      LIST(struct standard, branches, "branches", false, branch_shape),
      LIST(struct standard, eligibility, "eligibility", true,
	   eligibility_shape),
      STRUCT(struct standard, assessment, "assessment", true, assessment_shape),
      STRUCT(struct standard, basic_requirements, "basic_requirements", true,
	     basic_shape),
      STRUCT(struct standard, work_requirements, "work_requirements", true,
	     work_shape),
      STRUCT(struct standard, weights, "weights", true, weights_shape),
      STRUCT_F(struct standard, text_rules, "text_rules", false,
	       text_rules_shape, FIELD_NOT_PROSE));

const struct shape *const model_standard_shape = &standard_shape_;
const struct shape *const model_work_table_shape = &work_table_shape;

/* ---- walking a model through its shapes -------------------------------- */

static void walk_struct(struct walk_step st, model_visit_fn *visit, void *ctx);

/* The size of an element of a list field. */
static size_t
element_size(const struct field *f)
{
	switch (f->type) {
	case F_LIST:
		return f->shape->size;
	case F_INTS:
	case F_CELLS:
		return sizeof(struct num);
	default:
		return sizeof(struct text);
	}
}

static void
walk_member(const struct shape *sh, const struct field *f, const void *base,
	    model_visit_fn *visit, void *ctx)
{
	const char *member = (const char *)base + f->offset;
	struct walk_step st = { .event = WALK_VALUE,
				.shape = sh,
				.base = base,
				.field = f,
				.value = member };
	if (f->type == F_STRUCT) {
		walk_struct(st, visit, ctx);
		return;
	}
	if (!f->count_offset) {
		visit(ctx, &st);
		return;
	}
	st.event = WALK_LIST;
	st.count = *(const size_t *)((const char *)base + f->count_offset);
	if (!visit(ctx, &st))
		return;
	struct walk_step e = st;
	e.element = true, e.count = 0;
	for (size_t i = 0; i < st.count; i++) {
		e.value = *(const char *const *)member + i * element_size(f);
		if (f->type == F_LIST) {
			walk_struct(e, visit, ctx);
		} else {
			e.event = WALK_VALUE;
			visit(ctx, &e);
		}
	}
	st.event = WALK_LIST_END;
	visit(ctx, &st);
}

/* The struct at st.value. Every struct of the model starts with the place
 * it was read from: none given means the source has no such mapping. */
static void
walk_struct(struct walk_step st, model_visit_fn *visit, void *ctx)
{
	st.event = WALK_STRUCT;
	st.absent = !((const struct place *)st.value)->given;
	if (!visit(ctx, &st) || st.absent)
		return;
	model_walk(st.field->shape, st.value, visit, ctx);
	st.event = WALK_STRUCT_END;
	visit(ctx, &st);
}

void
model_walk(const struct shape *sh, const void *p, model_visit_fn *visit,
	   void *ctx)
{
	for (const struct field *f = sh->fields; f->name; f++)
		walk_member(sh, f, p, visit, ctx);
}

/* ---- reading a tree through a shape ------------------------------------ */

struct builder {
	struct arena *arena;
	struct diag *diag;
	const char *file; /* the tree's */
	struct standard *std;
	size_t suggestions; /* did-you-mean searches made: bounded */
	bool levels_ok;	    /* no cycle: the level order exists */
	/* Reading: the document's shape, where it goes; the lists of its
	 * fields, by index (their places, for messages); the frames open
	 * (struct open). */
	const struct shape *root_shape;
	void *root_out;
	struct place root_lists[64];
	/* The source's bytes, where the places count from: the model keeps
	 * no node, for the loader's last only the call (load_stream), and a
	 * copy of each would take three times a place. */
	const char *buf;
	size_t depth;
	struct open *opens;
};

#define SUGGESTION_LIMIT 64

static bool
is_key(const struct text *t)
{
	if (t->len == 0 || t->len > 64)
		return false;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->s[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		bool digit = c >= '0' && c <= '9';
		if (!(alpha || (i > 0 && (digit || c == '-' || c == '_'))))
			return false;
	}
	return true;
}

/* The closest of names to s, if close enough to be a likely typo. */
static const char *
nearest(const char *s, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, len = strlen(s);
	size_t limit = len < 3 ? 1 : len / 3 + 1;
	for (size_t i = 0; i < n; i++) {
		if (!names[i])
			continue;
		size_t d = edit_distance(s, names[i]);
		if (d < best_d && d <= limit)
			best = names[i], best_d = d;
	}
	return best;
}

/* What a node is, for messages: "a list", "a number", "empty (null)";
 * English, to be translated where it is printed. */
static const char *
node_what(const struct node *n)
{
	switch (n->kind) {
	case NODE_MAP:
		return N_("a mapping");
	case NODE_SEQ:
		return N_("a list");
	default:
		break;
	}
	switch (n->type) {
	case SCALAR_NULL:
		return N_("empty (null)");
	case SCALAR_BOOL:
		return N_("a boolean");
	case SCALAR_NUMBER:
		return N_("a number");
	case SCALAR_DATE:
		return N_("a date");
	default:
		return N_("text");
	}
}

/* Whether n is of the kind wanted; if not, say so. wanted names it for
 * the message, in English (N_): "text", "an integer", "a list", "a
 * mapping". */
static bool
expect_kind(struct builder *b, const struct node *n, enum node_kind kind,
	    const char *key, const char *wanted)
{
	if (n->kind == kind && (kind != NODE_SCALAR || n->type == SCALAR_TEXT))
		return true;
	bool text = !strcmp(wanted, "text");
	if (n->kind == NODE_SCALAR && kind == NODE_SCALAR && text &&
	    n->type == SCALAR_NULL)
		diag_report(
			b->diag, RULE_TYPE, node_loc(b->diag, b->file, n),
			/* TRANSLATORS: %s is what the value is instead: "empty
			 * (null)". */
			"'%s' must be text, not %s; write \"\" for empty text",
			key, _(node_what(n)));
	else if (n->kind == NODE_SCALAR && kind == NODE_SCALAR && text)
		diag_report(
			b->diag, RULE_TYPE, node_loc(b->diag, b->file, n),
			/* TRANSLATORS: %s is what the value is instead: "a
			 * number", "a boolean", "a date". */
			"'%s' must be text, not %s; quote it to make it text",
			key, _(node_what(n)));
	else
		diag_report(b->diag, RULE_TYPE, node_loc(b->diag, b->file, n),
			    /* TRANSLATORS: "'levels' must be a list, not a
			     * mapping": the first %s is a key, the others kinds
			     * of value ("text", "an integer", "a list", "a
			     * mapping", "empty (null)"). */
			    "'%s' must be %s, not %s", key, _(wanted),
			    _(node_what(n)));
	return false;
}

/* Say what is wrong with a key, as precisely as the user needs. */
static void
bad_key(struct builder *b, const struct node *n, const char *field)
{
	struct diag *d = b->diag;
	size_t chars = 0;
	for (size_t i = 0; i < n->len; chars++) {
		uint32_t cp = (unsigned char)n->text[i];
		size_t k = utf8_decode((const unsigned char *)n->text + i,
				       n->len - i, &cp);
		if (cp >= 0x80) {
			diag_report(
				d, RULE_VALUE, node_loc(b->diag, b->file, n),
				"'%s' is not a valid key for '%s': character %zu, U+%04X, is not ASCII (a key is a letter, then letters, digits, '-' or '_')",
				n->text, field, chars + 1, (unsigned)cp);
			return;
		}
		if (i > 0 &&
		    !(cp == '-' || cp == '_' || (cp >= '0' && cp <= '9') ||
		      (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))) {
			diag_report(
				d, RULE_VALUE, node_loc(b->diag, b->file, n),
				"'%s' is not a valid key for '%s': character %zu, '%c', is not a letter, digit, '-' or '_' (a key is a letter, then letters, digits, '-' or '_')",
				n->text, field, chars + 1, (char)cp);
			return;
		}
		i += k ? k : 1;
	}
	if (n->len > 64)
		diag_report(
			d, RULE_VALUE, node_loc(b->diag, b->file, n),
			"'%s' is not a valid key for '%s': it is %zu characters long, over the limit of 64 (a key is a letter, then letters, digits, '-' or '_')",
			n->text, field, chars);
	else if (n->len == 0)
		diag_report(
			d, RULE_VALUE, node_loc(b->diag, b->file, n),
			"'%s' is not a valid key for '%s': it is empty (a key is a letter, then letters, digits, '-' or '_')",
			n->text, field);
	else
		diag_report(
			d, RULE_VALUE, node_loc(b->diag, b->file, n),
			"'%s' is not a valid key for '%s': it must start with a letter (a key is a letter, then letters, digits, '-' or '_')",
			n->text, field);
}

static void
read_text(struct builder *b, const struct node *n, const char *key,
	  bool is_key_field, struct text *out)
{
	if (!expect_kind(b, n, NODE_SCALAR, key, N_("text")))
		return;
	*out = (struct text){ n->text, n->len, place_of(b->buf, n) };
	if (is_key_field && !is_key(out))
		bad_key(b, n, key);
}

/* A language tag: a primary subtag of 2 or 3 lower-case letters, then
 * subtags of letters and digits after '-' or '_' (en, zh, zh-Hant, zh_CN). */
static bool
is_language_tag(const char *s)
{
	size_t n = 0;
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return false;
	for (s += n; *s;) {
		if (*s != '-' && *s != '_')
			return false;
		size_t k = 0;
		while ((s[1 + k] >= 'a' && s[1 + k] <= 'z') ||
		       (s[1 + k] >= 'A' && s[1 + k] <= 'Z') ||
		       (s[1 + k] >= '0' && s[1 + k] <= '9'))
			k++;
		if (k == 0 || k > 8)
			return false;
		s += 1 + k;
	}
	return true;
}

/* A text in one language; a mapping of language tags to texts is read
 * as it opens (OPEN_LTEXT). */
static void
read_ltext(struct builder *b, const struct field *f, const struct node *n,
	   struct ltext *out)
{
	out->at = place_of(b->buf, n);
	struct ltext_one *one = arena_alloc(b->arena, sizeof *one);
	read_text(b, n, f->name, false, &one->text);
	if (one->text.s)
		out->langs = one, out->n_langs = 1;
}

/* A cell printed "—" (U+2014): the row's thing is not at that column's
 * level. */
static bool
is_dash(const struct node *n)
{
	return n->kind == NODE_SCALAR && !strcmp(n->text, "\u2014");
}

/* A look-alike of "—": hyphen, dashes, full-width hyphen-minus, a doubled
 * dash. */
static bool
looks_like_dash(const char *s)
{
	static const char *const like[] = {
		"-",	  "\u2013", "\u2015", "\uff0d", "\u2014\u2014",
		"\u2212", "\u2012", NULL
	};
	for (size_t i = 0; like[i]; i++)
		if (!strcmp(s, like[i]))
			return true;
	return false;
}

static void
read_int(struct builder *b, const struct field *f, const struct node *n,
	 struct num *out)
{
	if (n->kind != NODE_SCALAR) {
		expect_kind(b, n, NODE_SCALAR, f->name, N_("an integer"));
		return;
	}
	const char *s = n->text;
	size_t digits = strspn(s, "0123456789");
	if (n->style != STYLE_PLAIN) {
		diag_report(
			b->diag, RULE_INTEGER, node_loc(b->diag, b->file, n),
			"'%s' for '%s' is quoted; write the integer as plain digits",
			s, f->name);
		return;
	}
	if (n->len == 0 || n->type == SCALAR_NULL) {
		diag_report(b->diag, RULE_INTEGER,
			    node_loc(b->diag, b->file, n),
			    "'%s' for '%s' is empty; an integer is required", s,
			    f->name);
		return;
	}
	if (digits != n->len || (n->len > 1 && s[0] == '0')) {
		if (f->type == F_CELLS && looks_like_dash(s))
			diag_report(
				b->diag, RULE_INTEGER,
				node_loc(b->diag, b->file, n),
				"'%s' for '%s' is not a plain decimal integer, nor the dash \"\u2014\" (U+2014) that marks a level without the row's capability or work content",
				s, f->name);
		else
			diag_report(
				b->diag, RULE_INTEGER,
				node_loc(b->diag, b->file, n),
				"'%s' for '%s' is not a plain decimal integer",
				s, f->name);
		return;
	}
	int64_t v = 0;
	bool big = false;
	for (size_t i = 0; i < n->len; i++) {
		if (v > (INT64_MAX - 9) / 10) {
			big = true;
			break;
		}
		v = v * 10 + (s[i] - '0');
	}
	if (big || v < f->min || v > f->max) {
		diag_report(b->diag, RULE_INTEGER,
			    node_loc(b->diag, b->file, n),
			    "'%s' for '%s' is out of range (%lld to %lld)", s,
			    f->name, (long long)f->min, (long long)f->max);
		return;
	}
	*out = (struct num){ v, place_of(b->buf, n), false };
}

static void
read_enum(struct builder *b, const struct field *f, const struct node *n,
	  struct choice *out)
{
	/* A name of the list is taken as written, even one YAML 1.1 would
	 * read as a boolean (severity: off). */
	bool named = false;
	for (size_t i = 0; n->kind == NODE_SCALAR && f->names[i]; i++)
		named |= !strcmp(n->text, f->names[i]);
	if (!named && !expect_kind(b, n, NODE_SCALAR, f->name, N_("text")))
		return;
	size_t count = 0;
	for (; f->names[count]; count++)
		if (!strcmp(n->text, f->names[count])) {
			*out = (struct choice){ (int)count,
						place_of(b->buf, n) };
			return;
		}
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < count; i++)
		strbuf_addf(&sb, "%s%s", i ? _(", ") : "", f->names[i]);
	const char *near = nearest(n->text, f->names, count);
	if (near)
		diag_report(
			b->diag, RULE_VALUE, node_loc(b->diag, b->file, n),
			/* TRANSLATORS: "'x' is not a valid 'status'; did you
			 * mean 'draft'? (one of: draft, published)": a value,
			 * its key, the likely value and the values there are.
			 */
			"'%s' is not a valid '%s'; did you mean '%s'? (one of: %s)",
			n->text, f->name, near, sb.buf);
	else
		diag_report(b->diag, RULE_VALUE, node_loc(b->diag, b->file, n),
			    "'%s' is not a valid '%s' (one of: %s)", n->text,
			    f->name, sb.buf);
	strbuf_free(&sb);
}

/* A key k that shape sh does not have; near, the likely one, or NULL. */
static void
unknown_key(struct builder *b, const struct node *k, const struct shape *sh,
	    const char *near)
{
	size_t c = 0, at = 0; /* a look-alike of a key: its first non-ASCII */
	uint32_t cp = 0;
	for (; at < k->len; c++) {
		cp = 0;
		size_t len = utf8_decode((const unsigned char *)k->text + at,
					 k->len - at, &cp);
		if (cp >= 0x80)
			break;
		at += len ? len : 1;
	}
	const char *what = _(sh->what);
	struct diag *d = b->diag;
	if (at < k->len && near)
		diag_report(
			d, RULE_UNKNOWN_KEY, node_loc(b->diag, b->file, k),
			/* TRANSLATORS: in the messages "unknown key 'x' in work
			 * content", the second %s is what the mapping is (a
			 * shape's name). */
			"unknown key '%s' in %s (character %zu, U+%04X, is not ASCII); did you mean '%s'?",
			k->text, what, c + 1, (unsigned)cp, near);
	else if (at < k->len)
		diag_report(
			d, RULE_UNKNOWN_KEY, node_loc(b->diag, b->file, k),
			"unknown key '%s' in %s (character %zu, U+%04X, is not ASCII)",
			k->text, what, c + 1, (unsigned)cp);
	else if (near)
		diag_report(d, RULE_UNKNOWN_KEY, node_loc(b->diag, b->file, k),
			    "unknown key '%s' in %s; did you mean '%s'?",
			    k->text, what, near);
	else
		diag_report(d, RULE_UNKNOWN_KEY, node_loc(b->diag, b->file, k),
			    "unknown key '%s' in %s", k->text, what);
}

/* A value of f, a member of out, that opens nothing: a scalar, or a
 * mapping or list f does not take (which is reported as what it is). */
static void
read_value(struct builder *b, const struct field *f, const struct node *n,
	   void *out)
{
	void *member = (char *)out + f->offset;
	switch (f->type) {
	case F_TEXT:
	case F_KEY:
		read_text(b, n, f->name, f->type == F_KEY, member);
		break;
	case F_INT:
		read_int(b, f, n, member);
		break;
	case F_BOOL:
		if (n->kind == NODE_SCALAR && n->style == STYLE_PLAIN &&
		    (!strcmp(n->text, "true") || !strcmp(n->text, "false")))
			*(struct flag *)member =
				(struct flag){ n->text[0] == 't',
					       place_of(b->buf, n) };
		else if (n->kind == NODE_SCALAR)
			diag_report(b->diag, RULE_TYPE,
				    node_loc(b->diag, b->file, n),
				    "'%s' must be true or false, not '%s'",
				    f->name, n->text);
		else
			diag_report(
				b->diag, RULE_TYPE,
				node_loc(b->diag, b->file, n),
				/* TRANSLATORS: the second %s is what the value
				 * is instead: "a list", "a mapping". */
				"'%s' must be true or false, not %s", f->name,
				_(node_what(n)));
		break;
	case F_ENUM:
		read_enum(b, f, n, member);
		break;
	case F_LTEXT:
		if (n->kind == NODE_MAP) /* taken as it opens: never here */
			break;
		read_ltext(b, f, n, member);
		break;
	case F_STRUCT:
		expect_kind(b, n, NODE_MAP, f->name, N_("a mapping"));
		break;
	default: /* the lists */
		expect_kind(b, n, NODE_SEQ, f->name, N_("a list"));
		break;
	}
}

/* An element of f's list, at slot, that opens nothing: the same. */
static void
read_element(struct builder *b, const struct field *f, const struct node *n,
	     void *slot)
{
	switch (f->type) {
	case F_TEXTS:
	case F_KEYS:
		read_text(b, n, f->name, f->type == F_KEYS, slot);
		break;
	case F_CELLS:
		if (is_dash(n)) {
			*(struct num *)slot =
				(struct num){ 0, place_of(b->buf, n), true };
			break;
		}
		/* fall through */
	case F_INTS:
		read_int(b, f, n, slot);
		break;
	default: /* F_LIST */
		expect_kind(b, n, NODE_MAP, f->name, N_("a mapping"));
		break;
	}
}

/* ---- reading nodes as they come ----------------------------------------- */

/* The builder is given a file's nodes in document order, by the loader
 * (no tree is made: model_stream) or from a tree (replay). Each open
 * mapping and list has a frame saying what it is being read into; a
 * scalar goes where its frame says, and so does a mapping or list as it
 * opens. A value that is not what its field takes is reported when it
 * closes, after all the loader says of what it holds (a tree's order). */

/* The frame's next node, in a mapping: its key, or the value of the key
 * before (a field's index, or one of these). */
enum { NEXT_KEY = -1, NEXT_SKIP = -2, NEXT_VALUE = -3 };

struct open {
	enum {
		OPEN_STRUCT, /* a mapping of sh's fields, read into out */
		OPEN_LIST,   /* f's list, a member of out: its elements */
		OPEN_LTEXT,  /* f's texts by language tag, a member of out */
		OPEN_SKIP,   /* nothing: at its close, reported against f as
			      * a member of out (an element at out), if f */
	} kind;
	bool element; /* OPEN_SKIP: stands for an element of f's list */
	int next;     /* OPEN_STRUCT, OPEN_LTEXT */
	const struct field *f;
	const struct shape *sh;
	void *out;
	uint64_t seen;	/* OPEN_STRUCT: the fields given, a bit each */
	size_t nfields; /* OPEN_STRUCT */
	size_t keys;	/* OPEN_LTEXT: the tags given */
	char *v;	/* OPEN_LIST, OPEN_LTEXT: the elements (malloc) */
	size_t n, size; /* OPEN_LTEXT: n the texts read */
	size_t cap;	/* v's bytes: its frame's depth's, from list to list */
};

static struct open *
push(struct builder *b, struct open o)
{
	/* the loader refuses deeper nesting, and so did a frozen tree's */
	if (b->depth == LOAD_MAX_DEPTH)
		abort();
	struct open *at = &b->opens[b->depth++];
	/* The elements' buffer of the frames at this depth before: kept, so
	 * that lists cost no allocation once the first long one has. */
	o.v = at->v, o.cap = at->cap;
	*at = o;
	return at;
}

/* A new element of o's list, zeroed. */
static void *
grow_by_one(struct open *o)
{
	if ((o->n + 1) * o->size > o->cap) {
		size_t cap = o->cap ? o->cap : 64 * o->size;
		while ((o->n + 1) * o->size > cap)
			cap *= 2;
		char *v = realloc(o->v, cap);
		if (!v)
			die_oom();
		o->v = v, o->cap = cap;
	}
	void *slot = o->v + o->n++ * o->size;
	memset(slot, 0, o->size);
	return slot;
}

static void
open_struct(struct builder *b, const struct shape *sh, const struct node *n,
	    void *out)
{
	size_t nfields = 0;
	while (sh->fields[nfields].name)
		nfields++;
	if (nfields > 64) /* past seen's bits: a shape of model.c's own */
		abort();
	push(b, (struct open){ .kind = OPEN_STRUCT,
			       .next = NEXT_KEY,
			       .sh = sh,
			       .out = out,
			       .nfields = nfields });
	*(struct place *)out = place_of(b->buf, n);
}

/* A value of f, a member of out, opens: what it is read as. */
static void
open_value(struct builder *b, const struct field *f, const struct node *n,
	   void *out)
{
	void *member = (char *)out + f->offset;
	bool map = n->kind == NODE_MAP;
	if (map && f->type == F_STRUCT) {
		open_struct(b, f->shape, n, member);
	} else if (map && f->type == F_LTEXT) {
		push(b, (struct open){ .kind = OPEN_LTEXT,
				       .next = NEXT_KEY,
				       .f = f,
				       .out = out,
				       .size = sizeof(struct ltext_one) });
		((struct ltext *)member)->at = place_of(b->buf, n);
	} else if (!map && f->count_offset) {
		push(b, (struct open){ .kind = OPEN_LIST,
				       .f = f,
				       .out = out,
				       .size = element_size(f) });
	} else {
		push(b, (struct open){ .kind = OPEN_SKIP, .f = f, .out = out });
	}
}

/* A key of o's mapping: the field its value is for. */
static void
struct_key(struct builder *b, struct open *o, const struct node *k)
{
	const struct field *fields = o->sh->fields;
	size_t j = 0;
	while (j < o->nfields && strcmp(fields[j].name, k->text))
		j++;
	if (j < o->nfields) {
		o->seen |= (uint64_t)1 << j;
		o->next = (int)j;
		return;
	}
	const char *names[64];
	for (size_t m = 0; m < o->nfields; m++)
		names[m] = fields[m].name;
	const char *near = b->suggestions++ < SUGGESTION_LIMIT
				   ? nearest(k->text, names, o->nfields)
				   : NULL;
	unknown_key(b, k, o->sh, near);
	o->next = NEXT_SKIP;
}

/* A language tag of o's mapping: its text's place. */
static void
ltext_key(struct builder *b, struct open *o, const struct node *k)
{
	if (!is_language_tag(k->text))
		diag_report(
			b->diag, RULE_VALUE, node_loc(b->diag, b->file, k),
			"'%s' in '%s' is not a language tag (such as en, zh or zh-Hant)",
			k->text, o->f->name);
	o->keys++;
	struct ltext_one *one = grow_by_one(o);
	o->n--; /* counted once its text is read */
	one->lang = (struct text){ k->text, k->len, place_of(b->buf, k) };
	o->next = NEXT_VALUE;
}

/* The next node, a scalar or a mapping or list that opens: where its
 * frame says it goes. */
static void
stream_node(struct builder *b, const struct node *n, bool opens)
{
	if (!b->depth) { /* the document: a mapping, or the load fails */
		if (n->kind == NODE_MAP)
			open_struct(b, b->root_shape, n, b->root_out);
		else if (opens)
			push(b, (struct open){ .kind = OPEN_SKIP });
		return;
	}
	struct open *o = &b->opens[b->depth - 1];
	const struct field *f = o->f;
	int next = o->next;
	switch (o->kind) {
	case OPEN_STRUCT:
		if (next == NEXT_KEY && n->kind == NODE_SCALAR) {
			struct_key(b, o, n);
			return;
		}
		/* a key that is not text: the load fails */
		o->next = next == NEXT_KEY ? NEXT_SKIP : NEXT_KEY;
		if (next < 0)
			break;
		f = &o->sh->fields[next];
		if (opens) {
			open_value(b, f, n, o->out);
			if (b->depth == 2 && f->count_offset)
				b->root_lists[next] = place_of(b->buf, n);
		} else {
			read_value(b, f, n, o->out);
		}
		return;
	case OPEN_LTEXT:
		if (next == NEXT_KEY && n->kind == NODE_SCALAR) {
			ltext_key(b, o, n);
			return;
		}
		o->next = next == NEXT_KEY ? NEXT_SKIP : NEXT_KEY;
		if (next != NEXT_VALUE)
			break;
		struct ltext_one *one =
			(struct ltext_one *)(o->v + o->n * o->size);
		if (opens) {
			push(b, (struct open){ .kind = OPEN_SKIP,
					       .element = true,
					       .f = f,
					       .out = &one->text });
			return;
		}
		read_text(b, n, f->name, false, &one->text);
		o->n += one->text.s != NULL;
		return;
	case OPEN_LIST: {
		void *slot = grow_by_one(o);
		if (opens && n->kind == NODE_MAP && f->type == F_LIST)
			open_struct(b, f->shape, n, slot);
		else if (opens)
			push(b, (struct open){ .kind = OPEN_SKIP,
					       .element = true,
					       .f = f,
					       .out = slot });
		else
			read_element(b, f, n, slot);
		return;
	}
	case OPEN_SKIP:
		break;
	}
	if (opens)
		push(b, (struct open){ .kind = OPEN_SKIP });
}

static void
stream_open(void *ctx, const struct node *n)
{
	stream_node(ctx, n, true);
}

/* Whether the scalar next read goes to a field that keeps a text where
 * the source holds it (FIELD_SPAN). */
static bool
takes_span(const struct builder *b)
{
	if (!b->depth)
		return false;
	const struct open *o = &b->opens[b->depth - 1];
	const struct field *f = o->kind == OPEN_STRUCT && o->next >= 0
					? &o->sh->fields[o->next]
				: o->kind == OPEN_LIST ? o->f
						       : NULL;
	return f && (f->flags & FIELD_SPAN) &&
	       (f->type == F_TEXT || f->type == F_TEXTS);
}

static void
stream_scalar(void *ctx, const struct node *n)
{
	struct builder *b = ctx;
	/* Every other reader of a value, and every other field, takes it
	 * NUL-terminated. */
	struct node copy;
	if (node_span(n) && !takes_span(b)) {
		copy = *n;
		copy.text = arena_strndup(b->arena, n->text, n->len);
		n = &copy;
	}
	stream_node(b, n, false);
}

static void
stream_close(void *ctx, const struct node *n)
{
	struct builder *b = ctx;
	struct open *o = &b->opens[--b->depth];
	const struct field *f = o->f;
	switch (o->kind) {
	case OPEN_STRUCT:
		for (size_t j = 0; j < o->nfields; j++)
			if (o->sh->fields[j].required && !(o->seen >> j & 1))
				diag_report(b->diag, RULE_MISSING_KEY,
					    node_loc(b->diag, b->file, n),
					    /* TRANSLATORS: "work content has no
					     * 'skills'": what a mapping is (a
					     * shape's name), a key. */
					    "%s has no '%s'", _(o->sh->what),
					    o->sh->fields[j].name);
		break;
	case OPEN_LIST: {
		void *v = arena_array(b->arena, o->n, o->size);
		if (o->n)
			memcpy(v, o->v, o->n * o->size);
		*(void **)((char *)o->out + f->offset) = v;
		*(size_t *)((char *)o->out + f->count_offset) = o->n;
		break;
	}
	case OPEN_LTEXT: {
		struct ltext *t = (struct ltext *)((char *)o->out + f->offset);
		if (!o->keys) {
			diag_report(
				b->diag, RULE_VALUE,
				node_loc(b->diag, b->file, n),
				"'%s' names no language; give a text, or texts by language such as {en: ..., zh: ...}",
				f->name);
			break;
		}
		t->langs = arena_array(b->arena, o->keys, o->size);
		if (o->n)
			memcpy(t->langs, o->v, o->n * o->size);
		t->n_langs = o->n;
		break;
	}
	case OPEN_SKIP:
		if (f && o->element && f->type == F_LTEXT)
			read_text(b, n, f->name, false, o->out);
		else if (f && o->element)
			read_element(b, f, n, o->out);
		else if (f)
			read_value(b, f, n, o->out);
		break;
	}
}

/* The frames' buffers: once the file is read, or has stopped loading. */
static void
stream_end(struct builder *b)
{
	for (size_t i = 0; i < LOAD_MAX_DEPTH; i++)
		free(b->opens[i].v);
}

/* A tree's nodes, as the loader would have given them. */
static void
replay(struct builder *b, const struct node *n)
{
	if (n->kind == NODE_SCALAR) {
		stream_scalar(b, n);
		return;
	}
	stream_open(b, n);
	for (size_t i = 0; i < n->count; i++) {
		if (n->kind == NODE_MAP)
			replay(b, &node_keys(n)[i]);
		replay(b, &n->items[i]);
	}
	stream_close(b, n);
}

/* Read the mapping root (a tree's) into out, of shape sh. Its places
 * count from its source's buffer, as a stream's do: the same places both
 * ways. A tree whose source d does not hold has no location either way
 * (node_loc), so its root's byte serves. */
static void
read_root(struct builder *b, const struct shape *sh, const struct node *root,
	  void *out)
{
	b->buf = diag_source_buf(b->diag, b->file, root->raw);
	if (!b->buf)
		b->buf = root->raw;
	b->root_shape = sh, b->root_out = out;
	replay(b, root);
	stream_end(b);
}

/* ---- resolving references ---------------------------------------------- */

/* A table as the draft names it: its number; if it has none, its
 * caption; if none either, the heading of its clause ("3.1 五级/初级工"). */
static const char *
table_label(struct arena *a, const struct text *number,
	    const struct text *caption, const struct text *clause,
	    const struct text *title)
{
	if (number->s && number->len)
		return number->s;
	if (caption->s && caption->len)
		return caption->s;
	size_t n = clause->len + 1 + title->len;
	char *s = arena_alloc(a, n + 1);
	memcpy(s, clause->s ? clause->s : "", clause->len);
	s[clause->len] = ' ';
	memcpy(s + clause->len + 1, title->s ? title->s : "", title->len);
	return s;
}

static struct loc
at_loc(const struct builder *b, struct place at)
{
	return model_loc(b->std, at);
}

/* Report an unknown reference, with the nearest of the candidate keys:
 * the struct text at key_offset of count things stride bytes apart from
 * base, none of them except. what, the kind of thing, is English (N_). */
static void
unknown_ref(struct builder *b, const struct text *ref, const char *what,
	    const void *base, size_t stride, size_t count, size_t key_offset,
	    const char *except)
{
	const char *near = NULL;
	if (b->suggestions++ < SUGGESTION_LIMIT && count <= 4096) {
		const char **names =
			arena_array(b->arena, count + 1, sizeof *names);
		for (size_t i = 0; i < count; i++) {
			names[i] =
				((const struct text *)((const char *)base +
						       i * stride + key_offset))
					->s;
			if (except && names[i] && !strcmp(names[i], except))
				names[i] = NULL;
		}
		near = nearest(ref->s, names, count);
	}
	if (near)
		diag_report(b->diag, RULE_UNKNOWN_REFERENCE, at_loc(b, ref->at),
			    /* TRANSLATORS: "unknown level 'x'; did you mean
			     * 'y'?": the first %s is a kind of thing ("level",
			     * "work content"). */
			    "unknown %s '%s'; did you mean '%s'?", _(what),
			    ref->s, near);
	else
		diag_report(b->diag, RULE_UNKNOWN_REFERENCE, at_loc(b, ref->at),
			    /* TRANSLATORS: "unknown level 'x'": the first %s is
			     * a kind of thing ("level", "work content"). */
			    "unknown %s '%s'", _(what), ref->s);
}

/* The distinct work-content keys, as texts, for suggestions. */
static const struct text *
content_keys(struct builder *b, size_t *count)
{
	const struct hash *h = b->std->content_by_key;
	struct text *keys =
		arena_array(b->arena, hash_count(h) + 1, sizeof *keys);
	size_t n = 0;
	for (size_t i = 0; i < b->std->n_contents; i++) {
		const struct content *ct = b->std->contents[i];
		if (ct->key.s && hash_get(h, ct->key.s, ct->key.len) == ct)
			keys[n++] = ct->key;
	}
	*count = n;
	return keys;
}

/* The distinct capability keys, as texts, for suggestions. */
static const struct text *
capability_keys(struct builder *b, size_t *count)
{
	const struct hash *h = b->std->capability_by_key;
	struct text *keys =
		arena_array(b->arena, hash_count(h) + 1, sizeof *keys);
	size_t n = 0;
	for (size_t i = 0; i < b->std->n_capabilities; i++) {
		const struct capability *c = b->std->capabilities[i];
		if (c->key.s && hash_get(h, c->key.s, c->key.len) == c)
			keys[n++] = c->key;
	}
	*count = n;
	return keys;
}

/* Index a list of keyed things; a second definition is an error. what,
 * the kind of thing, is English (N_). */
static struct hash *
index_keys(struct builder *b, const char *what, char *base, size_t stride,
	   size_t count, size_t key_offset)
{
	struct hash *h = hash_new(b->arena, count);
	for (size_t i = 0; i < count; i++) {
		char *thing = base + i * stride;
		const struct text *key =
			(const struct text *)(thing + key_offset);
		if (!key->s)
			continue;
		char *first = hash_put(h, key->s, key->len, thing);
		if (first) {
			const struct text *fk =
				(const struct text *)(first + key_offset);
			diag_report(
				b->diag, RULE_DUPLICATE_DEFINITION,
				at_loc(b, key->at),
				/* TRANSLATORS: "level 'x' is defined twice":
				 * the first %s is a kind of thing ("level",
				 * "branch", "assessment method"). */
				"%s '%s' is defined twice", _(what), key->s);
			diag_note(b->diag, at_loc(b, fk->at),
				  "first defined here");
		}
	}
	return h;
}

static struct level *
find_level(struct builder *b, const struct text *ref)
{
	if (!ref->s)
		return NULL;
	struct level *l = hash_get(b->std->level_by_key, ref->s, ref->len);
	if (!l)
		unknown_ref(b, ref, N_("level"), b->std->levels,
			    sizeof(struct level), b->std->n_levels,
			    offsetof(struct level, key), NULL);
	return l;
}

static struct method *
find_method(struct builder *b, const struct text *ref)
{
	const struct methods_clause *mc = &b->std->assessment.methods;
	if (!ref->s)
		return NULL;
	struct method *m = hash_get(b->std->method_by_key, ref->s, ref->len);
	if (!m)
		unknown_ref(b, ref, N_("assessment method"), mc->items,
			    sizeof(struct method), mc->n_items,
			    offsetof(struct method, key), NULL);
	return m;
}

/* Levels include one level each, so they form a forest; a cycle is found
 * by walking each chain once (colours), without recursion. */
static bool
resolve_levels(struct builder *b)
{
	struct standard *s = b->std;
	size_t n = s->n_levels;
	s->level_by_key =
		index_keys(b, N_("level"), (char *)s->levels, sizeof *s->levels,
			   n, offsetof(struct level, key));
	for (size_t i = 0; i < n; i++) {
		struct level *l = &s->levels[i];
		l->index = i;
		if (!l->includes_key.s)
			continue;
		l->includes = hash_get(s->level_by_key, l->includes_key.s,
				       l->includes_key.len);
		if (!l->includes) /* suggest any level but itself */
			unknown_ref(b, &l->includes_key, N_("level"), s->levels,
				    sizeof *l, n, offsetof(struct level, key),
				    l->key.s);
	}
	unsigned char *colour = arena_alloc(b->arena, n + 1);
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		struct level *l = &s->levels[i];
		while (l && colour[l->index] == 0) {
			colour[l->index] = 1;
			l = l->includes;
		}
		if (l && colour[l->index] == 1) {
			/* l is on the path just walked: a new cycle. */
			struct strbuf path = { 0 };
			const struct level *c = l;
			do {
				strbuf_addf(
					&path,
					/* TRANSLATORS: a level's key, quoted,
					 * in a cycle of levels: 'l5' -> 'l4'
					 * -> 'l5'. */
					_("'%s'"), c->key.s);
				strbuf_adds(&path, " -> ");
				c = c->includes;
			} while (c != l);
			strbuf_addf(&path, _("'%s'"), l->key.s);
			if (l->includes == l)
				diag_report(b->diag, RULE_LEVEL_CYCLE,
					    at_loc(b, l->includes_key.at),
					    "level '%s' includes itself",
					    l->key.s);
			else
				diag_report(
					b->diag, RULE_LEVEL_CYCLE,
					at_loc(b, l->includes_key.at),
					"levels include each other in a cycle: %s",
					path.buf);
			strbuf_free(&path);
			ok = false;
		}
		for (l = &s->levels[i]; l && colour[l->index] == 1;
		     l = l->includes)
			colour[l->index] = 2;
	}
	if (!ok)
		return false;
	/* Order the forest: children lists, then an explicit-stack walk
	 * that gives each level its depth and interval [tin, tout]. */
	size_t *first = arena_array(b->arena, n + 1, sizeof *first);
	size_t *next = arena_array(b->arena, n + 1, sizeof *next);
	for (size_t i = 0; i <= n; i++)
		first[i] = next[i] = SIZE_MAX;
	for (size_t i = n; i-- > 0;) {
		struct level *p = s->levels[i].includes;
		size_t parent = p ? p->index : n; /* n: the virtual root */
		next[i] = first[parent];
		first[parent] = i;
	}
	s->level_order = arena_array(b->arena, n, sizeof *s->level_order);
	size_t *stack = arena_array(b->arena, n + 1, sizeof *stack);
	size_t *cursor = arena_array(b->arena, n + 1, sizeof *cursor);
	size_t top = 0, clock = 0;
	stack[top] = n;
	cursor[top] = first[n];
	top++;
	while (top) {
		size_t c = cursor[top - 1];
		if (c == SIZE_MAX) {
			size_t done = stack[--top];
			if (done < n)
				s->levels[done].tout = clock - 1;
			continue;
		}
		cursor[top - 1] = next[c];
		struct level *l = &s->levels[c];
		l->tin = clock;
		l->depth = l->includes ? l->includes->depth + 1 : 0;
		s->level_order[clock++] = l;
		stack[top] = c;
		cursor[top] = first[c];
		top++;
	}
	/* Each level's chain: its includes' chain, then itself. Levels
	 * nest at most MODEL_MAX_LEVELS deep, and the outputs list as many
	 * levels per level as this holds. */
	for (size_t i = 0; i < n; i++) {
		struct level *l = s->level_order[i], *p = l->includes;
		l->n_chain = l->depth + 1;
		l->chain = arena_array(b->arena, l->n_chain, sizeof *l->chain);
		if (p)
			memcpy(l->chain, p->chain,
			       p->n_chain * sizeof *l->chain);
		l->chain[l->depth] = l;
	}
	return true;
}

/* Keyed sections at any depth go into basic_by_key and basics, in source
 * order; nesting is bounded by the loader's depth limit. */
static void
index_sections(struct builder *b, struct section *sec, size_t count)
{
	struct standard *s = b->std;
	for (size_t i = 0; i < count; i++) {
		struct section *x = &sec[i];
		if (x->key.s) {
			struct section *old = hash_put(s->basic_by_key,
						       x->key.s, x->key.len, x);
			if (old) {
				diag_report(
					b->diag, RULE_DUPLICATE_DEFINITION,
					at_loc(b, x->key.at),
					"basic requirement '%s' is defined twice",
					x->key.s);
				diag_note(b->diag, at_loc(b, old->key.at),
					  "first defined here");
			} else {
				x->index = s->n_basics;
				s->basics[s->n_basics++] = x;
			}
		}
		index_sections(b, x->sections, x->n_sections);
	}
}

static size_t
count_sections(const struct section *sec, size_t count)
{
	size_t n = count;
	for (size_t i = 0; i < count; i++)
		n += count_sections(sec[i].sections, sec[i].n_sections);
	return n;
}

/* Number the items of a content in source order, after those of the
 * contents before it. */
static void
number_items(struct item *items, size_t n, struct content *ct, size_t *total)
{
	for (size_t i = 0; i < n; i++) {
		items[i].content = ct;
		items[i].index = (*total)++;
	}
}

/* List and number every capability and content in source order, link
 * each to what holds it, and give each table its slice of the contents. */
static void
index_work(struct builder *b)
{
	struct standard *s = b->std;
	struct work_requirements *w = &s->work_requirements;
	size_t ncap = 0, ncontents = 0;
	for (size_t t = 0; t < w->n_tables; t++) {
		ncap += w->tables[t].n_capabilities;
		for (size_t c = 0; c < w->tables[t].n_capabilities; c++)
			ncontents += w->tables[t].capabilities[c].n_contents;
	}
	s->capabilities =
		arena_array(b->arena, ncap + 1, sizeof *s->capabilities);
	s->contents = arena_array(b->arena, ncontents + 1, sizeof *s->contents);
	for (size_t t = 0; t < w->n_tables; t++) {
		struct work_table *wt = &w->tables[t];
		wt->contents = s->contents + s->n_contents;
		for (size_t c = 0; c < wt->n_capabilities; c++) {
			struct capability *cap = &wt->capabilities[c];
			cap->table = wt;
			cap->index = s->n_capabilities;
			s->capabilities[s->n_capabilities++] = cap;
			for (size_t k = 0; k < cap->n_contents; k++) {
				struct content *ct = &cap->contents[k];
				ct->capability = cap;
				ct->level = wt->level;
				ct->index = s->n_contents;
				s->contents[s->n_contents++] = ct;
				number_items(ct->skills, ct->n_skills, ct,
					     &s->n_skills);
				number_items(ct->knowledge, ct->n_knowledge, ct,
					     &s->n_knowledge);
			}
		}
		wt->n_contents =
			(size_t)(s->contents + s->n_contents - wt->contents);
	}
}

static struct branch *
find_branch(struct builder *b, const struct text *ref)
{
	if (!ref->s)
		return NULL;
	struct branch *br = hash_get(b->std->branch_by_key, ref->s, ref->len);
	if (!br)
		unknown_ref(b, ref, N_("branch"), b->std->branches,
			    sizeof(struct branch), b->std->n_branches,
			    offsetof(struct branch, key), NULL);
	return br;
}

/* The key under which a level's own hash holds a content of a table: its
 * key, qualified by the table's branch ("branch/key": keys have no '/'). */
static const char *
own_key(struct arena *a, const struct branch *br, const struct text *key,
	size_t *len)
{
	if (!br) {
		*len = key->len;
		return key->s;
	}
	*len = br->key.len + 1 + key->len;
	char *k = arena_alloc(a, *len + 1);
	memcpy(k, br->key.s, br->key.len);
	k[br->key.len] = '/';
	memcpy(k + br->key.len + 1, key->s, key->len);
	return k;
}

/* Capabilities with the same key chained in source order. */
static void
index_capabilities(struct builder *b)
{
	struct standard *s = b->std;
	s->capability_by_key = hash_new(b->arena, s->n_capabilities);
	for (size_t i = s->n_capabilities; i-- > 0;) {
		struct capability *c = s->capabilities[i];
		if (!c->key.s)
			continue;
		void **head =
			hash_slot(s->capability_by_key, c->key.s, c->key.len);
		c->next_same_key = *head;
		*head = c;
	}
}

static void
resolve_work(struct builder *b)
{
	struct standard *s = b->std;
	struct work_requirements *w = &s->work_requirements;
	s->branch_by_key = index_keys(b, N_("branch"), (char *)s->branches,
				      sizeof *s->branches, s->n_branches,
				      offsetof(struct branch, key));
	for (size_t t = 0; t < w->n_tables; t++) {
		struct work_table *wt = &w->tables[t];
		wt->name = table_label(b->arena, &wt->number, &wt->caption,
				       &wt->clause, &wt->title);
		wt->level = find_level(b, &wt->level_key);
		wt->branch = find_branch(b, &wt->branch_key);
		if (wt->level && !wt->level->work)
			wt->level->work =
				wt; /* the first; work-table reports more */
		if (wt->level)
			wt->level->n_tables++;
	}
	for (size_t i = 0; i < s->n_levels; i++) {
		struct level *l = &s->levels[i];
		l->tables = arena_array(b->arena, l->n_tables + 1,
					sizeof *l->tables);
		l->n_tables = 0;
	}
	for (size_t t = 0; t < w->n_tables; t++) {
		struct work_table *wt = &w->tables[t];
		if (wt->level)
			wt->level->tables[wt->level->n_tables++] = wt;
	}
	index_work(b);
	for (size_t i = 0; i < s->n_levels; i++) { /* made for all it holds */
		struct level *l = &s->levels[i];
		size_t n = 0;
		for (size_t t = 0; t < l->n_tables; t++)
			n += l->tables[t]->n_contents;
		l->own = hash_new(b->arena, n);
	}
	s->content_by_key = hash_new(b->arena, s->n_contents);
	/* Walk backwards and prepend, so each key's chain is in source
	 * order. */
	for (size_t i = s->n_contents; i-- > 0;) {
		struct content *ct = s->contents[i];
		if (!ct->key.s)
			continue;
		void **head =
			hash_slot(s->content_by_key, ct->key.s, ct->key.len);
		ct->next_same_key = *head;
		*head = ct;
		if (ct->level) {
			size_t len;
			const char *k =
				own_key(b->arena, ct->capability->table->branch,
					&ct->key, &len);
			*hash_slot(ct->level->own, k, len) = ct;
		}
	}
	index_capabilities(b);
}

static void
resolve_assessment(struct builder *b)
{
	struct standard *s = b->std;
	struct assessment *as = &s->assessment;
	struct methods_clause *mc = &as->methods;
	s->method_by_key = index_keys(
		b, N_("assessment method"), (char *)mc->items,
		sizeof *mc->items, mc->n_items, offsetof(struct method, key));
	for (size_t i = 0; i < mc->n_items; i++) {
		struct method *m = &mc->items[i];
		m->index = i;
		m->levels = arena_array(b->arena, m->n_level_keys,
					sizeof *m->levels);
		for (size_t j = 0; j < m->n_level_keys; j++)
			m->levels[j] = find_level(b, &m->level_keys[j]);
	}
	for (size_t i = 0; i < as->ratios.n_items; i++)
		as->ratios.items[i].method =
			find_method(b, &as->ratios.items[i].method_key);
	for (size_t i = 0; i < as->durations.n_items; i++) {
		struct duration *d = &as->durations.items[i];
		d->method = find_method(b, &d->method_key);
		d->levels = arena_array(b->arena, d->n_level_keys,
					sizeof *d->levels);
		for (size_t j = 0; j < d->n_level_keys; j++)
			d->levels[j] = find_level(b, &d->level_keys[j]);
	}
	for (size_t i = 0; i < as->venues.n_items; i++)
		as->venues.items[i].method =
			find_method(b, &as->venues.items[i].method_key);
	bool shared = s->occupation.eligibility.at.given;
	for (size_t i = 0; i < s->n_eligibility; i++) {
		struct eligibility *e = &s->eligibility[i];
		e->level = find_level(b, &e->level_key);
		/* Each level's clause has its own head, unless one clause
		 * (occupation.eligibility) holds them all. */
		if (!shared && (!e->clause.s || !e->title.s))
			diag_report(
				b->diag, RULE_MISSING_KEY, at_loc(b, e->at),
				"eligibility clause has no '%s' (without occupation.eligibility, one clause for all levels, each level's clause has its own)",
				e->clause.s ? "title" : "clause");
		for (size_t j = 0; j < e->n_routes; j++) {
			struct route *r = &e->routes[j];
			r->certificate = find_level(b, &r->certificate_key);
			if (!r->experience_counted.at.given)
				r->experience_counted.v =
					r->certificate_key.s ? COUNTED_AFTER
							     : COUNTED_TOTAL;
		}
	}
}

/* That a row's weights, or the total's, are as many as the table's
 * columns. */
static void
check_arity(struct builder *b, const struct weight_table *t, struct place at,
	    size_t n, bool total)
{
	if (!at.given || n == t->n_columns)
		return;
	struct strbuf columns = { 0 };
	strbuf_addf(&columns,
		    /* TRANSLATORS: the end of "the row has 3 weights but %s": a
		     * weight table (its number or caption, "表2") and its
		     * number of columns. */
		    ngettext("%s has %zu column", "%s has %zu columns",
			     t->n_columns),
		    model_weight_table_name(t), t->n_columns);
	if (total)
		diag_report(b->diag, RULE_WEIGHT_ARITY, at_loc(b, at),
			    ngettext("the total has %zu weight but %s",
				     "the total has %zu weights but %s", n),
			    n, columns.buf);
	else
		/* TRANSLATORS: %s is "表2 has 4 columns", said above. */
		diag_report(b->diag, RULE_WEIGHT_ARITY, at_loc(b, at),
			    /* TRANSLATORS: %s is "表2 has 4 columns", said
			       above. */
			    ngettext("the row has %zu weight but %s",
				     "the row has %zu weights but %s", n),
			    n, columns.buf);
	strbuf_free(&columns);
}

/* Whether a table of the given branch is part of what a column of branch
 * br weighs: shared tables always, a branch's tables for that branch. */
static bool
branch_covers(const struct branch *br, const struct work_table *t)
{
	return !t->branch || t->branch == br;
}

/* Of the contents of one key (a chain of next_same_key), the nearest to
 * level that a column of branch br weighs, or NULL. */
static struct content *
nearest_content(struct content *c, const struct level *level,
		const struct branch *br)
{
	struct content *best = NULL;
	for (; c; c = c->next_same_key)
		if (c->level && model_level_covers(level, c->level) &&
		    branch_covers(br, c->capability->table) &&
		    (!best || c->level->depth > best->level->depth))
			best = c;
	return best;
}

/* The same for the capabilities of one key. */
static struct capability *
nearest_capability(struct capability *c, const struct level *level,
		   const struct branch *br)
{
	struct capability *best = NULL;
	for (; c; c = c->next_same_key) {
		const struct level *l = c->table->level;
		if (l && model_level_covers(level, l) &&
		    branch_covers(br, c->table) &&
		    (!best || l->depth > best->table->level->depth))
			best = c;
	}
	return best;
}

static void
resolve_row(struct builder *b, const struct weight_table *t,
	    struct weight_row *r)
{
	struct standard *s = b->std;
	check_arity(b, t, r->at, r->n_weights, false);
	int refs =
		!!r->basic_key.s + !!r->capability_key.s + !!r->content_key.s;
	if (refs > 1) {
		const struct text *second =
			r->content_key.s ? &r->content_key : &r->capability_key;
		diag_report(
			b->diag, RULE_VALUE, at_loc(b, second->at),
			"a weight row names more than one of 'basic', 'capability' and 'content'; it references one of them");
		return;
	}
	if (!refs) {
		diag_report(
			b->diag, RULE_MISSING_KEY, at_loc(b, r->at),
			"a weight row names none of 'basic', 'capability' and 'content'; it references one of them");
		return;
	}
	if (r->capability_key.s) {
		struct capability *same =
			hash_get(s->capability_by_key, r->capability_key.s,
				 r->capability_key.len);
		if (!same) {
			size_t n = 0;
			const struct text *keys =
				b->suggestions < SUGGESTION_LIMIT
					? capability_keys(b, &n)
					: NULL;
			unknown_ref(b, &r->capability_key, N_("capability"),
				    keys, sizeof *keys, n, 0, NULL);
			return;
		}
		if (!b->levels_ok)
			return;
		r->capability_cells = arena_array(b->arena, t->n_columns,
						  sizeof *r->capability_cells);
		for (size_t c = 0; c < t->n_columns; c++)
			if (t->columns[c].level)
				r->capability_cells[c] = nearest_capability(
					same, t->columns[c].level,
					t->columns[c].branch);
		return;
	}
	if (r->basic_key.s) {
		r->basic = hash_get(s->basic_by_key, r->basic_key.s,
				    r->basic_key.len);
		if (!r->basic) {
			const struct basic_requirements *br =
				&s->basic_requirements;
			unknown_ref(b, &r->basic_key, N_("basic requirement"),
				    br->sections, sizeof(struct section),
				    br->n_sections,
				    offsetof(struct section, key), NULL);
		}
		return;
	}
	struct content *same = hash_get(s->content_by_key, r->content_key.s,
					r->content_key.len);
	if (!same) {
		size_t n = 0;
		const struct text *keys = b->suggestions < SUGGESTION_LIMIT
						  ? content_keys(b, &n)
						  : NULL;
		unknown_ref(b, &r->content_key, N_("work content"), keys,
			    sizeof *keys, n, 0, NULL);
		return;
	}
	if (!b->levels_ok)
		return;
	r->cells = arena_array(b->arena, t->n_columns, sizeof *r->cells);
	for (size_t c = 0; c < t->n_columns; c++)
		if (t->columns[c].level)
			r->cells[c] = nearest_content(same, t->columns[c].level,
						      t->columns[c].branch);
}

/* What a row references, the first of its keys given: REF_BASIC,
 * REF_CAPABILITY or REF_CONTENT (that key in *key), or REF_NONE. */
enum { REF_BASIC, REF_CAPABILITY, REF_CONTENT, REF_NONE };

static int
row_ref(const struct weight_row *row, const struct text **key)
{
	const struct text *keys[] = { &row->basic_key, &row->capability_key,
				      &row->content_key };
	int k = REF_BASIC;
	while (k < REF_NONE && !keys[k]->s)
		k++;
	*key = k < REF_NONE ? keys[k] : NULL;
	return k;
}

/* A table's rows, flattened, and by what they reference (the first row
 * for each key: weight-row-duplicate reports the others), each index
 * sized for the rows it takes. */
static void
index_rows(struct builder *b, struct weight_table *t)
{
	const struct text *key;
	size_t count[REF_NONE + 1] = { 0 };
	for (size_t g = 0; g < t->n_groups; g++) {
		t->n_rows += t->groups[g].n_rows;
		for (size_t r = 0; r < t->groups[g].n_rows; r++)
			count[row_ref(&t->groups[g].rows[r], &key)]++;
	}
	struct hash **by[REF_NONE] = { &t->row_by_basic, &t->row_by_capability,
				       &t->row_by_content };
	for (int k = 0; k < REF_NONE; k++)
		*by[k] = hash_new(b->arena, count[k]);
	t->rows = arena_array(b->arena, t->n_rows + 1, sizeof *t->rows);
	size_t n = 0;
	for (size_t g = 0; g < t->n_groups; g++)
		for (size_t r = 0; r < t->groups[g].n_rows; r++) {
			struct weight_row *row = &t->groups[g].rows[r];
			row->group = &t->groups[g];
			t->rows[n++] = row;
			int k = row_ref(row, &key);
			if (k < REF_NONE)
				hash_put(*by[k], key->s, key->len, row);
			t->by_capability |= k == REF_CAPABILITY;
		}
}

/* Each level's first column of each kind, in table order. */
static void
index_columns(struct weight_table *t)
{
	for (size_t c = 0; c < t->n_columns; c++) {
		struct level *l = t->columns[c].level;
		if (l && !l->weights[t->kind.v].table)
			l->weights[t->kind.v] = (struct level_column){ t, c };
	}
}

static void
resolve_weight_table(struct builder *b, struct weight_table *t)
{
	struct standard *s = b->std;
	t->index = s->n_weight_tables;
	s->weight_tables[s->n_weight_tables++] = t;
	t->name = table_label(b->arena, &t->number, &t->caption, &t->clause,
			      &t->title);
	for (size_t c = 0; c < t->n_columns; c++) {
		t->columns[c].level = find_level(b, &t->columns[c].level_key);
		t->columns[c].branch =
			find_branch(b, &t->columns[c].branch_key);
	}
	index_rows(b, t);
	for (size_t r = 0; r < t->n_rows; r++)
		resolve_row(b, t, t->rows[r]);
	check_arity(b, t, t->total.at, t->total.n_weights, true);
	index_columns(t);
}

/* The tables of every section, then those outside sections, in order. */
static void
resolve_weights(struct builder *b)
{
	struct standard *s = b->std;
	struct weights *w = &s->weights;
	size_t n = w->n_tables;
	for (size_t i = 0; i < w->n_sections; i++)
		n += w->sections[i].n_tables;
	s->weight_tables =
		arena_array(b->arena, n + 1, sizeof *s->weight_tables);
	for (size_t i = 0; i < w->n_sections; i++)
		for (size_t j = 0; j < w->sections[i].n_tables; j++)
			resolve_weight_table(b, &w->sections[i].tables[j]);
	for (size_t j = 0; j < w->n_tables; j++)
		resolve_weight_table(b, &w->tables[j]);
}

/* The file each text rule is written in, and its bytes: where its
 * places stand. */
static void
rules_file(struct text_rule *rules, size_t n, const char *file, const char *buf)
{
	for (size_t i = 0; i < n; i++)
		rules[i].file = file, rules[i].buf = buf;
}

/* The rest of a standard's model, once its file is read. */
static struct standard *
model_finish(struct builder *b, size_t errors)
{
	struct standard *s = b->std;
	struct diag *d = b->diag;
	struct arena *a = b->arena;
	s->text_rules.file = s->file, s->text_rules.buf = s->buf;
	rules_file(s->text_rules.rules, s->text_rules.n_rules, s->file, s->buf);
	size_t levels = 0, branches = 0; /* their fields */
	while (strcmp(standard_shape_.fields[levels].name, "levels"))
		levels++;
	while (strcmp(standard_shape_.fields[branches].name, "branches"))
		branches++;
	if (s->n_levels > MODEL_MAX_LEVELS) {
		/* Each level carries every lower one's requirements: what is
		 * published grows with the square of their number. */
		diag_report(d, RULE_LIMIT, model_loc(s, b->root_lists[levels]),
			    ngettext("%zu level, over the limit of %d",
				     "%zu levels, over the limit of %d",
				     s->n_levels),
			    s->n_levels, MODEL_MAX_LEVELS);
		return NULL;
	}
	if (s->n_branches > MODEL_MAX_BRANCHES) {
		/* Each branch has its own view of every level above the
		 * shared ones, and the weight checks compare branches. */
		diag_report(d, RULE_LIMIT,
			    model_loc(s, b->root_lists[branches]),
			    ngettext("%zu branch, over the limit of %d",
				     "%zu branches, over the limit of %d",
				     s->n_branches),
			    s->n_branches, MODEL_MAX_BRANCHES);
		return NULL;
	}
	b->levels_ok = resolve_levels(b);
	const struct basic_requirements *br = &s->basic_requirements;
	size_t nsections = count_sections(br->sections, br->n_sections);
	s->basic_by_key = hash_new(a, nsections);
	s->basics = arena_array(a, nsections + 1, sizeof *s->basics);
	index_sections(b, br->sections, br->n_sections);
	resolve_work(b);
	resolve_assessment(b);
	resolve_weights(b);
	return diag_errors(d) == errors ? s : NULL;
}

struct standard *
model_build(struct arena *a, struct diag *d, const char *file,
	    const struct node *root)
{
	struct open opens[LOAD_MAX_DEPTH] = { 0 };
	struct standard *s = arena_alloc(a, sizeof *s);
	struct builder b = {
		.arena = a, .diag = d, .file = file, .std = s, .opens = opens
	};
	size_t errors = diag_errors(d);
	s->file = file, s->diag = d;
	read_root(&b, &standard_shape_, root, s);
	s->buf = b.buf;
	return model_finish(&b, errors);
}

struct standard *
model_stream(struct arena *a, struct diag *d, const char *file, const char *buf,
	     size_t len)
{
	diag_add_source(d, file, buf, len);
	struct open opens[LOAD_MAX_DEPTH] = { 0 };
	struct standard *s = arena_alloc(a, sizeof *s);
	struct builder b = { .arena = a,
			     .diag = d,
			     .file = file,
			     .std = s,
			     .root_shape = &standard_shape_,
			     .root_out = s,
			     .buf = buf,
			     .opens = opens };
	size_t errors = diag_errors(d);
	s->file = file, s->buf = buf, s->diag = d;
	struct load_sink sink = { stream_open, stream_scalar, stream_close,
				  &b };
	bool loaded = load_stream(a, d, file, buf, len, &sink);
	stream_end(&b);
	return loaded ? model_finish(&b, errors) : NULL;
}

bool
model_level_covers(const struct level *upper, const struct level *lower)
{
	/* lower is upper or along its includes: an ancestor in the forest. */
	return upper->tin >= lower->tin && upper->tin <= lower->tout;
}

struct content *
model_find_content(const struct standard *s, const struct level *level,
		   const struct branch *br, const char *key, size_t len)
{
	return nearest_content(hash_get(s->content_by_key, key, len), level,
			       br);
}

struct capability *
model_find_capability(const struct standard *s, const struct level *level,
		      const struct branch *br, const char *key, size_t len)
{
	return nearest_capability(hash_get(s->capability_by_key, key, len),
				  level, br);
}

bool
model_route_after(const struct route *r)
{
	return r->certificate && r->experience_counted.v == COUNTED_AFTER;
}

struct loc
model_loc(const struct standard *s, struct place at)
{
	return at.given ? place_loc(s->diag, s->file, s->buf, at)
			: (struct loc){ s->file, 0, 0 };
}

const char *
model_work_table_name(const struct work_table *t)
{
	return t->name ? t->name : "";
}

const char *
model_weight_table_name(const struct weight_table *t)
{
	return t->name ? t->name : "";
}

struct text_rules *
model_read_rules(struct arena *a, struct diag *d, const char *file,
		 const struct node *root)
{
	struct text_rules *r = arena_alloc(a, sizeof *r);
	struct open opens[LOAD_MAX_DEPTH] = { 0 };
	struct builder b = {
		.arena = a, .diag = d, .file = file, .opens = opens
	};
	size_t errors = diag_errors(d);
	read_root(&b, &rules_file_shape, root, r);
	r->file = file, r->buf = b.buf;
	rules_file(r->rules, r->n_rules, file, b.buf);
	return diag_errors(d) == errors ? r : NULL;
}

struct profile *
model_read_profile(struct arena *a, struct diag *d, const char *file,
		   const struct node *root)
{
	struct profile *p = arena_alloc(a, sizeof *p);
	struct open opens[LOAD_MAX_DEPTH] = { 0 };
	struct builder b = {
		.arena = a, .diag = d, .file = file, .opens = opens
	};
	size_t errors = diag_errors(d);
	read_root(&b, &profile_shape, root, p);
	p->file = file, p->buf = b.buf;
	rules_file(p->rules, p->n_rules, file, b.buf);
	return diag_errors(d) == errors ? p : NULL;
}
