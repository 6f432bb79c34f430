// blueprint.cc - a C++ consumer of a generated header: the same blueprint
// as plan.c, written the way a C++ program would, so its output must be
// byte-identical to the C program's.
#include STANDARD_HEADER

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace
{

std::vector<int>
spread(const int *weights, int rows, int total)
{
	std::vector<int> counts, rest;
	std::vector<bool> bumped(static_cast<size_t>(rows));
	int given = 0;
	for (int r = 0; r < rows; r++) {
		counts.push_back(weights[r] * total / 100);
		rest.push_back(weights[r] * total % 100);
		given += counts.back();
	}
	for (; given < total; given++) {
		size_t best = 0;
		bool found = false;
		for (size_t r = 0; r < counts.size(); r++)
			if (!bumped[r] && (!found || rest[r] > rest[best])) {
				best = r;
				found = true;
			}
		bumped[best] = true;
		counts[best]++;
	}
	return counts;
}

// A table as it is named: its number, else its caption, else the heading
// of its clause.
std::string
name(const skillc_table &t)
{
	if (t.number)
		return t.number;
	if (t.caption)
		return t.caption;
	return std::string(t.clause) + " " + t.title;
}

void
column(const skillc_standard &s, const skillc_table &t, int c, int total,
       const std::string &what)
{
	std::vector<int> counts = spread(t.weights[c], t.row_count, total);
	std::string head = name(t);
	if (t.branches[c] >= 0)
		head += std::string(", ") + s.branches[t.branches[c]].name;
	std::printf("  %s (%s): %d\n", what.c_str(), head.c_str(), total);
	for (int r = 0; r < t.row_count; r++)
		if (t.dashes[c][r])
			std::printf("      \342\200\224  %s\n",
				    t.rows[r].label);
		else if (counts[static_cast<size_t>(r)])
			std::printf("    %3d  %s\n",
				    counts[static_cast<size_t>(r)],
				    t.rows[r].label);
}

void
kind(const skillc_standard &s, int l, int k, const int *view_weights, int total,
     const std::string &what)
{
	int shown = 0;
	for (int t = 0; t < s.table_count; t++) {
		const skillc_table &tb = s.tables[t];
		if (tb.kind != k)
			continue;
		for (int c = 0; c < tb.column_count; c++) {
			if (tb.levels[c] != l)
				continue;
			if (!shown++ && tb.weights[c] != view_weights)
				std::printf(
					"  the view names another column\n");
			column(s, tb, c, total, what);
		}
	}
	if (!shown)
		std::printf("  %s: no weight table\n", what.c_str());
}

bool
holds(const int *levels, int level_count, int l)
{
	return !level_count || std::find(levels, levels + level_count, l) !=
				       levels + level_count;
}

// The least time of each method level l takes: a duration listing l, else
// one for every level.
void
times(const skillc_standard &s, int l)
{
	for (int m = 0; m < s.method_count; m++) {
		const skillc_method &me = s.methods[m];
		if (!holds(me.levels, me.level_count, l))
			continue;
		int every = 0, exact = 0;
		for (int d = 0; d < s.duration_count; d++) {
			const skillc_duration &du = s.durations[d];
			if (du.method != m)
				continue;
			if (!du.level_count)
				every = du.minutes;
			else if (holds(du.levels, du.level_count, l))
				exact = du.minutes;
		}
		if (exact || every)
			std::printf("  %s: at least %d min\n", me.name,
				    exact ? exact : every);
	}
}

} // namespace

int
main()
{
	const skillc_standard &s = *STANDARD();
	std::printf("%s\n", s.title_zh);
	for (int l = 0; l < s.level_count; l++) {
		const skillc_view &v = s.views[l];
		int own = 0;
		for (int i = 0; i < v.skill_count; i++)
			own += s.skills[v.skills[i]].level == l;
		std::printf(
			"%s: %d work contents, %d skill items (%d its own), %d knowledge items\n",
			s.levels[l].name, v.content_count, v.skill_count, own,
			v.knowledge_count);
		kind(s, l, SKILLC_THEORY, v.theory, 60, "theory questions");
		kind(s, l, SKILLC_SKILLS, v.skills_weights, 7,
		     "practical tasks");
		times(s, l);
	}
	return 0;
}
