-- SPDX-License-Identifier: MIT
-- id: c11-suspicious-network
-- title: Sign-in from a hosting/VPN network, a listed country or a new
--   country
-- category: initial-access
-- severity: medium
-- attack: T1078.004
-- description: A successful sign-in (sign-in log, or the audit log's
--   UserLoggedIn) from an autonomous system in asns (hosting and VPN
--   providers attackers rent: M247, OVH, DigitalOcean, Vultr, Hetzner,
--   Contabo, Datacamp, Clouvider, Linode, Alibaba, Stark Industries, AEZA,
--   FranTech), from a country in countries, or from a country the account
--   never used before once it has at least baseline_days of dated history
--   (an account's first days in the evidence set its baseline; undated
--   rule dumps do not count). The network comes from the sign-in log or a
--   MaxMind database (m365f geoip).
-- false-positives: staff on commercial VPNs; travel after the baseline
--   days.
-- param: asns = 9009,16276,14061,20473,24940,51167,60068,212238,62240,63949,45102,44477,210644,53667,200651,209588
-- param: countries =
-- param: baseline_days = 2
WITH act AS (
  SELECT a.id, a.time, a.user, a.client_ip,
         coalesce(a.asn, g.asn) AS asn, coalesce(a.country, g.country)
           AS country
    FROM auth_events a LEFT JOIN ip_locations g ON g.ip = a.client_ip
   WHERE a.code = 0),
-- the first dated event (undated rule dumps sit at time 0)
first AS (SELECT user, min(time) AS t0 FROM events
           WHERE time > 0 AND user IN (SELECT user FROM act) GROUP BY user),
-- when each account was first seen in each country
seen AS (SELECT user, country, min(time) AS t FROM act
          WHERE country IS NOT NULL AND country <> ''
          GROUP BY user, country),
hits AS (
  SELECT a.*, 'AS' || a.asn || ' (hosting/VPN)' AS why FROM act a
   WHERE instr(',' || param('asns', '9009,16276,14061,20473,24940,51167,60068,212238,62240,63949,45102,44477,210644,53667,200651,209588') || ',',
               ',' || a.asn || ',') > 0
  UNION ALL
  SELECT a.*, 'listed country ' || a.country FROM act a
   WHERE a.country IS NOT NULL AND a.country <> ''
     AND instr(',' || upper(param('countries', '')) || ',',
               ',' || upper(a.country) || ',') > 0
  UNION ALL
  SELECT a.*, 'new country ' || a.country FROM act a
    JOIN seen s ON s.user = a.user AND s.country = a.country
               AND s.t = a.time
    JOIN first f ON f.user = a.user
   WHERE a.time - f.t0 >= CAST(param('baseline_days', 2) AS INTEGER)
                          * 86400000)
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%s from %s', group_concat(DISTINCT why),
              group_concat(DISTINCT client_ip)) AS summary,
       group_concat(DISTINCT id) AS events
  FROM hits GROUP BY user
