/*
 * dump.c - print every string a generated header holds, hex-encoded, one
 * per line, in the order strings.py expects, so that a test can compare
 * them byte for byte with the JSON of the same standard.
 */
#include STANDARD_HEADER

#include <stdio.h>

static void
put(const char *s)
{
	if (!s) {
		puts("-");
		return;
	}
	for (; *s; s++)
		printf("%02x", (unsigned char)*s);
	putchar('\n');
}

int
main(void)
{
	const struct skillc_standard *s = STANDARD();
	put(s->id), put(s->title_zh), put(s->title_en), put(s->occupation);
	for (int i = 0; i < s->level_count; i++)
		put(s->levels[i].key), put(s->levels[i].name);
	for (int i = 0; i < s->branch_count; i++)
		put(s->branches[i].key), put(s->branches[i].name);
	for (int i = 0; i < s->capability_count; i++)
		put(s->capabilities[i].key), put(s->capabilities[i].id),
			put(s->capabilities[i].name);
	for (int i = 0; i < s->content_count; i++)
		put(s->contents[i].key), put(s->contents[i].id),
			put(s->contents[i].name);
	for (int i = 0; i < s->skill_count; i++)
		put(s->skills[i].id), put(s->skills[i].text);
	for (int i = 0; i < s->knowledge_count; i++)
		put(s->knowledge[i].id), put(s->knowledge[i].text);
	for (int i = 0; i < s->basic_count; i++)
		put(s->basics[i].key), put(s->basics[i].title);
	for (int t = 0; t < s->table_count; t++) {
		put(s->tables[t].clause), put(s->tables[t].title);
		put(s->tables[t].number), put(s->tables[t].caption);
		for (int r = 0; r < s->tables[t].row_count; r++)
			put(s->tables[t].rows[r].group),
				put(s->tables[t].rows[r].label),
				put(s->tables[t].rows[r].capability_key),
				put(s->tables[t].rows[r].content_key);
	}
	for (int i = 0; i < s->method_count; i++)
		put(s->methods[i].key), put(s->methods[i].name);
	for (int i = 0; i < s->route_count; i++)
		put(s->routes[i].label), put(s->routes[i].text);
	for (int i = 0; i < s->ratio_count; i++)
		put(s->ratios[i].role);
	return 0;
}
