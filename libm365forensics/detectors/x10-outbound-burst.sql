-- SPDX-License-Identifier: MIT
-- id: x10-outbound-burst
-- title: Outbound mail burst, SendAs or SendOnBehalf volume
-- category: exfiltration
-- severity: medium
-- attack: T1114
-- description: One user sends as or on behalf of another mailbox at least
--   min_sendas times in one UTC day, or sends at least min_per_hour
--   messages in one hour (Send, SendAs, SendOnBehalf in the mailbox
--   audit).
-- false-positives: shared support mailboxes, assistants, mail merges.
-- param: min_sendas = 10
-- param: min_per_hour = 100
WITH s AS (
  SELECT id, time, user, op_norm FROM events
   WHERE op_norm IN ('send', 'sendas', 'sendonbehalf')
     AND user IS NOT NULL AND user <> ''),
day AS (
  SELECT user, min(time) AS first_time, max(time) AS last_time,
         printf('%d %s in one day', count(*), op_norm) AS summary,
         group_concat(id) AS events
    FROM s WHERE op_norm IN ('sendas', 'sendonbehalf')
   GROUP BY user, op_norm, time / 86400000
  HAVING count(*) >= CAST(param('min_sendas', 10) AS INTEGER)),
hour AS (
  SELECT user, min(time), max(time),
         printf('%d messages sent in one hour', count(*)),
         group_concat(id)
    FROM s GROUP BY user, time / 3600000
  HAVING count(*) >= CAST(param('min_per_hour', 100) AS INTEGER))
SELECT * FROM day UNION ALL SELECT * FROM hour
