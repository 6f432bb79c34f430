#!/bin/bash
# Compile a generated header the ways its users do: gcc and clang at C99,
# C11 and C2x with -Wall -Wextra -Wpedantic -Werror (gcc also with
# -Wbidi-chars=any), and g++ and clang++ at C++17, each time in two translation units
# of one program, so duplicate symbols and unused warnings would show.
# usage: compile_matrix.sh HEADER [ACCESSOR]
# (ACCESSOR: PREFIX_standard; by default the one the header defines)
set -euo pipefail
header=$(realpath "$1")
accessor=${2:-$(sed -n 's/^\([a-z][a-z0-9_]*_standard\)(void)$/\1/p' "$header")}
if [ -z "$accessor" ]; then
	echo "$header defines no accessor" >&2
	exit 1
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/a.c" <<C
#include "$header"
int count(void);
int count(void) { return $accessor()->level_count; }
C
cat >"$dir/b.c" <<C
#include "$header"
#include "$header"
int count(void);
int main(void) { return count() == $accessor()->level_count ? 0 : 1; }
C
if LC_ALL=C grep -q '[^[:print:][:space:]]' "$header"; then
	echo "$header holds bytes that are not printable ASCII" >&2
	exit 1
fi
for cc in gcc clang; do
	extra=()
	[ "$cc" = gcc ] && extra=(-Wbidi-chars=any)
	for std in c99 c11 c2x; do
		"$cc" -std="$std" -Wall -Wextra -Wpedantic -Werror "${extra[@]}" \
			"$dir/a.c" "$dir/b.c" -o "$dir/t"
		"$dir/t"
		echo "ok: $cc -std=$std"
	done
done
cp "$dir/a.c" "$dir/a.cc"
cp "$dir/b.c" "$dir/b.cc"
for cxx in g++ clang++; do
	"$cxx" -std=c++17 -Wall -Wextra -Wpedantic -Werror "$dir/a.cc" "$dir/b.cc" \
		-o "$dir/t"
	"$dir/t"
	echo "ok: $cxx -std=c++17"
done
