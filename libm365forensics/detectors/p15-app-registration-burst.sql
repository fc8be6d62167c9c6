-- SPDX-License-Identifier: MIT
-- id: p15-app-registration-burst
-- title: Many applications or service principals created or owned at once
-- category: persistence
-- severity: medium
-- attack: T1136.003
-- version: 1
-- description: One actor adds applications or service principals, or
--   makes itself owner of them, for at least min_objects different objects
--   within window_minutes. Scripts that plant backdoor applications work
--   in bursts.
-- false-positives: Deployment pipelines that create applications.
-- references: indicator family P15; Splunk
--   o365_multiple_service_principals_created_by_user
-- param: min_objects = 4
--   Fewest different objects (more than 3 in the Splunk rule).
-- param: window_minutes = 10
--   Window in minutes.
WITH a AS (
    SELECT e.id, e.time, e.user, coalesce(e.object, '') AS obj
      FROM events e
     WHERE e.op_norm IN ('add service principal', 'add application',
                         'add owner to application',
                         'add owner to service principal')
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  ),
  w AS (
    SELECT x.id AS anchor, x.user, count(DISTINCT y.obj) AS n,
           min(y.time) AS t1, max(y.time) AS t2,
           group_concat(DISTINCT y.id) AS ids
      FROM a x JOIN a y ON y.user = x.user AND y.time >= x.time
       AND y.time <= x.time + param('window_minutes') * 60000
     GROUP BY x.id
    HAVING n >= param('min_objects')
  ),
  best AS (
    SELECT *, row_number() OVER (PARTITION BY user
                                 ORDER BY n DESC, t1) AS k
      FROM w
  )
SELECT user, t1 AS first_time, t2 AS last_time,
       printf('%s created or took ownership of %d applications in %.0f '
              || 'minutes', user, n, (t2 - t1) / 60000.0) AS summary,
       json_object('objects', n) AS detail,
       ids AS events
  FROM best WHERE k = 1
 ORDER BY t1, user
