#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# ual_normalize.py - the ingest benchmark's reference: a plain Python stdlib
# (csv, json, sqlite3, hashlib) load of a Purview audit-log CSV doing the
# same normalization, dedup and indexing as m365f ingest, into the same schema.
"""usage: ual_normalize.py CASE.db EXPORT.csv"""
import csv
import datetime
import hashlib
import ipaddress
import json
import os
import re
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(HERE, "..", "..", "libm365forensics")
EPOCH = datetime.datetime(1970, 1, 1)
BATCH = 5000


def rectypes():
    names = {}
    with open(os.path.join(LIB, "recordtypes.tsv"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0].isdigit():
                names[int(parts[0])] = parts[1]
    return names


def parse_time(s):
    s = s.strip().rstrip("Z")
    if "." in s:
        s, frac = s.split(".", 1)
        ms = int((frac + "000")[:3])
    else:
        ms = 0
    t = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S")
    return int((t - EPOCH).total_seconds()) * 1000 + ms


def norm_ip(s):
    s = s.strip()
    port = None
    if s.startswith("["):
        addr, _, rest = s[1:].partition("]")
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
        s = addr
    elif s.count(":") == 1 and "." in s.split(":")[0]:
        s, p = s.split(":")
        port = int(p) if p.isdigit() else None
    try:
        a = ipaddress.ip_address(s.split("%")[0])
    except ValueError:
        return s[:63], None
    if a.version == 6 and a.ipv4_mapped:
        a = a.ipv4_mapped
    return str(a), port


OP_SPACE = re.compile(r"[ \t\r\n\u00a0]+")


def op_norm(op):
    op = op.replace("\u2013", "-").replace("\u2014", "-")
    return OP_SPACE.sub(" ", op).strip().lower().rstrip(". ")


def text(v):
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v, separators=(",", ":"))


def as_list(v):
    if isinstance(v, str) and v.lstrip()[:1] in ("[", "{"):
        try:
            return json.loads(v)
        except ValueError:
            return None
    return v if isinstance(v, (list, dict)) else None


def props(audit, key, kind):
    v = as_list(audit.get(key))
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            out.append((kind, k, None, text(x)))
    elif isinstance(v, list):
        for it in v:
            if not isinstance(it, dict):
                out.append((kind, None, None, text(it)))
                continue
            name = text(it.get("Name", it.get("ID")))
            new = text(it.get("NewValue", it.get("Value")))
            out.append((kind, name, text(it.get("OldValue")), new))
    return out


def key64(data):
    v = int.from_bytes(hashlib.sha256(data).digest()[:8], "big")
    v &= 0x7FFFFFFFFFFFFFFF
    return v or 1


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__ + "\n")
        return 2
    names = rectypes()
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("PRAGMA page_size=16384")
    with open(os.path.join(LIB, "schema.sql"), encoding="utf-8") as f:
        db.executescript(f.read())
    db.execute("PRAGMA journal_mode=TRUNCATE")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("BEGIN")
    db.execute("INSERT INTO sources(path, size, sha256, format, product,"
               " encoding, compression, ingested_at, lib_version)"
               " VALUES (?, ?, '', 'ual-purview-csv', 'ual', 'utf-8',"
               " 'none', '', 'python')",
               (sys.argv[2], os.path.getsize(sys.argv[2])))
    seen = {}
    events, params, eprops, rejects = [], [], [], []
    counts = {"records": 0, "stored": 0, "duplicates": 0, "rejected": 0}
    sha = hashlib.sha256()
    eid = 0

    def flush():
        db.executemany("INSERT INTO events(id, time, source_id, line,"
                       " record_no, product, workload, record_type,"
                       " record_type_name, operation, op_norm, result,"
                       " result_code, user, client_ip, client_port,"
                       " user_agent, object, app_id, session_id, token_id,"
                       " correlation_id, record_id, dedup_key,"
                       " content_hash, raw_offset, raw_length) VALUES"
                       " (?,?,1,?,?,'ual',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                       "?,?,?,?,?)", events)
        db.executemany("INSERT INTO event_params(event_id, name, value)"
                       " VALUES (?,?,?)", params)
        db.executemany("INSERT INTO event_props(event_id, kind, name,"
                       " old_value, new_value) VALUES (?,?,?,?,?)", eprops)
        db.executemany("INSERT INTO rejects(source_id, line, record_no,"
                       " reason, raw) VALUES (1,?,?,?,?)", rejects)
        for lst in (events, params, eprops, rejects):
            lst.clear()

    with open(sys.argv[2], "rb") as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            sha.update(block)
    with open(sys.argv[2], newline="", encoding="utf-8-sig") as f:
        csv.field_size_limit(64 << 20)
        rd = csv.reader(f)
        header = [h.strip().lower() for h in next(rd)]
        col = {h: i for i, h in enumerate(header)}
        ad_col = col["auditdata"]
        for recno, row in enumerate(rd, 1):
            counts["records"] += 1
            line = rd.line_num
            try:
                audit = json.loads(row[ad_col])
                ms = parse_time(audit["CreationTime"])
            except (ValueError, KeyError, IndexError, TypeError) as e:
                rejects.append((line, recno, str(e), ",".join(row)))
                counts["rejected"] += 1
                continue
            rid = text(audit.get("Id"))
            canon = json.dumps(audit, sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False).encode()
            chash = key64(canon)
            dkey = key64(b"ual\0" + rid.encode() + b"\0") if rid else None
            if dkey is not None and chash in seen.get(dkey, ()):
                counts["duplicates"] += 1
                continue
            eid += 1
            if dkey is not None:
                seen.setdefault(dkey, set()).add(chash)
            rt = audit.get("RecordType")
            ext = props(audit, "ExtendedProperties", "extended")
            dev = props(audit, "DeviceProperties", "device")
            allp = (props(audit, "ModifiedProperties", "modified") + ext +
                    props(audit, "OperationProperties", "operation") + dev +
                    props(audit, "Actor", "actor") +
                    props(audit, "Target", "target"))
            ua = text(audit.get("UserAgent"))
            if ua is None:
                ua = next((p[3] for p in ext if p[1] == "UserAgent"), None)
            if ua is None:
                ua = text(audit.get("ClientInfoString"))
            ip = (audit.get("ClientIP") or audit.get("ClientIPAddress") or
                  audit.get("ActorIpAddress"))
            port = None
            if ip:
                ip, port = norm_ip(ip)
            op = text(audit.get("Operation"))
            user = text(audit.get("UserId"))
            ctx = audit.get("AppAccessContext") or {}
            session = text(audit.get("SessionId"))
            if session is None:
                session = next((p[3] for p in dev if p[1] == "SessionId"),
                               None)
            events.append((
                eid, ms, line, recno, text(audit.get("Workload")), rt,
                names.get(rt), op, op_norm(op) if op else None,
                text(audit.get("ResultStatus")),
                text(audit.get("ErrorNumber") or audit.get("LogonError")),
                user.lower() if user else None, ip, port, ua,
                text(audit.get("ObjectId")),
                text(audit.get("AppId") or audit.get("ApplicationId") or
                     audit.get("ClientAppId")),
                session, ctx.get("UniqueTokenId"),
                text(audit.get("CorrelationId")), rid, dkey, chash, 0, 0))
            for p in as_list(audit.get("Parameters")) or []:
                if isinstance(p, dict):
                    params.append((eid, text(p.get("Name")) or "",
                                   text(p.get("Value"))))
            for p in allp:
                eprops.append((eid,) + p)
            counts["stored"] += 1
            if len(events) >= BATCH:
                flush()
    flush()
    db.execute("UPDATE sources SET sha256 = ?, records = ?, stored = ?,"
               " duplicates = ?, rejected = ? WHERE id = 1",
               (sha.hexdigest(), counts["records"], counts["stored"],
                counts["duplicates"], counts["rejected"]))
    db.execute("COMMIT")
    with open(os.path.join(LIB, "indexes.sql"), encoding="utf-8") as f:
        db.executescript(f.read())
    db.close()
    print("%(records)d records: %(stored)d stored, %(duplicates)d duplicates,"
          " %(rejected)d rejected" % counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
