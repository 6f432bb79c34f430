/*
 * rx.c - regular expressions: the only file that includes <pcre2.h>.
 *
 * Takes: patterns (UTF-8, with Unicode properties: \p{Han} works) and
 * texts. Gives: compiled patterns, JIT-compiled where the machine allows,
 * matched under a match limit and a depth limit, so that no pattern can
 * make a run hang; a limit hit is an error of its own, never "no match".
 * Compiled patterns are released by rx_free, or all at once by
 * rx_free_all when the run ends.
 */
#include "skillc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RX_MATCH_LIMIT 1000000u
#define RX_DEPTH_LIMIT 10000u

struct rx {
	pcre2_code *code;
	pcre2_match_data *md;
	struct rx *next; /* every pattern of the run, for rx_free_all */
};

static struct rx *all;
static pcre2_match_context *mctx;

struct rx *
rx_compile(const char *pattern, size_t len, char *err, size_t errlen,
	   size_t *erroffset)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, len,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C,
				       &code, &off, NULL);
	if (!re) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)err, errlen);
		*erroffset = off;
		return NULL;
	}
	/* JIT is an optimisation: where it is unavailable, interpret. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	if (!mctx) {
		mctx = pcre2_match_context_create(NULL);
		if (!mctx)
			die_oom();
		pcre2_set_match_limit(mctx, RX_MATCH_LIMIT);
		pcre2_set_depth_limit(mctx, RX_DEPTH_LIMIT);
	}
	struct rx *rx = calloc(1, sizeof *rx);
	if (!rx)
		die_oom();
	rx->code = re;
	rx->md = pcre2_match_data_create_from_pattern(re, NULL);
	if (!rx->md)
		die_oom();
	rx->next = all;
	all = rx;
	return rx;
}

int
rx_match(struct rx *rx, const char *text, size_t len, size_t start,
	 struct rx_match *m)
{
	int rc = pcre2_match(rx->code, (PCRE2_SPTR)text, len, start, 0, rx->md,
			     mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT)
		return RX_LIMIT;
	if (rc < 0)
		return rc;
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rx->md);
	m->start = ov[0];
	m->end = ov[1];
	m->group_start = m->group_end = m->start;
	if (rc > 1 && ov[2] != PCRE2_UNSET) {
		m->group_start = ov[2];
		m->group_end = ov[3];
	} else if (rc <= 1) {
		m->group_start = m->start;
		m->group_end = m->end;
	}
	return 1;
}

int
rx_replacement(struct rx *rx, const char *text, size_t len,
	       const char *replacement, size_t rlen, struct strbuf *out)
{
	/* The replacement of the match rx_match found last, alone. */
	PCRE2_SIZE size = 256;
	for (;;) {
		PCRE2_UCHAR *buf = malloc(size);
		if (!buf)
			die_oom();
		PCRE2_SIZE outlen = size;
		int rc = pcre2_substitute(
			rx->code, (PCRE2_SPTR)text, len, 0,
			PCRE2_SUBSTITUTE_MATCHED | PCRE2_SUBSTITUTE_REPLACEMENT_ONLY |
				PCRE2_SUBSTITUTE_EXTENDED |
				PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
			rx->md, mctx, (PCRE2_SPTR)replacement, rlen, buf, &outlen);
		if (rc == PCRE2_ERROR_NOMEMORY) {
			free(buf);
			size = outlen + 1;
			continue;
		}
		if (rc >= 0)
			strbuf_add(out, (const char *)buf, outlen);
		free(buf);
		return rc < 0 ? rc : 0;
	}
}

void
rx_error_message(int code, char *buf, size_t len)
{
	if (pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, len) < 0)
		snprintf(buf, len, "error %d", code);
}

void
rx_free_all(void)
{
	while (all) {
		struct rx *next = all->next;
		pcre2_match_data_free(all->md);
		pcre2_code_free(all->code);
		free(all);
		all = next;
	}
	pcre2_match_context_free(mctx);
	mctx = NULL;
}
