/*
 * rx.c - regular expressions: the only file that includes <pcre2.h>.
 *
 * Takes: patterns (UTF-8, with Unicode properties: \p{Han} works) and
 * texts. Gives: compiled patterns, JIT-compiled where the machine allows,
 * matched under a match limit and a depth limit, so that no pattern can
 * make a run hang; a limit hit is an error of its own, never "no match".
 * Whoever compiles a pattern frees it with rx_free; rx_release frees the
 * match context all patterns share, when the run ends.
 */
#include "skillc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#define RX_MATCH_LIMIT 1000000u
#define RX_DEPTH_LIMIT 10000u

struct rx {
	pcre2_code *code;
	pcre2_match_data *md;
};

static pcre2_match_context *mctx; /* the limits, shared by every match */

struct rx *
rx_compile(const char *pattern, size_t len, char *err, size_t errlen,
	   size_t *erroffset)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re =
		pcre2_compile((PCRE2_SPTR)pattern, len,
			      PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C,
			      &code, &off, NULL);
	if (!re) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)err, errlen);
		*erroffset = off;
		return NULL;
	}
	/* JIT is an optimisation: where it is unavailable, interpret. Under
	 * valgrind, interpret too: memcheck cannot follow JIT code and
	 * reports reads of uninitialised memory that do not happen. */
	if (!RUNNING_ON_VALGRIND)
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
			PCRE2_SUBSTITUTE_MATCHED |
				PCRE2_SUBSTITUTE_REPLACEMENT_ONLY |
				PCRE2_SUBSTITUTE_EXTENDED |
				PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
			rx->md, mctx, (PCRE2_SPTR)replacement, rlen, buf,
			&outlen);
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
rx_free(struct rx *rx)
{
	if (!rx)
		return;
	pcre2_match_data_free(rx->md);
	pcre2_code_free(rx->code);
	free(rx);
}

void
rx_release(void)
{
	pcre2_match_context_free(mctx);
	mctx = NULL;
}
