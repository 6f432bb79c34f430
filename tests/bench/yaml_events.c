/*
 * yaml_events.c - the baseline of the benchmark (tests/bench/perf_bench.py):
 * what libyaml alone costs to read a file.
 *
 * Usage: yaml_events [--document] FILE
 *
 * Reads FILE into memory in one piece, as skillc does, and parses it with
 * libyaml, keeping nothing: every event is counted and deleted. With
 * --document, libyaml's document API builds its tree of the whole file
 * instead (yaml_parser_load), for comparison. Prints the count of events
 * (or nodes); exits 1 on a syntax error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END))
		return NULL;
	long size = ftell(f);
	unsigned char *buf = size < 0 ? NULL : malloc((size_t)size + 1);
	if (!buf || fseek(f, 0, SEEK_SET) ||
	    fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static long
count_events(yaml_parser_t *p)
{
	long n = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev))
			return -1;
		n++;
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (end)
			return n;
	}
}

static long
count_nodes(yaml_parser_t *p)
{
	long n = 0;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(p, &doc))
			return -1;
		if (!yaml_document_get_root_node(&doc)) {
			yaml_document_delete(&doc);
			return n;
		}
		n += doc.nodes.top - doc.nodes.start;
		yaml_document_delete(&doc);
	}
}

int
main(int argc, char **argv)
{
	bool document = argc == 3 && !strcmp(argv[1], "--document");
	if (argc != 2 + document) {
		fputs("usage: yaml_events [--document] FILE\n", stderr);
		return 2;
	}
	size_t len;
	unsigned char *buf = slurp(argv[argc - 1], &len);
	if (!buf) {
		perror(argv[argc - 1]);
		return 2;
	}
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return 2;
	yaml_parser_set_input_string(&p, buf, len);
	long n = document ? count_nodes(&p) : count_events(&p);
	if (n < 0)
		fprintf(stderr, "%s:%zu:%zu: %s\n", argv[argc - 1],
			p.problem_mark.line + 1, p.problem_mark.column + 1,
			p.problem ? p.problem : "error");
	else
		printf("%ld %s\n", n, document ? "nodes" : "events");
	yaml_parser_delete(&p);
	free(buf);
	return n < 0;
}
