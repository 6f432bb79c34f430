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
 * (and branch) that introduced it. The order after the cover is
 * doc_walk's (doc.c), which the Word document shares. A chapter, clause or text
 * the source does not have is not printed: no heading, number or caption is
 * made up, and a cell printed "—" stays "—". Only the model's data and the
 * words of the layout appear (schema/document-words.yaml, built in as
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
void
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
		} else if ((unsigned char)c >= 0x80) {
			/* Bytes of characters past ASCII are never markup:
			 * their whole run at once. */
			size_t j = i + 1;
			while (j < len && (unsigned char)s[j] >= 0x80)
				j++;
			strbuf_add(out, s + i, j - i);
			i = j;
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
	if (doc_bare_label(label))
		strbuf_adds(out, "\\)");
	if (label->len && text->len &&
	    (doc_bare_label(label) ||
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
			     strlen(doc_words[WORD_LANGUAGE]),
			     { 0 } };
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

static void
md_work_table(void *ctx, const struct work_table *t)
{
	struct strbuf *out = ctx;
	size_t columns = t->n_header > 4 ? t->n_header : 4;
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

/* The weights of a row or total, one cell per column: "—" as printed. */
static void
md_weights(struct strbuf *out, const struct num *w, size_t n, size_t columns)
{
	for (size_t c = 0; c < columns; c++) {
		if (c < n && w[c].dash) {
			strbuf_adds(out, " \u2014 |");
		} else if (c < n) {
			strbuf_addc(out, ' ');
			strbuf_add_int(out, w[c].v);
			strbuf_adds(out, " |");
		} else {
			strbuf_adds(out, "  |");
		}
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
md_weight_table(void *ctx, const struct weight_table *t)
{
	struct strbuf *out = ctx;
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
		md_cell(out, doc_chain_head(level, i));
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

/* ---- the writer doc_walk calls ------------------------------------------ */

static void
md_op_heading(void *ctx, size_t depth, const struct text *clause,
	      const struct text *title)
{
	md_heading(ctx, depth + 1, clause, title); /* "#" is the title's */
}

static void
md_op_front_heading(void *ctx, const struct text *title)
{
	static const struct text none = { "", 0, { 0 } };
	md_heading(ctx, 2, &none, title);
}

static void
md_op_para(void *ctx, enum doc_para kind, const struct text *t)
{
	(void)kind; /* Markdown has one kind of paragraph */
	md_para(ctx, t);
}

static void
md_op_item(void *ctx, const struct text *label, const struct text *text)
{
	md_item(ctx, label, text);
}

/* "### 3.1 术语 term", the definition its paragraph. */
static void
md_op_term(void *ctx, const struct term *t)
{
	struct strbuf *out = ctx;
	strbuf_adds(out, "### ");
	md_cell_pair(out, &t->id, " ", &t->zh);
	if (t->en.len)
		strbuf_addc(out, ' ');
	md_cell(out, &t->en);
	strbuf_adds(out, "\n\n");
}

static void
md_op_front_end(void *ctx)
{
	(void)ctx; /* one page: the chapters follow on */
}

static const struct doc_ops md_ops = {
	md_op_heading, md_op_front_heading, md_op_para,	     md_op_item,
	md_op_term,    md_work_table,	    md_weight_table, md_op_front_end,
};

void
emit_md(const struct unit *u, struct strbuf *out)
{
	const struct standard *s = u->std;
	md_metadata(out, &s->meta);
	md_cover(out, &s->meta);
	doc_walk(u, &md_ops, out);
	if (u->parts & PART_CUMULATIVE)
		md_cumulative(out, s);
	/* One final newline, not a blank line. */
	while (out->len > 1 && out->buf[out->len - 1] == '\n' &&
	       out->buf[out->len - 2] == '\n')
		out->buf[--out->len] = '\0';
}
