/*
 * diag_format.c - where a run's diagnostics go: counted for the summary
 * line, and kept as JSON or SARIF 2.1.0 (docs/diagnostics.md).
 *
 * Takes: from diag_flush, each finding with its notes (struct diag_item:
 * place, columns in every unit, the source line, the message), in the
 * order the text would print them; from each diag flushed, its rules.
 * Gives: the totals, the summary line, and one document for the run: a
 * JSON array of one object per finding, or a SARIF log whose results
 * are the same findings in the same order. Guarantees: the bytes depend
 * on the findings only (no time, no absolute path but an input's own);
 * every string is valid UTF-8 JSON; SARIF's columns are code points
 * (columnKind unicodeCodePoints), each line and column at least 1.
 */
#include "skillc.h"

#include <inttypes.h>
#include <string.h>

/* What SARIF's $schema names: the OASIS schema tests/sarif/ vendors. */
#define SARIF_SCHEMA                                                           \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"  \
	"sarif-schema-2.1.0.json"
/* The base of the relative URIs: the directory skillc ran in. */
#define SARIF_SRCROOT "%SRCROOT%"
/* The key of the fingerprint in partialFingerprints; its form is in
 * docs/diagnostics.md, and a new form takes a new version. */
#define SARIF_FINGERPRINT "skillcLineHash/v1"

struct diag_sink {
	struct arena *arena;
	struct diag_sink_options opt;
	size_t errors, warnings;
	/* JSON: the findings, one object a line, comma-separated */
	struct strbuf json;
	/* SARIF: the rules and the results, compact, comma-separated */
	struct strbuf rules, results;
	/* ID, NUL, name -> the index + 1 in rules: two standards' own rules
	 * may share an ID, which SARIF allows (ruleIndex tells them apart) */
	struct hash *rule_index;
	size_t nrules;
	struct strbuf key; /* scratch for rule_key */
	/* file, NUL, fingerprint hash -> how many results had them */
	struct hash *seen;
	/* the line hashed last: its text and its hash */
	const char *hashed_line;
	size_t hashed_len;
	uint64_t line_hash;
};

static void
sink_release(void *p)
{
	struct diag_sink *s = p;
	strbuf_free(&s->json);
	strbuf_free(&s->rules);
	strbuf_free(&s->results);
	strbuf_free(&s->key);
}

struct diag_sink *
diag_sink_new(struct arena *a, const struct diag_sink_options *o)
{
	struct diag_sink *s = arena_alloc(a, sizeof *s);
	s->arena = a;
	s->opt = *o;
	s->rule_index = hash_new(a, 128);
	s->seen = hash_new(a, 64);
	arena_on_free(a, sink_release, s);
	return s;
}

const struct diag_sink_options *
diag_sink_options(const struct diag_sink *s)
{
	return &s->opt;
}

/* ---- JSON ----------------------------------------------------------- */

static void
json_str(struct strbuf *sb, const char *s)
{
	strbuf_add_json(sb, s, strlen(s));
}

/* A compact JSON text indented two spaces a level, one member or element
 * a line; an empty object or array stays "{}" or "[]". */
static void
json_pretty(struct strbuf *out, const char *s, size_t len)
{
	size_t depth = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_string) {
			strbuf_addc(out, c);
			if (c == '\\')
				strbuf_addc(out, s[++i]);
			else if (c == '"')
				in_string = false;
			continue;
		}
		switch (c) {
		case '"':
			in_string = true;
			strbuf_addc(out, c);
			break;
		case '{':
		case '[':
			strbuf_addc(out, c);
			if (i + 1 < len &&
			    (s[i + 1] == '}' || s[i + 1] == ']')) {
				strbuf_addc(out, s[++i]);
				break;
			}
			depth++;
			strbuf_addf(out, "\n%*s", (int)(2 * depth), "");
			break;
		case '}':
		case ']':
			depth--;
			strbuf_addf(out, "\n%*s%c", (int)(2 * depth), "", c);
			break;
		case ',':
			strbuf_addf(out, ",\n%*s", (int)(2 * depth), "");
			break;
		case ':':
			strbuf_adds(out, ": ");
			break;
		default:
			strbuf_addc(out, c);
		}
	}
	strbuf_addc(out, '\n');
}

static const char *
kind_name(enum severity sev)
{
	return sev == SEV_ERROR ? "error" : "warning";
}

/* Whether the rule has an entry in the check catalogue: checks.def's,
 * and the built-in profiles' and shipped text rules (those of the files
 * carried in the binary), not a rules or profile file's or a standard's
 * own. */
static bool
catalogued(const struct rule_info *rule)
{
	return rule->file ? load_shipped(rule->file) : rule_find(rule->id) >= 0;
}

/* The rule's entry in the catalogue: the URL and #skNNNN. */
static void
rule_url(struct strbuf *sb, const struct rule_info *rule)
{
	strbuf_adds(sb, "\"" SKILLC_CHECKS_URL "#");
	for (const char *p = rule->id; *p; p++)
		strbuf_addc(sb, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a'
							      : *p));
	strbuf_addc(sb, '"');
}

/* GCC's location object: the caret, in the column unit of the run and
 * in bytes and terminal columns; the file alone for the file as a whole,
 * no location for the run as a whole. */
static void
json_locations(struct strbuf *sb, const struct diag_sink *s,
	       const struct diag_item *it)
{
	strbuf_adds(sb, "\"locations\":[");
	if (it->loc.file) {
		strbuf_adds(sb, "{\"caret\":{\"file\":");
		json_str(sb, it->loc.file);
		if (it->loc.line) {
			uint32_t col = s->opt.column == DIAG_COLUMN_BYTE
					       ? it->byte_col
				       : s->opt.column == DIAG_COLUMN_DISPLAY
					       ? it->display_col
					       : it->loc.col;
			strbuf_addf(sb,
				    ",\"line\":%" PRIu32 ",\"column\":%" PRIu32
				    ",\"byte-column\":%" PRIu32
				    ",\"display-column\":%" PRIu32,
				    it->loc.line, col, it->byte_col,
				    it->display_col);
		}
		strbuf_adds(sb, "}}");
	}
	strbuf_addc(sb, ']');
}

static void
json_finding(struct diag_sink *s, const struct rule_info *rule,
	     enum severity sev, const struct diag_item *items, size_t n)
{
	struct strbuf *sb = &s->json;
	if (sb->len)
		strbuf_adds(sb, ",\n");
	strbuf_addf(sb, "{\"kind\":\"%s\",\"rule_id\":", kind_name(sev));
	json_str(sb, rule->id);
	strbuf_adds(sb, ",\"rule_name\":");
	json_str(sb, rule->name);
	if (catalogued(rule)) {
		strbuf_adds(sb, ",\"rule_url\":");
		rule_url(sb, rule);
	}
	strbuf_adds(sb, ",\"message\":");
	json_str(sb, items[0].msg);
	strbuf_addc(sb, ',');
	json_locations(sb, s, &items[0]);
	strbuf_adds(sb, ",\"children\":[");
	for (size_t i = 1; i < n; i++) {
		strbuf_adds(sb, i > 1 ? ",{" : "{");
		strbuf_adds(sb, "\"kind\":\"note\",\"message\":");
		json_str(sb, items[i].msg);
		strbuf_addc(sb, ',');
		json_locations(sb, s, &items[i]);
		strbuf_addc(sb, '}');
	}
	strbuf_adds(sb, "]}");
}

/* ---- SARIF ---------------------------------------------------------- */

/* The key of a rule in rule_index, in s->key until the next call. */
static const struct strbuf *
rule_key(struct diag_sink *s, const struct rule_info *rule)
{
	strbuf_reset(&s->key);
	strbuf_add(&s->key, rule->id, strlen(rule->id) + 1);
	strbuf_adds(&s->key, rule->name);
	return &s->key;
}

void
diag_sink_rules(struct diag_sink *s, const struct diag *d)
{
	/* A flush begins: the line hashed last may be memory freed since. */
	s->hashed_line = NULL;
	if (s->opt.format != DIAG_SARIF)
		return;
	for (size_t r = 0; r < diag_rule_total(d); r++) {
		const struct rule_info *rule = diag_rule(d, (int)r);
		const struct strbuf *key = rule_key(s, rule);
		if (hash_get(s->rule_index, key->buf, key->len))
			continue;
		hash_put(s->rule_index,
			 arena_strndup(s->arena, key->buf, key->len), key->len,
			 (void *)(uintptr_t)(++s->nrules));
		struct strbuf *sb = &s->rules;
		if (sb->len)
			strbuf_addc(sb, ',');
		strbuf_adds(sb, "{\"id\":");
		json_str(sb, rule->id);
		strbuf_adds(sb, ",\"name\":");
		json_str(sb, rule->name);
		if (*rule_summary(rule)) {
			strbuf_adds(sb, ",\"shortDescription\":{\"text\":");
			json_str(sb, rule_summary(rule));
			strbuf_addc(sb, '}');
		}
		if (catalogued(rule)) {
			strbuf_adds(sb, ",\"helpUri\":");
			rule_url(sb, rule);
		}
		/* A rule that is off until -W turns it on reports warnings. */
		strbuf_addf(
			sb, ",\"defaultConfiguration\":{%s\"level\":\"%s\"}}",
			rule->severity == SEV_OFF ? "\"enabled\":false," : "",
			kind_name(rule->severity));
	}
}

/* A path as a URI reference: relative to %SRCROOT% (where skillc ran),
 * or a file: URI for an absolute one; every byte but the unreserved
 * characters and '/' percent-encoded. */
static void
sarif_artifact(struct strbuf *sb, const char *path)
{
	strbuf_adds(sb, "\"artifactLocation\":{\"uri\":\"");
	if (*path == '/')
		strbuf_adds(sb, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			strbuf_addc(sb, (char)*p);
		else
			strbuf_addf(sb, "%%%02X", *p);
	}
	strbuf_addc(sb, '"');
	if (*path != '/')
		strbuf_adds(sb, ",\"uriBaseId\":\"" SARIF_SRCROOT "\"");
	strbuf_addc(sb, '}');
}

static void
sarif_physical(struct strbuf *sb, const struct diag_item *it)
{
	strbuf_adds(sb, "\"physicalLocation\":{");
	sarif_artifact(sb, it->loc.file);
	if (it->loc.line)
		strbuf_addf(sb,
			    ",\"region\":{\"startLine\":%" PRIu32
			    ",\"startColumn\":%" PRIu32 "}",
			    it->loc.line, it->loc.col ? it->loc.col : 1);
	strbuf_addc(sb, '}');
}

static uint64_t
fnv1a(uint64_t h, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3u;
	}
	return h;
}

/* The fingerprint of a result: FNV-1a (64 bits) of its line without the
 * blanks around it, a NUL and its rule's ID, then ':' and how many
 * results of the file had that hash so far, this one included. Adding or
 * removing other lines leaves it as it was. The hash of the line is kept
 * for the next result: a long line may have thousands. */
static void
sarif_fingerprint(struct diag_sink *s, struct strbuf *sb,
		  const struct rule_info *rule, const struct diag_item *it)
{
	if (!it->line || it->line != s->hashed_line ||
	    it->line_len != s->hashed_len) {
		const char *line = it->line ? it->line : "";
		size_t len = it->line ? it->line_len : 0;
		s->hashed_line = it->line, s->hashed_len = len;
		while (len && (*line == ' ' || *line == '\t'))
			line++, len--;
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		s->line_hash = fnv1a(0xcbf29ce484222325u, line, len);
	}
	uint64_t h = fnv1a(s->line_hash, "", 1);
	h = fnv1a(h, rule->id, strlen(rule->id));
	struct strbuf key = { 0 };
	strbuf_addf(&key, "%s%c%016" PRIx64, it->loc.file ? it->loc.file : "",
		    '\0', h);
	uintptr_t count = (uintptr_t)hash_get(s->seen, key.buf, key.len) + 1;
	if (count == 1)
		hash_put(s->seen, arena_strndup(s->arena, key.buf, key.len),
			 key.len, (void *)count);
	else
		*hash_slot(s->seen, key.buf, key.len) = (void *)count;
	strbuf_addf(sb,
		    ",\"partialFingerprints\":{\"" SARIF_FINGERPRINT
		    "\":\"%016" PRIx64 ":%" PRIuPTR "\"}",
		    h, count);
	strbuf_free(&key);
}

static void
sarif_result(struct diag_sink *s, const struct rule_info *rule,
	     enum severity sev, const struct diag_item *items, size_t n)
{
	struct strbuf *sb = &s->results;
	if (sb->len)
		strbuf_addc(sb, ',');
	strbuf_adds(sb, "{\"ruleId\":");
	json_str(sb, rule->id);
	const struct strbuf *key = rule_key(s, rule);
	uintptr_t index =
		(uintptr_t)hash_get(s->rule_index, key->buf, key->len);
	if (index)
		strbuf_addf(sb, ",\"ruleIndex\":%" PRIuPTR, index - 1);
	strbuf_addf(sb,
		    ",\"level\":\"%s\",\"message\":{\"text\":", kind_name(sev));
	json_str(sb, items[0].msg);
	strbuf_addc(sb, '}');
	if (items[0].loc.file) {
		strbuf_adds(sb, ",\"locations\":[{");
		sarif_physical(sb, &items[0]);
		strbuf_adds(sb, "}]");
	}
	if (n > 1) {
		strbuf_adds(sb, ",\"relatedLocations\":[");
		for (size_t i = 1; i < n; i++) {
			strbuf_addf(sb, "%s{\"id\":%zu,", i > 1 ? "," : "", i);
			if (items[i].loc.file) {
				sarif_physical(sb, &items[i]);
				strbuf_addc(sb, ',');
			}
			strbuf_adds(sb, "\"message\":{\"text\":");
			json_str(sb, items[i].msg);
			strbuf_adds(sb, "}}");
		}
		strbuf_addc(sb, ']');
	}
	sarif_fingerprint(s, sb, rule, &items[0]);
	strbuf_addc(sb, '}');
}

/* ---- the sink ------------------------------------------------------- */

void
diag_sink_finding(struct diag_sink *s, const struct rule_info *rule,
		  enum severity sev, const struct diag_item *items, size_t n)
{
	if (sev == SEV_ERROR)
		s->errors++;
	else
		s->warnings++;
	if (s->opt.format == DIAG_JSON)
		json_finding(s, rule, sev, items, n);
	else if (s->opt.format == DIAG_SARIF)
		sarif_result(s, rule, sev, items, n);
}

void
diag_sink_document(const struct diag_sink *s, int status, struct strbuf *out)
{
	if (s->opt.format == DIAG_JSON) {
		if (!s->json.len) {
			strbuf_adds(out, "[]\n");
			return;
		}
		strbuf_adds(out, "[\n");
		strbuf_add(out, s->json.buf, s->json.len);
		strbuf_adds(out, "\n]\n");
		return;
	}
	if (s->opt.format != DIAG_SARIF)
		return;
	struct strbuf doc = { 0 };
	strbuf_adds(
		&doc,
		"{\"$schema\":\"" SARIF_SCHEMA "\","
		"\"version\":\"2.1.0\",\"runs\":[{\"tool\":"
		"{\"driver\":{\"name\":\"skillc\",\"version\":\"" SKILLC_VERSION
		"\",\"rules\":[");
	if (s->rules.len)
		strbuf_add(&doc, s->rules.buf, s->rules.len);
	strbuf_addf(&doc,
		    "]}},\"invocations\":[{\"executionSuccessful\":%s,"
		    "\"exitCode\":%d}],",
		    status < 2 ? "true" : "false", status);
	strbuf_adds(&doc, "\"originalUriBaseIds\":{\"" SARIF_SRCROOT "\":"
			  "{\"description\":{\"text\":");
	/* TRANSLATORS: in a SARIF document, what %SRCROOT% stands for. */
	json_str(&doc, _("the directory skillc ran in"));
	strbuf_adds(&doc, "}}},"
			  "\"columnKind\":\"unicodeCodePoints\",\"results\":[");
	if (s->results.len)
		strbuf_add(&doc, s->results.buf, s->results.len);
	strbuf_adds(&doc, "]}]}");
	json_pretty(out, doc.buf, doc.len);
	strbuf_free(&doc);
}

void
diag_sink_totals(const struct diag_sink *s, size_t *errors, size_t *warnings)
{
	*errors = s->errors;
	*warnings = s->warnings;
}

void
diag_sink_summary(const struct diag_sink *s, struct strbuf *out)
{
	size_t e = s->errors, w = s->warnings;
	if (e && w) {
		/* Two counts, each with its noun: "2 errors", then the
		 * sentence around them. */
		struct strbuf errors = { 0 }, warnings = { 0 };
		strbuf_addf(&errors, ngettext("%zu error", "%zu errors", e), e);
		strbuf_addf(&warnings,
			    ngettext("%zu warning", "%zu warnings", w), w);
		/* TRANSLATORS: the summary under the diagnostics, as
		 * clang's; the first %s is "N errors", the second "N
		 * warnings". */
		strbuf_addf(out, _("%s and %s generated."), errors.buf,
			    warnings.buf);
		strbuf_free(&errors);
		strbuf_free(&warnings);
	} else if (e) {
		strbuf_addf(out,
			    ngettext("%zu error generated.",
				     "%zu errors generated.", e),
			    e);
	} else if (w) {
		strbuf_addf(out,
			    ngettext("%zu warning generated.",
				     "%zu warnings generated.", w),
			    w);
	} else {
		return;
	}
	strbuf_addc(out, '\n');
}
