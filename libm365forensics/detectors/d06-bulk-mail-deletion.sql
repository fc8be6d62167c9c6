-- SPDX-License-Identifier: MIT
-- id: d06-bulk-mail-deletion
-- title: Many mail items deleted by one user in a day
-- category: defense-evasion
-- severity: medium
-- attack: T1070.008
-- version: 1
-- description: At least min_per_day MoveToDeletedItems, SoftDelete or
--   HardDelete records of one user on one UTC day (each operation counted
--   on its own, as the Microsoft-Analyzer-Suite does). Mass deletion hides
--   sent phishing and replies.
-- false-positives: Users cleaning their mailbox; retention tools.
-- references: indicator family D6; Microsoft-Analyzer-Suite UAL-Analyzer
-- param: min_per_day = 50
--   Fewest records of one operation per user and day.
SELECT e.user AS user, min(e.time) AS first_time, max(e.time) AS last_time,
       printf('%s: %d %s records on %s', e.user, count(*), e.operation,
              date(e.time / 1000, 'unixepoch')) AS summary,
       json_object('operation', e.operation, 'count', count(*),
                   'day', date(e.time / 1000, 'unixepoch')) AS detail,
       group_concat(e.id) AS events
  FROM events e
 WHERE e.op_norm IN ('movetodeleteditems', 'softdelete', 'harddelete')
 GROUP BY e.user, e.op_norm, e.time / 86400000
HAVING count(*) >= param('min_per_day')
 ORDER BY first_time, e.user
