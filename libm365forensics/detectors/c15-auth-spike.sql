-- SPDX-License-Identifier: MIT
-- id: c15-auth-spike
-- title: Authentication spike with many apps and user agents
-- category: initial-access
-- severity: medium
-- attack: T1110
-- description: One account from one address in a 5-minute bin makes more
--   than min_attempts sign-in attempts with more than min_agents
--   different user agents and more than min_apps different applications:
--   a tool cycling clients to find one that Conditional Access lets
--   through.
-- false-positives: a user's first sign-in on a new machine (Office apps
--   starting one after the other).
-- param: min_attempts = 5
-- param: min_agents = 5
-- param: min_apps = 2
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%d attempts from %s in 5 minutes with %d user agents and %d apps',
              count(*), client_ip, count(DISTINCT user_agent),
              count(DISTINCT app_id)) AS summary,
       group_concat(id) AS events
  FROM auth_events
 WHERE client_ip IS NOT NULL
 GROUP BY user, client_ip, time / 300000
HAVING count(*) > param('min_attempts', 5)
   AND count(DISTINCT user_agent) > param('min_agents', 5)
   AND count(DISTINCT app_id) > param('min_apps', 2)
