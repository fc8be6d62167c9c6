#!/bin/sh
# SPDX-License-Identifier: MIT
# lint.sh - static and dynamic checks beside the tests: cppcheck and
# clang-tidy over the library and the CLI, and golden CLI cases under
# valgrind (memory errors and definite leaks fail). Each tool that is not
# installed is reported and skipped.
# usage: tests/lint.sh BUILD [cppcheck] [clang-tidy] [valgrind]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=$(cd "$1" && pwd)
shift
checks=${*:-cppcheck clang-tidy valgrind}
cd "$top" || exit 1
fail=0

# cases that cover ingest of every shape, bad input, queries and SQL
VALGRIND_CASES="ingest-scenario ingest-shapes invalid-gzip-cut
invalid-csv-stray-quote invalid-record-too-large invalid-jsonl-bad-lines
sources timeline-user sql-errors"

TIDY_CHECKS='-*,clang-analyzer-*,bugprone-*,cert-err34-c,cert-str34-c,
-bugprone-easily-swappable-parameters,-bugprone-narrowing-conversions,
-bugprone-reserved-identifier,-bugprone-assignment-in-if-condition,
-bugprone-macro-parentheses,-bugprone-branch-clone,
-bugprone-implicit-widening-of-multiplication-result,
-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,
-clang-analyzer-valist.Uninitialized'

for c in $checks; do
	case $c in
	cppcheck)
		command -v cppcheck >/dev/null || { echo "lint: no cppcheck"; continue; }
		echo "lint: cppcheck"
		cppcheck --quiet --enable=warning,portability --inline-suppr \
			--std=c11 -I include -I libm365forensics \
			--include=/usr/include/cjson/cJSON.h \
			--suppress=missingIncludeSystem \
			--suppress=varFuncNullUB \
			--error-exitcode=1 -j 2 libm365forensics cli || fail=1
		;;
	clang-tidy)
		command -v clang-tidy >/dev/null || { echo "lint: no clang-tidy"; continue; }
		echo "lint: clang-tidy"
		for f in libm365forensics/*.c cli/*.c; do
			clang-tidy -p "$build" --quiet \
				--checks="$(echo "$TIDY_CHECKS" | tr -d '\n')" \
				"$f" >"$build/tidy.out" 2>/dev/null
			r=$?
			if grep -E '(warning|error):' "$build/tidy.out"; then
				fail=1
			elif [ $r -gt 1 ]; then
				# the tool itself failed (clang-tidy 14 can crash
				# in the analyzer): say so, it is not a finding
				echo "lint: clang-tidy exited $r on $f"
			fi
		done
		rm -f "$build/tidy.out"
		;;
	valgrind)
		command -v valgrind >/dev/null || { echo "lint: no valgrind"; continue; }
		echo "lint: valgrind on the golden CLI cases"
		for g in $VALGRIND_CASES; do
			M365F_BIN=$build/cli/m365f "$here/golden/run.sh" \
				"$here/valgrind/m365f-vg" "$here/golden/$g" \
				"$top/testdata" "$top/../shared/corpus" ||
				{ echo "lint: valgrind: $g failed"; fail=1; }
		done
		;;
	*) echo "lint: unknown check $c"; fail=1 ;;
	esac
done
[ $fail = 0 ] && echo "lint: clean"
exit $fail
