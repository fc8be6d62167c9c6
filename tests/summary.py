#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Count the results of meson test runs (their testlog.json files), and the
# lint step as one more test when --lint pass|fail is given, and print one
# closing line: "N passed, N failed, N skipped".
import json
import os
import sys

passed = failed = skipped = 0
args = sys.argv[1:]
if len(args) >= 2 and args[0] == '--lint':
    if args[1] == 'pass':
        passed += 1
    else:
        failed += 1
        print('lint failed')
    args = args[2:]
for build in args:
    log = os.path.join(build, 'meson-logs', 'testlog.json')
    if not os.path.exists(log):
        failed += 1
        print('no test log in %s' % build)
        continue
    with open(log, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line).get('result', '')
            if r in ('OK', 'EXPECTEDFAIL'):
                passed += 1
            elif r == 'SKIP':
                skipped += 1
            else:
                failed += 1
print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
