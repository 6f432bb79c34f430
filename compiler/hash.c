/*
 * hash.c - byte-string keys to pointers, open addressing, in the arena.
 *
 * Every lookup the passes make goes through here, so that no check scans
 * earlier items: skillc stays linear in the size of a standard. Tables grow
 * by doubling; the old slots stay in the arena (at most as much again).
 */
#include "skillc.h"

#include <string.h>

struct slot {
	const char *key;
	size_t len;
	uint64_t hash;
	void *value;
};

struct hash {
	struct arena *arena;
	struct slot *slots;
	size_t cap, count; /* cap is a power of two */
};

static uint64_t
hash_bytes(const char *key, size_t len)
{
	/* FNV-1a, 64 bits: small, good enough for names and IDs. */
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3u;
	}
	return h;
}

struct hash *
hash_new(struct arena *a, size_t expected)
{
	struct hash *h = arena_alloc(a, sizeof *h);
	h->arena = a;
	h->cap = 8;
	while (h->cap < expected * 2)
		h->cap *= 2;
	h->slots = arena_array(a, h->cap, sizeof *h->slots);
	return h;
}

static struct slot *
hash_find(const struct hash *h, const char *key, size_t len, uint64_t hv)
{
	size_t mask = h->cap - 1;
	for (size_t i = hv & mask;; i = (i + 1) & mask) {
		struct slot *s = &h->slots[i];
		if (!s->key)
			return s;
		if (s->hash == hv && s->len == len && !memcmp(s->key, key, len))
			return s;
	}
}

void *
hash_get(const struct hash *h, const char *key, size_t len)
{
	struct slot *s = hash_find(h, key, len, hash_bytes(key, len));
	return s->key ? s->value : NULL;
}

static void
hash_grow(struct hash *h)
{
	struct slot *old = h->slots;
	size_t old_cap = h->cap;
	h->cap *= 2;
	h->slots = arena_array(h->arena, h->cap, sizeof *h->slots);
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*hash_find(h, old[i].key, old[i].len, old[i].hash) =
				old[i];
}

void *
hash_put(struct hash *h, const char *key, size_t len, void *value)
{
	uint64_t hv = hash_bytes(key, len);
	struct slot *s = hash_find(h, key, len, hv);
	if (s->key)
		return s->value;
	if ((h->count + 1) * 4 > h->cap * 3) {
		hash_grow(h);
		s = hash_find(h, key, len, hv);
	}
	*s = (struct slot){ key, len, hv, value };
	h->count++;
	return NULL;
}

void **
hash_slot(struct hash *h, const char *key, size_t len)
{
	uint64_t hv = hash_bytes(key, len);
	struct slot *s = hash_find(h, key, len, hv);
	if (!s->key) {
		hash_put(h, key, len, NULL);
		s = hash_find(h, key, len, hv);
	}
	return &s->value;
}

size_t
hash_count(const struct hash *h)
{
	return h->count;
}
