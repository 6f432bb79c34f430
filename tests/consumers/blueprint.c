/*
 * blueprint.c - a C consumer of a generated header (STANDARD_HEADER, with
 * its accessor STANDARD): prints the exam blueprint of every level.
 */
#include STANDARD_HEADER

#include "plan.h"

int
main(void)
{
	plan_print(STANDARD(), 60, 7);
	return 0;
}
