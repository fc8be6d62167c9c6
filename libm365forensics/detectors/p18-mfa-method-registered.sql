-- SPDX-License-Identifier: MIT
-- id: p18-mfa-method-registered
-- title: MFA method registered or changed, near a suspicious sign-in
-- category: persistence
-- severity: low
-- attack: T1556.006
-- version: 1
-- description: "User registered security info", "Admin registered security
--   info", "User changed default security info" or "Update user" changing
--   StrongAuthenticationMethod, StrongAuthenticationPhoneAppDetail or
--   StrongAuthenticationUserDetails. Alone it is low; high when the same
--   user has a successful sign-in that is risky (risk level medium or
--   high, or at risk) or comes from an address the user had not used
--   before, between before_minutes before and after_minutes after the
--   change. The sign-in is part of the evidence.
-- false-positives: Users enrolling a new phone. The sign-in correlation
--   is what makes this worth a look.
-- references: indicator family P18; Sentinel
--   SuspiciousSignInFollowedByMFAModification; Splunk
--   o365_new_mfa_method_registered
-- param: before_minutes = 30
--   Minutes before the change to look for the sign-in.
-- param: after_minutes = 60
--   Minutes after the change to look for the sign-in.
WITH m AS (
    SELECT e.id, e.time, e.operation,
           lower(CASE WHEN e.object LIKE '%@%' THEN e.object
                 ELSE e.user END) AS target, e.user
      FROM events e
     WHERE (e.op_norm IN ('user registered security info',
                          'admin registered security info',
                          'user changed default security info',
                          'user registered all required security info')
            AND coalesce(lower(e.result), 'success')
                IN ('success', 'succeeded'))
        OR (e.op_norm = 'update user' AND EXISTS (
              SELECT 1 FROM event_props p WHERE p.event_id = e.id
               AND p.kind = 'modified'
               AND p.name IN ('StrongAuthenticationMethod',
                              'StrongAuthenticationPhoneAppDetail',
                              'StrongAuthenticationUserDetails')
               AND coalesce(p.new_value, '') <>
                   coalesce(p.old_value, '')))
  ),
  m1 AS (
    SELECT * FROM m WHERE m.id NOT IN (SELECT ual_id FROM twin_events)
  ),
  s AS (
    SELECT m.id AS mid, e.id, e.client_ip, d.risk_level, d.risk_state
      FROM m1 m JOIN events e ON e.user = m.target
      JOIN signin_details d ON d.event_id = e.id
     WHERE e.time BETWEEN m.time - param('before_minutes') * 60000
                      AND m.time + param('after_minutes') * 60000
       AND coalesce(d.error_code, 0) = 0
       AND (lower(d.risk_level) IN ('medium', 'high')
            OR lower(d.risk_state) = 'atrisk'
            OR (e.client_ip IS NOT NULL AND NOT EXISTS (
                  SELECT 1 FROM events o WHERE o.user = e.user
                   AND o.client_ip = e.client_ip AND o.time < e.time
                   AND o.time < m.time - param('before_minutes') * 60000)
                AND EXISTS (
                  SELECT 1 FROM events o WHERE o.user = e.user
                   AND o.time < m.time - param('before_minutes') * 60000)))
  )
SELECT m.target AS user, m.time AS first_time, m.time AS last_time,
       printf('MFA method of %s changed (%s)%s', m.target, m.operation,
              CASE WHEN count(s.id) THEN printf(
                ' near a suspicious sign-in from %s',
                group_concat(DISTINCT s.client_ip)) ELSE '' END) AS summary,
       json_object('operation', m.operation, 'actor', m.user,
                   'signins', json_group_array(s.id)) AS detail,
       m.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = m.id), '') || coalesce(',' || group_concat(s.id), '')
         AS events,
       CASE WHEN count(s.id) THEN 'high' END AS severity
  FROM m1 m LEFT JOIN s ON s.mid = m.id
 GROUP BY m.id
 ORDER BY m.time, m.id
