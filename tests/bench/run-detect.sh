#!/bin/sh
# SPDX-License-Identifier: MIT
# run-detect.sh - the detection benchmark: generate a Purview audit-log CSV
# of RECORDS records (default 1,000,000; kept in tests/bench/data/, shared
# with run-ingest.sh), ingest it into a case once, then run `m365f detect`
# (all detectors, then each category) and print seconds, CPU seconds, peak
# RSS and findings, and the slowest detectors from detect_runs.
#
# usage: tests/bench/run-detect.sh [RECORDS] [M365F]
#   M365F defaults to build/cli/m365f; GEN (env) to a gen-ual binary,
#   otherwise gen-ual.c is compiled with $CC into the data folder.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
n=${1:-1000000}
m365f=${2:-$top/build/cli/m365f}
data=$here/data
mkdir -p "$data"

for tool in /usr/bin/time sqlite3 "$m365f"; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "run-detect: $tool not found" >&2
		exit 1
	}
done

gen=${GEN:-}
if [ -z "$gen" ]; then
	gen=$data/gen-ual
	if [ ! -x "$gen" ] || [ "$here/gen-ual.c" -nt "$gen" ]; then
		${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -O2 -o "$gen" \
			"$here/gen-ual.c"
	fi
fi
csv=$data/ual-$n.csv
if [ ! -s "$csv" ]; then
	echo "generating $csv ..."
	"$gen" "$n" 1 >"$csv.tmp"
	mv "$csv.tmp" "$csv"
fi
work=$data/detect
mkdir -p "$work"
case=$work/case-$n.db
if [ ! -s "$case" ]; then
	echo "ingesting $csv ..."
	"$m365f" ingest --quiet "$case" "$csv"
fi
events=$(sqlite3 "$case" "SELECT count(*) FROM events")
printf '%d events in %s\n' "$events" "$case"
printf '%-36s %8s %8s %9s %9s\n' "" seconds "CPU s" "RSS MB" findings

# measure NAME ARGS...: one detect run
measure() {
	name=$1
	shift
	rc=0
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" \
		"$m365f" detect "$case" --format jsonl --fail-on none "$@" \
		>"$work/out" 2>"$work/err" || rc=$?
	if [ "$rc" != 0 ]; then
		echo "run-detect: $name: exit $rc" >&2
		grep -v '^{' "$work/err" | tail -5 >&2
	fi
	read -r secs user sys rss <"$work/time"
	awk -v name="$name" -v s="$secs" -v u="$user" -v y="$sys" \
		-v rss="$rss" -v f="$(wc -l <"$work/out")" 'BEGIN {
		printf "%-36s %8.2f %8.2f %9.1f %9d\n", name, s, u + y,
			rss / 1024, f
	}'
}

measure "all detectors"
for cat in persistence defense-evasion exfiltration lateral; do
	measure "$cat" --category "$cat"
done
measure "all detectors (again: replaces)"
echo "slowest detectors of the last run (ms):"
sqlite3 "$case" "SELECT printf('  %-36s %8d', json_extract(value, '\$.id'),
	json_extract(value, '\$.ms')) FROM detect_runs, json_each(detectors)
	WHERE detect_runs.id = (SELECT max(id) FROM detect_runs)
	ORDER BY json_extract(value, '\$.ms') DESC LIMIT 10"
