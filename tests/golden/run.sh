#!/bin/sh
# SPDX-License-Identifier: MIT
# Run one golden CLI case: tests/golden/<case>/cmd is a shell snippet run in
# a fresh temporary folder with $M365F (the binary), $TESTDATA (the
# testdata folder) and $CORPUS (the shared corpus, may be absent) set; its
# stdout, stderr and exit status must equal the files stdout, stderr and
# exit of the case. Absolute paths of those folders and of the run's
# temporary folder are replaced by $TESTDATA, $CORPUS and $TMP in the
# output before the comparison. UPDATE_GOLDEN=1 rewrites them instead (review the diff
# like code). A cmd that exits 77 is a skip.
set -u
m365f=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
case_dir=$2
testdata=$3
corpus=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp "$case_dir/cmd" "$tmp/cmd"
( cd "$tmp" && M365F="$m365f" TESTDATA="$testdata" CORPUS="$corpus" \
  LC_ALL=C TZ=UTC sh ./cmd >"$tmp/out" 2>"$tmp/err" </dev/null )
code=$?
[ "$code" = 77 ] && exit 77
echo "$code" >"$tmp/exit"
# the run's own folders never appear in a golden: absolute paths of the
# testdata, the corpus and the temporary folder are written as variables
python3 - "$tmp/out" "$tmp/err" "$testdata" "$corpus" "$tmp" <<'PY'
import sys
files, subs = sys.argv[1:3], [(sys.argv[3], '$TESTDATA'),
                              (sys.argv[4], '$CORPUS'), (sys.argv[5], '$TMP')]
for f in files:
    data = open(f, 'rb').read()
    for old, new in subs:
        if old:
            data = data.replace(old.encode(), new.encode())
    open(f, 'wb').write(data)
PY
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$tmp/out" "$case_dir/stdout"
	cp "$tmp/err" "$case_dir/stderr"
	cp "$tmp/exit" "$case_dir/exit"
	exit 0
fi
fail=0
for f in stdout:out stderr:err exit:exit; do
	want=${f%%:*}
	got=${f#*:}
	if ! diff -u "$case_dir/$want" "$tmp/$got" >"$tmp/diff"; then
		echo "golden $(basename "$case_dir"): $want differs:"
		cat "$tmp/diff"
		fail=1
	fi
done
exit $fail
