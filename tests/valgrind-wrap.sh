#!/bin/sh
# exe_wrapper of the 'valgrind' test setup: run the project's own test
# programs under memcheck. Scripts (the Python runners run skillc under
# valgrind themselves, SKILLC_VALGRIND) and system tools (cmp) run as
# they are: their leaks are not ours.
case "$1" in
/usr/* | /bin/*) exec "$@" ;;
esac
if [ "$(head -c 2 "$1")" = "#!" ]; then
	exec "$@"
fi
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
	--errors-for-leak-kinds=all "$@"
