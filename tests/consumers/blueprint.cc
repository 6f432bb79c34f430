// blueprint.cc - a C++ consumer of a generated header: the same blueprint
// as plan.c, written the way a C++ program would, so its output must be
// byte-identical to the C program's.
#include STANDARD_HEADER

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

void
column(const skillc_standard &s, int table, const int *weights, int total,
       const std::string &what)
{
	if (table < 0) {
		std::printf("  %s: no weight table\n", what.c_str());
		return;
	}
	const skillc_table &t = s.tables[table];
	std::vector<int> counts = spread(weights, t.row_count, total);
	std::printf("  %s (%s): %d\n", what.c_str(), t.number, total);
	for (int r = 0; r < t.row_count; r++)
		if (counts[static_cast<size_t>(r)])
			std::printf("    %3d  %s\n",
				    counts[static_cast<size_t>(r)],
				    t.rows[r].label);
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
		column(s, v.theory_table, v.theory, 60, "theory questions");
		column(s, v.skills_table, v.skills_weights, 7,
		       "practical tasks");
	}
	return 0;
}
