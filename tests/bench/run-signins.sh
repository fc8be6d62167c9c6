#!/bin/sh
# SPDX-License-Identifier: MIT
# run-signins.sh - the sign-in ingest benchmark: generate an Entra portal
# sign-in CSV of RECORDS rows (default 1,000,000; kept in tests/bench/data/)
# and load it with `sqlite3 .import` (raw, no normalization) and
# `m365f ingest`, printing seconds, records/s, MB/s, peak RSS and case size.
#
# usage: tests/bench/run-signins.sh [RECORDS] [M365F]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
n=${1:-1000000}
m365f=${2:-$top/build/cli/m365f}
data=$here/data
mkdir -p "$data"

for tool in /usr/bin/time sqlite3 python3 "$m365f"; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "run-signins: $tool not found" >&2
		exit 1
	}
done

csv=$data/signins-$n.csv
if [ ! -s "$csv" ]; then
	echo "generating $csv ..."
	python3 "$here/gen-signins.py" "$n" 1 >"$csv.tmp"
	mv "$csv.tmp" "$csv"
fi
bytes=$(wc -c <"$csv")
work=$data/run-signins
rm -rf "$work"
mkdir -p "$work"

measure() {
	name=$1
	db=$2
	shift 2
	rm -f "$db" "$db-journal"
	sync
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>&1 || {
		echo "run-signins: $name failed:" >&2
		tail -5 "$work/out" >&2
		exit 1
	}
	read -r secs rss <"$work/time"
	size=$(wc -c <"$db")
	awk -v name="$name" -v s="$secs" -v rss="$rss" -v n="$n" \
		-v b="$bytes" -v size="$size" 'BEGIN {
		if (s <= 0) s = 0.01
		printf "%-30s %8.2f %10.0f %8.1f %9.1f %9.1f\n", name, s,
			n / s, b / s / 1e6, rss / 1024, size / 1e6
	}'
}

printf '%d rows, %.1f MB (%s)\n' "$n" "$(echo "$bytes" |
	awk '{ print $1 / 1e6 }')" "$csv"
printf '%-30s %8s %10s %8s %9s %9s\n' "" seconds records/s MB/s \
	"RSS MB" "case MB"
measure "sqlite3 .import (raw)" "$work/import.db" \
	sqlite3 -csv "$work/import.db" ".import '$csv' signins"
measure "m365f ingest" "$work/ref.db" \
	"$m365f" ingest --quiet "$work/ref.db" "$csv"
"$m365f" sources --format csv "$work/ref.db" | cut -d, -f5,10-13
