-- SPDX-License-Identifier: MIT
-- id: c02-brute-force
-- title: Brute force or password guessing on one account
-- category: initial-access
-- severity: medium
-- attack: T1110.001
-- description: One account fails with a wrong password (or is locked)
--   at least min_failures times within window_minutes, from any
--   addresses. Raised to high when a success follows within an hour.
-- false-positives: a phone or mail client retrying an old password.
-- param: min_failures = 10
-- param: window_minutes = 5
-- param: fail_codes = 50126,50053
WITH f AS (
  SELECT id, time, user, client_ip FROM auth_events
   WHERE instr(',' || param('fail_codes', '50126,50053') || ',',
               ',' || code || ',') > 0),
starts AS (
  SELECT user, time AS t0,
         -- ordered in units of the window, so the frame is one unit
         count(*) OVER (PARTITION BY user
                        ORDER BY time / (param('window_minutes', 5)
                                         * 60000.0)
                        RANGE BETWEEN CURRENT ROW AND 0.9999999 FOLLOWING)
           AS n
    FROM f),
best AS (
  SELECT user, min(t0) AS t0 FROM starts
   WHERE n >= param('min_failures', 10) GROUP BY user),
hit AS (
  SELECT b.user, f.id, f.time, f.client_ip FROM best b JOIN f
      ON f.user = b.user AND f.time >= b.t0),
ok AS (
  SELECT s.user, min(s.id) AS id FROM auth_events s JOIN best b
      ON b.user = s.user
   WHERE s.code = 0 AND s.time > b.t0 AND s.time < b.t0 + 3600000
   GROUP BY s.user)
SELECT h.user, min(h.time) AS first_time, max(h.time) AS last_time,
       printf('%d failed sign-ins from %s%s', count(*),
              group_concat(DISTINCT h.client_ip),
              CASE WHEN ok.id IS NOT NULL
                   THEN '; followed by a successful sign-in' ELSE '' END)
         AS summary,
       group_concat(h.id) || coalesce(',' || ok.id, '') AS events,
       CASE WHEN ok.id IS NOT NULL THEN 'high' END AS severity
  FROM hit h LEFT JOIN ok ON ok.user = h.user
 GROUP BY h.user
