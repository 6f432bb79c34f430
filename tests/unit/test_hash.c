/*
 * test_hash.c - byte-string keys to pointers: put and get, the first value
 * wins, slots for updates, growth, keys that are not C strings, the count.
 */
#include "skillc.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static struct arena *arena;

static void
setup(void)
{
	arena = arena_new();
}

static void
teardown(void)
{
	arena_free(arena);
	arena = NULL;
}

/* Keys that differ only in length, past a NUL, or in one byte. */
static const struct key {
	const char *s;
	size_t len;
} keys[] = {
	{ "alpha", 5 },
	{ "alphA", 5 },
	{ "alph", 4 },
	{ "a\0b", 3 },
	{ "a\0c", 3 },
	{ "a\0", 2 },
	{ "a", 1 },
	{ "", 0 },
	{ "\0", 1 },
	{ "ab", 2 },
	{ "ba", 2 },
	{ "名称", 6 },
	{ "名", 3 },
	{ "c:inspection", 12 },
	{ "b:inspection", 12 },
};
#define N_KEYS (sizeof keys / sizeof *keys)

static int values[N_KEYS];

static struct hash *
hash_of_all(size_t expected)
{
	struct hash *h = hash_new(arena, expected);
	for (size_t i = 0; i < N_KEYS; i++)
		ck_assert_ptr_null(
			hash_put(h, keys[i].s, keys[i].len, &values[i]));
	return h;
}

START_TEST(test_put_get)
{
	/* Every key finds its own value, however small the table began. */
	struct hash *h = hash_of_all(_i % 2 ? 0 : N_KEYS);
	ck_assert_uint_eq(hash_count(h), N_KEYS);
	for (size_t i = 0; i < N_KEYS; i++)
		ck_assert_msg(hash_get(h, keys[i].s, keys[i].len) == &values[i],
			      "key %zu finds another value", i);
}
END_TEST

START_TEST(test_get_one)
{
	/* With only key _i present, the others are all absent. */
	struct hash *h = hash_new(arena, 4);
	ck_assert_ptr_null(hash_get(h, keys[_i].s, keys[_i].len));
	ck_assert_ptr_null(hash_put(h, keys[_i].s, keys[_i].len, &values[_i]));
	ck_assert_ptr_eq(hash_get(h, keys[_i].s, keys[_i].len), &values[_i]);
	for (size_t i = 0; i < N_KEYS; i++)
		if (i != (size_t)_i)
			ck_assert_msg(hash_get(h, keys[i].s, keys[i].len) ==
					      NULL,
				      "key %zu found with only key %d present",
				      i, _i);
}
END_TEST

START_TEST(test_absent)
{
	struct hash *h = hash_of_all(0);
	ck_assert_ptr_null(hash_get(h, "alphab", 6));
	ck_assert_ptr_null(hash_get(h, "b", 1));
	ck_assert_ptr_null(hash_get(h, "a\0d", 3));
	ck_assert_ptr_null(hash_get(h, "\0\0", 2));
	ck_assert_ptr_null(hash_get(h, "称", 3));
}
END_TEST

START_TEST(test_first_wins)
{
	/* hash_put returns the value already there and changes nothing. */
	struct hash *h = hash_of_all(0);
	int other;
	ck_assert_ptr_eq(hash_put(h, keys[_i].s, keys[_i].len, &other),
			 &values[_i]);
	ck_assert_ptr_eq(hash_get(h, keys[_i].s, keys[_i].len), &values[_i]);
	ck_assert_uint_eq(hash_count(h), N_KEYS);
}
END_TEST

START_TEST(test_keys_by_bytes)
{
	/* Keys are compared by bytes, not by pointer: another buffer with
	 * the same bytes is the same key. */
	struct hash *h = hash_new(arena, 0);
	char a[] = "inspection", b[] = "inspection";
	int v;
	ck_assert_ptr_null(hash_put(h, a, strlen(a), &v));
	ck_assert_ptr_eq(hash_get(h, b, strlen(b)), &v);
	ck_assert_ptr_eq(hash_put(h, b, strlen(b), NULL), &v);
	ck_assert_uint_eq(hash_count(h), 1);
}
END_TEST

START_TEST(test_slot_inserts_null)
{
	struct hash *h = hash_new(arena, 0);
	int v, w;
	void **slot = hash_slot(h, "key", 3);
	ck_assert_ptr_nonnull(slot);
	ck_assert_ptr_null(*slot);
	ck_assert_uint_eq(hash_count(h), 1);
	ck_assert_ptr_null(hash_get(h, "key", 3));
	*slot = &v;
	ck_assert_ptr_eq(hash_get(h, "key", 3), &v);
	/* The same key gives the same slot, holding what was stored. */
	void **again = hash_slot(h, "key", 3);
	ck_assert_ptr_eq(again, slot);
	ck_assert_ptr_eq(*again, &v);
	ck_assert_uint_eq(hash_count(h), 1);
	/* An update through the slot replaces the value. */
	*again = &w;
	ck_assert_ptr_eq(hash_get(h, "key", 3), &w);
	ck_assert_ptr_eq(hash_put(h, "key", 3, &v), &w);
	ck_assert_ptr_eq(hash_get(h, "key", 3), &w);
}
END_TEST

START_TEST(test_put_after_slot)
{
	/* A key inserted by hash_slot holds NULL: hash_put returns that
	 * NULL, inserts nothing and leaves the key's value alone. */
	struct hash *h = hash_new(arena, 0);
	int v;
	hash_slot(h, "k", 1);
	ck_assert_ptr_null(hash_put(h, "k", 1, &v));
	ck_assert_uint_eq(hash_count(h), 1);
	ck_assert_ptr_null(hash_get(h, "k", 1));
}
END_TEST

START_TEST(test_slot_chain)
{
	/* The model's use: prepend to a per-key chain through the slot. */
	struct node_ {
		struct node_ *next;
		int n;
	} nodes[6];
	static const char *const k[] = { "x", "y", "x", "z", "x", "y" };
	struct hash *h = hash_new(arena, 0);
	for (int i = 0; i < 6; i++) {
		void **head = hash_slot(h, k[i], 1);
		nodes[i] = (struct node_){ *head, i };
		*head = &nodes[i];
	}
	ck_assert_uint_eq(hash_count(h), 3);
	const struct node_ *x = hash_get(h, "x", 1);
	ck_assert_int_eq(x->n, 4);
	ck_assert_int_eq(x->next->n, 2);
	ck_assert_int_eq(x->next->next->n, 0);
	ck_assert_ptr_null(x->next->next->next);
	const struct node_ *y = hash_get(h, "y", 1);
	ck_assert_int_eq(y->n, 5);
	ck_assert_int_eq(y->next->n, 1);
	ck_assert_ptr_null(y->next->next);
}
END_TEST

static const size_t growth_sizes[] = { 0, 1, 100000 };

START_TEST(test_growth)
{
	/* 100,000 keys into a table expecting growth_sizes[_i]: all there,
	 * each with its own value. */
	enum { N = 100000 };
	struct hash *h = hash_new(arena, growth_sizes[_i]);
	char **k = arena_array(arena, N, sizeof *k);
	for (size_t i = 0; i < N; i++) {
		char buf[32];
		int n = snprintf(buf, sizeof buf, "key-%zu", i);
		k[i] = arena_strndup(arena, buf, (size_t)n);
		void *old = hash_put(h, k[i], (size_t)n,
				     (void *)(uintptr_t)(i + 1));
		if (old)
			ck_abort_msg("key %zu was already present", i);
	}
	ck_assert_uint_eq(hash_count(h), N);
	size_t found = 0;
	for (size_t i = 0; i < N; i++)
		found += hash_get(h, k[i], strlen(k[i])) ==
			 (void *)(uintptr_t)(i + 1);
	ck_assert_uint_eq(found, N);
	ck_assert_ptr_null(hash_get(h, "key-100000", 10));
	ck_assert_ptr_null(hash_get(h, "key-", 4));
}
END_TEST

START_TEST(test_growth_slots)
{
	/* Values stored through slots survive the table growing. */
	enum { N = 5000 };
	struct hash *h = hash_new(arena, 0);
	char **k = arena_array(arena, N, sizeof *k);
	for (size_t i = 0; i < N; i++) {
		char buf[32];
		int n = snprintf(buf, sizeof buf, "%zu", i * 7919);
		k[i] = arena_strndup(arena, buf, (size_t)n);
		*hash_slot(h, k[i], (size_t)n) = (void *)(uintptr_t)(i + 1);
	}
	ck_assert_uint_eq(hash_count(h), N);
	size_t found = 0;
	for (size_t i = 0; i < N; i++)
		found += hash_get(h, k[i], strlen(k[i])) ==
			 (void *)(uintptr_t)(i + 1);
	ck_assert_uint_eq(found, N);
}
END_TEST

START_TEST(test_count)
{
	struct hash *h = hash_new(arena, 0);
	int v;
	ck_assert_uint_eq(hash_count(h), 0);
	hash_put(h, "a", 1, &v);
	hash_put(h, "b", 1, &v);
	hash_put(h, "", 0, &v);
	ck_assert_uint_eq(hash_count(h), 3);
	hash_put(h, "a", 1, NULL); /* present: nothing inserted */
	ck_assert_uint_eq(hash_count(h), 3);
	hash_slot(h, "b", 1); /* present */
	ck_assert_uint_eq(hash_count(h), 3);
	hash_slot(h, "c", 1); /* absent: inserted */
	ck_assert_uint_eq(hash_count(h), 4);
	hash_get(h, "d", 1); /* lookups insert nothing */
	ck_assert_uint_eq(hash_count(h), 4);
}
END_TEST

static Suite *
hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc;

	tc = tcase_create("put-get");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_put_get, 0, 2);
	tcase_add_loop_test(tc, test_get_one, 0, N_KEYS);
	tcase_add_test(tc, test_absent);
	tcase_add_test(tc, test_keys_by_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("first-wins");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_first_wins, 0, N_KEYS);
	suite_add_tcase(s, tc);

	tc = tcase_create("slot");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_slot_inserts_null);
	tcase_add_test(tc, test_put_after_slot);
	tcase_add_test(tc, test_slot_chain);
	suite_add_tcase(s, tc);

	tc = tcase_create("growth");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_growth, 0,
			    sizeof growth_sizes / sizeof *growth_sizes);
	tcase_add_test(tc, test_growth_slots);
	suite_add_tcase(s, tc);

	tc = tcase_create("count");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_count);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hash_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures ? 1 : 0;
}
