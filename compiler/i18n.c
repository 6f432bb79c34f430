/*
 * i18n.c - the language skillc speaks to people.
 *
 * Takes: the environment (LC_ALL, LC_MESSAGES, LANG; LANGUAGE as gettext
 * reads it). Gives: messages from the catalogue of that language (GNU
 * gettext, domain "skillc", po/LANG.po), and the language's tag, by which
 * texts that data gives in several languages (a rules file's messages,
 * the catalogue of the checks) are chosen.
 *
 * Only LC_MESSAGES follows the environment. Every other category stays
 * "C", so that numbers, character classes and everything skillc writes
 * are the same whatever the locale; the catalogues are read as UTF-8
 * whatever LC_CTYPE would say, the C library's own (strerror) too.
 *
 * Where the catalogues are: SKILLC_LOCALEDIR, set by meson as the path
 * from the installed binary's directory to the locale directory (so an
 * installed tree can move) or as an absolute path. A binary run from its
 * build tree (build.ninja one directory up) reads the catalogues built
 * there, in po/.
 */
#include "skillc.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SKILLC_LOCALEDIR
#define SKILLC_LOCALEDIR "../share/locale"
#endif

/* The catalogue's language tag (zh_CN), its language (zh) and script. */
static char locale[32] = "en", language[16] = "en";
static const char *script;

/* Translated before it is needed: out of memory, gettext may not work. */
static char oom[256];
const char *i18n_out_of_memory = "skillc: error: out of memory\n";

/* The directory of the running binary, into dir; false when it cannot be
 * known. */
static bool
binary_dir(char *dir, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", dir, size - 1);
	if (n <= 0)
		return false;
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

/* dir/rel into out; false when it does not fit or dir is unknown. */
static bool
beside(char *out, size_t size, const char *dir, const char *rel)
{
	if (!dir)
		return false;
	int k = snprintf(out, size, "%s/%s", dir, rel);
	return k > 0 && (size_t)k < size;
}

static void
find_catalogues(void)
{
	char exe[PATH_MAX], path[PATH_MAX];
	const char *dir = binary_dir(exe, sizeof exe) ? exe : NULL;
	if (beside(path, sizeof path, dir, "../build.ninja") &&
	    access(path, F_OK) == 0 && beside(path, sizeof path, dir, "../po"))
		bindtextdomain("skillc", path);
	else if (SKILLC_LOCALEDIR[0] == '/')
		bindtextdomain("skillc", SKILLC_LOCALEDIR);
	else if (beside(path, sizeof path, dir, SKILLC_LOCALEDIR))
		bindtextdomain("skillc", path);
}

/* True when the environment names a locale whose messages are English
 * for certain, as gettext would read it: "C" or "POSIX" (LANGUAGE is then
 * ignored), or "C.<codeset>" with no LANGUAGE (no catalogue of skillc's
 * has such a name). Setting the locale and looking for catalogues takes
 * longer than a small check; such a run does neither. */
static bool
plain_c_locale(void)
{
	const char *name = NULL;
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof *vars && !name; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			name = v;
	}
	if (!name || !strcmp(name, "C") || !strcmp(name, "POSIX"))
		return true;
	const char *list = getenv("LANGUAGE");
	return !strncmp(name, "C.", 2) && (!list || !*list);
}

void
i18n_init(void)
{
	if (plain_c_locale())
		return;
	if (!setlocale(LC_MESSAGES, ""))
		return; /* a locale that is not installed: English */
	find_catalogues();
	bind_textdomain_codeset("skillc", "UTF-8");
	bind_textdomain_codeset("libc", "UTF-8");
	textdomain("skillc");
	snprintf(oom, sizeof oom, "skillc: %s: %s\n", _("error"),
		 _("out of memory"));
	i18n_out_of_memory = oom;
	/* The header of the catalogue in use says its language. */
	const char *empty = "";
	const char *header = gettext(empty);
	size_t at = 0;
	while (header[at] && strncmp(header + at, "Language: ", 10)) {
		at += strcspn(header + at, "\n");
		at += header[at] == '\n';
	}
	if (!header[at])
		return;
	const char *l = header + at + 10;
	size_t n = strcspn(l, " \t\n.@");
	if (n < 2 || n >= sizeof locale)
		return;
	memcpy(locale, l, n);
	locale[n] = '\0';
	size_t k = strcspn(locale, "-_");
	if (k >= sizeof language)
		return;
	memcpy(language, locale, k);
	language[k] = '\0';
	for (size_t i = 0; i < k; i++)
		language[i] = (char)(language[i] | 0x20);
	/* Chinese by region: the script a zh-Hans or zh-Hant text is in. */
	const char *region = locale[k] ? locale + k + 1 : "";
	if (!strcmp(language, "zh"))
		script = !strcmp(region, "TW") || !strcmp(region, "HK") ||
					 !strcmp(region, "MO")
				 ? "Hant"
				 : "Hans";
}

const char *
i18n_language(void)
{
	return language;
}

const char *
i18n_locale(void)
{
	return locale;
}

const char *
i18n_script(void)
{
	return script;
}

bool
i18n_same_language(const char *tag, const char *lang)
{
	size_t n = strlen(lang);
	return !strncmp(tag, lang, n) &&
	       (tag[n] == '\0' || tag[n] == '_' || tag[n] == '-');
}

const char *
i18n_guess_language(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), han = 0, latin = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (!k)
			k = 1, cp = 0;
		if (cp == '{') { /* a placeholder: {match} */
			const char *end = strchr(text + i, '}');
			if (end) {
				i = (size_t)(end - text) + 1;
				continue;
			}
		}
		if ((cp >= 0x4e00 && cp <= 0x9fff) ||
		    (cp >= 0x3400 && cp <= 0x4dbf) ||
		    (cp >= 0x20000 && cp <= 0x2ebef))
			han++;
		else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			latin++;
		i += k;
	}
	/* A Han character says as much as a word of five letters. */
	return han * 5 > latin ? "zh" : "en";
}
