/*
 * hash.c - byte-string keys to pointers, open addressing.
 *
 * Every lookup the passes make goes through here, so that no check scans
 * earlier items: skillc stays linear in the size of a standard. A table
 * lives as long as its arena; its slots are one malloc'd array, replaced
 * by one twice its size when three quarters are taken, and the old one
 * freed at once (kept in the arena, they were as much again).
 */
#include "skillc.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	const char *key;
	void *value;
	uint32_t hash, len; /* a key is a scalar or a few joined: < 4 GiB */
};

struct hash {
	struct arena *arena;
	struct slot *slots;
	size_t cap, count; /* cap: any size, slots indexed by fastrange */
};

/* Eight bytes at a time, each word mixed in by a multiply and a shift,
 * then the whole finished as MurmurHash3's fmix64 does, so that all 32
 * bits the table indexes by depend on every byte. Keys are texts of
 * tens of bytes as often as IDs: FNV-1a's byte at a time cost a tenth of
 * a check. The table's order is never seen, so the value may differ
 * between byte orders. Inlined in the tables' own lookups. */
static inline uint32_t
hash_of(const char *key, size_t len)
{
	const uint64_t m = 0x9e3779b97f4a7c15u;
	uint64_t h = len * m, w;
	for (; len >= 8; key += 8, len -= 8) {
		memcpy(&w, key, 8);
		h = (h ^ w) * m;
		h ^= h >> 29;
	}
	if (len) {
		w = 0;
		memcpy(&w, key, len);
		h = (h ^ w) * m;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return (uint32_t)h;
}

uint32_t
hash_bytes(const char *key, size_t len)
{
	return hash_of(key, len);
}

static struct slot *
hash_slots(size_t cap)
{
	struct slot *s = calloc(cap, sizeof *s);
	if (!s)
		die_oom();
	if (cap * sizeof *s >= ARENA_READY_MIN) /* hashing touches every page */
		arena_ready(s, cap * sizeof *s);
	return s;
}

void
hash_drop(struct hash *h)
{
	if (!h)
		return;
	free(h->slots);
	h->slots = NULL;
	h->cap = h->count = 0;
}

static void
hash_free(void *p)
{
	hash_drop(p);
}

struct hash *
hash_new(struct arena *a, size_t expected)
{
	struct hash *h = arena_alloc(a, sizeof *h);
	h->arena = a;
	/* Room for expected keys at two thirds full, not a power of two
	 * over twice as many: at a million keys, half the memory (24 bytes
	 * a slot) and the pages it touches. */
	h->cap = expected + expected / 2 + 8;
	h->slots = hash_slots(h->cap);
	arena_on_free(a, hash_free, h);
	return h;
}

static struct slot *
hash_find(const struct hash *h, const char *key, size_t len, uint32_t hv)
{
	/* hv scaled to [0, cap) by a multiply (Lemire's fastrange), then
	 * linear probing, round to the start */
	size_t i = (size_t)(((uint64_t)hv * h->cap) >> 32);
	for (;; i = i + 1 == h->cap ? 0 : i + 1) {
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
	struct slot *s = hash_find(h, key, len, hash_of(key, len));
	return s->key ? s->value : NULL;
}

static void
hash_grow(struct hash *h)
{
	struct slot *old = h->slots;
	size_t old_cap = h->cap;
	h->cap *= 2;
	h->slots = hash_slots(h->cap);
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*hash_find(h, old[i].key, old[i].len, old[i].hash) =
				old[i];
	free(old);
}

/* The slot of key, taken for it (value NULL) if it was free; *had says
 * whether key was there already. One hashing either way. */
static struct slot *
hash_take(struct hash *h, const char *key, size_t len, bool *had)
{
	if (len > UINT32_MAX)
		die_oom();
	uint32_t hv = hash_of(key, len);
	struct slot *s = hash_find(h, key, len, hv);
	*had = s->key != NULL;
	if (*had)
		return s;
	if ((h->count + 1) * 4 > h->cap * 3) {
		hash_grow(h);
		s = hash_find(h, key, len, hv);
	}
	*s = (struct slot){ key, NULL, hv, (uint32_t)len };
	h->count++;
	return s;
}

void *
hash_put(struct hash *h, const char *key, size_t len, void *value)
{
	bool had;
	struct slot *s = hash_take(h, key, len, &had);
	if (had)
		return s->value;
	s->value = value;
	return NULL;
}

void **
hash_slot(struct hash *h, const char *key, size_t len)
{
	bool had;
	return &hash_take(h, key, len, &had)->value;
}

size_t
hash_count(const struct hash *h)
{
	return h->count;
}
