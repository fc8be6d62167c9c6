-- SPDX-License-Identifier: MIT
-- The m365f case database, schema version 1.
-- Times are INTEGER milliseconds since 1970-01-01 UTC; the views show them
-- as ISO-8601 text. Every table is documented in README.md ("The case").

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

-- One row per evidence file (or buffer) handed to ingest.
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  path        TEXT NOT NULL,      -- as given on the command line
  size        INTEGER NOT NULL,   -- bytes of the file as stored
  sha256      TEXT NOT NULL,      -- of the file's bytes as stored
  format      TEXT NOT NULL,      -- detected export format
  product     TEXT NOT NULL,      -- ual, signin, entra-audit, rules
  encoding    TEXT NOT NULL,      -- utf-8, utf-8-bom, utf-16le, ...
  compression TEXT NOT NULL,      -- none, gzip
  records     INTEGER NOT NULL DEFAULT 0,
  stored      INTEGER NOT NULL DEFAULT 0,
  duplicates  INTEGER NOT NULL DEFAULT 0,
  rejected    INTEGER NOT NULL DEFAULT 0,
  conflicts   INTEGER NOT NULL DEFAULT 0,
  first_time  INTEGER,            -- earliest event time stored
  last_time   INTEGER,            -- latest event time stored
  ingested_at TEXT NOT NULL,      -- UTC, ISO-8601
  lib_version TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'ingested', -- ingested, skipped
                                  -- (not recognized), failed (unreadable,
                                  -- over a limit): nothing stored
  message     TEXT                -- why, when not ingested
);
CREATE INDEX sources_sha256 ON sources(sha256);

-- The normalized timeline: one row per audit record, sign-in, directory
-- audit or rule-dump entry.
CREATE TABLE events (
  id               INTEGER PRIMARY KEY,
  time             INTEGER NOT NULL,
  source_id        INTEGER NOT NULL REFERENCES sources(id),
  line             INTEGER NOT NULL,  -- first physical line of the record
  record_no        INTEGER NOT NULL,  -- 1-based record number in source
  product          TEXT NOT NULL,     -- ual, signin, entra-audit, rules
  workload         TEXT,
  record_type      INTEGER,
  record_type_name TEXT,
  operation        TEXT,
  op_norm          TEXT,              -- operation, lower-case, trailing dot,
                                      -- dashes and spaces folded
  result           TEXT,              -- success, failure, or as written
  result_code      TEXT,
  user             TEXT,              -- lower-cased UPN or actor
  client_ip        TEXT,              -- no port, brackets or ::ffff:
  client_port      INTEGER,
  user_agent       TEXT,
  object           TEXT,
  app_id           TEXT,
  session_id       TEXT,
  token_id         TEXT,              -- unique token identifier
  correlation_id   TEXT,
  record_id        TEXT,              -- product's own record id
  dedup_key        INTEGER,           -- hash of product and record_id
  content_hash     INTEGER,           -- canonical content hash
  raw_offset       INTEGER NOT NULL,  -- byte offset in the decoded source
  raw_length       INTEGER NOT NULL,
  raw              BLOB               -- zlib copy when kept in the case
);

-- Exchange cmdlet Parameters and similar name/value lists.
CREATE TABLE event_params (
  event_id INTEGER NOT NULL REFERENCES events(id),
  name     TEXT NOT NULL,
  value    TEXT
);

-- Modified, extended, operation properties, targets, actors, details.
CREATE TABLE event_props (
  event_id  INTEGER NOT NULL REFERENCES events(id),
  kind      TEXT NOT NULL,
  name      TEXT,
  old_value TEXT,
  new_value TEXT
);

-- Same record id stored twice with different content.
CREATE TABLE conflicts (
  event_id       INTEGER NOT NULL REFERENCES events(id),
  other_event_id INTEGER NOT NULL REFERENCES events(id),
  record_id      TEXT NOT NULL
);

-- Records that could not be read: nothing is dropped silently.
CREATE TABLE rejects (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  line      INTEGER NOT NULL,
  record_no INTEGER NOT NULL,
  field     TEXT,
  col       INTEGER,
  reason    TEXT NOT NULL,
  raw       BLOB
);

-- Entra sign-in details, one row per sign-in event.
CREATE TABLE signin_details (
  event_id              INTEGER PRIMARY KEY REFERENCES events(id),
  kind                  TEXT,   -- interactive, non-interactive,
                                -- service-principal, managed-identity
  app_name              TEXT,
  app_id                TEXT,
  resource_name         TEXT,
  resource_id           TEXT,
  error_code            INTEGER,
  failure_reason        TEXT,
  client_app            TEXT,
  auth_protocol         TEXT,
  auth_requirement      TEXT,
  mfa_result            TEXT,
  mfa_method            TEXT,
  ca_status             TEXT,
  city                  TEXT,
  state                 TEXT,
  country               TEXT,
  latitude              REAL,
  longitude             REAL,
  asn                   INTEGER,
  device_id             TEXT,
  device_name           TEXT,
  os                    TEXT,
  browser               TEXT,
  compliant             INTEGER,
  managed               INTEGER,
  trust_type            TEXT,
  risk_level            TEXT,
  risk_state            TEXT,
  risk_detail           TEXT,
  risk_events           TEXT,
  interactive           INTEGER,
  incoming_token_type   TEXT,
  service_principal_id  TEXT,
  service_principal_name TEXT,
  credential_key_id     TEXT,
  user_display_name     TEXT,
  user_object_id        TEXT,
  user_type             TEXT,
  home_tenant_id        TEXT,
  resource_tenant_id    TEXT,
  cross_tenant          TEXT
);

-- Mailbox rules: from dumps (source_kind 'dump') or reconstructed from
-- audit events (source_kind 'audit').
CREATE TABLE inbox_rules (
  id                    INTEGER PRIMARY KEY,
  event_id              INTEGER REFERENCES events(id),
  source_kind           TEXT NOT NULL,  -- dump, audit
  kind                  TEXT NOT NULL,  -- inbox, forwarding, transport
  action                TEXT,           -- for audit: new, set, enable,
                                        -- disable, remove, update
  time                  INTEGER,
  mailbox               TEXT,
  name                  TEXT,
  identity              TEXT,
  rule_id               TEXT,           -- RuleIdentity, exact text
  enabled               INTEGER,
  priority              INTEGER,
  forward_to            TEXT,           -- addresses, '; '-separated
  forward_as_attachment TEXT,
  redirect_to           TEXT,
  bcc_to                TEXT,
  delete_message        INTEGER,
  soft_delete           INTEGER,
  move_to_folder        TEXT,
  copy_to_folder        TEXT,
  mark_as_read          INTEGER,
  stop_processing       INTEGER,
  cond_from             TEXT,
  cond_subject          TEXT,
  cond_body             TEXT,
  cond_subject_or_body  TEXT,
  cond_has_attachment   INTEGER,
  deliver_and_forward   INTEGER,
  description           TEXT
);

-- Tenant domains (for is_internal()), learned or given.
CREATE TABLE internal_domains (
  domain TEXT PRIMARY KEY,
  origin TEXT NOT NULL             -- learned, given
) WITHOUT ROWID;

-- Findings of the detectors and the events that prove them.
CREATE TABLE detect_runs (
  id         INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  lib_version TEXT NOT NULL,
  detectors  TEXT,                 -- JSON: id, version, parameters
  errors     TEXT
);
CREATE TABLE findings (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER REFERENCES detect_runs(id),
  detector    TEXT NOT NULL,
  title       TEXT NOT NULL,
  category    TEXT NOT NULL,
  severity    TEXT NOT NULL,       -- info, low, medium, high, critical
  attack      TEXT,
  user        TEXT,
  first_time  INTEGER,
  last_time   INTEGER,
  summary     TEXT NOT NULL,
  detail      TEXT                 -- JSON
);
CREATE TABLE finding_events (
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  event_id   INTEGER NOT NULL REFERENCES events(id),
  PRIMARY KEY (finding_id, event_id)
) WITHOUT ROWID;

-- Views for people: ISO-8601 times and joins written once.
CREATE VIEW timeline AS
  SELECT e.id,
         strftime('%Y-%m-%dT%H:%M:%f', e.time / 1000.0, 'unixepoch') || 'Z'
           AS time,
         e.user, e.client_ip, e.operation, e.workload, e.record_type,
         e.record_type_name, e.result, e.result_code, e.object,
         e.user_agent, e.app_id, e.session_id, e.token_id,
         e.correlation_id, e.record_id, e.product,
         s.path AS source, e.line
    FROM events e JOIN sources s ON s.id = e.source_id;

CREATE VIEW sources_view AS
  SELECT id, path, size, sha256, format, product, encoding, compression,
         records, stored, duplicates, rejected, conflicts,
         strftime('%Y-%m-%dT%H:%M:%f', first_time / 1000.0, 'unixepoch')
           || 'Z' AS first_time,
         strftime('%Y-%m-%dT%H:%M:%f', last_time / 1000.0, 'unixepoch')
           || 'Z' AS last_time,
         ingested_at, lib_version, status, message
    FROM sources;

CREATE VIEW rejects_view AS
  SELECT r.id, s.path AS source, r.line, r.record_no, r.field, r.col,
         r.reason, length(r.raw) AS raw_bytes
    FROM rejects r JOIN sources s ON s.id = r.source_id;

CREATE VIEW signins AS
  SELECT e.id,
         strftime('%Y-%m-%dT%H:%M:%f', e.time / 1000.0, 'unixepoch') || 'Z'
           AS time,
         e.user, e.client_ip, e.result, d.*
    FROM events e JOIN signin_details d ON d.event_id = e.id;

CREATE VIEW findings_view AS
  SELECT f.id, f.detector, f.title, f.category, f.severity, f.attack,
         f.user,
         strftime('%Y-%m-%dT%H:%M:%f', f.first_time / 1000.0, 'unixepoch')
           || 'Z' AS first_time,
         strftime('%Y-%m-%dT%H:%M:%f', f.last_time / 1000.0, 'unixepoch')
           || 'Z' AS last_time,
         f.summary,
         (SELECT group_concat(event_id, ',') FROM
            (SELECT event_id FROM finding_events fe
              WHERE fe.finding_id = f.id ORDER BY event_id)) AS events
    FROM findings f;

-- Lateral movement, exfiltration and credential detectors ----------------

-- Offline address facts from a MaxMind-format database the analyst gave
-- (m365f_case_geoip()); origin names the database file.
CREATE TABLE ip_info (
  ip        TEXT PRIMARY KEY,
  country   TEXT,
  city      TEXT,
  latitude  REAL,
  longitude REAL,
  asn       INTEGER,
  as_org    TEXT,
  origin    TEXT NOT NULL
) WITHOUT ROWID;

-- Every authentication in one shape: Entra sign-ins and the audit log's
-- UserLoggedIn/UserLoginFailed (RecordType 15). An audit-log logon that
-- repeats a sign-in of the same user within 5 seconds is left out, so
-- counts are not doubled when both sources are in the case. code is the
-- AADSTS error number (0 = success, -1 = unknown). request_type is
-- 'ual-extended' on audit-log rows: the RequestType is then in
-- event_props (kind 'extended'), looked up only where needed.
CREATE VIEW auth_events AS
  SELECT e.id, e.time, e.user, e.client_ip, e.user_agent,
         coalesce(d.app_id, e.app_id) AS app_id, d.app_name,
         coalesce(d.error_code, -1) AS code, d.failure_reason AS reason,
         d.mfa_result, d.client_app, d.auth_protocol, d.auth_requirement,
         NULL AS request_type, d.ca_status, d.country, d.city, d.latitude,
         d.longitude, d.asn, d.device_id, d.compliant, d.managed,
         d.trust_type, d.risk_level, d.risk_state, d.risk_events,
         d.interactive, e.session_id, e.token_id, 'signin' AS src
    FROM signin_details d CROSS JOIN events e ON e.id = d.event_id
   WHERE e.user IS NOT NULL AND e.user <> ''
  UNION ALL
  SELECT e.id, e.time, e.user, e.client_ip, e.user_agent, e.app_id, NULL,
         CASE WHEN e.op_norm = 'userloggedin' THEN 0
              WHEN e.result_code GLOB '[0-9]*'
                THEN CAST(e.result_code AS INTEGER)
              WHEN e.result_code = 'InvalidUserNameOrPassword' THEN 50126
              WHEN e.result_code = 'IdsLocked' THEN 50053
              WHEN e.result_code = 'UserAccountDisabled' THEN 50057
              WHEN e.result_code = 'CmsiInterrupt' THEN 50199
              ELSE -1 END,
         e.result_code, NULL, NULL, NULL, NULL, 'ual-extended', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, 1, e.session_id, e.token_id, 'ual'
    FROM events e
   WHERE e.op_norm IN ('userloggedin', 'userloginfailed')
     AND e.user IS NOT NULL AND e.user <> ''
     AND (NOT EXISTS (SELECT 1 FROM signin_details)
          OR NOT EXISTS (SELECT 1 FROM events s
                           JOIN signin_details sd ON sd.event_id = s.id
                          WHERE s.user = e.user
                            AND s.time BETWEEN e.time - 5000
                                           AND e.time + 5000));

-- Where each address was: the location its latest sign-in gave it anywhere
-- in the case (so audit-log events from the same address get one), else
-- the MaxMind database's answer.
CREATE VIEW ip_locations AS
  SELECT ip, country, city, latitude, longitude, asn, origin FROM (
    SELECT e.client_ip AS ip, d.country, d.city, d.latitude, d.longitude,
           d.asn, 'signin' AS origin, max(e.time) AS seen
      FROM events e JOIN signin_details d ON d.event_id = e.id
     WHERE e.client_ip IS NOT NULL AND e.client_ip <> ''
       AND (d.country IS NOT NULL OR d.latitude IS NOT NULL)
     GROUP BY e.client_ip)
  UNION ALL
  SELECT i.ip, i.country, i.city, i.latitude, i.longitude, i.asn, i.origin
    FROM ip_info i
   WHERE NOT EXISTS (SELECT 1 FROM events e
                       JOIN signin_details d ON d.event_id = e.id
                      WHERE e.client_ip = i.ip
                        AND (d.country IS NOT NULL
                             OR d.latitude IS NOT NULL));
