-- SPDX-License-Identifier: MIT
-- id: d07-mfa-disabled
-- title: Per-user MFA disabled
-- category: defense-evasion
-- severity: high
-- attack: T1556.006
-- version: 1
-- description: "Disable Strong Authentication", or "Update user" whose
--   StrongAuthenticationRequirement goes from an enabled or enforced state
--   (State 1 or 2) to none or State 0. The "Update user" record that goes
--   with a "Disable Strong Authentication" of the same account within
--   five minutes is evidence of the same finding, not a second one.
-- false-positives: Moving users from per-user MFA to conditional access.
-- references: indicator family D7; Sigma microsoft365_disabling_mfa; Splunk
--   o365_disable_mfa; Suzaku m365_disable_strong_authentication
WITH upd AS (
    SELECT e.id, e.time, e.user, lower(e.object) AS target
      FROM events e JOIN event_props p ON p.event_id = e.id
     WHERE e.op_norm = 'update user' AND p.kind = 'modified'
       AND p.name = 'StrongAuthenticationRequirement'
       AND regexp('"State"\s*:\s*[12]', coalesce(p.old_value, ''))
       AND NOT regexp('"State"\s*:\s*[12]', coalesce(p.new_value, ''))
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  ),
  dis AS (
    SELECT e.id, e.time, e.user, lower(e.object) AS target
      FROM events e
     WHERE e.op_norm = 'disable strong authentication'
       AND coalesce(lower(e.result), 'success') IN ('success', 'succeeded')
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  )
SELECT d.user AS user, d.time AS first_time, d.time AS last_time,
       printf('%s disabled MFA for %s', coalesce(d.user, '?'),
              coalesce(d.target, '?')) AS summary,
       json_object('target', d.target) AS detail,
       d.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = d.id), '') || coalesce(',' || (SELECT group_concat(u.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = u.id), '')) FROM upd u
                                 WHERE u.target = d.target
                                   AND abs(u.time - d.time) <= 300000), '')
         AS events
  FROM dis d
UNION ALL
SELECT u.user, u.time, u.time,
       printf('%s removed the MFA requirement of %s', coalesce(u.user, '?'),
              coalesce(u.target, '?')),
       json_object('target', u.target), u.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = u.id), '')
  FROM upd u
 WHERE NOT EXISTS (SELECT 1 FROM dis d WHERE d.target = u.target
                    AND abs(u.time - d.time) <= 300000)
 ORDER BY first_time, events
