-- SPDX-License-Identifier: MIT
-- id: c08-aitm-token-theft
-- title: Adversary-in-the-middle phishing or token theft pattern
-- category: initial-access
-- severity: high
-- attack: T1557
-- description: An OfficeHome sign-in (the app AiTM kits such as Evilginx
--   and Tycoon proxy) with no device id and a success or MFA code
--   (0, 50074, 50140, 53000) that either came through an HTTP library
--   (axios, node, undici, python) or from an address the user never
--   used before (once the user has a day of history); or mailbox access whose ClientInfoString says
--   Client=OWA;Action=ViaProxy.
-- false-positives: users on a new home network signing in to office.com
--   from an unmanaged browser.
-- param: agents = (?i)^axios/|^node|undici|python|go-http-client
WITH o AS (
  SELECT a.* FROM auth_events a
   WHERE a.src = 'signin'
     AND a.app_id = '4765445b-32c6-49b0-83e6-1d93765276ca'
     AND a.code IN (0, 50074, 50140, 53000)
     AND coalesce(a.device_id, '') = ''
     AND (regexp(param('agents', '(?i)^axios/|^node|undici|python|go-http-client'),
                 coalesce(a.user_agent, ''))
          OR (EXISTS (SELECT 1 FROM events h WHERE h.user = a.user
                        AND h.time < a.time - 86400000)
              AND NOT EXISTS (SELECT 1 FROM events p
                               WHERE p.user = a.user
                                 AND p.client_ip = a.client_ip
                                 AND p.time < a.time)))),
proxy AS (
  SELECT id, time, user, client_ip, user_agent FROM events
   WHERE user_agent LIKE 'Client=OWA;Action=ViaProxy%'),
hits AS (
  SELECT id, time, user, client_ip,
         CASE WHEN regexp(param('agents', '(?i)^axios/|^node|undici|python|go-http-client'),
                          coalesce(user_agent, ''))
              THEN 'OfficeHome sign-in without a device through ' ||
                   user_agent
              ELSE 'OfficeHome sign-in without a device from a new address'
         END AS why
    FROM o
  UNION ALL
  SELECT id, time, user, client_ip, 'mailbox accessed ViaProxy' FROM proxy)
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%s from %s', group_concat(DISTINCT why),
              group_concat(DISTINCT client_ip)) AS summary,
       group_concat(id) AS events
  FROM hits GROUP BY user
