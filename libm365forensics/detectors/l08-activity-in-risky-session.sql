-- SPDX-License-Identifier: MIT
-- id: l08-activity-in-risky-session
-- title: Audit-log activity in the session of a risky sign-in
-- category: lateral
-- severity: high
-- attack: T1078.004
-- description: Joins the audit log to the sign-in log by session id and
--   unique token id (SessionId, AppAccessContext.UniqueTokenId <->
--   sessionId, uniqueTokenIdentifier): every audit action taken in the
--   session of a sign-in that Identity Protection rated risky (medium or
--   high, atRisk) or that came through an attack tool user agent. These
--   are the attacker's own actions.
-- false-positives: risk that was later dismissed.
WITH risky AS (
  SELECT a.id, a.time, a.user, a.client_ip, a.session_id, a.token_id
    FROM auth_events a
   WHERE a.src = 'signin' AND a.code = 0
     AND (lower(coalesce(a.risk_level, '')) IN ('medium', 'high')
          OR lower(coalesce(a.risk_state, '')) IN ('atrisk',
                                                   'confirmedcompromised')
          OR EXISTS (SELECT 1 FROM ref_tool_agents t
                      WHERE regexp('(?i)' || t.pattern,
                                   coalesce(a.user_agent, ''))))),
acts AS (
  SELECT r.id AS sid, r.client_ip AS sip, e.id, e.time, e.user,
         e.operation, e.client_ip
    FROM risky r JOIN events e
      ON e.product = 'ual'
     AND ((r.session_id <> '' AND e.session_id = r.session_id)
          OR (r.token_id <> '' AND e.token_id = r.token_id)))
SELECT (SELECT user FROM risky WHERE id = sid) AS user,
       (SELECT time FROM risky WHERE id = sid) AS first_time,
       max(time) AS last_time,
       printf('%d audit actions in the session of a risky sign-in from %s: %s',
              count(*), sip, group_concat(DISTINCT operation)) AS summary,
       sid || ',' || group_concat(id) AS events
  FROM acts GROUP BY sid
