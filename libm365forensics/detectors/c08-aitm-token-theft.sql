-- SPDX-License-Identifier: MIT
-- id: c08-aitm-token-theft
-- title: Adversary-in-the-middle phishing or token theft pattern
-- category: initial-access
-- severity: high
-- attack: T1557
-- description: A successful OfficeHome sign-in (the app AiTM kits such as
--   Evilginx and Tycoon proxy) with no device id and a success or MFA
--   code (0, 50074, 50140, 53000) that either came through an HTTP
--   library (agents: axios, node, undici, python) or from an address the
--   user never used before in a country the user never signed in from,
--   once the user has baseline_days of dated activity before it. OWA
--   mailbox access (Client=OWA;Action=ViaProxy) from the same address in
--   the hour after is linked as evidence; on its own it is ordinary
--   Outlook on the web and raises nothing. Without a location for the
--   address (no sign-in log, no address database) only the agent test
--   applies.
-- false-positives: a user travelling abroad signing in to office.com from
--   an unmanaged browser; scripted sign-ins by an administrator's tool.
-- param: agents = (?i)^axios/|^node|undici|python|go-http-client
-- param: baseline_days = 2
WITH o AS (
  SELECT a.id, a.time, a.user, a.client_ip, a.user_agent,
         coalesce(a.country, g.country) AS country
    FROM auth_events a LEFT JOIN ip_locations g ON g.ip = a.client_ip
   WHERE a.src = 'signin'
     AND a.app_id = '4765445b-32c6-49b0-83e6-1d93765276ca'
     AND a.code IN (0, 50074, 50140, 53000)
     AND coalesce(a.device_id, '') = ''),
-- the user's first dated event (undated rule dumps sit at time 0)
first AS (SELECT user, min(time) AS t0 FROM events
           WHERE time > 0 AND user IN (SELECT user FROM o) GROUP BY user),
-- when each account first signed in successfully from each country
seen AS (
  SELECT a.user, coalesce(a.country, g.country) AS country,
         min(a.time) AS t
    FROM auth_events a LEFT JOIN ip_locations g ON g.ip = a.client_ip
   WHERE a.code = 0 AND a.user IN (SELECT user FROM o)
   GROUP BY 1, 2),
hits AS (
  SELECT o.id, o.time, o.user, o.client_ip,
         'OfficeHome sign-in without a device through ' || o.user_agent
           AS why
    FROM o
   WHERE regexp(param('agents', '(?i)^axios/|^node|undici|python|go-http-client'),
                coalesce(o.user_agent, ''))
  UNION ALL
  SELECT o.id, o.time, o.user, o.client_ip,
         'OfficeHome sign-in without a device from a new address in '
           || o.country
    FROM o JOIN first f ON f.user = o.user
           JOIN seen s ON s.user = o.user AND s.country = o.country
   WHERE coalesce(o.country, '') <> ''
     AND s.t >= o.time
     AND o.time - f.t0 >= CAST(param('baseline_days', 2) AS INTEGER)
                          * 86400000
     AND NOT regexp(param('agents', '(?i)^axios/|^node|undici|python|go-http-client'),
                    coalesce(o.user_agent, ''))
     AND NOT EXISTS (SELECT 1 FROM events p
                      WHERE p.user = o.user AND p.client_ip = o.client_ip
                        AND p.time > 0 AND p.time < o.time)),
proxy AS (
  SELECT DISTINCT e.id, e.time, e.user, e.client_ip,
         'then mailbox accessed ViaProxy' AS why
    FROM hits h JOIN events e ON e.user = h.user
                             AND e.client_ip = h.client_ip
   WHERE e.user_agent LIKE 'Client=OWA;Action=ViaProxy%'
     AND e.time BETWEEN h.time AND h.time + 3600000),
ev AS (SELECT * FROM hits UNION ALL SELECT * FROM proxy)
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%s from %s', group_concat(DISTINCT why),
              group_concat(DISTINCT client_ip)) AS summary,
       group_concat(id) AS events
  FROM ev GROUP BY user
