/*
 * utf8.c - display width and edit distance (UTF-8 decoding itself is
 * inline, in skillc.h).
 *
 * Services for the loader (validation), diag (caret placement) and model
 * (did-you-mean suggestions); no pass logic.
 */
#include "skillc.h"

#include <string.h>

/* Whether cp is in one of the n sorted, disjoint ranges. */
static bool
in_ranges(const uint32_t (*r)[2], size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < r[mid][0])
			hi = mid;
		else if (cp > r[mid][1])
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

int
utf8_width(uint32_t cp)
{
	/* What a terminal gives them, as wcwidth does, without the locale:
	 * nothing for the combining marks of the common blocks and the
	 * zero-width and bidirectional format characters ... */
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036f },   { 0x0483, 0x0489 },  { 0x1ab0, 0x1aff },
		{ 0x1dc0, 0x1dff },   { 0x200b, 0x200f },  { 0x202a, 0x202e },
		{ 0x2060, 0x2064 },   { 0x2066, 0x206f },  { 0x20d0, 0x20ff },
		{ 0x302a, 0x302d },   { 0x3099, 0x309a },  { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f },   { 0xfeff, 0xfeff },  { 0xe0001, 0xe0001 },
		{ 0xe0020, 0xe007f }, { 0xe0100, 0xe01ef }
	};
	/* ... two columns for East Asian Wide (W) and Fullwidth (F), as
	 * Unicode 14's EastAsianWidth.txt gives them (with the unassigned
	 * code points of the CJK blocks and planes 2 and 3, which default to
	 * W, and those between two wide ranges), one for the rest. */
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f },   { 0x231a, 0x231b },
		{ 0x2329, 0x232a },   { 0x23e9, 0x23ec },
		{ 0x23f0, 0x23f0 },   { 0x23f3, 0x23f3 },
		{ 0x25fd, 0x25fe },   { 0x2614, 0x2615 },
		{ 0x2648, 0x2653 },   { 0x267f, 0x267f },
		{ 0x2693, 0x2693 },   { 0x26a1, 0x26a1 },
		{ 0x26aa, 0x26ab },   { 0x26bd, 0x26be },
		{ 0x26c4, 0x26c5 },   { 0x26ce, 0x26ce },
		{ 0x26d4, 0x26d4 },   { 0x26ea, 0x26ea },
		{ 0x26f2, 0x26f3 },   { 0x26f5, 0x26f5 },
		{ 0x26fa, 0x26fa },   { 0x26fd, 0x26fd },
		{ 0x2705, 0x2705 },   { 0x270a, 0x270b },
		{ 0x2728, 0x2728 },   { 0x274c, 0x274c },
		{ 0x274e, 0x274e },   { 0x2753, 0x2755 },
		{ 0x2757, 0x2757 },   { 0x2795, 0x2797 },
		{ 0x27b0, 0x27b0 },   { 0x27bf, 0x27bf },
		{ 0x2b1b, 0x2b1c },   { 0x2b50, 0x2b50 },
		{ 0x2b55, 0x2b55 },   { 0x2e80, 0x3029 },
		{ 0x302e, 0x303e },   { 0x3041, 0x3096 },
		{ 0x309b, 0x3247 },   { 0x3250, 0x4dbf },
		{ 0x4e00, 0xa4cf },   { 0xa960, 0xa97c },
		{ 0xac00, 0xd7a3 },   { 0xf900, 0xfaff },
		{ 0xfe10, 0xfe19 },   { 0xfe30, 0xfe6b },
		{ 0xff01, 0xff60 },   { 0xffe0, 0xffe6 },
		{ 0x16fe0, 0x16fe3 }, { 0x16ff0, 0x1b2fb },
		{ 0x1f004, 0x1f004 }, { 0x1f0cf, 0x1f0cf },
		{ 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a },
		{ 0x1f200, 0x1f320 }, { 0x1f32d, 0x1f335 },
		{ 0x1f337, 0x1f37c }, { 0x1f37e, 0x1f393 },
		{ 0x1f3a0, 0x1f3ca }, { 0x1f3cf, 0x1f3d3 },
		{ 0x1f3e0, 0x1f3f0 }, { 0x1f3f4, 0x1f3f4 },
		{ 0x1f3f8, 0x1f43e }, { 0x1f440, 0x1f440 },
		{ 0x1f442, 0x1f4fc }, { 0x1f4ff, 0x1f53d },
		{ 0x1f54b, 0x1f54e }, { 0x1f550, 0x1f567 },
		{ 0x1f57a, 0x1f57a }, { 0x1f595, 0x1f596 },
		{ 0x1f5a4, 0x1f5a4 }, { 0x1f5fb, 0x1f64f },
		{ 0x1f680, 0x1f6c5 }, { 0x1f6cc, 0x1f6cc },
		{ 0x1f6d0, 0x1f6d2 }, { 0x1f6d5, 0x1f6df },
		{ 0x1f6eb, 0x1f6ec }, { 0x1f6f4, 0x1f6fc },
		{ 0x1f7e0, 0x1f7f0 }, { 0x1f90c, 0x1f93a },
		{ 0x1f93c, 0x1f945 }, { 0x1f947, 0x1f9ff },
		{ 0x1fa70, 0x1faf6 }, { 0x20000, 0x3fffd }
	};
	/* The two commonest, first: Latin text, and the CJK ideographs. */
	if (cp < zero[0][0])
		return 1;
	if (cp >= 0x4e00 && cp <= 0x9fff)
		return 2;
	if (in_ranges(zero, sizeof zero / sizeof *zero, cp))
		return 0;
	return in_ranges(wide, sizeof wide / sizeof *wide, cp) ? 2 : 1;
}

size_t
edit_distance(const char *a, const char *b)
{
	/* Optimal string alignment distance; names are short, so longer
	 * strings are simply "far". */
	enum { MAX = 64 };
	size_t la = strlen(a), lb = strlen(b);
	if (la >= MAX || lb >= MAX)
		return SIZE_MAX;
	size_t d[MAX + 1][MAX + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}
