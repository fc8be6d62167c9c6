#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - run every libFuzzer target of a -Dfuzz=true build for SECONDS
# each, seeded from the same folders the replay tests use, with the
# dictionary of format tokens. Corpora grow in BUILD/fuzz-corpus/<target>;
# crashes land in tests/fuzz/artifacts/ (copy each into regress/<target>/
# once fixed). Prints executions and coverage per target.
# usage: tests/fuzz/run.sh BUILD [SECONDS] [TARGET...]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$1
secs=${2:-60}
shift $(($# > 1 ? 2 : 1))
targets=${*:-"ingest sniff ual-csv ual-json jtok signin-csv rules-csv timefmt
ipaddr input detector archive"}
td=$top/testdata

seeds() {
	case $1 in
	ingest|sniff) echo "$td" ;;
	ual-csv) echo "$td/ual $td/invalid" ;;
	ual-json) echo "$here/seeds/ual-json $td/ual" ;;
	jtok) echo "$here/seeds/jtok $here/seeds/ual-json $td/ual $td/invalid" ;;
	signin-csv) echo "$td/entra" ;;
	rules-csv) echo "$td/rules" ;;
	timefmt|ipaddr) echo "$here/seeds/$1" ;;
	input) echo "$td/ual $td/invalid $td/entra $td/rules" ;;
	detector) echo "$top/libm365forensics/detectors" ;;
	archive) echo "$td/bundles" ;;
	esac
}

mkdir -p "$here/artifacts"
printf '%-12s %12s %8s %8s %s\n' target executions cov ft crashes
for t in $targets; do
	exe=$build/tests/fuzz/fuzz-$t
	corpus=$build/fuzz-corpus/$t
	mkdir -p "$corpus"
	log=$build/fuzz-$t.log
	regress=
	[ -d "$here/regress/$t" ] && regress=$here/regress/$t
	# shellcheck disable=SC2046
	"$exe" -max_total_time="$secs" -dict="$here/m365f.dict" \
		-max_len=65536 -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 \
		-artifact_prefix="$here/artifacts/$t-" \
		"$corpus" $(seeds "$t") $regress >"$log" 2>&1 || true
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	crashes=$(ls "$here/artifacts" | grep -c "^$t-" || true)
	printf '%-12s %12s %8s %8s %s\n' "$t" "${execs:-?}" "${cov:-?}" \
		"${ft:-?}" "$crashes"
done
