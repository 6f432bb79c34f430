/*
 * plan.h - an exam blueprint, computed from any skillc header.
 *
 * A consumer of the generated headers as an exam generator would be: it
 * spreads a number of questions over what a level's weight column weighs,
 * by the largest remainder method (ties to the earlier row).
 */
#ifndef PLAN_H
#define PLAN_H

struct skillc_standard;

/* Print the blueprint of every level: theory questions over each row of
 * the level's theory column, practical tasks over its skills column, and
 * how many skill items the level requires in all. */
void plan_print(const struct skillc_standard *s, int questions, int tasks);

#endif
