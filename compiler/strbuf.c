/*
 * strbuf.c - growable byte buffers, for messages and rendered output.
 *
 * The buffer is owned by the strbuf and freed by strbuf_free; it is always
 * NUL-terminated once anything has been added.
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

void
strbuf_drain(struct strbuf *sb, bool all)
{
	size_t n = sb->len;
	while (!all && n && sb->buf[n - 1] == '\n')
		n--;
	if (!n)
		return;
	sb->sink(sb->sink_ctx, sb->buf, n);
	memmove(sb->buf, sb->buf + n, sb->len - n);
	sb->len -= n;
	sb->buf[sb->len] = '\0';
}

void
strbuf_grow(struct strbuf *sb, size_t extra)
{
	if (sb->cap - sb->len > extra)
		return;
	if (sb->sink && sb->cap >= STRBUF_STREAM) {
		strbuf_drain(sb, false);
		if (sb->cap - sb->len > extra)
			return;
	}
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
strbuf_add_int(struct strbuf *sb, long long v)
{
	char digits[24], *p = digits + sizeof digits;
	/* In unsigned arithmetic, so that LLONG_MIN has its digits too. */
	unsigned long long u =
		v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	strbuf_add(sb, p, (size_t)(digits + sizeof digits - p));
}

void
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	/* Formatted straight into the room there is; again, with room
	 * enough, only when it did not fit (vsnprintf is most of the cost). */
	strbuf_grow(sb, 64);
	va_list copy;
	va_copy(copy, ap);
	size_t room = sb->cap - sb->len;
	int n = vsnprintf(sb->buf + sb->len, room, fmt, copy);
	va_end(copy);
	if (n < 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
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
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	strbuf_addc(sb, '"');
	/* Runs of what is written as it is go in one piece. */
	size_t from = 0, i = 0;
	while (i < len) {
		unsigned char c = u[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (utf8_plain3(u + i, len - i)) {
			i += 3;
			continue;
		}
		uint32_t cp;
		size_t n = c >= 0x80 ? utf8_decode(u + i, len - i, &cp) : 0;
		if (n) { /* valid UTF-8 goes as it is */
			i += n;
			continue;
		}
		strbuf_add(sb, s + from, i - from);
		if (c >= 0x80) {
			strbuf_adds(sb, "\\ufffd");
		} else if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			strbuf_add(sb, esc, 2);
		} else if (c == '\n') {
			strbuf_add(sb, "\\n", 2);
		} else { /* a control, or DEL */
			char esc[6] = { '\\', 'u',	   '0',
					'0',  hex[c >> 4], hex[c & 15] };
			strbuf_add(sb, esc, 6);
		}
		from = ++i;
	}
	strbuf_add(sb, s + from, len - from);
	strbuf_addc(sb, '"');
}
