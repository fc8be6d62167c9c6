-- SPDX-License-Identifier: MIT
-- id: c04-mfa-fatigue
-- title: MFA fatigue (push spam), critical when followed by success
-- category: initial-access
-- severity: high
-- attack: T1621
-- description: At least min_denies MFA failures or denials (AADSTS
--   500121) for one account within window_minutes. When a successful
--   sign-in of that account follows within success_minutes the user gave
--   in: severity critical.
-- false-positives: an authenticator app out of sync.
-- param: min_denies = 10
-- param: window_minutes = 10
-- param: success_minutes = 10
WITH d AS (
  SELECT id, time, user, client_ip FROM auth_events WHERE code = 500121),
starts AS (
  SELECT user, time AS t0,
         -- ordered in units of the window, so the frame is one unit
         count(*) OVER (PARTITION BY user
                        ORDER BY time / (param('window_minutes', 10)
                                         * 60000.0)
                        RANGE BETWEEN CURRENT ROW AND 0.9999999 FOLLOWING)
           AS n
    FROM d),
best AS (
  SELECT user, min(t0) AS t0 FROM starts
   WHERE n >= param('min_denies', 10) GROUP BY user),
hit AS (
  SELECT b.user, d.id, d.time, d.client_ip FROM best b JOIN d
      ON d.user = b.user AND d.time >= b.t0
     AND d.time < b.t0 + param('window_minutes', 10) * 60000),
last AS (SELECT user, max(time) AS t1 FROM hit GROUP BY user),
ok AS (
  SELECT s.user, min(s.id) AS id FROM auth_events s JOIN last l
      ON l.user = s.user
   WHERE s.code = 0 AND s.time > l.t1
     AND s.time <= l.t1 + param('success_minutes', 10) * 60000
   GROUP BY s.user)
SELECT h.user, min(h.time) AS first_time, max(h.time) AS last_time,
       printf('%d MFA denials from %s%s', count(*),
              group_concat(DISTINCT h.client_ip),
              CASE WHEN ok.id IS NOT NULL
                   THEN ', then the user approved' ELSE '' END) AS summary,
       group_concat(h.id) || coalesce(',' || ok.id, '') AS events,
       CASE WHEN ok.id IS NOT NULL THEN 'critical' END AS severity
  FROM hit h LEFT JOIN ok ON ok.user = h.user
 GROUP BY h.user
