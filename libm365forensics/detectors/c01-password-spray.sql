-- SPDX-License-Identifier: MIT
-- id: c01-password-spray
-- title: Password spray from one address
-- category: initial-access
-- severity: high
-- attack: T1110.003
-- description: At least min_users different accounts fail with a
--   credential error (codes in fail_codes: wrong password, locked,
--   expired, no password) from one address within window_minutes, in the
--   sign-in log or the audit log's UserLoginFailed. Accounts that then
--   signed in successfully from that address are named: their password
--   was guessed.
-- false-positives: a mail gateway or proxy address in front of many
--   users; a misconfigured service account on many accounts.
-- param: min_users = 10
-- param: window_minutes = 30
-- param: fail_codes = 50126,50053,50055,50056
WITH f AS (
  SELECT id, time, user, client_ip, code FROM auth_events
   WHERE instr(',' || param('fail_codes', '50126,50053,50055,50056') || ',',
               ',' || code || ',') > 0
     AND client_ip IS NOT NULL AND client_ip <> ''),
starts AS (
  SELECT a.client_ip, a.time AS t0,
         (SELECT count(DISTINCT b.user) FROM f b
           WHERE b.client_ip = a.client_ip AND b.time >= a.time
             AND b.time < a.time + param('window_minutes', 30) * 60000) AS n
    FROM f a),
best AS (
  SELECT client_ip, min(t0) AS t0 FROM starts
   WHERE n >= param('min_users', 10) GROUP BY client_ip),
hit AS (
  SELECT b.client_ip, f.id, f.time, f.user FROM best b JOIN f
      ON f.client_ip = b.client_ip AND f.time >= b.t0
     AND f.time < b.t0 + param('window_minutes', 30) * 60000)
SELECT (SELECT group_concat(DISTINCT s.user) FROM auth_events s
         WHERE s.client_ip = h.client_ip AND s.code = 0
           AND s.user IN (SELECT user FROM hit x
                           WHERE x.client_ip = h.client_ip)) AS user,
       min(time) AS first_time, max(time) AS last_time,
       printf('%d accounts failed from %s in %d minutes%s',
              count(DISTINCT user), client_ip,
              param('window_minutes', 30),
              coalesce('; then signed in: ' ||
                       (SELECT group_concat(DISTINCT s.user)
                          FROM auth_events s
                         WHERE s.client_ip = h.client_ip AND s.code = 0
                           AND s.user IN (SELECT user FROM hit x
                                           WHERE x.client_ip =
                                                 h.client_ip)), ''))
         AS summary,
       json_object('address', client_ip, 'accounts',
                   json_group_array(DISTINCT user)) AS detail,
       group_concat(id) AS events
  FROM hit h GROUP BY client_ip
