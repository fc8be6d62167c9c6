-- SPDX-License-Identifier: MIT
-- id: l03-shared-infrastructure
-- title: One address or network used by several accounts
-- category: lateral
-- severity: high
-- attack: T1078.004
-- description: At least min_users accounts act successfully from the same
--   public address (or the same autonomous system, when sign-ins or the
--   MaxMind database give one) within window_hours. Addresses the tenant
--   uses every day are left out: an address seen on at least common_days
--   days with at least common_users accounts is company infrastructure
--   (VPN, proxy, office NAT). Service actors (system_actors: SharePoint's
--   app@sharepoint, which acts from Microsoft's own addresses) are not
--   accounts.
-- false-positives: a new office or VPN in its first days; shared hotel or
--   conference Wi-Fi.
-- param: min_users = 2
-- param: window_hours = 24
-- param: common_days = 3
-- param: common_users = 5
-- param: system_actors = (?i)^app@sharepoint$
WITH act AS (
  SELECT e.id, e.time, e.user, e.client_ip FROM events e
   WHERE e.client_ip IS NOT NULL AND e.client_ip <> ''
     AND e.user LIKE '%@%'
     AND NOT regexp(param('system_actors', '(?i)^app@sharepoint$'), e.user)
     AND ip_is_private(e.client_ip) = 0
     AND coalesce(e.result, '') NOT IN ('failure', 'Failed', 'False')
     AND e.op_norm <> 'userloginfailed'
     AND NOT EXISTS (SELECT 1 FROM signin_details d
                      WHERE d.event_id = e.id AND d.error_code <> 0)),
common AS (
  SELECT client_ip FROM act GROUP BY client_ip
  HAVING count(DISTINCT time / 86400000) >=
           CAST(param('common_days', 3) AS INTEGER)
     AND count(DISTINCT user) >= CAST(param('common_users', 5) AS INTEGER)),
keyed AS (
  SELECT a.id, a.time, a.user, 'address ' || a.client_ip AS k
    FROM act a WHERE a.client_ip NOT IN (SELECT client_ip FROM common)
  UNION ALL
  SELECT a.id, a.time, a.user, 'AS' || g.asn
    FROM act a JOIN ip_locations g ON g.ip = a.client_ip
   WHERE g.asn IS NOT NULL AND g.asn > 0
     AND a.client_ip NOT IN (SELECT client_ip FROM common)
     AND g.asn NOT IN (SELECT g2.asn FROM common c
                         JOIN ip_locations g2 ON g2.ip = c.client_ip
                        WHERE g2.asn IS NOT NULL)),
groups AS (
  SELECT k, min(time) AS t0 FROM keyed GROUP BY k
  HAVING count(DISTINCT user) >= CAST(param('min_users', 2) AS INTEGER)
     AND max(time) - min(time) <=
           CAST(param('window_hours', 24) AS INTEGER) * 3600000),
members AS (
  SELECT g.k, x.user, x.id, x.time FROM groups g JOIN keyed x ON x.k = g.k)
SELECT m.user, min(m.time) AS first_time, max(m.time) AS last_time,
       printf('%s shared with %s', group_concat(DISTINCT m.k),
              (SELECT group_concat(DISTINCT o.user) FROM members o
                WHERE o.k IN (SELECT k FROM members WHERE user = m.user)
                  AND o.user <> m.user)) AS summary,
       group_concat(DISTINCT m.id) AS events
  FROM members m GROUP BY m.user
