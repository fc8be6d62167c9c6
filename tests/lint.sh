#!/bin/sh
# SPDX-License-Identifier: MIT
# lint.sh - static and dynamic checks beside the tests: cppcheck and
# clang-tidy over the library and the CLI (configured by .clang-tidy and
# tests/cppcheck.supp), and golden CLI cases under valgrind (memory errors
# and definite leaks fail). Each tool that is not installed is reported
# and skipped. Results are kept in BUILD/lint/, so a file is analyzed
# again only when it, a header or the configuration changed.
# usage: tests/lint.sh BUILD [cppcheck] [clang-tidy] [valgrind]
#        [valgrind-all]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=$(cd "$1" && pwd)
shift
checks=${*:-cppcheck clang-tidy valgrind}
cd "$top" || exit 1
fail=0
jobs=${LINT_JOBS:-2}
cache=$build/lint
mkdir -p "$cache"

# cases that cover ingest of every shape, bad input, queries and SQL;
# valgrind-all runs every golden case (make valgrind)
VALGRIND_CASES="ingest-scenario ingest-shapes invalid-gzip-cut
invalid-csv-stray-quote invalid-record-too-large invalid-jsonl-bad-lines
sources timeline-user sql-errors security-terminal security-wide-table
geoip detect-errors"

sources() {
	ls libm365forensics/*.c cli/*.c
}

# a file's key: itself, every header and the configuration
key() {
	cat "$1" include/*.h libm365forensics/*.h cli/*.h .clang-tidy \
		"$build/compile_commands.json" 2>/dev/null | sha256sum |
		cut -c1-64
}

run_valgrind() {
	for g in "$@"; do
		echo "$g"
	done | xargs -P "$jobs" -I{} sh -c '
		M365F_BIN="$1/cli/m365f" "$2/golden/run.sh" \
			"$2/valgrind/m365f-vg" "$2/golden/$3" \
			"$4/testdata" "$4/../shared/corpus" >"$1/lint/vg-$3.log" 2>&1
		rc=$?
		if [ $rc != 0 ] && [ $rc != 77 ]; then
			cat "$1/lint/vg-$3.log"
			echo "lint: valgrind: $3 failed"
			exit 1
		fi' sh "$build" "$here" {} "$top" || fail=1
}

for c in $checks; do
	case $c in
	cppcheck)
		command -v cppcheck >/dev/null || { echo "lint: no cppcheck"; continue; }
		echo "lint: cppcheck"
		mkdir -p "$cache/cppcheck"
		cppcheck --quiet --enable=warning,portability --inline-suppr \
			--std=c11 -I include -I libm365forensics \
			--include=/usr/include/cjson/cJSON.h \
			--suppressions-list="$here/cppcheck.supp" \
			--cppcheck-build-dir="$cache/cppcheck" \
			--error-exitcode=1 -j "$jobs" libm365forensics cli || fail=1
		;;
	clang-tidy)
		command -v clang-tidy >/dev/null || { echo "lint: no clang-tidy"; continue; }
		echo "lint: clang-tidy"
		todo=""
		for f in $(sources); do
			k=$(key "$f")
			s="$cache/tidy-$(echo "$f" | tr / _)"
			[ -f "$s" ] && [ "$(cat "$s")" = "$k" ] && continue
			todo="$todo $f $k"
		done
		# one file per clang-tidy run, $jobs at a time; a clean file
		# gets its key as a stamp
		[ -z "$todo" ] || echo $todo | xargs -P "$jobs" -n 2 sh -c '
			out=$(clang-tidy -p "$1" --quiet "$2" 2>/dev/null)
			r=$?
			if echo "$out" | grep -aE "(warning|error):"; then
				exit 1
			elif [ $r -gt 1 ]; then
				# the tool itself failed (clang-tidy 14 can crash
				# in the analyzer): say so, it is not a finding
				echo "lint: clang-tidy exited $r on $2"
				exit 0
			fi
			echo "$3" >"$1/lint/tidy-$(echo "$2" | tr / _)"
		' sh "$build" || fail=1
		;;
	valgrind)
		command -v valgrind >/dev/null || { echo "lint: no valgrind"; continue; }
		echo "lint: valgrind on golden CLI cases"
		run_valgrind $VALGRIND_CASES
		;;
	valgrind-all)
		command -v valgrind >/dev/null || { echo "lint: no valgrind"; continue; }
		echo "lint: valgrind on every golden CLI case"
		run_valgrind $(ls tests/golden | while read -r g; do
			[ -f "tests/golden/$g/cmd" ] && echo "$g"; done)
		;;
	*) echo "lint: unknown check $c"; fail=1 ;;
	esac
done
[ $fail = 0 ] && echo "lint: clean"
exit $fail
