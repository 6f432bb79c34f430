/*
 * test_strbuf.c - growable buffers: formatted appends that fit the room
 * there is and that do not, characters one at a time, integers, and JSON
 * strings (each escape, runs of plain text, invalid UTF-8); a streamed
 * buffer's sink.
 */
#include "skillc.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* A JSON string and what strbuf_add_json must write for it. */
static const struct json_case {
	const char *in;
	size_t len;
	const char *out;
} json_cases[] = {
	{ "", 0, "\"\"" },
	{ "plain", 5, "\"plain\"" },
	{ "a\"b\\c", 5, "\"a\\\"b\\\\c\"" },
	{ "line\nnext", 9, "\"line\\nnext\"" },
	{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"" },
	{ "\t\r", 2, "\"\\u0009\\u000d\"" },
	{ "职业\"技能\"", 14, "\"职业\\\"技能\\\"\"" },
	{ "a\xff"
	  "b",
	  3, "\"a\\ufffdb\"" },
	{ "\xe8\x81", 2, "\"\\ufffd\\ufffd\"" }, /* cut short at the end */
	{ "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"" }, /* overlong */
	{ "a\0b", 3, "\"a\\u0000b\"" },
	{ "\xf0\x9f\x98\x80!", 5, "\"\xf0\x9f\x98\x80!\"" },
	/* Three-byte forms at the edges of the lead bytes passed undecoded */
	{ "\xe0\xa0\x80", 3, "\"\xe0\xa0\x80\"" },	    /* U+0800 */
	{ "\xe0\x80\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" }, /* overlong */
	{ "\xed\x9f\xbf", 3, "\"\xed\x9f\xbf\"" },	    /* U+D7FF */
	{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" }, /* U+D800 */
	{ "\xef\xbf\xbf", 3, "\"\xef\xbf\xbf\"" },	    /* U+FFFF */
	{ "\xe1\x80\xc0", 3, "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "\xe1\x80"
	  "a",
	  3, "\"\\ufffd\\ufffda\"" },
};

START_TEST(test_json)
{
	const struct json_case *c = &json_cases[_i];
	struct strbuf sb = { 0 };
	strbuf_adds(&sb, "x");
	strbuf_add_json(&sb, c->in, c->len);
	ck_assert_str_eq(sb.buf + 1, c->out);
	ck_assert_uint_eq(sb.len, 1 + strlen(c->out));
	strbuf_free(&sb);
}
END_TEST

/* Appends short and long, to an empty buffer and to one nearly full: the
 * bytes are those snprintf makes, the length theirs. */
START_TEST(test_addf)
{
	struct strbuf sb = { 0 };
	char want[4096] = "";
	size_t len = 0;
	for (int i = 0; i < 200; i++) {
		int width = (i * 37) % 300;
		strbuf_addf(&sb, "%d:%*s|", i, width, "x");
		len += (size_t)snprintf(want + len, sizeof want - len,
					"%d:%*s|", i, width, "x");
		if (len > 3000) {
			ck_assert_uint_eq(sb.len, len);
			ck_assert_mem_eq(sb.buf, want, len);
			ck_assert_int_eq(sb.buf[sb.len], '\0');
			strbuf_reset(&sb);
			len = 0;
		}
	}
	ck_assert_uint_eq(sb.len, len);
	ck_assert_mem_eq(sb.buf, want, len);
	strbuf_free(&sb);
}
END_TEST

/* After k bytes, a text of n bytes formatted: for every k and n up to a
 * few times the first room, so that some fit exactly, some by one byte
 * less, some not at all. */
START_TEST(test_addf_fit)
{
	char text[201];
	memset(text, 'q', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	for (size_t k = 0; k < 200; k++) {
		for (int n = 0; n < 200; n++) {
			struct strbuf sb = { 0 };
			for (size_t i = 0; i < k; i++)
				strbuf_addc(&sb, 'p');
			strbuf_addf(&sb, "%.*s", n, text);
			ck_assert_uint_eq(sb.len, k + (size_t)n);
			ck_assert_int_eq(sb.buf[sb.len], '\0');
			ck_assert(k == 0 || sb.buf[k - 1] == 'p');
			ck_assert(n == 0 || sb.buf[sb.len - 1] == 'q');
			strbuf_free(&sb);
		}
	}
}
END_TEST

START_TEST(test_addc)
{
	struct strbuf sb = { 0 };
	for (int i = 0; i < 1000; i++)
		strbuf_addc(&sb, (char)('a' + i % 26));
	ck_assert_uint_eq(sb.len, 1000);
	ck_assert_int_eq(sb.buf[1000], '\0');
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(sb.buf[i], 'a' + i % 26);
	strbuf_free(&sb);
}
END_TEST

/* strbuf_add_int writes what "%lld" writes, at the edges too. */
START_TEST(test_add_int)
{
	static const long long values[] = {
		0,  1,	 -1,	     9,		10,	   -10,
		99, 100, 1234567890, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1
	};
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		char want[32];
		snprintf(want, sizeof want, "%lld", values[i]);
		strbuf_reset(&sb);
		strbuf_adds(&sb, "<");
		strbuf_add_int(&sb, values[i]);
		strbuf_adds(&sb, ">");
		char framed[40];
		snprintf(framed, sizeof framed, "<%s>", want);
		ck_assert_str_eq(sb.buf, framed);
		ck_assert_uint_eq(sb.len, strlen(framed));
	}
	strbuf_free(&sb);
}
END_TEST

/* What a sink was handed, and how often. */
struct sunk {
	struct strbuf all;
	size_t calls;
};

static void
sink(void *ctx, const char *data, size_t len)
{
	struct sunk *k = ctx;
	ck_assert_uint_gt(len, 0);
	strbuf_add(&k->all, data, len);
	k->calls++;
}

START_TEST(test_stream)
{
	/* 5 MiB in pieces of 1 to 3000 bytes, some of them line ends only:
	 * the sink and what is left hold the bytes in order, the buffer
	 * never grows past twice the stream size, and trailing line ends
	 * stay in the buffer until drained whole. */
	struct sunk k = { { 0 }, 0 };
	struct strbuf sb = { .sink = sink, .sink_ctx = &k }, want = { 0 };
	char piece[3000];
	unsigned r = 12345;
	while (want.len < 5 * STRBUF_STREAM) {
		r = r * 1103515245u + 12345u;
		size_t n = 1 + (r >> 8) % sizeof piece;
		bool breaks = (r >> 4) % 7 == 0;
		for (size_t i = 0; i < n; i++)
			piece[i] = breaks ? '\n' : (char)('a' + (i + r) % 26);
		strbuf_add(&sb, piece, n);
		strbuf_add(&want, piece, n);
		ck_assert_uint_le(sb.cap, 2 * STRBUF_STREAM);
		if (k.all.len && k.all.buf[k.all.len - 1] == '\n')
			ck_abort_msg("a drain handed on a trailing line end");
	}
	ck_assert_uint_ge(k.calls, 4); /* a drain every megabyte */
	strbuf_adds(&sb, "end\n\n");
	strbuf_adds(&want, "end\n\n");
	strbuf_drain(&sb, false);
	ck_assert_str_eq(sb.buf, "\n\n");
	strbuf_drain(&sb, true);
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_uint_eq(k.all.len, want.len);
	ck_assert(!memcmp(k.all.buf, want.buf, want.len));
	strbuf_free(&sb);
	strbuf_free(&want);
	strbuf_free(&k.all);
}
END_TEST

START_TEST(test_no_sink)
{
	/* Without a sink, the buffer keeps everything. */
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < 3 * STRBUF_STREAM / 64; i++)
		strbuf_adds(&sb, "0123456789abcdef0123456789abcdef"
				 "0123456789abcdef0123456789abcdef");
	ck_assert_uint_eq(sb.len, 3 * STRBUF_STREAM);
	strbuf_free(&sb);
}
END_TEST

static Suite *
strbuf_suite(void)
{
	Suite *s = suite_create("strbuf");
	TCase *tc = tcase_create("strbuf");
	tcase_add_loop_test(tc, test_json, 0,
			    sizeof json_cases / sizeof *json_cases);
	tcase_add_test(tc, test_addf);
	tcase_add_test(tc, test_addf_fit);
	tcase_add_test(tc, test_addc);
	tcase_add_test(tc, test_add_int);
	tcase_add_test(tc, test_stream);
	tcase_add_test(tc, test_no_sink);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(strbuf_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
