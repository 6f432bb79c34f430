/*
 * test_i18n.c - the language of the messages: a tag's language, the
 * language of a text given in one language, the text of several a rule
 * takes, and the catalogue a binary of the build tree reads.
 */
#include "skillc.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static const struct same_case {
	const char *tag, *lang;
	bool want;
} same_cases[] = {
	{ "zh", "zh", true },	   { "zh_CN", "zh", true },
	{ "zh-Hant", "zh", true }, { "zh_CN.UTF-8", "zh", true },
	{ "zha", "zh", false },	   { "z", "zh", false },
	{ "en", "zh", false },	   { "en_GB", "en", true },
	{ "", "en", false },
};

START_TEST(test_same)
{
	const struct same_case *c = &same_cases[_i];
	ck_assert_msg(i18n_same_language(c->tag, c->lang) == c->want,
		      "'%s' is %sof language '%s'", c->tag,
		      c->want ? "" : "not ", c->lang);
}
END_TEST

static const struct guess_case {
	const char *text, *want;
} guess_cases[] = {
	{ "{match} is the old name", "en" },
	{ "{match}是旧名称", "zh" },
	/* English about Chinese words: the letters outweigh the Han */
	{ "的 before a verb; an adverb takes 地", "en" },
	/* Chinese with a Latin term: the Han outweigh the letters */
	{ "不要在条目中使用SaaS这个词", "zh" },
	/* placeholders are not words */
	{ "{majority}{match}{table}：不一致", "zh" },
	{ "", "en" },
	/* an extension-B character counts as Han */
	{ "\xf0\xa0\x80\x80", "zh" },
};

START_TEST(test_guess)
{
	const struct guess_case *c = &guess_cases[_i];
	ck_assert_str_eq(i18n_guess_language(c->text), c->want);
}
END_TEST

/* A text in several languages, as the model reads it. */
static struct ltext_one langs[3];

static struct ltext
texts(const char *l0, const char *t0, const char *l1, const char *t1,
      const char *l2, const char *t2)
{
	const char *l[] = { l0, l1, l2 }, *t[] = { t0, t1, t2 };
	size_t n = 0;
	for (size_t i = 0; i < 3 && t[i]; i++, n++)
		langs[i] = (struct ltext_one){
			{ l[i], l[i] ? strlen(l[i]) : 0, { 0 } },
			{ t[i], strlen(t[i]), { 0 } },
		};
	return (struct ltext){ { 0 }, langs, n };
}

/* The unit suites do not call i18n_init: the language is English. */
START_TEST(test_pick)
{
	const char *lang = NULL;
	struct ltext t = texts("zh", "中", "en", "English", NULL, NULL);
	ck_assert_str_eq(i18n_language(), "en");
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "English");
	ck_assert_str_eq(lang, "en");
	t = texts("fr", "français", "zh", "中", NULL, NULL);
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "français");
	ck_assert_str_eq(lang, "fr");
	t = texts("zh", "中", "en_GB", "colour", "en", "color");
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "color");
	t = texts(NULL, "旧名称", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "旧名称");
	ck_assert_str_eq(lang, "zh");
	/* an empty text is passed over */
	t = texts("en", "", "zh", "中", NULL, NULL);
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "中");
	t = texts(NULL, NULL, NULL, NULL, NULL, NULL);
	ck_assert_ptr_null(ltext_pick(&t, &lang));
}
END_TEST

/* With LANG=zh_CN.UTF-8 a binary of the build tree reads build/po: the
 * language is the catalogue's, the messages and the severity words
 * Chinese (tests/setup.sh installs the locale). */
START_TEST(test_init_zh)
{
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANGUAGE");
	setenv("LANG", "zh_CN.UTF-8", 1);
	i18n_init();
	ck_assert_str_eq(i18n_language(), "zh");
	ck_assert_str_eq(_("error"), "\xe9\x94\x99\xe8\xaf\xaf"); /* 错误 */
	ck_assert_str_ne(_("duplicate key '%s'"), "duplicate key '%s'");
	struct ltext t = texts("en", "English", "zh", "中", NULL, NULL);
	const char *lang = NULL;
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "中");
	ck_assert_str_eq(lang, "zh");
	/* the catalogue is zh_CN: the same tag first, then the script,
	 * then the language alone, then the language with a region */
	ck_assert_str_eq(i18n_locale(), "zh_CN");
	t = texts("zh-Hant", "繁", "zh-Hans", "简", "zh", "中");
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "简");
	t = texts("zh", "中", "zh-cn", "大陆", "zh-Hans", "简");
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "大陆");
	t = texts("zh_TW", "臺", "zh", "中", NULL, NULL);
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "中");
	t = texts("en", "English", "zh_TW", "臺", NULL, NULL);
	ck_assert_str_eq(ltext_pick(&t, &lang)->s, "臺");
}
END_TEST

static Suite *
i18n_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("languages");
	tcase_add_loop_test(tc, test_same, 0,
			    sizeof same_cases / sizeof *same_cases);
	tcase_add_loop_test(tc, test_guess, 0,
			    sizeof guess_cases / sizeof *guess_cases);
	tcase_add_test(tc, test_pick);
	suite_add_tcase(s, tc);
	tc = tcase_create("catalogue");
	tcase_add_test(tc, test_init_zh);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(i18n_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
