/*
 * strbuf.c - growable byte buffers, for messages and rendered output.
 *
 * The buffer is owned by the strbuf and freed by strbuf_free; it is always
 * NUL-terminated once anything has been added.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

static void
strbuf_reserve(struct strbuf *sb, size_t extra)
{
	if (sb->cap - sb->len > extra)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap - sb->len <= extra) {
		if (cap > SIZE_MAX / 2)
			die_oom();
		cap *= 2;
	}
	char *buf = realloc(sb->buf, cap);
	if (!buf)
		die_oom();
	sb->buf = buf;
	sb->cap = cap;
}

void
strbuf_add(struct strbuf *sb, const char *s, size_t len)
{
	strbuf_reserve(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, s, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void
strbuf_addc(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	strbuf_reserve(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void
strbuf_free(struct strbuf *sb)
{
	free(sb->buf);
	*sb = (struct strbuf){ 0 };
}

void
strbuf_add_json(struct strbuf *sb, const char *s, size_t len)
{
	strbuf_addc(sb, '"');
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n =
			utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (n == 0) {
			strbuf_adds(sb, "\\ufffd");
			i++;
			continue;
		}
		if (c == '"' || c == '\\')
			strbuf_addc(sb, '\\'), strbuf_addc(sb, (char)c);
		else if (c == '\n')
			strbuf_adds(sb, "\\n");
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(sb, "\\u%04x", c);
		else
			strbuf_add(sb, s + i, n);
		i += n;
	}
	strbuf_addc(sb, '"');
}
