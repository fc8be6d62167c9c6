-- SPDX-License-Identifier: MIT
-- id: c14-error-codes
-- title: Consent declined, admin consent asked, CA blocks and SSO errors
-- category: initial-access
-- severity: medium
-- attack: T1528
-- description: Sign-in error codes that show an attack in progress: a
--   user declining an app's consent prompt (65004) or an app needing
--   admin consent (90094, 90095) - consent phishing; conditional access
--   blocks (53003) of at least min_blocks; and at least min_sso seamless
--   SSO errors (20001, 20012, 20033, 40008, 40009, 40015, 50006, 50008,
--   50012, 50013, 50027, 50048, 50099, 50132, 75005, 75008, 75011, 75016,
--   81004, 81009, 81010, 399284, 500212, 500213, 700005, 5000819) for
--   one account in one UTC day.
-- false-positives: broken Kerberos or clock skew on a user's machine.
-- param: min_blocks = 1
-- param: min_sso = 5
-- param: sso_codes = 20001,20012,20033,40008,40009,40015,50006,50008,50012,50013,50027,50048,50099,50132,75005,75008,75011,75016,81004,81009,81010,399284,500212,500213,700005,5000819
WITH c AS (
  SELECT id, time, user, client_ip, code,
         CASE WHEN code IN (65004, 90094, 90095) THEN 'consent'
              WHEN code = 53003 THEN 'ca-block'
              WHEN instr(',' || param('sso_codes', '20001,20012,20033,40008,40009,40015,50006,50008,50012,50013,50027,50048,50099,50132,75005,75008,75011,75016,81004,81009,81010,399284,500212,500213,700005,5000819') || ',',
                         ',' || code || ',') > 0 THEN 'sso'
         END AS kind
    FROM auth_events),
g AS (
  SELECT user, kind, time / 86400000 AS day, count(*) AS n,
         min(time) AS t0, max(time) AS t1, group_concat(id) AS ids,
         group_concat(DISTINCT code) AS codes,
         group_concat(DISTINCT client_ip) AS ips
    FROM c WHERE kind IS NOT NULL GROUP BY 1, 2, 3)
SELECT user, t0 AS first_time, t1 AS last_time,
       printf('%d %s errors (%s) from %s', n,
              CASE kind WHEN 'consent' THEN 'consent'
                        WHEN 'ca-block' THEN 'conditional access block'
                        ELSE 'seamless SSO' END, codes, ips) AS summary,
       ids AS events,
       CASE kind WHEN 'ca-block' THEN 'low' END AS severity
  FROM g
 WHERE kind = 'consent'
    OR (kind = 'ca-block' AND n >= param('min_blocks', 1))
    OR (kind = 'sso' AND n >= param('min_sso', 5))
