#!/bin/sh
# SPDX-License-Identifier: MIT
# run-ingest.sh - the ingest benchmark: generate a Purview audit-log CSV of
# RECORDS records (default 1,000,000; kept in tests/bench/data/), then load
# it with `sqlite3 .import` (raw, no normalization), the Python stdlib
# reference script and `m365f ingest` (--keep-raw=ref and copy), printing
# seconds, CPU seconds (user + system: the fair figure on a busy machine),
# records/s, MB/s, peak RSS and case size for each.
#
# usage: tests/bench/run-ingest.sh [RECORDS] [M365F]
#   M365F defaults to build/cli/m365f; GEN (env) to a gen-ual binary,
#   otherwise gen-ual.c is compiled with $CC into the data folder.
#   ROUNDS (env, default 1) runs .import and m365f (ref) that many times,
#   one after the other, and compares their medians: on a shared virtual
#   machine the speed of the CPU changes from minute to minute.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
n=${1:-1000000}
m365f=${2:-$top/build/cli/m365f}
data=$here/data
mkdir -p "$data"

for tool in /usr/bin/time sqlite3 python3 "$m365f"; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "run-ingest: $tool not found" >&2
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
bytes=$(wc -c <"$csv")
work=$data/run
rm -rf "$work"
mkdir -p "$work"

# measure NAME DB COMMAND...: run with /usr/bin/time, print one row
measure() {
	name=$1
	db=$2
	shift 2
	rm -f "$db" "$db-journal"
	sync
	/usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/out" 2>&1 || {
		echo "run-ingest: $name failed:" >&2
		tail -5 "$work/out" >&2
		exit 1
	}
	read -r secs rss usr sys <"$work/time"
	size=$(wc -c <"$db")
	cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')
	echo "$name $secs $cpu $rss $size" >>"$work/results"
	awk -v name="$name" -v s="$secs" -v c="$cpu" -v rss="$rss" -v n="$n" \
		-v b="$bytes" -v size="$size" 'BEGIN {
		if (s <= 0) s = 0.01
		printf "%-30s %8.2f %8.2f %10.0f %8.1f %9.1f %9.1f\n", name,
			s, c, n / s, b / s / 1e6, rss / 1024, size / 1e6
	}'
}

printf '%d records, %.1f MB (%s), load average %s\n' "$n" \
	"$(echo "$bytes" | awk '{ print $1 / 1e6 }')" "$csv" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-30s %8s %8s %10s %8s %9s %9s\n' "" seconds "cpu s" \
	records/s MB/s "RSS MB" "case MB"
: >"$work/results"
rounds=${ROUNDS:-1}
r=0
while [ "$r" -lt "$rounds" ]; do
	measure "sqlite3 .import (raw)" "$work/import.db" \
		sqlite3 -csv "$work/import.db" ".import '$csv' ual"
	measure "m365f ingest --keep-raw=ref" "$work/ref.db" \
		"$m365f" ingest --quiet "$work/ref.db" "$csv"
	r=$((r + 1))
done
measure "python stdlib (normalize)" "$work/python.db" \
	python3 "$here/ual_normalize.py" "$work/python.db" "$csv"
measure "m365f ingest --keep-raw=copy" "$work/copy.db" \
	"$m365f" ingest --quiet --keep-raw=copy "$work/copy.db" "$csv"
# medians per name (the name is all but the last four fields)
awk '{ k = $1; for (f = 2; f <= NF - 4; f++) k = k " " $f
	n[k]++; t[k, n[k]] = $(NF - 3); c[k, n[k]] = $(NF - 2) }
function median(a, k, m,   i, j, x, v) {
	for (i = 1; i <= m; i++) v[i] = a[k, i]
	for (i = 2; i <= m; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			x = v[j]; v[j] = v[j - 1]; v[j - 1] = x
		}
	return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
}
END {
	i = "sqlite3 .import (raw)"; p = "python stdlib (normalize)"
	r = "m365f ingest --keep-raw=ref"
	ti = median(t, i, n[i]); tr = median(t, r, n[r])
	ci = median(c, i, n[i]); cr = median(c, r, n[r])
	if (n[r] > 1)
		printf "medians of %d rounds: .import %.2f s, m365f (ref) %.2f s\n",
			n[r], ti, tr
	printf "m365f (ref) vs .import: %.2fx wall, %.2fx cpu;", ti / tr,
		ci / cr
	printf " vs python: %.2fx wall, %.2fx cpu\n", t[p, 1] / tr,
		c[p, 1] / cr
}' "$work/results"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
