/*
 * emit_docx.c - model -> a Word document (Office Open XML, .docx).
 *
 * Takes: a checked model. Gives: the standard laid out as it is printed,
 * in either layout: a cover (ICS and CCS, the kind of document, its
 * number, the titles, edition and status, the dates and the issuer), a
 * table of contents, the notice if asked for, the foreword (前言, or the
 * source's own heading: 说明), then the chapters with their printed
 * clause numbers as heading styles, labelled items "a) text" as indented
 * paragraphs (not a list), and the tables: a caption above each, head
 * rows repeated on every page, 职业功能 merged down the rows of its work
 * contents, every skill and knowledge item a paragraph of its own in its
 * cell, weight tables with the printed head rows, each group's label
 * merged down its rows, and "—" where the source prints it. A4, East
 * Asian text in the body and heading fonts of schema/document-words.yaml,
 * the cover unnumbered, the front matter numbered I, II…, the chapters
 * 1, 2…. The order after the cover is doc_walk's (doc.c), which the
 * Markdown shares.
 *
 * The table of contents is a TOC field: its entries are written in the
 * document (chapters and first-level clauses, each a link to its heading
 * with a PAGEREF field for the page) and settings.xml asks Word to update
 * fields on opening; LibreOffice updates them with Tools > Update.
 *
 * The package is built in memory with libzip: fixed member order, one
 * fixed date (1980-01-01, the DOS epoch) and deflate, so the bytes are a
 * function of the model and of zlib's deflate. Nothing of the machine
 * (time, zone, locale, user) goes in. document.xml, the body, is
 * deflated as it is rendered, a megabyte at a time, as libzip deflates
 * the other parts, and libzip stores those bytes as they are: the body
 * is never whole, uncompressed, in memory or on disk. Fails only when out
 * of memory.
 */
#include "skillc.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#define ZLIB_CONST /* next_in points at const bytes */
#include <zlib.h>

#include "document_words.h"

/* A4 in twips (1/20 pt), its margins, and the width of the text. */
enum {
	PAGE_W = 11906,
	PAGE_H = 16838,
	MARGIN_TOP = 1418,
	MARGIN_BOTTOM = 1134,
	MARGIN_LEFT = 1418,
	MARGIN_RIGHT = 1134,
	TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT,
};

/* The outline levels the table of contents lists: chapters and their
 * first clauses. */
#define TOC_LEVELS 2

/* A walk of the document: the first lists the table of contents' entries
 * from the headings alone, the second writes the body after them. */
struct docx {
	struct strbuf *body; /* NULL: headings counted and listed only */
	struct strbuf *toc;  /* the contents' entries; NULL: not listed */
	size_t mark;	     /* the next heading's bookmark */
};

#define W_NS                                                                   \
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"   \
	"main\" "                                                              \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"     \
	"relationships\""
#define XML_DECL                                                               \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* ---- XML text --------------------------------------------------------- */

/* A text as XML character data: markup characters escaped. U+FFFE and
 * U+FFFF, which the loader lets through but XML cannot hold in any form,
 * become U+FFFD. */
static void
x_escape(struct strbuf *o, const char *s, size_t len)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		const char *e = s[i] == '&'   ? "&amp;"
				: s[i] == '<' ? "&lt;"
				: s[i] == '>' ? "&gt;"
				: s[i] == '"' ? "&quot;"
					      : NULL;
		size_t k = 1;
		if (!e && i + 2 < len && !memcmp(s + i, "\xef\xbf", 2) &&
		    (s[i + 2] == '\xbe' || s[i + 2] == '\xbf'))
			e = "\xef\xbf\xbd", k = 3;
		if (!e)
			continue;
		strbuf_add(o, s + from, i - from);
		strbuf_adds(o, e);
		from = i + k;
		i += k - 1;
	}
	strbuf_add(o, s + from, len - from);
}

/* Whether text may stand in a run as it is: XML lets a reader drop the
 * white space at either end of a w:t and collapse runs of it, which
 * xml:space="preserve" forbids; Word keeps single spaces between words
 * either way. A line break also needs it (the break splits the w:t). */
static bool
x_inner_plain(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
		    (s[i] == ' ' && i + 1 < len && s[i + 1] == ' '))
			return false;
	return true;
}

static bool
x_plain(const char *s, size_t len)
{
	return len && s[0] != ' ' && s[len - 1] != ' ' && x_inner_plain(s, len);
}

/* A run of plain text is opened, given its pieces, and closed: pieces side
 * by side in one run, not a run each, as Word joins them on saving. */
static void
x_run_open(struct strbuf *o, bool plain)
{
	strbuf_adds(o,
		    plain ? "<w:r><w:t>" : "<w:r><w:t xml:space=\"preserve\">");
}

/* A piece of a run's text; a line break inside it is a break in the run. */
static void
x_run_add(struct strbuf *o, const char *s, size_t len)
{
	for (const char *nl; (nl = memchr(s, '\n', len));) {
		x_escape(o, s, (size_t)(nl - s));
		strbuf_adds(o, "</w:t><w:br/><w:t xml:space=\"preserve\">");
		len -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	x_escape(o, s, len);
}

static void
x_run_close(struct strbuf *o)
{
	strbuf_adds(o, "</w:t></w:r>");
}

/* A run of one text; nothing for an empty one. */
static void
x_run(struct strbuf *o, const char *s, size_t len)
{
	if (!len)
		return;
	x_run_open(o, x_plain(s, len));
	x_run_add(o, s, len);
	x_run_close(o);
}

static void
x_text(struct strbuf *o, const struct text *t)
{
	x_run(o, t->s, t->len);
}

static void
x_word(struct strbuf *o, const char *w)
{
	x_run(o, w, strlen(w));
}

/* "a" sep "b" in one run, the separator only between two non-empty
 * texts. */
static void
x_pair(struct strbuf *o, const struct text *a, const char *sep,
       const struct text *b)
{
	if (!a->len || !b->len) {
		x_text(o, a->len ? a : b);
		return;
	}
	size_t n = strlen(sep);
	x_run_open(o, x_plain(a->s, a->len) && x_plain(b->s, b->len) &&
			      x_inner_plain(sep, n));
	x_run_add(o, a->s, a->len);
	x_run_add(o, sep, n);
	x_run_add(o, b->s, b->len);
	x_run_close(o);
}

/* ---- paragraphs ------------------------------------------------------- */

static void
x_para_open(struct strbuf *o, const char *style)
{
	strbuf_adds(o, "<w:p><w:pPr><w:pStyle w:val=\"");
	strbuf_adds(o, style);
	strbuf_adds(o, "\"/></w:pPr>");
}

static void
x_para_close(struct strbuf *o)
{
	strbuf_adds(o, "</w:p>");
}

/* A paragraph of one text in a style; nothing for an empty text. */
static void
x_para(struct strbuf *o, const char *style, const struct text *t)
{
	if (!t->len)
		return;
	x_para_open(o, style);
	x_text(o, t);
	x_para_close(o);
}

/* "a)" tab "text": the label hangs, the text's lines align after it. */
static void
x_item(struct strbuf *o, const struct text *label, const struct text *text)
{
	if (!label->len && !text->len)
		return;
	static const struct text paren = { ")", 1, { 0 } }, none = { 0 };
	x_para_open(o, label->len ? "Item" : "Body");
	x_pair(o, label, "", doc_bare_label(label) ? &paren : &none);
	if (label->len && text->len)
		strbuf_adds(o, "<w:r><w:tab/></w:r>");
	x_text(o, text);
	x_para_close(o);
}

/* A heading: the clause number and title, a bookmark the table of
 * contents links to, and (to TOC_LEVELS) its entry there. level 1 is a
 * chapter; nothing for a clause printed under no heading. */
static void
x_heading_as(struct docx *d, const char *style, size_t level,
	     const struct text *clause, const char *sep,
	     const struct text *title)
{
	if (!clause->len && !title->len)
		return;
	size_t mark = d->mark++;
	if (d->body) {
		x_para_open(d->body, style);
		strbuf_addf(
			d->body,
			"<w:bookmarkStart w:id=\"%zu\" w:name=\"_Toc%zu\"/>",
			mark, mark);
		x_pair(d->body, clause, sep, title);
		strbuf_addf(d->body, "<w:bookmarkEnd w:id=\"%zu\"/>", mark);
		x_para_close(d->body);
	}
	if (level > TOC_LEVELS || !d->toc)
		return;
	struct strbuf *t = d->toc;
	x_para_open(t, level == 1 ? "TOC1" : "TOC2");
	strbuf_addf(t, "<w:hyperlink w:anchor=\"_Toc%zu\">", mark);
	x_pair(t, clause, sep, title);
	strbuf_addf(t,
		    "<w:r><w:tab/></w:r>"
		    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		    "<w:r><w:instrText xml:space=\"preserve\"> PAGEREF _Toc%zu"
		    " \\h </w:instrText></w:r>"
		    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		    "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		    "</w:hyperlink>",
		    mark);
	x_para_close(t);
}

static void
x_heading(struct docx *d, size_t level, const struct text *clause,
	  const struct text *title)
{
	char style[16];
	snprintf(style, sizeof style, "Heading%zu", level < 5 ? level : 5);
	x_heading_as(d, style, level, clause, " ", title);
}

/* A heading of the front matter or an appendix: centred, outside the
 * clause numbering, listed in the table of contents. */
static void
x_front_heading(struct docx *d, const struct text *title)
{
	static const struct text none = { "", 0, { 0 } };
	x_heading_as(d, "FrontHeading", 1, &none, "", title);
}

static void
x_front_heading_word(struct docx *d, const char *w)
{
	struct text t = { w, strlen(w), { 0 } };
	x_front_heading(d, &t);
}

/* "number caption" above a table; nothing for an empty caption. */
static void
x_caption(struct strbuf *o, const struct text *number,
	  const struct text *caption)
{
	if (!number->len && !caption->len)
		return;
	x_para_open(o, "Caption");
	x_pair(o, number, " ", caption);
	x_para_close(o);
}

/* A paragraph that ends a section: what follows starts a new page. The
 * cover's section has the cover's foot as its footer; the others the
 * document's number at the head of the page and the page number at the
 * foot, in fmt from 1. */
static void
x_section(struct strbuf *o, const char *fmt)
{
	strbuf_adds(o, "<w:sectPr>");
	if (fmt)
		strbuf_adds(o, "<w:headerReference w:type=\"default\" "
			       "r:id=\"rIdHeader\"/>");
	strbuf_addf(o,
		    "<w:footerReference w:type=\"default\" "
		    "r:id=\"%s\"/>"
		    "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
		    "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" "
		    "w:left=\"%d\" w:header=\"851\" w:footer=\"%d\" "
		    "w:gutter=\"0\"/>",
		    fmt ? "rIdFooter" : "rIdCoverFoot", PAGE_W, PAGE_H,
		    MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT,
		    fmt ? 567 : MARGIN_BOTTOM);
	if (fmt)
		strbuf_addf(o, "<w:pgNumType w:fmt=\"%s\" w:start=\"1\"/>",
			    fmt);
	strbuf_adds(o, "<w:docGrid w:linePitch=\"312\"/></w:sectPr>");
}

static void
x_section_break(struct strbuf *o, const char *fmt)
{
	strbuf_adds(o, "<w:p><w:pPr>");
	x_section(o, fmt);
	strbuf_adds(o, "</w:pPr></w:p>");
}

/* ---- tables ----------------------------------------------------------- */

enum merge { MERGE_NONE, MERGE_START, MERGE_GO_ON };

/* A table over the text width, n columns: the first n_fixed in these
 * shares of it (per mille), the others an equal part of what is left. */
static void
x_table_open(struct strbuf *o, size_t n, const unsigned *fixed, size_t n_fixed)
{
	unsigned rest = 1000;
	for (size_t i = 0; i < n_fixed; i++)
		rest -= fixed[i];
	strbuf_adds(o, "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/>"
		       "<w:tblW w:w=\"5000\" w:type=\"pct\"/>"
		       "<w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/>"
		       "</w:tblPr><w:tblGrid>");
	for (size_t i = 0; i < n; i++) {
		unsigned long share =
			i < n_fixed ? fixed[i] : rest / (n - n_fixed);
		strbuf_addf(o, "<w:gridCol w:w=\"%lu\"/>",
			    TEXT_W * share / 1000);
	}
	strbuf_adds(o, "</w:tblGrid>");
}

static void
x_table_close(struct strbuf *o)
{
	/* a paragraph between two tables keeps Word from joining them */
	strbuf_adds(o, "</w:tbl><w:p><w:pPr><w:pStyle w:val=\"TableAfter\"/>"
		       "</w:pPr></w:p>");
}

/* A row; head rows are repeated at the top of every page. */
static void
x_row_open(struct strbuf *o, bool head)
{
	strbuf_adds(o,
		    head ? "<w:tr><w:trPr><w:tblHeader/></w:trPr>" : "<w:tr>");
}

static void
x_row_close(struct strbuf *o)
{
	strbuf_adds(o, "</w:tr>");
}

/* A cell over span columns, merged with the cells above it or not. */
static void
x_cell_open(struct strbuf *o, size_t span, enum merge m)
{
	strbuf_adds(o, "<w:tc><w:tcPr>");
	if (span > 1)
		strbuf_addf(o, "<w:gridSpan w:val=\"%zu\"/>", span);
	if (m == MERGE_START)
		strbuf_adds(o, "<w:vMerge w:val=\"restart\"/>");
	else if (m == MERGE_GO_ON)
		strbuf_adds(o, "<w:vMerge/>");
	strbuf_adds(o, "<w:vAlign w:val=\"center\"/></w:tcPr>");
}

static void
x_cell_close(struct strbuf *o)
{
	strbuf_adds(o, "</w:tc>");
}

/* A cell of one paragraph "a sep b" (empty if both are). */
static void
x_cell(struct strbuf *o, const char *style, size_t span, enum merge m,
       const struct text *a, const char *sep, const struct text *b)
{
	x_cell_open(o, span, m);
	x_para_open(o, style);
	if (m != MERGE_GO_ON)
		x_pair(o, a, sep, b);
	x_para_close(o);
	x_cell_close(o);
}

static void
x_cell_text(struct strbuf *o, const char *style, size_t span, enum merge m,
	    const struct text *t)
{
	static const struct text none = { "", 0, { 0 } };
	x_cell(o, style, span, m, t, "", &none);
}

/* A cell of items "id text", a paragraph each; one empty paragraph for
 * none (a cell holds at least one). */
static void
x_items_cell(struct strbuf *o, const struct item *items, size_t n)
{
	x_cell_open(o, 1, MERGE_NONE);
	for (size_t i = 0; i < n || i == 0; i++) {
		x_para_open(o, "TableText");
		if (i < n)
			x_pair(o, &items[i].id, " ", &items[i].text);
		x_para_close(o);
	}
	x_cell_close(o);
}

/* The cells of a work content after the first cell: its name, its
 * skills, its knowledge; empty cells up to columns. */
static void
x_content_cells(struct strbuf *o, const struct content *ct, size_t columns)
{
	static const struct text none = { "", 0, { 0 } };
	x_cell(o, "TableText", 1, MERGE_NONE, ct ? &ct->id : &none, " ",
	       ct ? &ct->name : &none);
	x_items_cell(o, ct ? ct->skills : NULL, ct ? ct->n_skills : 0);
	x_items_cell(o, ct ? ct->knowledge : NULL, ct ? ct->n_knowledge : 0);
	for (size_t i = 4; i < columns; i++)
		x_cell_text(o, "TableText", 1, MERGE_NONE, &none);
}

/* A work table: the printed head, then per capability its contents a
 * row each, the capability's cell merged down them. */
static void
x_work_table(void *ctx, const struct work_table *t)
{
	static const struct text none = { "", 0, { 0 } };
	static const unsigned fixed[] = { 140, 160 }; /* per mille */
	struct docx *d = ctx;
	struct strbuf *o = d->body;
	size_t columns = t->n_header > 4 ? t->n_header : 4;
	x_caption(o, &t->number, &t->caption);
	x_table_open(o, columns, fixed, 2);
	x_row_open(o, true);
	for (size_t i = 0; i < columns; i++)
		x_cell_text(o, "TableHead", 1, MERGE_NONE,
			    i < t->n_header ? &t->header[i] : &none);
	x_row_close(o);
	for (size_t c = 0; c < t->n_capabilities; c++) {
		const struct capability *cap = &t->capabilities[c];
		for (size_t k = 0; k < cap->n_contents || k == 0; k++) {
			x_row_open(o, false);
			x_cell(o, "TableText", 1,
			       cap->n_contents < 2 ? MERGE_NONE
			       : k == 0		   ? MERGE_START
						   : MERGE_GO_ON,
			       &cap->id, ". ", &cap->name);
			x_content_cells(o,
					k < cap->n_contents ? &cap->contents[k]
							    : NULL,
					columns);
			x_row_close(o);
		}
	}
	x_table_close(o);
}

/* A weight or a total, centred: the number, "—" as printed, or empty. */
static void
x_weight_cells(struct strbuf *o, const struct num *w, size_t n, size_t columns)
{
	for (size_t c = 0; c < columns; c++) {
		char buf[24] = "";
		if (c < n && w[c].dash)
			snprintf(buf, sizeof buf, "\u2014");
		else if (c < n)
			snprintf(buf, sizeof buf, "%lld", (long long)w[c].v);
		struct text t = { buf, strlen(buf), { 0 } };
		x_cell_text(o, "TableNumber", 1, MERGE_NONE, &t);
	}
}

/* The head: header[0] over the two label columns and down every head
 * row; each further head over every weight column, a row each; then the
 * columns' labels. */
static void
x_weight_head(struct strbuf *o, const struct weight_table *t)
{
	static const struct text none = { "", 0, { 0 } };
	const struct text *corner = t->n_header ? &t->header[0] : &none;
	size_t rows = t->n_header > 1 ? t->n_header : 1;
	for (size_t r = 0; r < rows; r++) {
		x_row_open(o, true);
		x_cell_text(o, "TableHead", 2,
			    rows < 2 ? MERGE_NONE
			    : r == 0 ? MERGE_START
				     : MERGE_GO_ON,
			    corner);
		if (r + 1 < rows) {
			x_cell_text(o, "TableHead", t->n_columns, MERGE_NONE,
				    &t->header[r + 1]);
			x_row_close(o);
			continue;
		}
		for (size_t c = 0; c < t->n_columns; c++)
			x_cell_text(o, "TableHead", 1, MERGE_NONE,
				    &t->columns[c].label);
		x_row_close(o);
	}
}

static void
x_weight_table(void *ctx, const struct weight_table *t)
{
	static const unsigned fixed[] = { 110, 170 }; /* per mille */
	struct docx *d = ctx;
	struct strbuf *o = d->body;
	x_caption(o, &t->number, &t->caption);
	size_t columns = 2 + t->n_columns;
	x_table_open(o, columns, fixed, 2);
	x_weight_head(o, t);
	for (size_t g = 0; g < t->n_groups; g++) {
		const struct group *gr = &t->groups[g];
		for (size_t r = 0; r < gr->n_rows; r++) {
			x_row_open(o, false);
			x_cell_text(o, "TableHead", 1,
				    gr->n_rows < 2 ? MERGE_NONE
				    : r == 0	   ? MERGE_START
						   : MERGE_GO_ON,
				    &gr->label);
			x_cell_text(o, "TableText", 1, MERGE_NONE,
				    &gr->rows[r].label);
			x_weight_cells(o, gr->rows[r].weights,
				       gr->rows[r].n_weights, t->n_columns);
			x_row_close(o);
		}
	}
	x_row_open(o, false);
	x_cell_text(o, "TableHead", 2, MERGE_NONE, &t->total.label);
	x_weight_cells(o, t->total.weights, t->total.n_weights, t->n_columns);
	x_row_close(o);
	x_table_close(o);
}

/* ---- the document ----------------------------------------------------- */

/* A line of the cover in a style: before, the value, after; nothing
 * without the value. */
static void
x_cover_line(struct strbuf *o, const char *style, const char *before,
	     const struct text *t, const char *after)
{
	if (!t->len)
		return;
	x_para_open(o, style);
	x_word(o, before);
	x_text(o, t);
	x_word(o, after);
	x_para_close(o);
}

/* The cover as printed: ICS and CCS at the top, the kind of document and
 * its number over a rule, then the titles, edition and status. */
static void
x_cover(struct strbuf *o, const struct meta *m)
{
	x_cover_line(o, "CoverCode", doc_words[WORD_COVER_ICS_BEFORE], &m->ics,
		     "");
	x_cover_line(o, "CoverCode", doc_words[WORD_COVER_CCS_BEFORE], &m->ccs,
		     "");
	x_cover_line(o, "CoverKind", "", &m->kind, "");
	x_cover_line(o, "CoverNumber", "", &m->number, "");
	x_para_open(o, "CoverRule");
	x_para_close(o);
	x_cover_line(o, "CoverTitle", "", &m->title.zh, "");
	x_cover_line(o, "CoverEdition", doc_words[WORD_EDITION_OPEN],
		     &m->edition, doc_words[WORD_EDITION_CLOSE]);
	x_cover_line(o, "CoverTitleEn", "", &m->title.en, "");
	x_cover_line(o, "CoverStatus", doc_words[WORD_STATUS_OPEN],
		     &m->status_text, doc_words[WORD_STATUS_CLOSE]);
}

/* The foot of the cover, its section's footer so that it stands at the
 * bottom of the page wherever the titles end: the dates, published at
 * the left and effective at the right, over a rule, then the issuer. */
static void
x_cover_foot(struct strbuf *o, const struct meta *m)
{
	strbuf_adds(o, XML_DECL "<w:ftr " W_NS ">");
	if (m->published.len || m->effective.len) {
		x_para_open(o, "CoverDates");
		x_text(o, &m->published);
		if (m->published.len)
			x_word(o, doc_words[WORD_COVER_PUBLISHED_AFTER]);
		strbuf_adds(o, "<w:r><w:tab/></w:r>");
		x_text(o, &m->effective);
		if (m->effective.len)
			x_word(o, doc_words[WORD_COVER_EFFECTIVE_AFTER]);
		x_para_close(o);
	}
	x_para_open(o, "CoverIssuer");
	if (m->issuer.len && m->issuer_word.s) { /* as printed: 制定 */
		x_pair(o, &m->issuer, " ", &m->issuer_word);
	} else if (m->issuer.len) {
		x_text(o, &m->issuer);
		x_word(o, doc_words[WORD_COVER_ISSUER_AFTER]);
	}
	x_para_close(o);
	strbuf_adds(o, "</w:ftr>");
}

/* ---- the writer doc_walk calls ---------------------------------------- */

static void
x_op_heading(void *ctx, size_t depth, const struct text *clause,
	     const struct text *title)
{
	x_heading(ctx, depth, clause, title);
}

static void
x_op_front_heading(void *ctx, const struct text *title)
{
	x_front_heading(ctx, title);
}

static void
x_op_para(void *ctx, enum doc_para kind, const struct text *t)
{
	struct docx *d = ctx;
	x_para(d->body,
	       kind == DOC_PLAIN   ? "Plain"
	       : kind == DOC_RIGHT ? "Signature"
				   : "Body",
	       t);
}

static void
x_op_item(void *ctx, const struct text *label, const struct text *text)
{
	struct docx *d = ctx;
	x_item(d->body, label, text);
}

/* A term's number on a line of its own, then its Chinese and English
 * names, as GB/T 1.1 prints an entry. */
static void
x_op_term(void *ctx, const struct term *t)
{
	struct docx *d = ctx;
	x_para_open(d->body, "TermId");
	x_text(d->body, &t->id);
	x_para_close(d->body);
	x_para_open(d->body, "Term");
	x_pair(d->body, &t->zh, " ", &t->en);
	x_para_close(d->body);
}

/* The front matter ends its section, numbered I, II…, so that the
 * chapters are numbered from 1. */
static void
x_op_front_end(void *ctx)
{
	struct docx *d = ctx;
	x_section_break(d->body, "upperRoman");
}

static const struct doc_ops x_ops = {
	x_op_heading, x_op_front_heading, x_op_para,	  x_op_item,
	x_op_term,    x_work_table,	  x_weight_table, x_op_front_end,
};

/* The first walk: the headings, nothing else. */
static void
x_no_para(void *ctx, enum doc_para kind, const struct text *t)
{
	(void)ctx, (void)kind, (void)t;
}

static void
x_no_item(void *ctx, const struct text *label, const struct text *text)
{
	(void)ctx, (void)label, (void)text;
}

static void
x_no_term(void *ctx, const struct term *t)
{
	(void)ctx, (void)t;
}

static void
x_no_work_table(void *ctx, const struct work_table *t)
{
	(void)ctx, (void)t;
}

static void
x_no_weight_table(void *ctx, const struct weight_table *t)
{
	(void)ctx, (void)t;
}

static void
x_no_front_end(void *ctx)
{
	(void)ctx;
}

static const struct doc_ops x_toc_ops = {
	x_op_heading, x_op_front_heading, x_no_para,	     x_no_item,
	x_no_term,    x_no_work_table,	  x_no_weight_table, x_no_front_end,
};

/* The appendix: per level, every work content along its chain, lowest
 * level first, tagged with the level (and branch) that introduced it. */
static void
x_cumulative(struct docx *d, const struct standard *s)
{
	static const unsigned share[] = { 150, 150 };
	struct strbuf *o = d->body;
	if (!s->n_levels)
		return;
	x_front_heading_word(d, doc_words[WORD_CUMULATIVE_TITLE]);
	x_para_open(o, "Body");
	x_word(o, doc_words[WORD_CUMULATIVE_INTRO]);
	x_para_close(o);
	for (size_t i = 0; i < s->n_levels; i++) {
		const struct level *level = &s->levels[i];
		struct text word = { doc_words[WORD_CUMULATIVE_LEVEL],
				     strlen(doc_words[WORD_CUMULATIVE_LEVEL]),
				     { 0 } };
		x_para(o, "Caption", &level->name);
		x_table_open(o, 4, share, 2);
		x_row_open(o, true);
		x_cell_text(o, "TableHead", 1, MERGE_NONE, &word);
		for (size_t h = 1; h < 4; h++)
			x_cell_text(o, "TableHead", 1, MERGE_NONE,
				    doc_chain_head(level, h));
		x_row_close(o);
		for (size_t c = 0; c < level->n_chain; c++) {
			const struct level *l = level->chain[c];
			for (size_t t = 0; t < l->n_tables; t++) {
				const struct work_table *wt = l->tables[t];
				for (size_t k = 0; k < wt->n_contents; k++) {
					x_row_open(o, false);
					x_cell_open(o, 1, MERGE_NONE);
					x_para_open(o, "TableText");
					x_text(o, &wt->level->name);
					if (wt->branch) {
						x_word(o,
						       doc_words
							       [WORD_CUMULATIVE_BRANCH_OPEN]);
						x_text(o, &wt->branch->name);
						x_word(o,
						       doc_words
							       [WORD_CUMULATIVE_BRANCH_CLOSE]);
					}
					x_para_close(o);
					x_cell_close(o);
					x_content_cells(o, wt->contents[k], 4);
					x_row_close(o);
				}
			}
		}
		x_table_close(o);
	}
}

/* ---- the package's parts ---------------------------------------------- */

/* The table of contents: its heading, then the field whose result is
 * the entries gathered from the headings. */
static void
x_toc(struct strbuf *o, const struct strbuf *entries)
{
	static const char begin[] =
		"<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/>"
		"</w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\o "
		"\"1-2\" \\h \\u </w:instrText></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
	static const char end[] =
		"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
	x_para_open(o, "TOCHeading");
	x_word(o, doc_words[WORD_TOC_TITLE]);
	x_para_close(o);
	const char *first =
		strstr(entries->len ? entries->buf : "", "</w:pPr>");
	if (!first) { /* no heading: an empty field */
		strbuf_addf(o, "<w:p>%s%s</w:p>", begin, end);
		return;
	}
	/* the field opens in the first entry and closes in the last */
	size_t head = (size_t)(first - entries->buf) + strlen("</w:pPr>");
	size_t tail = entries->len - strlen("</w:p>");
	strbuf_add(o, entries->buf, head);
	strbuf_adds(o, begin);
	strbuf_add(o, entries->buf + head, tail - head);
	strbuf_adds(o, end);
	strbuf_adds(o, "</w:p>");
}

static void
x_document(const struct unit *u, struct strbuf *o)
{
	const struct standard *s = u->std;
	bool cumulative = u->parts & PART_CUMULATIVE && s->n_levels;
	/* The contents come first and list the headings that follow: a
	 * first walk lists them, the headings alone, so that the body can
	 * be written as it is rendered. */
	struct strbuf toc = { 0 };
	struct docx d = { NULL, &toc, 0 };
	doc_walk(u, &x_toc_ops, &d);
	if (cumulative)
		x_front_heading_word(&d, doc_words[WORD_CUMULATIVE_TITLE]);

	strbuf_adds(o, XML_DECL "<w:document " W_NS "><w:body>");
	x_cover(o, &s->meta);
	x_section_break(o, NULL);
	x_toc(o, &toc);
	strbuf_free(&toc);
	d = (struct docx){ o, NULL, 0 };
	doc_walk(u, &x_ops, &d);
	if (cumulative)
		x_cumulative(&d, s);
	x_section(o, "decimal");
	strbuf_adds(o, "</w:body></w:document>");
}

/* The styles Word and LibreOffice have built in, by the names they know
 * them by: Word's table of contents uses its headings and entry styles,
 * and LibreOffice maps them to its own (heading 1 to Heading 1, toc 1 to
 * Contents 1), so the document's definitions are the ones they apply. */
static const char *const builtin_names[][2] = {
	{ "Heading1", "heading 1" }, { "Heading2", "heading 2" },
	{ "Heading3", "heading 3" }, { "Heading4", "heading 4" },
	{ "Heading5", "heading 5" }, { "TOC1", "toc 1" },
	{ "TOC2", "toc 2" },	     { "TOCHeading", "TOC Heading" },
	{ "Caption", "caption" },    { "Header", "header" },
	{ "Footer", "footer" },
};

/* A paragraph style: its id, the style it is based on, its paragraph and
 * run properties; its name is the built-in one, or the id. */
static void
x_style(struct strbuf *o, const char *id, const char *based, const char *ppr,
	const char *rpr)
{
	const char *name = id;
	for (size_t i = 0; i < sizeof builtin_names / sizeof *builtin_names;
	     i++)
		if (!strcmp(builtin_names[i][0], id))
			name = builtin_names[i][1];
	strbuf_addf(o,
		    "<w:style w:type=\"paragraph\" w:styleId=\"%s\">"
		    "<w:name w:val=\"%s\"/>",
		    id, name);
	if (based)
		strbuf_addf(o, "<w:basedOn w:val=\"%s\"/>", based);
	strbuf_addf(o,
		    "<w:qFormat/><w:pPr>%s</w:pPr><w:rPr>%s</w:rPr>"
		    "</w:style>",
		    ppr, rpr);
}

/* The fonts of a style: Latin letters in the Latin font, East Asian
 * text in font. */
static void
x_fonts(char *buf, size_t size, const char *font, const char *more)
{
	snprintf(buf, size,
		 "<w:rFonts w:ascii=\"%s\" w:hAnsi=\"%s\" w:eastAsia=\"%s\" "
		 "w:cs=\"%s\"/>%s",
		 doc_words[WORD_FONT_LATIN], doc_words[WORD_FONT_LATIN], font,
		 doc_words[WORD_FONT_LATIN], more);
}

static void
x_styles(struct strbuf *o)
{
	char body[512], head[512], head_big[512], title[512], en[512],
		table[512], table_head[512];
	const char *serif = doc_words[WORD_FONT_BODY];
	const char *sans = doc_words[WORD_FONT_HEADING];
	x_fonts(body, sizeof body, serif, "");
	x_fonts(head, sizeof head, sans, "");
	x_fonts(head_big, sizeof head_big, sans,
		"<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>");
	x_fonts(title, sizeof title, sans,
		"<w:sz w:val=\"52\"/><w:szCs w:val=\"52\"/>");
	x_fonts(en, sizeof en, serif,
		"<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>");
	x_fonts(table, sizeof table, serif,
		"<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>");
	x_fonts(table_head, sizeof table_head, sans,
		"<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>");

	strbuf_addf(o,
		    XML_DECL "<w:styles " W_NS ">"
			     "<w:docDefaults><w:rPrDefault><w:rPr>%s"
			     "<w:kern w:val=\"2\"/>"
			     "<w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>"
			     "<w:lang w:val=\"%s\" w:eastAsia=\"%s\"/>"
			     "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
			     "<w:widowControl/>"
			     "<w:spacing w:after=\"0\" w:line=\"312\" "
			     "w:lineRule=\"auto\"/><w:jc w:val=\"both\"/>"
			     "</w:pPr></w:pPrDefault></w:docDefaults>"
			     "<w:style w:type=\"paragraph\" w:default=\"1\" "
			     "w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
			     "<w:qFormat/></w:style>",
		    body, doc_words[WORD_LANGUAGE_LATIN],
		    doc_words[WORD_LANGUAGE]);
	x_style(o, "Plain", "Normal", "", "");
	x_style(o, "Body", "Normal",
		"<w:ind w:firstLineChars=\"200\" w:firstLine=\"420\"/>", "");
	x_style(o, "Item", "Normal",
		"<w:ind w:left=\"840\" w:hanging=\"420\"/>", "");
	x_style(o, "Signature", "Normal", "<w:jc w:val=\"right\"/>", "");
	static const char *const before[] = { "480", "240", "120", "120",
					      "120" };
	for (size_t i = 0; i < 5; i++) {
		char id[16], ppr[256];
		snprintf(id, sizeof id, "Heading%zu", i + 1);
		snprintf(ppr, sizeof ppr,
			 "<w:keepNext/><w:keepLines/>"
			 "<w:spacing w:before=\"%s\" w:after=\"120\"/>"
			 "<w:outlineLvl w:val=\"%zu\"/>",
			 before[i], i);
		x_style(o, id, "Normal", ppr, head);
	}
	x_style(o, "FrontHeading", "Normal",
		"<w:keepNext/><w:pageBreakBefore/><w:spacing w:before=\"240\" w:after=\"480\"/>"
		"<w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>",
		head_big);
	x_style(o, "TOCHeading", "Normal",
		"<w:spacing w:before=\"240\" w:after=\"480\"/>"
		"<w:jc w:val=\"center\"/>",
		head_big);
	char toc[256];
	snprintf(toc, sizeof toc,
		 "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" "
		 "w:pos=\"%d\"/></w:tabs>",
		 TEXT_W);
	x_style(o, "TOC1", "Normal", toc, "");
	char toc2[320];
	snprintf(toc2, sizeof toc2, "%s<w:ind w:left=\"420\"/>", toc);
	x_style(o, "TOC2", "Normal", toc2, "");
	x_style(o, "Caption", "Normal",
		"<w:keepNext/><w:spacing w:before=\"120\" w:after=\"120\"/>"
		"<w:jc w:val=\"center\"/>",
		head);
	x_style(o, "TermId", "Normal",
		"<w:keepNext/><w:spacing w:before=\"120\"/>", head);
	x_style(o, "Term", "Normal", "<w:keepNext/>", head);
	x_style(o, "TableText", "Normal",
		"<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
		"<w:jc w:val=\"left\"/>",
		table);
	x_style(o, "TableHead", "TableText", "<w:jc w:val=\"center\"/>",
		table_head);
	x_style(o, "TableNumber", "TableText", "<w:jc w:val=\"center\"/>", "");
	x_style(o, "TableAfter", "Normal",
		"<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>", "");
	x_style(o, "Footer", "Normal", "<w:jc w:val=\"center\"/>", table);
	x_style(o, "Header", "Normal", "<w:jc w:val=\"right\"/>", table);
	/* the cover */
	x_style(o, "CoverCode", "Normal", "<w:jc w:val=\"left\"/>", head);
	x_style(o, "CoverKind", "Normal",
		"<w:spacing w:before=\"720\" w:after=\"240\"/>"
		"<w:jc w:val=\"center\"/>",
		title);
	x_style(o, "CoverNumber", "Normal", "<w:jc w:val=\"right\"/>", en);
	x_style(o, "CoverRule", "Normal",
		"<w:pBdr><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"1\" "
		"w:color=\"auto\"/></w:pBdr>",
		"");
	x_style(o, "CoverTitle", "Normal",
		"<w:spacing w:before=\"2400\" w:after=\"360\"/>"
		"<w:jc w:val=\"center\"/>",
		title);
	x_style(o, "CoverEdition", "Normal",
		"<w:spacing w:after=\"360\"/><w:jc w:val=\"center\"/>", en);
	x_style(o, "CoverTitleEn", "Normal",
		"<w:spacing w:after=\"360\"/><w:jc w:val=\"center\"/>", en);
	x_style(o, "CoverStatus", "Normal",
		"<w:spacing w:after=\"360\"/><w:jc w:val=\"center\"/>", en);
	char dates[320];
	snprintf(dates, sizeof dates,
		 "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"8\" "
		 "w:space=\"1\" w:color=\"auto\"/></w:pBdr><w:tabs>"
		 "<w:tab w:val=\"right\" w:pos=\"%d\"/></w:tabs>",
		 TEXT_W);
	x_style(o, "CoverDates", "Normal", dates, en);
	x_style(o, "CoverIssuer", "Normal",
		"<w:spacing w:before=\"360\" w:after=\"240\"/>"
		"<w:jc w:val=\"center\"/>",
		head_big);
	strbuf_adds(o, "<w:style w:type=\"table\" w:styleId=\"Grid\">"
		       "<w:name w:val=\"Grid\"/><w:tblPr><w:tblBorders>"
		       "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
		       "w:color=\"auto\"/>"
		       "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
		       "w:color=\"auto\"/>"
		       "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
		       "w:color=\"auto\"/>"
		       "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
		       "w:color=\"auto\"/>"
		       "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
		       "w:color=\"auto\"/>"
		       "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
		       "w:color=\"auto\"/>"
		       "</w:tblBorders><w:tblCellMar>"
		       "<w:left w:w=\"85\" w:type=\"dxa\"/>"
		       "<w:right w:w=\"85\" w:type=\"dxa\"/>"
		       "</w:tblCellMar></w:tblPr></w:style></w:styles>");
}

/* The head of every page after the cover: the document's number, as
 * GB/T 1.1 prints it (an empty paragraph without one). */
static void
x_header(struct strbuf *o, const struct meta *m)
{
	strbuf_adds(o, XML_DECL "<w:hdr " W_NS ">");
	x_para_open(o, "Header");
	x_text(o, &m->number);
	x_para_close(o);
	strbuf_adds(o, "</w:hdr>");
}

static void
x_footer(struct strbuf *o)
{
	strbuf_adds(o,
		    XML_DECL "<w:ftr " W_NS "><w:p><w:pPr>"
			     "<w:pStyle w:val=\"Footer\"/></w:pPr>"
			     "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
			     "<w:r><w:instrText xml:space=\"preserve\"> PAGE "
			     "</w:instrText></w:r>"
			     "<w:r><w:fldChar w:fldCharType=\"separate\"/>"
			     "</w:r><w:r><w:t>1</w:t></w:r>"
			     "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
			     "</w:p></w:ftr>");
}

static void
x_settings(struct strbuf *o)
{
	strbuf_adds(o, XML_DECL
		    "<w:settings " W_NS ">"
		    "<w:defaultTabStop w:val=\"420\"/>"
		    "<w:characterSpacingControl "
		    "w:val=\"compressPunctuation\"/>"
		    "<w:updateFields w:val=\"true\"/>"
		    "<w:compat><w:doNotExpandShiftReturn/><w:compatSetting "
		    "w:name=\"compatibilityMode\" "
		    "w:uri=\"http://schemas.microsoft.com/office/"
		    "word\" w:val=\"15\"/></w:compat></w:settings>");
}

/* The document's title and language, for the file's properties. */
static void
x_core(struct strbuf *o, const struct meta *m)
{
	strbuf_adds(
		o, XML_DECL
		"<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats"
		".org/package/2006/metadata/core-properties\" "
		"xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
		"<dc:title>");
	x_escape(o, m->title.zh.s, m->title.zh.len);
	strbuf_addf(o,
		    "</dc:title><dc:language>%s</dc:language>"
		    "</cp:coreProperties>",
		    doc_words[WORD_LANGUAGE]);
}

static const char content_types[] = XML_DECL
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/"
	"vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
	"<Override PartName=\"/word/header1.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
	"<Override PartName=\"/word/footer1.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/word/footer2.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
	"vnd.openxmlformats-package.core-properties+xml\"/>"
	"</Types>";

#define REL(id, type, target)                                                  \
	"<Relationship Id=\"" id "\" Type=\"http://schemas.openxmlformats"     \
	".org/" type "\" Target=\"" target "\"/>"

static const char package_rels[] = XML_DECL
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	"2006/relationships\">" REL(
		"rId1", "officeDocument/2006/relationships/officeDocument",
		"word/document.xml")
		REL("rId2",
		    "package/2006/relationships/metadata/core-properties",
		    "docProps/core.xml") "</Relationships>";

static const char document_rels[] = XML_DECL
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	"2006/relationships\">" REL(
		"rIdStyles", "officeDocument/2006/relationships/styles",
		"styles.xml") REL("rIdSettings",
				  "officeDocument/2006/relationships/settings",
				  "settings.xml")
		REL("rIdHeader", "officeDocument/2006/relationships/header",
		    "header1.xml")
			REL("rIdFooter",
			    "officeDocument/2006/relationships/footer",
			    "footer1.xml")
				REL("rIdCoverFoot",
				    "officeDocument/2006/relationships/footer",
				    "footer2.xml") "</Relationships>";

/* ---- the package ------------------------------------------------------ */

/* The parts in the order they are stored. */
enum part {
	PART_TYPES,
	PART_RELS,
	PART_CORE,
	PART_DOCUMENT,
	PART_DOCUMENT_RELS,
	PART_STYLES,
	PART_SETTINGS,
	PART_HEADER,
	PART_FOOTER,
	PART_COVER_FOOT,
	PART_COUNT
};

static const char *const part_names[PART_COUNT] = {
	"[Content_Types].xml",
	"_rels/.rels",
	"docProps/core.xml",
	"word/document.xml",
	"word/_rels/document.xml.rels",
	"word/styles.xml",
	"word/settings.xml",
	"word/header1.xml",
	"word/footer1.xml",
	"word/footer2.xml",
};

/* libzip is loaded when a DOCX is first asked for, not when skillc
 * starts: loading it, and libcrypto with it, took a millisecond of every
 * run, a check's too, as long as libyaml's whole parse of a bundled
 * standard. SKILLC_LIBZIP is the soname of the libzip meson found
 * (compiler/meson.build), SKILLC_LIBZIP_DIR its directory, tried where
 * the loader does not find the soname alone; zip.h gives lz's members
 * their types. zlib's functions, for the body, are found through
 * libzip's handle: dlsym searches a library and those it needs, and
 * libzip needs zlib (zlib.h gives their types). */
#define LIBZIP_FUNCTIONS(X)                                                    \
	X(zip_close)                                                           \
	X(zip_discard)                                                         \
	X(zip_error_fini)                                                      \
	X(zip_error_init)                                                      \
	X(zip_error_set)                                                       \
	X(zip_error_to_data)                                                   \
	X(zip_file_add)                                                        \
	X(zip_file_set_dostime)                                                \
	X(zip_open_from_source)                                                \
	X(zip_set_file_compression)                                            \
	X(zip_source_buffer)                                                   \
	X(zip_source_buffer_create)                                            \
	X(zip_source_close)                                                    \
	X(zip_source_free)                                                     \
	X(zip_source_function)                                                 \
	X(zip_source_keep)                                                     \
	X(zip_source_open)                                                     \
	X(zip_source_read)                                                     \
	X(zip_source_stat)                                                     \
	X(zip_stat_init)                                                       \
	X(crc32)                                                               \
	X(deflate)                                                             \
	X(deflateEnd)                                                          \
	X(deflateInit2_)

static struct {
#define X(f) __typeof__(f) *f;
	LIBZIP_FUNCTIONS(X)
#undef X
} lz;

/* Whether sym was found; p is a member of lz. */
static bool
lz_symbol(void *lib, const char *sym, void *p)
{
	void *f = dlsym(lib, sym);
	if (f)
		memcpy(p, &f, sizeof f); /* POSIX: as a function pointer */
	return f != NULL;
}

bool
emit_docx_ready(const char **why)
{
	static int state; /* 0 not tried, 1 loaded, -1 not loadable */
	static char reason[256];
	if (!state) {
		void *lib = dlopen(SKILLC_LIBZIP, RTLD_NOW | RTLD_LOCAL);
		const char *e = lib ? NULL : dlerror();
		if (e) /* the loader's reason: kept over a second try's */
			snprintf(reason, sizeof reason, "%s", e);
		static const char dir[] = SKILLC_LIBZIP_DIR;
		if (!lib && dir[0])
			lib = dlopen(SKILLC_LIBZIP_DIR "/" SKILLC_LIBZIP,
				     RTLD_NOW | RTLD_LOCAL);
		bool ok = lib != NULL;
#define X(f) ok = ok && lz_symbol(lib, #f, &lz.f);
		LIBZIP_FUNCTIONS(X)
#undef X
		if (lib && !ok) { /* a libzip without a function we call */
			e = dlerror();
			snprintf(reason, sizeof reason, "%s",
				 e ? e : SKILLC_LIBZIP);
			dlclose(lib);
		}
		state = ok ? 1 : -1;
	}
	if (why)
		*why = reason;
	return state > 0;
}

/* The level of every member's deflate: 3, the strongest of zlib's levels
 * without lazy matching. Deflate is the largest single cost of a build,
 * and level 6 (zlib's default, as Word and LibreOffice write) took 2.6
 * times as long for a document 7-11% smaller; 1 and 2 take about the
 * time of 3 for 10% more bytes, and libzip's own default, 9, twice the
 * time of 6 for 3-4% less. */
#define DOCX_LEVEL 3

/* libzip fails here only for want of memory, and zlib's deflate only
 * for that too. */
static void
x_zip_check(bool ok)
{
	if (!ok)
		die_oom();
}

/* document.xml, deflated while it is rendered: a raw deflate stream as
 * libzip's own deflate writes it (deflateInit2 at DOCX_LEVEL, window bits
 * -15, memory level 9, the default strategy), with the CRC-32 and length
 * of what went in. Deflate's output is a function of its input and these
 * settings, not of how the input is handed over: libzip, told the
 * member's method, sizes and CRC, stores the bytes as they are, the
 * bytes it would have written itself. */
struct body {
	z_stream z;
	struct strbuf out; /* the deflated bytes */
	uint64_t size;	   /* of document.xml */
	unsigned long crc;
	size_t at; /* libzip's reading */
	zip_error_t error;
};

/* len bytes into the stream, with flush (Z_NO_FLUSH, or Z_FINISH to end
 * it); whatever deflate gives back onto out. */
static void
body_deflate(struct body *b, const char *data, size_t len, int flush)
{
	int rc;
	do {
		uInt in = len < (1u << 30) ? (uInt)len : 1u << 30;
		b->z.next_in = (const Bytef *)data;
		b->z.avail_in = in;
		do {
			strbuf_grow(&b->out, 65536);
			size_t room = b->out.cap - b->out.len - 1; /* NUL */
			uInt give = room < (1u << 30) ? (uInt)room : 1u << 30;
			b->z.next_out = (Bytef *)b->out.buf + b->out.len;
			b->z.avail_out = give;
			rc = lz.deflate(&b->z, len > in ? Z_NO_FLUSH : flush);
			x_zip_check(rc != Z_STREAM_ERROR);
			b->out.len += give - b->z.avail_out;
			b->out.buf[b->out.len] = '\0';
		} while (b->z.avail_out == 0);
		data += in, len -= in;
	} while (len);
	x_zip_check(flush != Z_FINISH || rc == Z_STREAM_END);
}

/* The sink of document.xml's strbuf: a megabyte of it at a time. */
static void
body_sink(void *ctx, const char *data, size_t len)
{
	struct body *b = ctx;
	for (size_t off = 0; off < len;) { /* crc32 takes an unsigned int */
		uInt n = len - off < (1u << 30) ? (uInt)(len - off) : 1u << 30;
		b->crc = lz.crc32(b->crc, (const Bytef *)data + off, n);
		off += n;
	}
	b->size += len;
	body_deflate(b, data, len, Z_NO_FLUSH);
}

static void
x_body(struct body *b, const struct unit *u)
{
	*b = (struct body){ .crc = lz.crc32(0, NULL, 0) };
	lz.zip_error_init(&b->error);
	x_zip_check(lz.deflateInit2_(&b->z, DOCX_LEVEL, Z_DEFLATED, -MAX_WBITS,
				     MAX_MEM_LEVEL, Z_DEFAULT_STRATEGY,
				     ZLIB_VERSION, (int)sizeof b->z) == Z_OK);
	struct strbuf doc = { .sink = body_sink, .sink_ctx = b };
	x_document(u, &doc);
	strbuf_drain(&doc, true);
	strbuf_free(&doc);
	body_deflate(b, "", 0, Z_FINISH);
	lz.deflateEnd(&b->z);
}

/* The deflated body, for libzip: a source of compressed bytes that says
 * so, with their method, sizes and CRC. */
static zip_int64_t
body_read(void *ctx, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct body *b = ctx;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		b->at = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		size_t n = b->out.len - b->at < len ? b->out.len - b->at
						    : (size_t)len;
		if (n)
			memcpy(data, b->out.buf + b->at, n);
		b->at += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		lz.zip_stat_init(st);
		st->size = b->size;
		st->comp_size = b->out.len;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = (zip_uint32_t)b->crc;
		st->encryption_method = ZIP_EM_NONE;
		st->valid |= ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
			     ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
			     ZIP_STAT_ENCRYPTION_METHOD;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR:
		return lz.zip_error_to_data(&b->error, data, len);
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_READABLE;
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	default:
		lz.zip_error_set(&b->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* Zip the parts and the body into out, every member deflated at
 * DOCX_LEVEL and dated 1980-01-01 00:00 (DOS date 0x21, time 0): the same
 * bytes on every machine. */
static void
x_zip(const struct strbuf *parts, struct body *body, struct strbuf *out)
{
	zip_error_t err;
	lz.zip_error_init(&err);
	zip_source_t *src = lz.zip_source_buffer_create(NULL, 0, 0, &err);
	x_zip_check(src);
	lz.zip_source_keep(src);
	zip_t *z = lz.zip_open_from_source(src, ZIP_TRUNCATE, &err);
	x_zip_check(z);
	for (size_t i = 0; i < PART_COUNT; i++) {
		zip_source_t *s =
			i == PART_DOCUMENT
				? lz.zip_source_function(z, body_read, body)
				: lz.zip_source_buffer(z, parts[i].buf,
						       parts[i].len, 0);
		x_zip_check(s);
		zip_int64_t idx =
			lz.zip_file_add(z, part_names[i], s, ZIP_FL_ENC_UTF_8);
		if (idx < 0)
			lz.zip_source_free(s);
		x_zip_check(idx >= 0);
		x_zip_check(!lz.zip_set_file_compression(
			z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, DOCX_LEVEL));
		x_zip_check(!lz.zip_file_set_dostime(z, (zip_uint64_t)idx, 0,
						     0x21, 0));
	}
	x_zip_check(!lz.zip_close(z));
	zip_stat_t st;
	x_zip_check(!lz.zip_source_stat(src, &st) &&
		    (st.valid & ZIP_STAT_SIZE));
	x_zip_check(!lz.zip_source_open(src));
	strbuf_add(out, "", 0);
	for (zip_uint64_t left = st.size; left;) {
		char buf[16384];
		zip_int64_t n = lz.zip_source_read(
			src, buf, left < sizeof buf ? left : sizeof buf);
		x_zip_check(n > 0 && (zip_uint64_t)n <= left);
		strbuf_add(out, buf, (size_t)n);
		left -= (zip_uint64_t)n;
	}
	lz.zip_source_close(src);
	lz.zip_source_free(src);
	lz.zip_error_fini(&err);
}

void
emit_docx(const struct unit *u, struct strbuf *out)
{
	const char *why;
	if (!emit_docx_ready(&why)) { /* callers ask first, as build does */
		fprintf(stderr, "skillc: emit_docx: no libzip: %s\n", why);
		abort();
	}
	const struct standard *s = u->std;
	struct strbuf parts[PART_COUNT] = { { 0 } };
	strbuf_adds(&parts[PART_TYPES], content_types);
	strbuf_adds(&parts[PART_RELS], package_rels);
	x_core(&parts[PART_CORE], &s->meta);
	struct body body;
	x_body(&body, u);
	strbuf_adds(&parts[PART_DOCUMENT_RELS], document_rels);
	x_styles(&parts[PART_STYLES]);
	x_settings(&parts[PART_SETTINGS]);
	x_header(&parts[PART_HEADER], &s->meta);
	x_footer(&parts[PART_FOOTER]);
	x_cover_foot(&parts[PART_COVER_FOOT], &s->meta);
	x_zip(parts, &body, out);
	lz.zip_error_fini(&body.error);
	strbuf_free(&body.out);
	for (size_t i = 0; i < PART_COUNT; i++)
		strbuf_free(&parts[i]);
}
