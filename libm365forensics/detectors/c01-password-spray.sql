-- SPDX-License-Identifier: MIT
-- id: c01-password-spray
-- title: Password spray from one address
-- category: initial-access
-- severity: high
-- attack: T1110.003
-- description: At least min_users different accounts fail with a
--   credential error (codes in fail_codes: wrong password, locked,
--   expired, no password) from one address within window_minutes, in the
--   sign-in log or the audit log's UserLoginFailed (windows on two grids
--   half a window apart). Accounts that then signed in successfully from
--   that address are named and their sign-ins linked: their password was
--   guessed. Failures from the address up to one window before or after
--   a burst belong to it (a spray in rounds is one finding).
-- false-positives: a mail gateway or proxy address in front of many
--   users; a misconfigured service account on many accounts.
-- param: min_users = 10
-- param: window_minutes = 30
-- param: fail_codes = 50126,50053,50055,50056
WITH f AS (
  SELECT id, time, user, client_ip FROM auth_events
   WHERE instr(',' || param('fail_codes', '50126,50053,50055,50056') || ',',
               ',' || code || ',') > 0
     AND client_ip IS NOT NULL AND client_ip <> ''),
-- windows of window_minutes on two grids half a window apart, so a burst
-- up to half a window long always falls inside one of them
w AS (SELECT param('window_minutes', 30) * 60000 AS ms),
b AS (
  SELECT f.*, time / w.ms AS b0, (time + w.ms / 2) / w.ms AS b1
    FROM f, w),
hot AS (
  SELECT client_ip, 0 AS g, b0 AS bk FROM b GROUP BY client_ip, b0
  HAVING count(DISTINCT user) >= param('min_users', 10)
  UNION
  SELECT client_ip, 1, b1 FROM b GROUP BY client_ip, b1
  HAVING count(DISTINCT user) >= param('min_users', 10)),
-- every failure from a hot address within one window either side of a
-- hot window: a spray in rounds is one finding with all its rounds
hit AS (
  SELECT DISTINCT b.client_ip, b.id, b.time, b.user FROM b, w
    JOIN hot h ON h.client_ip = b.client_ip
   WHERE b.time >= h.bk * w.ms - h.g * (w.ms / 2) - w.ms
     AND b.time < h.bk * w.ms - h.g * (w.ms / 2) + 2 * w.ms),
-- sprayed accounts that then signed in from that address
ok AS (
  SELECT s.client_ip, s.id, s.time, s.user
    FROM auth_events s
   WHERE s.code = 0 AND s.client_ip IN (SELECT client_ip FROM hot)
     AND EXISTS (SELECT 1 FROM hit x WHERE x.client_ip = s.client_ip
                   AND x.user = s.user AND x.time <= s.time)),
oku AS (
  SELECT client_ip, group_concat(DISTINCT user) AS users,
         group_concat(id) AS ids
    FROM ok GROUP BY client_ip)
SELECT oku.users AS user,
       min(h.time) AS first_time, max(h.time) AS last_time,
       printf('%d accounts failed from %s within %d minutes%s',
              count(DISTINCT h.user), h.client_ip,
              param('window_minutes', 30),
              coalesce('; then signed in: ' || oku.users, '')) AS summary,
       json_object('address', h.client_ip, 'accounts',
                   json_group_array(DISTINCT h.user)) AS detail,
       group_concat(h.id) || coalesce(',' || oku.ids, '') AS events
  FROM hit h LEFT JOIN oku ON oku.client_ip = h.client_ip
 GROUP BY h.client_ip
