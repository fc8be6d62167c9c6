#!/bin/sh
# SPDX-License-Identifier: MIT
# The HTML report renders in headless Chromium (Debian's chromium package,
# installed here when missing and we may): no console message at all (the
# report's Content-Security-Policy turns any injected script, image or
# font into one), the findings and the chart are in the rendered page, and
# a screenshot is kept in the build folder.
# usage: chromium.sh M365F TESTDATA BUILDDIR
set -u
m365f=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
testdata=$2
out=$3/report-render
if ! command -v chromium >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium >/dev/null 2>&1
	fi
fi
command -v chromium >/dev/null 2>&1 || { echo "no chromium: skipped"; exit 77; }
rm -rf "$out"
mkdir -p "$out" || exit 99
cp "$testdata/bundles/compromised.zip" "$out/" || exit 99
cd "$out" || exit 99
# the whole flow: triage (ingest and the built-in detectors), then the
# report of the case it wrote
"$m365f" triage --quiet --format csv compromised.zip >/dev/null 2>&1
[ -f compromised.zip.case.db ] || exit 99
mv compromised.zip.case.db c.db
"$m365f" report c.db -o report.html || exit 1
run() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--no-first-run --user-data-dir="$out/profile" \
		--enable-logging=stderr --v=0 "$@" "file://$out/report.html"
}
run --dump-dom >dom.html 2>console.log
run --screenshot="$out/report.png" --window-size=1280,4000 \
	>/dev/null 2>>console.log
fail=0
if grep ':CONSOLE' console.log; then
	echo "console messages while rendering (above)"
	fail=1
fi
for want in 'class="finding sev-high"' '<svg' 'Containment checklist' \
	'Remove-InboxRule' 'ledger.sync@northwind-traders-billing.com'; do
	grep -qF "$want" dom.html || { echo "rendered page lacks: $want"; fail=1; }
done
if grep -q '<script>alert\|<img src' dom.html; then
	echo "a script element made it into the page"
	fail=1
fi
[ -s report.png ] || { echo "no screenshot"; fail=1; }
[ $fail = 0 ] && echo "rendered, no console message; screenshot $out/report.png"
exit $fail
