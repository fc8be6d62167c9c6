#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Every export format round-trips its documented fields: the JSON lines
# export is the reference (the timeline), and the CSV, Timesketch (JSONL
# and CSV) and ECS exports must carry the same values under their own
# names; the indicator exports agree with each other.
# usage: export-roundtrip.py M365F TESTDATA BUILDDIR
import csv
import io
import json
import os
import shutil
import subprocess
import sys

m365f, testdata, build = (os.path.abspath(a) for a in sys.argv[1:4])
work = os.path.join(build, 'export-roundtrip')
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def run(*args):
    r = subprocess.run([m365f] + list(args), cwd=work, capture_output=True)
    if r.returncode not in (0, 4):
        sys.exit('%s: exit %d: %s' % (' '.join(args), r.returncode,
                                       r.stderr.decode(errors='replace')))
    return r.stdout.decode('utf-8')


def check(what, got, want):
    if got != want:
        failures.append('%s: %r != %r' % (what, got, want))


for b in ('compromised.zip', 'clean'):
    src = os.path.join(testdata, 'bundles', b)
    (shutil.copytree if os.path.isdir(src) else shutil.copy)(
        src, os.path.join(work, b))
run('ingest', '--quiet', 'c.db', 'compromised.zip', 'clean')
run('sql', '--write', 'c.db',
    "INSERT INTO findings(id, detector, title, category, severity, user,"
    " first_time, last_time, summary) SELECT 1, 't', 't', 'persistence',"
    " 'high', user, min(time), max(time), 's' FROM events"
    " WHERE client_ip = '185.220.101.47';"
    " INSERT INTO finding_events SELECT 1, id FROM events"
    " WHERE client_ip = '185.220.101.47'")

ref = [json.loads(x) for x in run('export', 'c.db', '--format',
                                  'jsonl').splitlines()]
if len(ref) != 12:
    failures.append('expected 12 events, got %d' % len(ref))
by_id = {r['id']: r for r in ref}


def shown(v):
    """What the CSV sink shows for a text value (formula cells get a
    leading quote, controls are made visible): None when it differs."""
    if v is None:
        return ''
    if not isinstance(v, str):
        return str(v)
    if any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 or
           c in '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069'
           for c in v):
        return None
    if isinstance(v, str) and v[:1] in ('=', '+', '-', '@', '|', '%'):
        return "'" + v
    return str(v)


# CSV: same columns as the JSON lines, values as text
rows = list(csv.DictReader(io.StringIO(run('export', 'c.db', '--format',
                                           'csv'), newline='')))
check('csv rows', len(rows), len(ref))
for row, r in zip(rows, ref):
    for k, v in r.items():
        want = shown(v)
        if want is not None:
            check('csv %s' % k, row[k], want)

# Timesketch JSONL: message, datetime, timestamp (µs), timestamp_desc
for line in run('export', 'c.db', '--format', 'timesketch').splitlines():
    t = json.loads(line)
    r = by_id[t['event_id']]
    check('ts datetime', t['datetime'], r['time'])
    check('ts desc', t['timestamp_desc'], 'Audit Record Creation Time')
    check('ts message', t['message'].startswith(r['operation']), True)
    for k, v in r.items():
        if k not in ('id', 'time'):
            check('ts %s' % k, t[k], v)

# Timesketch CSV: the same rows as CSV
ts_csv = list(csv.DictReader(io.StringIO(
    run('export', 'c.db', '--format', 'timesketch-csv'), newline='')))
check('ts csv rows', len(ts_csv), len(ref))
for row in ts_csv:
    r = by_id[int(row['event_id'])]
    check('ts csv datetime', row['datetime'], r['time'])
    if not row['timestamp'].isdigit():
        failures.append('timestamp not digits: %r' % row['timestamp'])

# ECS: action line, then the document; every timeline field has a home
lines = run('export', 'c.db', '--format', 'ecs').splitlines()
check('ecs lines', len(lines), 2 * len(ref))
for action, doc in zip(lines[0::2], lines[1::2]):
    a, d = json.loads(action), json.loads(doc)
    r = by_id[d['m365f']['event_id']]
    check('ecs _id', a['create']['_id'],
          '%s-%s' % (r['product'], r['record_id']))
    check('ecs @timestamp', d['@timestamp'], r['time'])
    check('ecs user.name', d.get('user', {}).get('name'), r['user'])
    check('ecs source.ip', d.get('source', {}).get('ip'), r['client_ip'])
    check('ecs event.action', d['event'].get('action'), r['operation'])
    check('ecs event.provider', d['event'].get('provider'), r['workload'])
    check('ecs event.id', d['event'].get('id'), r['record_id'])
    check('ecs event.code', d['event'].get('code'),
          None if r['record_type'] is None else str(r['record_type']))
    check('ecs event.dataset', d['event']['dataset'], 'm365f.' + r['product'])
    check('ecs cloud.service.name',
          d['cloud'].get('service', {}).get('name'), r['workload'])
    check('ecs user_agent', d.get('user_agent', {}).get('original'),
          r['user_agent'])
    check('ecs log.file.path', d['log']['file']['path'], r['source'])
    m = d['m365f']
    check('ecs m365f.result', m.get('result'), r['result'])
    check('ecs m365f.object', m.get('object'), r['object'])
    check('ecs m365f.app_id', m.get('app_id'), r['app_id'])
    check('ecs m365f.session_id', m.get('session_id'), r['session_id'])
    check('ecs m365f.source_line', m.get('source_line'), r['line'])
    if d['event']['outcome'] not in ('success', 'failure', 'unknown'):
        failures.append('ecs outcome %r' % d['event']['outcome'])

# a filtered slice is the same slice in every format
sl = run('export', 'c.db', '--format', 'jsonl', '--user',
         'mia.jensen@northwind-traders.com').splitlines()
ecs_sl = run('export', 'c.db', '--format', 'ecs', '--user',
             'mia.jensen@northwind-traders.com').splitlines()
check('slice', len(sl), 5)
check('slice ecs', len(ecs_sl), 2 * len(sl))

# indicators: CSV and JSON lines agree
i_csv = list(csv.DictReader(io.StringIO(
    run('export', 'c.db', '--format', 'iocs'), newline='')))
i_js = [json.loads(x) for x in run('export', 'c.db', '--format',
                                   'iocs-jsonl').splitlines()]
check('iocs rows', len(i_csv), len(i_js))
for c, j in zip(i_csv, i_js):
    for k in ('type', 'first_seen', 'last_seen', 'users'):
        check('iocs %s' % k, c[k], j[k])
    check('iocs count', int(c['count']), j['count'])
    want = shown(j['value'])
    if want is not None:
        check('iocs value', c['value'], want)
types = {j['type'] for j in i_js}
for t in ('ip', 'user_agent', 'app_id', 'forwarding_address', 'rule_name'):
    if t not in types:
        failures.append('no indicator of type %s' % t)

for f in failures:
    print(f)
print('%d events, %d failures' % (len(ref), len(failures)))
sys.exit(1 if failures else 0)
