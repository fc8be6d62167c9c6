-- SPDX-License-Identifier: MIT
-- id: x03-mail-items-accessed
-- title: MailItemsAccessed volume, throttling or bulk access
-- category: exfiltration
-- severity: high
-- attack: T1114.002
-- description: MailItemsAccessed records marked IsThrottled=True (the
--   mailbox audit stopped recording detail: a sign of bulk access), one
--   record with OperationCount of at least min_count items, or more than
--   max_per_day records for one user in one UTC day.
-- false-positives: a new Outlook profile downloading the mailbox;
--   eDiscovery and backup tools.
-- param: min_count = 100
-- param: max_per_day = 1000
WITH mia AS (
  SELECT e.id, e.time, e.user, e.client_ip,
         (SELECT p.new_value FROM event_props p WHERE p.event_id = e.id
            AND p.kind = 'operation' AND p.name = 'IsThrottled') AS thr,
         (SELECT p.new_value FROM event_props p WHERE p.event_id = e.id
            AND p.kind = 'operation' AND p.name = 'MailAccessType') AS acc,
         CAST((SELECT p.new_value FROM event_props p WHERE p.event_id = e.id
            AND p.kind = 'field' AND p.name = 'OperationCount') AS INTEGER)
           AS n
    FROM events e
   WHERE e.op_norm = 'mailitemsaccessed' AND e.user IS NOT NULL),
hits AS (
  SELECT id, time, user, client_ip, 'throttled' AS why FROM mia
   WHERE lower(thr) = 'true'
  UNION ALL
  SELECT id, time, user, client_ip, printf('%d items in one record', n)
    FROM mia WHERE n >= CAST(param('min_count', 100) AS INTEGER)
  UNION ALL
  SELECT id, time, user, client_ip, 'over max_per_day records' FROM mia
   WHERE (user, time / 86400000) IN (
     SELECT user, time / 86400000 FROM mia GROUP BY 1, 2
     HAVING count(*) > CAST(param('max_per_day', 1000) AS INTEGER)))
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('mailbox read in bulk: %s (from %s)',
              group_concat(DISTINCT why), group_concat(DISTINCT client_ip))
         AS summary,
       group_concat(DISTINCT id) AS events
  FROM hits GROUP BY user
