/* The consumer of tests/integration/consumers.py: a program that includes
 * the header skillc writes from standard.yaml (tests/data/five-level.yaml)
 * and prints what it names. */
#include <stdio.h>

#include "standard.h"

int
main(void)
{
	const struct skillc_standard *s = forklift_operator_standard();
	printf("%s: %d levels\n", s->id, s->level_count);
	return 0;
}
