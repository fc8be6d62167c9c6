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
--   with the sign-in log's sessionId and uniqueTokenIdentifier. A token
--   issued to one network and replayed from another is how stolen
--   cookies and AiTM tokens show.
-- false-positives: phones moving between Wi-Fi and mobile data; split
--   tunnel VPNs.
-- param: min_networks = 2
-- param: v4_bits = 16
-- param: v6_bits = 48
WITH s AS (
  SELECT id, time, user, client_ip, 'session ' || session_id AS k
    FROM events
   WHERE session_id IS NOT NULL AND session_id <> ''
     AND client_ip IS NOT NULL AND ip_is_private(client_ip) = 0
  UNION ALL
  SELECT id, time, user, client_ip, 'token ' || token_id
    FROM events
   WHERE token_id IS NOT NULL AND token_id <> ''
     AND client_ip IS NOT NULL AND ip_is_private(client_ip) = 0),
n AS (
  SELECT s.*, ip_prefix(client_ip, param('v4_bits', 16),
                        param('v6_bits', 48)) AS net
    FROM s),
reused AS (
  SELECT k FROM n GROUP BY k
  HAVING count(DISTINCT net) >= param('min_networks', 2))
SELECT (SELECT x.user FROM n x WHERE x.k = n.k AND x.user IS NOT NULL
         ORDER BY x.time LIMIT 1) AS user,
       min(time) AS first_time, max(time) AS last_time,
       printf('%s used from %d networks: %s', k, count(DISTINCT net),
              group_concat(DISTINCT client_ip)) AS summary,
       group_concat(DISTINCT id) AS events
  FROM n WHERE k IN (SELECT k FROM reused)
 GROUP BY k
