-- SPDX-License-Identifier: MIT
-- id: p21-guest-external-identity
-- title: Guest invited or promoted to member
-- category: persistence
-- severity: medium
-- attack: T1136.003
-- version: 1
-- description: "Update user" turning a Guest into a Member (high: the
--   outsider gets a member's rights), "Invite external user" and "Add
--   user" of a guest (low).
-- false-positives: Collaboration with partners; conversion of a
--   contractor's account.
-- references: indicator family P21; Sigma azure_guest_to_member; Splunk
--   o365_external_guest_user_invited
WITH g AS (
    SELECT e.id, e.time, e.user, e.object, e.operation,
           CASE WHEN e.op_norm = 'update user' THEN 'promoted'
                ELSE 'invited' END AS what
      FROM events e
     WHERE (e.op_norm = 'update user' AND EXISTS (
              SELECT 1 FROM event_props p WHERE p.event_id = e.id
               AND p.kind = 'modified' AND p.name IN ('UserType',
                   'TargetId.UserType')
               AND p.old_value LIKE '%Guest%' AND p.new_value LIKE '%Member%'))
        OR e.op_norm = 'invite external user'
        OR (e.op_norm = 'add user' AND EXISTS (
              SELECT 1 FROM event_props p WHERE p.event_id = e.id
               AND p.name IN ('UserType', 'TargetId.UserType')
               AND p.new_value LIKE '%Guest%'))
  ),
  g1 AS (
    SELECT * FROM g WHERE g.id NOT IN (SELECT ual_id FROM twin_events)
  )
SELECT user, time AS first_time, time AS last_time,
       CASE what WHEN 'promoted'
         THEN printf('%s turned guest %s into a member', coalesce(user, '?'),
                     coalesce(object, '?'))
         ELSE printf('%s invited or added guest %s', coalesce(user, '?'),
                     coalesce(object, '?')) END AS summary,
       json_object('target', object, 'operation', operation) AS detail,
       g1.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = g1.id), '') AS events,
       CASE what WHEN 'promoted' THEN 'high' ELSE 'low' END AS severity
  FROM g1
 ORDER BY g1.time, g1.id
