/*
 * emit_md.c - model -> a Markdown document.
 *
 * Takes: a checked model. Gives: the whole standard as one GitHub
 * Flavored Markdown document in the source's order, which is the printed
 * one in either layout (a group standard's seven chapters, a national
 * standard's four): a metadata block for pandoc (the title as pagetitle,
 * the language), title and cover, the notice if any, the foreword, the
 * chapters with their clause numbers as headings (the heading level
 * follows the model's nesting, not the clause text), labelled items as
 * paragraphs "a\\) text", one GFM table per work table and per weight table
 * with the printed column heads, then an appendix with each level's cumulative
 * requirements along its chain, every work content tagged with the level
 * (and branch) that introduced it. A chapter, clause or text the source
 * does not have is not printed: no heading, number or caption is made up,
 * and a cell printed "—" stays "—". Only the model's data and the words
 * of the layout appear (schema/document-words.yaml, built in as
 * doc_words), in model order, with "\n" line ends: the output is a
 * function of the model.
 *
 * The readers are GitHub and cmark-gfm, and pandoc with its own Markdown
 * (its default: "pandoc std.md -o std.docx") or -f gfm, to HTML, DOCX or
 * anything else. Every cell holds one thing: a work content takes as many
 * rows as its longer list of items, each skill and knowledge item a cell
 * of its own, since no break inside a GFM cell survives every reader (a
 * raw <br> is dropped in pandoc's DOCX, a backslash or two spaces end the
 * row, and pandoc's grid tables and raw HTML tables are not GFM).
 *
 * Every text goes through md_text (running text) or md_cell (table cells
 * and headings), which escape it so that each of those readers shows
 * exactly the source text: no emphasis, link, HTML, code, heading, list,
 * definition, quote, table, caption, superscript, citation, curly quote,
 * dash or no-break space can come out of a text, whatever it holds (but
 * GitHub still links a bare e-mail address, of the same text: no escape
 * stops cmark-gfm's autolink extension there). Fails only when out of
 * memory.
 */
#include "skillc.h"

#include <string.h>

#include "document_words.h"

/* Where a text is written. */
enum md_where {
	MD_LINE_START, /* running text at the start of a line */
	MD_MID_LINE,   /* running text after other text on its line */
	MD_INLINE,     /* a table cell or heading: one line, inline only */
	MD_META,       /* a metadata value: one line, at the start of a block */
};

/* ASCII punctuation that means something anywhere in a line: to
 * CommonMark and GFM, and to pandoc's own Markdown (its default reader),
 * where '^' opens a superscript, '@' a citation, '{' attributes, and
 * '"' and '\'' become curly quotes (smart punctuation). */
static bool
md_special(char c)
{
	return c && strchr("\\`*_[]<>#~|$^@{\"'", c);
}

static bool
md_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool
md_name_char(char c)
{
	return md_alnum(c) || c == '_' || c == '+' || c == '-';
}

/* Whether the ':' at s[i] opens an emoji shortcode (":smile:"), which
 * GitHub and pandoc would replace by a picture, or ends a URL's scheme
 * ("https://"), which GFM's autolinks would make a link. */
static bool
md_colon(const char *s, size_t len, size_t i)
{
	if (len - i > 2 && s[i + 1] == '/' && s[i + 2] == '/')
		return true;
	size_t j = i + 1;
	while (j < len && md_name_char(s[j]))
		j++;
	return j > i + 1 && j < len && s[j] == ':';
}

/* Whether the '-' or '.' at s[i] needs a backslash: in a run that
 * pandoc's smart punctuation makes a dash or an ellipsis of ("--",
 * "..."); ending a word before a space or the end of the text, where
 * pandoc takes an abbreviation ("Co. ", "Mr. ") to bind the next word
 * with a no-break space; after "www", which GFM's autolinks make a link
 * of. */
static bool
md_smart(const char *s, size_t len, size_t i)
{
	if (!i || (s[i] != '-' && s[i] != '.'))
		return false;
	if (s[i - 1] == s[i])
		return true;
	if (s[i] != '.')
		return false;
	char b = s[i - 1];
	if (((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) &&
	    (i + 1 == len || s[i + 1] == ' '))
		return true;
	if (i < 3)
		return false;
	for (size_t k = i - 3; k < i; k++)
		if (s[k] != 'w' && s[k] != 'W')
			return false;
	return true;
}

/* Whether s[i..j) numbers a list item in pandoc's fancy lists: digits,
 * one letter or roman numerals (a), B., iv)). Other words ("Hello.")
 * are not escaped, to keep the source readable. */
static bool
md_list_number(const char *s, size_t i, size_t j)
{
	bool digits = true, roman = true;
	for (size_t k = i; k < j; k++) {
		digits = digits && s[k] >= '0' && s[k] <= '9';
		roman = roman && s[k] && strchr("ivxlcdmIVXLCDM", s[k]);
	}
	return j > i && (digits || roman || j == i + 1);
}

/* The escapes a line start needs: what would open a list (CommonMark's
 * "1." and "-", pandoc's "a)", "(iv)" and "B."), a definition, a fenced
 * div or a table caption (':', "Table:"), a setext underline or a
 * thematic break. Returns how many bytes of s it took. */
static size_t
md_line_start(struct strbuf *out, const char *s, size_t len, size_t i)
{
	char c = s[i];
	if (c == '-' || c == '+' || c == '=' || c == ':') {
		strbuf_addc(out, '\\');
		strbuf_addc(out, c);
		return 1;
	}
	if (len - i >= 6 && (c == 'T' || c == 't') &&
	    !memcmp(s + i + 1, "able:", 5)) {
		strbuf_add(out, s + i, 5);
		strbuf_adds(out, "\\:");
		return 6;
	}
	size_t k = i + (c == '('), j = k;
	while (j < len && md_alnum(s[j]))
		j++;
	if (j == len || !md_list_number(s, k, j))
		return 0;
	if (c == '(' && s[j] == ')') {
		strbuf_adds(out, "\\(");
		strbuf_add(out, s + k, j + 1 - k);
		return j + 1 - i;
	}
	if (c == '(' || (s[j] != '.' && s[j] != ')'))
		return 0;
	strbuf_add(out, s + i, j - i);
	strbuf_addc(out, '\\');
	strbuf_addc(out, s[j]);
	return j + 1 - i;
}

/* A run of spaces from s[i]. Renderers strip spaces at the start and
 * end of a paragraph, a cell or a heading, four of them open a code
 * block, pandoc drops them before a hard break and reads a run of them
 * as one space: there (and for any run of two or more) they are written
 * as character references. */
static size_t
md_spaces(struct strbuf *out, const char *s, size_t len, size_t i, bool edge)
{
	size_t j = i;
	while (j < len && s[j] == ' ')
		j++;
	bool keep = edge || j == len || s[j] == '\n' || j - i > 1;
	for (size_t k = i; k < j; k++)
		strbuf_adds(out, keep ? "&#32;" : " ");
	return j - i;
}

/* A line break. In running text a hard break, or a character reference
 * when only line breaks follow (a paragraph cannot end in a hard break).
 * Inline (a cell or a heading, where a hard break would end the table
 * row) "<br>&#10;": GitHub, cmark-gfm and pandoc's HTML show the raw
 * <br>, and where pandoc drops raw HTML (DOCX) the character reference
 * still leaves the newline in the text. */
static void
md_break(struct strbuf *out, const char *s, size_t len, size_t i, bool one_line)
{
	size_t j = i;
	while (j < len && s[j] == '\n')
		j++;
	if (one_line)
		strbuf_adds(out, "<br>&#10;");
	else if (j == len)
		strbuf_adds(out, "&#10;");
	else
		strbuf_adds(out, "\\\n");
}

/* The one escaper: ASCII punctuation that is markup anywhere gets a
 * backslash, and so do the '-', '.' and ':' that pandoc's smart
 * punctuation, emoji or autolinks would read; '&' becomes "&amp;" (no
 * entity survives), line starts and edge spaces and runs of spaces are
 * made inert, and line breaks are kept as breaks. */
static void
md_escape(struct strbuf *out, const char *s, size_t len, enum md_where where)
{
	bool one_line = where == MD_INLINE || where == MD_META;
	bool line_start = where == MD_LINE_START || where == MD_META;
	size_t i = 0, k;
	while (i < len) {
		char c = s[i];
		if (c == ' ') {
			bool edge = line_start || (one_line && !i);
			i += md_spaces(out, s, len, i, edge);
		} else if (c == '\n') {
			md_break(out, s, len, i++, one_line);
			line_start = !one_line;
			continue;
		} else if (line_start && (k = md_line_start(out, s, len, i))) {
			i += k;
		} else {
			if (c == '&')
				strbuf_adds(out, "&amp;");
			else if (md_special(c) || md_smart(s, len, i) ||
				 (c == ':' && md_colon(s, len, i)))
				strbuf_addc(out, '\\'), strbuf_addc(out, c);
			else
				strbuf_addc(out, c);
			i++;
		}
		line_start = false;
	}
}

/* Running text: a paragraph, a list item, a line of the cover. */
static void
md_text(struct strbuf *out, const struct text *t, enum md_where where)
{
	md_escape(out, t->s, t->len, where);
}

/* A table cell or heading: one line, breaks as "<br>&#10;", '|'
 * escaped. */
static void
md_cell(struct strbuf *out, const struct text *t)
{
	md_escape(out, t->s, t->len, MD_INLINE);
}

/* "a" sep "b" in a cell, the separator only between two non-empty. */
static void
md_cell_pair(struct strbuf *out, const struct text *a, const char *sep,
	     const struct text *b)
{
	md_cell(out, a);
	if (a->len && b->len)
		strbuf_adds(out, sep);
	md_cell(out, b);
}

static void
md_para(struct strbuf *out, const struct text *t)
{
	if (!t->len)
		return;
	md_text(out, t, MD_LINE_START);
	strbuf_adds(out, "\n\n");
}

static void
md_paras(struct strbuf *out, const struct text *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		md_para(out, &t[i]);
}

/* "## 4.3.1 title"; the level is the model's nesting, at most 6. Nothing
 * for a clause printed under no heading (national standards print the
 * pass mark inside 评价方式): no empty heading. */
static void
md_heading(struct strbuf *out, size_t level, const struct text *clause,
	   const struct text *title)
{
	if (!clause->len && !title->len)
		return;
	strbuf_add(out, "######", level < 6 ? level : 6);
	strbuf_addc(out, ' ');
	md_cell_pair(out, clause, " ", title);
	strbuf_adds(out, "\n\n");
}

/* Whether a label is bare letters and digits ("a", "1"), which the
 * draft prints with a ')' after it; any other label ("（1）") is printed
 * as written. */
static bool
md_bare_label(const struct text *label)
{
	for (size_t i = 0; i < label->len; i++) {
		char c = label->s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return label->len > 0;
}

/* "a\\) text", as the draft prints labelled items: a paragraph of its
 * own, not a list item (a list would nest or re-letter them in pandoc's
 * DOCX and HTML). The ')' after a bare label is escaped, so neither
 * CommonMark (after a number) nor pandoc's fancy lists (after a letter or
 * roman numeral) open a list; a label that is a list number itself
 * ("b)", "(a)", "1.") is escaped as any line start is. "（1）text" for a
 * label printed with its own brackets (a space after it only when it ends
 * in ASCII). */
static void
md_item(struct strbuf *out, const struct text *label, const struct text *text)
{
	if (!label->len && !text->len)
		return;
	md_text(out, label, MD_LINE_START);
	if (md_bare_label(label))
		strbuf_adds(out, "\\)");
	if (label->len && text->len &&
	    (md_bare_label(label) ||
	     !((unsigned char)label->s[label->len - 1] & 0x80)))
		strbuf_addc(out, ' ');
	md_text(out, text, label->len ? MD_MID_LINE : MD_LINE_START);
	strbuf_adds(out, "\n\n");
}

/* "**number caption**" above a table; nothing for an empty caption. */
static void
md_caption(struct strbuf *out, const struct text *number,
	   const struct text *caption)
{
	if (!number->len && !caption->len)
		return;
	strbuf_adds(out, "**");
	md_text(out, number, MD_MID_LINE);
	if (number->len && caption->len)
		strbuf_addc(out, ' ');
	md_text(out, caption, MD_MID_LINE);
	strbuf_adds(out, "**\n\n");
}

/* A line of the cover, "before value after", if value is set; lines
 * after the first start with a hard break. */
static void
md_cover_line(struct strbuf *out, bool *first, const char *before,
	      const struct text *t, const char *after)
{
	if (!t->len)
		return;
	if (!*first)
		strbuf_adds(out, "\\\n");
	*first = false;
	strbuf_adds(out, before);
	md_text(out, t, *before ? MD_MID_LINE : MD_LINE_START);
	strbuf_adds(out, after);
}

/* "key: 'value'" in the metadata block. The value is escaped as a cell
 * (pandoc reads a metadata value as Markdown; a newline is "<br>&#10;"),
 * then quoted for YAML: single quotes, where only a '\'' needs doubling
 * and a backslash is itself, so the Markdown escapes stay as they are and
 * the line renders as its text in cmark-gfm too. U+FFFE and U+FFFF,
 * which a source can give as escapes and YAML refuses, are character
 * references. Nothing for an empty value. */
static void
md_meta_line(struct strbuf *out, const char *key, const struct text *t)
{
	if (!t->len)
		return;
	struct strbuf v = { 0 };
	md_escape(&v, t->s, t->len, MD_META);
	strbuf_addf(out, "%s: '", key);
	for (size_t i = 0; i < v.len; i++) {
		if (v.buf[i] == '\'')
			strbuf_addc(out, '\'');
		const unsigned char *b = (const unsigned char *)v.buf + i;
		if (i + 2 < v.len && b[0] == 0xef && b[1] == 0xbf &&
		    b[2] >= 0xbe) {
			strbuf_adds(out,
				    b[2] == 0xbe ? "&#xFFFE;" : "&#xFFFF;");
			i += 2;
			continue;
		}
		strbuf_addc(out, v.buf[i]);
	}
	strbuf_adds(out, "'\n");
	strbuf_free(&v);
}

/* The metadata block pandoc reads (YAML between "---" lines): the title
 * as pagetitle, which names the HTML page (<title>, no warning) without
 * the title block that "title" adds above the document's own "# title"
 * (pandoc's HTML and DOCX would have the title twice), and the document's
 * language (<html lang>, the DOCX's w:lang). cmark-gfm, which knows no
 * metadata, renders the block as a thematic break and a level 2 heading
 * of its two lines; GitHub shows it as a table. */
static void
md_metadata(struct strbuf *out, const struct meta *m)
{
	struct text lang = { doc_words[WORD_LANGUAGE],
			     strlen(doc_words[WORD_LANGUAGE]), NULL };
	strbuf_adds(out, "---\n");
	md_meta_line(out, "pagetitle", &m->title.zh);
	md_meta_line(out, "lang", &lang);
	strbuf_adds(out, "---\n\n");
}

static void
md_cover(struct strbuf *out, const struct meta *m)
{
	strbuf_adds(out, "# ");
	md_cell(out, &m->title.zh);
	strbuf_adds(out, "\n\n");
	if (m->edition.len) { /* （2024年版）, under the title */
		strbuf_adds(out, doc_words[WORD_EDITION_OPEN]);
		md_text(out, &m->edition, MD_MID_LINE);
		strbuf_adds(out, doc_words[WORD_EDITION_CLOSE]);
		strbuf_adds(out, "\n\n");
	}
	md_para(out, &m->title.en);
	if (m->status_text.len) {
		strbuf_adds(out, doc_words[WORD_STATUS_OPEN]);
		md_text(out, &m->status_text, MD_MID_LINE);
		strbuf_adds(out, doc_words[WORD_STATUS_CLOSE]);
		strbuf_adds(out, "\n\n");
	}
	bool first = true;
	md_cover_line(out, &first, "", &m->kind, "");
	md_cover_line(out, &first, doc_words[WORD_COVER_NUMBER_BEFORE],
		      &m->number, "");
	md_cover_line(out, &first, doc_words[WORD_COVER_ICS_BEFORE], &m->ics,
		      "");
	md_cover_line(out, &first, doc_words[WORD_COVER_CCS_BEFORE], &m->ccs,
		      "");
	md_cover_line(out, &first, "", &m->published,
		      doc_words[WORD_COVER_PUBLISHED_AFTER]);
	md_cover_line(out, &first, "", &m->effective,
		      doc_words[WORD_COVER_EFFECTIVE_AFTER]);
	if (m->issuer.len && m->issuer_word.s) { /* as printed: 制定 */
		md_cover_line(out, &first, "", &m->issuer,
			      m->issuer_word.len ? " " : "");
		md_text(out, &m->issuer_word, MD_MID_LINE);
	} else {
		md_cover_line(out, &first, "", &m->issuer,
			      doc_words[WORD_COVER_ISSUER_AFTER]);
	}
	if (!first)
		strbuf_adds(out, "\n\n");
}

static void
md_notice(struct strbuf *out, const struct notice *n)
{
	if (!n->at)
		return;
	strbuf_adds(out, "## ");
	md_cell(out, &n->title);
	strbuf_adds(out, "\n\n");
	md_para(out, &n->number);
	md_para(out, &n->addressee);
	md_paras(out, n->paragraphs, n->n_paragraphs);
	md_paras(out, n->contacts, n->n_contacts);
	md_paras(out, n->attachments, n->n_attachments);
	md_para(out, &n->signature);
	md_para(out, &n->date);
	md_paras(out, n->footer, n->n_footer);
}

/* The foreword under its heading as printed (说明), or the layout's. */
static void
md_foreword(struct strbuf *out, const struct meta *m)
{
	if (!m->n_foreword)
		return;
	if (!m->foreword_title.s) {
		strbuf_addf(out, "## %s\n\n", doc_words[WORD_FOREWORD]);
	} else if (m->foreword_title.len) {
		strbuf_adds(out, "## ");
		md_cell(out, &m->foreword_title);
		strbuf_adds(out, "\n\n");
	}
	md_paras(out, m->foreword, m->n_foreword);
}

/* Scope, normative references and terms: each where the document has
 * the chapter (a national standard has none of them). */
static void
md_chapters_1_3(struct strbuf *out, const struct standard *s)
{
	if (s->scope.at) {
		md_heading(out, 2, &s->scope.clause, &s->scope.title);
		md_paras(out, s->scope.paragraphs, s->scope.n_paragraphs);
	}
	const struct paragraphs *nr = &s->normative_references;
	if (nr->at) {
		md_heading(out, 2, &nr->clause, &nr->title);
		md_paras(out, nr->paragraphs, nr->n_paragraphs);
		md_paras(out, nr->documents, nr->n_documents);
	}
	if (!s->terms.at)
		return;
	md_heading(out, 2, &s->terms.clause, &s->terms.title);
	md_para(out, &s->terms.intro);
	for (size_t i = 0; i < s->terms.n_entries; i++) {
		const struct term *t = &s->terms.entries[i];
		strbuf_adds(out, "### ");
		md_cell_pair(out, &t->id, " ", &t->zh);
		if (t->en.len)
			strbuf_addc(out, ' ');
		md_cell(out, &t->en);
		strbuf_adds(out, "\n\n");
		md_para(out, &t->definition);
	}
}

/* One level's conditions: under its own clause, or (clause and title
 * absent) as a paragraph of the one clause for every level, below which a
 * clause of its own would nest. */
static void
md_eligibility(struct strbuf *out, const struct eligibility *e, size_t level)
{
	md_heading(out, level, &e->clause, &e->title);
	md_para(out, &e->intro);
	for (size_t i = 0; i < e->n_routes; i++)
		md_item(out, &e->routes[i].label, &e->routes[i].text);
}

static void
md_assessment(struct strbuf *out, const struct assessment *as)
{
	const struct methods_clause *m = &as->methods;
	md_heading(out, 4, &m->clause, &m->title);
	md_para(out, &m->intro);
	for (size_t i = 0; i < m->n_items; i++)
		md_item(out, &m->items[i].label, &m->items[i].text);
	md_heading(out, 4, &as->pass_score.clause, &as->pass_score.title);
	md_para(out, &as->pass_score.text);
	md_heading(out, 4, &as->ratios.clause, &as->ratios.title);
	md_para(out, &as->ratios.text);
	md_heading(out, 4, &as->durations.clause, &as->durations.title);
	md_para(out, &as->durations.text);
	const struct venues_clause *v = &as->venues;
	md_heading(out, 4, &v->clause, &v->title);
	md_para(out, &v->intro);
	for (size_t i = 0; i < v->n_items; i++)
		md_item(out, &v->items[i].label, &v->items[i].text);
}

static void
md_section(struct strbuf *out, const struct section *sec, size_t level)
{
	md_heading(out, level, &sec->clause, &sec->title);
	md_para(out, &sec->intro);
	for (size_t i = 0; i < sec->n_items; i++)
		md_item(out, &sec->items[i].label, &sec->items[i].text);
	md_para(out, &sec->text);
	for (size_t i = 0; i < sec->n_sections; i++)
		md_section(out, &sec->sections[i], level + 1);
}

/* A clause of the occupation with one text, where the document has it. */
static void
md_clause_text(struct strbuf *out, const struct clause_text *c)
{
	if (!c->at)
		return;
	md_heading(out, 3, &c->clause, &c->title);
	md_para(out, &c->text);
}

/* 职业概况: the clauses the document has, in the source's (the printed)
 * order; 职业名称 is a clause whose body is the occupation's name. */
static void
md_occupation(struct strbuf *out, const struct standard *s)
{
	const struct occupation *o = &s->occupation;
	md_heading(out, 2, &o->clause, &o->title);
	if (o->name_clause.at) {
		md_heading(out, 3, &o->name_clause.clause,
			   &o->name_clause.title);
		md_para(out, &o->name);
	}
	md_clause_text(out, &o->code);
	md_clause_text(out, &o->definition);
	md_clause_text(out, &o->levels);
	md_clause_text(out, &o->environment);
	md_clause_text(out, &o->abilities);
	if (o->education.at) {
		md_heading(out, 3, &o->education.clause, &o->education.title);
		md_para(out, &o->education.text);
	}
	if (o->training.at)
		md_section(out, &o->training, 3);
	md_heading(out, 3, &o->assessment.clause, &o->assessment.title);
	size_t level = 4;
	if (o->eligibility.at) {
		md_heading(out, 4, &o->eligibility.clause,
			   &o->eligibility.title);
		level = 5;
	}
	for (size_t i = 0; i < s->n_eligibility; i++)
		md_eligibility(out, &s->eligibility[i], level);
	md_assessment(out, &s->assessment);
}

static void
md_chapter_5(struct strbuf *out, const struct basic_requirements *b)
{
	md_heading(out, 2, &b->clause, &b->title);
	for (size_t i = 0; i < b->n_sections; i++)
		md_section(out, &b->sections[i], 3);
}

/* The delimiter row under a table's head: the first plain columns
 * aligned by default, the others (weights) centred. */
static void
md_delimiter(struct strbuf *out, size_t columns, size_t plain)
{
	for (size_t i = 0; i < columns; i++)
		strbuf_adds(out, i < plain ? "| --- " : "| :---: ");
	strbuf_adds(out, "|\n");
}

/* An "id text" item cell, or an empty one past the last item. */
static void
md_item_cell(struct strbuf *out, const struct item *items, size_t n, size_t i)
{
	strbuf_addc(out, ' ');
	if (i < n)
		md_cell_pair(out, &items[i].id, " ", &items[i].text);
	strbuf_adds(out, " |");
}

/* The rows of a work content (ct NULL: one row of empty cells): as many
 * as its longer list of items, at least one; the content in the first,
 * the next skill and knowledge item in each, every item a cell of its
 * own, empty cells up to columns. A cell holds no break between items:
 * a raw <br> is dropped by pandoc's DOCX, a hard break would end the
 * row, and no other table GFM has. The caller has written the first row's
 * first cell ("| " and the capability or level); the other rows' is
 * empty. */
static void
md_content_rows(struct strbuf *out, const struct content *ct, size_t columns)
{
	size_t n_skills = ct ? ct->n_skills : 0;
	size_t n_knowledge = ct ? ct->n_knowledge : 0;
	size_t rows = n_skills > n_knowledge ? n_skills : n_knowledge;
	for (size_t r = 0; r < rows || r == 0; r++) {
		strbuf_adds(out, r ? "|  | " : " | ");
		if (ct && r == 0)
			md_cell_pair(out, &ct->id, " ", &ct->name);
		strbuf_adds(out, " |");
		md_item_cell(out, ct ? ct->skills : NULL, n_skills, r);
		md_item_cell(out, ct ? ct->knowledge : NULL, n_knowledge, r);
		for (size_t i = 4; i < columns; i++)
			strbuf_adds(out, "  |");
		strbuf_addc(out, '\n');
	}
}

static bool
text_eq(const struct text *a, const struct text *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->s, b->s, a->len));
}

static void
md_work_table(struct strbuf *out, const struct work_table *t, size_t level)
{
	size_t columns = t->n_header > 4 ? t->n_header : 4;
	md_heading(out, level, &t->clause, &t->title);
	md_para(out, &t->intro);
	md_caption(out, &t->number, &t->caption);
	for (size_t i = 0; i < columns; i++) {
		strbuf_adds(out, "| ");
		if (i < t->n_header)
			md_cell(out, &t->header[i]);
		strbuf_adds(out, " ");
	}
	strbuf_adds(out, "|\n");
	md_delimiter(out, columns, columns);
	for (size_t c = 0; c < t->n_capabilities; c++) {
		const struct capability *cap = &t->capabilities[c];
		for (size_t k = 0; k < cap->n_contents || k == 0; k++) {
			strbuf_adds(out, "| ");
			if (k == 0)
				md_cell_pair(out, &cap->id, ". ", &cap->name);
			md_content_rows(out,
					k < cap->n_contents ? &cap->contents[k]
							    : NULL,
					columns);
		}
	}
	strbuf_addc(out, '\n');
}

/* The chapter's sentence, its general clause if any, then every table,
 * a branch's under its own heading as printed. */
static void
md_chapter_6(struct strbuf *out, const struct work_requirements *w)
{
	md_heading(out, 2, &w->clause, &w->title);
	md_para(out, &w->intro);
	if (w->general.at) {
		md_heading(out, 3, &w->general.clause, &w->general.title);
		md_para(out, &w->general.text);
	}
	const struct clause_head *open = NULL; /* the heading printed last */
	for (size_t i = 0; i < w->n_tables; i++) {
		const struct clause_head *h = &w->tables[i].heading;
		if (h->at && !(open && text_eq(&open->clause, &h->clause) &&
			       text_eq(&open->title, &h->title)))
			md_heading(out, 3, &h->clause, &h->title);
		open = h->at ? h : NULL;
		md_work_table(out, &w->tables[i], h->at ? 4 : 3);
	}
}

/* The weights of a row or total, one cell per column: "—" as printed. */
static void
md_weights(struct strbuf *out, const struct num *w, size_t n, size_t columns)
{
	for (size_t c = 0; c < columns; c++) {
		if (c < n && w[c].dash)
			strbuf_adds(out, " \u2014 |");
		else if (c < n)
			strbuf_addf(out, " %lld |", (long long)w[c].v);
		else
			strbuf_adds(out, "  |");
	}
	strbuf_addc(out, '\n');
}

/* Head: header[0] over the row groups, an empty head over the row
 * labels, and per column the other heads and the column's label, the
 * non-empty ones joined by a space: "技能等级 五级/初级工（%）". The
 * printed table spans the other heads over the columns in rows of their
 * own; a GFM table has one head row and no spans, a body row would read
 * as data, and a <br> in the cell is lost in pandoc's DOCX, while this
 * cell reads the same in every tool. */
static void
md_weight_head(struct strbuf *out, const struct weight_table *t)
{
	strbuf_adds(out, "| ");
	if (t->n_header)
		md_cell(out, &t->header[0]);
	strbuf_adds(out, " |  |");
	for (size_t c = 0; c < t->n_columns; c++) {
		strbuf_addc(out, ' ');
		bool any = false;
		for (size_t h = 1; h <= t->n_header; h++) {
			const struct text *x = h < t->n_header
						       ? &t->header[h]
						       : &t->columns[c].label;
			if (!x->len)
				continue;
			if (any)
				strbuf_addc(out, ' ');
			md_cell(out, x);
			any = true;
		}
		strbuf_adds(out, " |");
	}
	strbuf_addc(out, '\n');
	md_delimiter(out, 2 + t->n_columns, 2);
}

static void
md_weight_table(struct strbuf *out, const struct weight_table *t, size_t level)
{
	md_heading(out, level, &t->clause, &t->title);
	md_para(out, &t->intro);
	md_caption(out, &t->number, &t->caption);
	md_weight_head(out, t);
	for (size_t g = 0; g < t->n_groups; g++) {
		const struct group *gr = &t->groups[g];
		for (size_t r = 0; r < gr->n_rows; r++) {
			strbuf_adds(out, "| ");
			if (r == 0)
				md_cell(out, &gr->label);
			strbuf_adds(out, " | ");
			md_cell(out, &gr->rows[r].label);
			strbuf_adds(out, " |");
			md_weights(out, gr->rows[r].weights,
				   gr->rows[r].n_weights, t->n_columns);
		}
	}
	strbuf_adds(out, "| ");
	md_cell(out, &t->total.label);
	strbuf_adds(out, " |  |");
	md_weights(out, t->total.weights, t->total.n_weights, t->n_columns);
	strbuf_addc(out, '\n');
}

/* Tables in sections (7.1 初级…), then tables directly under the chapter
 * (4.1 理论知识权重表). */
static void
md_chapter_7(struct strbuf *out, const struct weights *w)
{
	md_heading(out, 2, &w->clause, &w->title);
	for (size_t i = 0; i < w->n_sections; i++) {
		const struct weight_section *sec = &w->sections[i];
		md_heading(out, 3, &sec->clause, &sec->title);
		for (size_t j = 0; j < sec->n_tables; j++)
			md_weight_table(out, &sec->tables[j], 4);
	}
	for (size_t j = 0; j < w->n_tables; j++)
		md_weight_table(out, &w->tables[j], 3);
}

/* Head i (1..3) of the work table nearest to the level along its chain. */
static const struct text *
md_chain_head(const struct level *level, size_t i)
{
	static const struct text none = { "", 0, NULL };
	for (size_t d = level->n_chain; d-- > 0;) {
		const struct work_table *t = level->chain[d]->work;
		if (t && i < t->n_header)
			return &t->header[i];
	}
	return &none;
}

/* The level column of the appendix: the level that introduced a row,
 * and the branch of its table, if any. */
static void
md_tag(struct strbuf *out, const struct work_table *t)
{
	md_cell(out, &t->level->name);
	if (!t->branch)
		return;
	strbuf_adds(out, doc_words[WORD_CUMULATIVE_BRANCH_OPEN]);
	md_cell(out, &t->branch->name);
	strbuf_adds(out, doc_words[WORD_CUMULATIVE_BRANCH_CLOSE]);
}

/* One level's requirements and those of the levels it includes, lowest
 * level first, every table of each (shared and of every branch), each
 * row tagged with the level that introduced it. */
static void
md_cumulative_level(struct strbuf *out, const struct level *level)
{
	strbuf_adds(out, "### ");
	md_cell(out, &level->name);
	strbuf_addf(out, "\n\n| %s |", doc_words[WORD_CUMULATIVE_LEVEL]);
	for (size_t i = 1; i < 4; i++) {
		strbuf_addc(out, ' ');
		md_cell(out, md_chain_head(level, i));
		strbuf_adds(out, " |");
	}
	strbuf_addc(out, '\n');
	md_delimiter(out, 4, 4);
	for (size_t d = 0; d < level->n_chain; d++) {
		const struct level *l = level->chain[d];
		for (size_t t = 0; t < l->n_tables; t++) {
			const struct work_table *wt = l->tables[t];
			for (size_t k = 0; k < wt->n_contents; k++) {
				strbuf_adds(out, "| ");
				md_tag(out, wt);
				md_content_rows(out, wt->contents[k], 4);
			}
		}
	}
	strbuf_addc(out, '\n');
}

static void
md_cumulative(struct strbuf *out, const struct standard *s)
{
	if (!s->n_levels)
		return;
	strbuf_addf(out, "## %s\n\n%s\n\n", doc_words[WORD_CUMULATIVE_TITLE],
		    doc_words[WORD_CUMULATIVE_INTRO]);
	for (size_t i = 0; i < s->n_levels; i++)
		md_cumulative_level(out, &s->levels[i]);
}

void
emit_md(const struct unit *u, struct strbuf *out)
{
	const struct standard *s = u->std;
	md_metadata(out, &s->meta);
	md_cover(out, &s->meta);
	if (u->parts & PART_NOTICE)
		md_notice(out, &s->notice);
	md_foreword(out, &s->meta);
	md_chapters_1_3(out, s);
	md_occupation(out, s);
	md_chapter_5(out, &s->basic_requirements);
	md_chapter_6(out, &s->work_requirements);
	md_chapter_7(out, &s->weights);
	if (u->parts & PART_CUMULATIVE)
		md_cumulative(out, s);
	/* One final newline, not a blank line. */
	while (out->len > 1 && out->buf[out->len - 1] == '\n' &&
	       out->buf[out->len - 2] == '\n')
		out->buf[--out->len] = '\0';
}
