#!/bin/sh
# exe_wrapper of the 'valgrind' test setup: run a test program under
# memcheck, but a Python runner as it is (it wraps skillc itself).
case "$(basename "$1")" in
python3*) exec "$@" ;;
esac
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
	--errors-for-leak-kinds=all "$@"
