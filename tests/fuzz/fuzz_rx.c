/*
 * fuzz_rx.c - libFuzzer over the text rules' filter: a text it refuses
 * has no match.
 *
 * Each input is a pattern, a NUL byte and a text (valid UTF-8; an input
 * without the NUL is a pattern over the empty text). The pattern is
 * compiled as a rule's is, ${terms} standing for a few terms of either
 * case; where it compiles and rx_may_match refuses the text, rx_match must
 * find nothing in it, or the fuzzer aborts. Built with clang when meson is
 * set up with -Dfuzz=true.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct rx_terms *terms;

static void
release(void)
{
	rx_terms_free(terms);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (!terms) {
		static const char *const list[] = { "SaaS", "KPI", "ab", "中文",
						    "k" };
		terms = rx_terms_new(NULL);
		for (size_t i = 0; i < sizeof list / sizeof *list; i++)
			rx_terms_add(terms, list[i], strlen(list[i]));
		atexit(release);
	}
	const unsigned char *nul = memchr(data, 0, size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	const char *text = nul ? (const char *)nul + 1 : "";
	size_t tlen = nul ? size - plen - 1 : 0;
	for (size_t i = 0; i < tlen;) { /* texts are valid UTF-8 */
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)text + i,
				       tlen - i, &cp);
		if (!n)
			return 0;
		i += n;
	}
	char err[256];
	size_t off;
	struct rx *rx = rx_compile((const char *)data, plen, terms, err,
				   sizeof err, &off);
	if (!rx)
		return 0;
	struct rx_sig sig = { 0 };
	rx_sig(&sig, text, tlen);
	if (!rx_may_match(rx, &sig)) {
		rx_budget_grant(tlen);
		struct rx_match m;
		if (rx_match(rx, text, tlen, 0, &m) == 1)
			abort(); /* refused a text with a match */
	}
	rx_free(rx);
	rx_release();
	return 0;
}
