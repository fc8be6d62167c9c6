#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# kill-ingest.py - crash safety: `m365f ingest` killed with SIGKILL at
# several moments leaves a case that passes PRAGMA integrity_check and
# holds only whole sources; ingesting the same folder again completes it,
# with nothing lost or doubled (compared with an ingest never killed).
# usage: kill-ingest.py M365F WORKDIR
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

FILES, RECORDS = 4, 2500
DELAYS = (0.05, 0.2, 0.5, 1.0)
HDR = ("RecordId,CreationDate,RecordType,Operation,UserId,AuditData,"
       "AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n")


def make_evidence(folder):
    """FILES exports; each repeats 10% of the previous one (overlap)."""
    os.makedirs(folder)
    n = 0
    for f in range(FILES):
        with open(os.path.join(folder, "export-%d.csv" % f), "w",
                  newline="", encoding="utf-8") as out:
            out.write(HDR)
            first = max(0, n - RECORDS // 10)
            for i in range(first, n + RECORDS):
                rid = "00000000-0000-4000-8000-%012d" % i
                audit = {
                    "CreationTime": "2024-03-%02dT%02d:%02d:%02d" % (
                        1 + i // 86400 % 28, i // 3600 % 24, i // 60 % 60,
                        i % 60),
                    "Id": rid, "Operation": "FileAccessed",
                    "RecordType": 6, "UserId": "user%d@contoso.com" % (i % 50),
                    "Workload": "SharePoint", "ClientIP": "10.0.%d.%d" % (
                        i // 250 % 250, i % 250),
                    "ObjectId": "https://contoso.sharepoint.com/f%d" % i,
                    "ExtendedProperties": [{"Name": "UserAgent",
                                            "Value": "agent %d" % (i % 7)}],
                    "Padding": "x" * 600,
                }
                ad = json.dumps(audit, separators=(",", ":"))
                out.write('%s,2024-03-01T00:00:00Z,6,FileAccessed,u,"%s",,\r\n'
                          % (rid, ad.replace('"', '""')))
        n += RECORDS


def check_whole(db_path):
    """The case opens, is intact, and every source in it is whole."""
    db = sqlite3.connect(db_path)
    ok = db.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        raise SystemExit("integrity_check: %s" % ok)
    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if tables == 0:
        # killed before the schema was committed: an empty database,
        # which the next ingest makes a case
        db.close()
        return 0
    for sid, path, records, stored, dup, rej in db.execute(
            "SELECT id, path, records, stored, duplicates, rejected"
            " FROM sources"):
        events = db.execute("SELECT count(*) FROM events WHERE source_id=?",
                            (sid,)).fetchone()[0]
        rejects = db.execute("SELECT count(*) FROM rejects WHERE"
                             " source_id=?", (sid,)).fetchone()[0]
        if stored + dup + rej != records or events != stored or \
                rejects != rej:
            raise SystemExit("%s is not whole: %d records, %d stored (%d"
                             " events), %d duplicates, %d rejected" % (
                                 path, records, stored, events, dup, rej))
    shas = db.execute("SELECT count(*), count(DISTINCT sha256) FROM"
                      " sources").fetchone()
    if shas[0] != shas[1]:
        raise SystemExit("a source is in the case twice")
    n = db.execute("SELECT count(*) FROM sources").fetchone()[0]
    db.close()
    return n


def content(db_path):
    db = sqlite3.connect(db_path)
    ids = db.execute("SELECT record_id, count(*) FROM events GROUP BY"
                     " record_id ORDER BY record_id").fetchall()
    idx = db.execute("SELECT count(*) FROM sqlite_master WHERE type ="
                     " 'index' AND name NOT LIKE 'sqlite_%'").fetchone()[0]
    counts = db.execute("SELECT sum(records), sum(stored),"
                        " sum(duplicates), sum(rejected) FROM"
                        " sources").fetchone()
    db.close()
    return ids, idx, counts


def main():
    m365f, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    evidence = os.path.join(work, "evidence")
    make_evidence(evidence)
    ref = os.path.join(work, "ref.db")
    subprocess.run([m365f, "ingest", "--quiet", ref, evidence], check=True)
    want = content(ref)
    if len(want[0]) != FILES * RECORDS or any(c != 1 for _, c in want[0]):
        raise SystemExit("reference ingest is wrong: %d ids" % len(want[0]))
    killed = 0
    for delay in DELAYS:
        case = os.path.join(work, "case-%g.db" % delay)
        p = subprocess.Popen([m365f, "ingest", "--quiet", case, evidence])
        time.sleep(delay)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait()
        if os.path.exists(case):
            whole = check_whole(case)
            print("killed after %gs: %d whole sources" % (delay, whole))
        subprocess.run([m365f, "ingest", "--quiet", case, evidence],
                       check=True)
        check_whole(case)
        got = content(case)
        if got != want:
            raise SystemExit("after a kill at %gs the case differs: %d ids"
                             " (want %d), %d indexes (want %d), counts %s"
                             " (want %s)" % (delay, len(got[0]),
                                             len(want[0]), got[1], want[1],
                                             got[2], want[2]))
    print("%d of %d runs killed; every case whole and complete after"
          " ingesting again" % (killed, len(DELAYS)))
    if not killed:
        print("ingest finished before every kill: nothing tested")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
