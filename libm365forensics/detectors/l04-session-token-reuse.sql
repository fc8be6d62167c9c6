-- SPDX-License-Identifier: MIT
-- id: l04-session-token-reuse
-- title: Session or token used from several networks
-- category: lateral
-- severity: high
-- attack: T1550.004
-- description: One sign-in session id or unique token id seen from
--   public addresses in at least min_networks different networks (IPv4
--   /v4_bits, IPv6 /v6_bits), across sign-ins and the audit log: the
--   audit log's SessionId and AppAccessContext.UniqueTokenId are joined
--   with the sign-in log's sessionId and uniqueTokenIdentifier. It fires
--   when the networks lie in different countries, or when one of them is
--   not a network of the user's own: one the user also used in another
--   session. A session moving between a user's home and office in the
--   same country is the user moving, not a stolen cookie. A token issued
--   to one network and replayed from another is how stolen cookies and
--   AiTM tokens show.
-- false-positives: phones moving between Wi-Fi and mobile data on a
--   carrier never seen in another session; split tunnel VPNs exiting in
--   another country.
-- param: min_networks = 2
-- param: v4_bits = 16
-- param: v6_bits = 48
WITH s AS (
  SELECT id, time, user, client_ip, session_id AS sid,
         'session ' || session_id AS k
    FROM events
   WHERE session_id IS NOT NULL AND session_id <> ''
     AND client_ip IS NOT NULL AND ip_is_private(client_ip) = 0
  UNION ALL
  SELECT id, time, user, client_ip, nullif(session_id, ''),
         'token ' || token_id
    FROM events
   WHERE token_id IS NOT NULL AND token_id <> ''
     AND client_ip IS NOT NULL AND ip_is_private(client_ip) = 0),
n AS MATERIALIZED (
  SELECT s.*, ip_prefix(client_ip, param('v4_bits', 16),
                        param('v6_bits', 48)) AS net
    FROM s),
reused AS MATERIALIZED (
  SELECT k FROM n GROUP BY k
  HAVING count(DISTINCT net) >= param('min_networks', 2)),
-- the networks of the reused keys, with their country where known
kn AS MATERIALIZED (
  SELECT DISTINCT n.k, n.user, n.net, g.country
    FROM n LEFT JOIN ip_locations g ON g.ip = n.client_ip
   WHERE n.k IN (SELECT k FROM reused)),
ksid AS MATERIALIZED (
  SELECT DISTINCT k, sid FROM n
   WHERE sid IS NOT NULL AND k IN (SELECT k FROM reused)),
-- a network is the user's own when the user used it in another session
foreign_net AS (
  SELECT DISTINCT kn.k FROM kn
   WHERE NOT EXISTS (SELECT 1 FROM n o
                      WHERE o.user = kn.user AND o.net = kn.net
                        AND o.sid IS NOT NULL
                        AND o.sid NOT IN (SELECT sid FROM ksid
                                           WHERE ksid.k = kn.k))),
countries AS (
  SELECT k FROM kn WHERE coalesce(country, '') <> ''
   GROUP BY k HAVING count(DISTINCT country) >= 2),
flagged AS (
  SELECT k FROM foreign_net UNION SELECT k FROM countries)
SELECT (SELECT x.user FROM n x WHERE x.k = n.k AND x.user IS NOT NULL
         ORDER BY x.time LIMIT 1) AS user,
       min(time) AS first_time, max(time) AS last_time,
       printf('%s used from %d networks: %s', k, count(DISTINCT net),
              group_concat(DISTINCT client_ip)) AS summary,
       group_concat(DISTINCT id) AS events
  FROM n WHERE k IN (SELECT k FROM flagged)
 GROUP BY k
