-- SPDX-License-Identifier: MIT
-- id: v02-time-gap
-- title: Time gap inside an evidence source
-- category: coverage
-- severity: low
-- attack: T1562.008
-- description: Two consecutive events of one source at least gap_hours
--   apart while the source as a whole is busier than one event per
--   gap_hours: a day missing from a split export, an export window
--   mistake, or logging stopped. Linked to the events on each side.
-- false-positives: a quiet weekend in a very small tenant.
-- param: gap_hours = 24
WITH s AS (
  SELECT id, source_id, time,
         lag(id) OVER w AS pid, lag(time) OVER w AS pt
    FROM events WINDOW w AS (PARTITION BY source_id ORDER BY time, id))
SELECT NULL AS user, s.pt AS first_time, s.time AS last_time,
       printf('%s has no events from %s to %s (%.1f hours)', src.path,
              iso_time(s.pt), iso_time(s.time),
              (s.time - s.pt) / 3600000.0) AS summary,
       s.pid || ',' || s.id AS events
  FROM s JOIN sources src ON src.id = s.source_id
 WHERE s.pid IS NOT NULL
   AND s.time - s.pt >= param('gap_hours', 24) * 3600000
   AND src.stored > (src.last_time - src.first_time) /
                    (param('gap_hours', 24) * 3600000)
