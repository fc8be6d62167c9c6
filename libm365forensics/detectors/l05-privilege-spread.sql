-- SPDX-License-Identifier: MIT
-- id: l05-privilege-spread
-- title: Privilege spread by one account
-- category: lateral
-- severity: high
-- attack: T1098.003
-- description: One actor grants directory or Exchange roles to at least
--   min_targets different accounts within window_hours ("Add member to
--   role.", "Add eligible member to role.", Add-RoleGroupMember,
--   New-ManagementRoleAssignment), or makes someone a SharePoint site
--   collection admin (SiteCollectionAdminAdded).
-- false-positives: onboarding of a new admin team.
-- param: min_targets = 2
-- param: window_hours = 24
WITH g AS (
  SELECT e.id, e.time, e.user, e.op_norm,
         coalesce((SELECT p.new_value FROM event_props p
                    WHERE p.event_id = e.id AND p.kind = 'target'
                      AND p.new_value LIKE '%@%' LIMIT 1),
                  (SELECT p.value FROM event_params p
                    WHERE p.event_id = e.id
                      AND p.name IN ('Member', 'User', 'Identity')
                    LIMIT 1),
                  e.object) AS target
    FROM events e
   WHERE e.op_norm IN ('add member to role', 'add eligible member to role',
                       'add-rolegroupmember', 'new-managementroleassignment',
                       'sitecollectionadminadded')
     AND e.user IS NOT NULL AND e.user <> ''),
-- windows of window_hours on two grids half a window apart
w AS (SELECT param('window_hours', 24) * 3600000 AS ms),
b AS (
  SELECT g.*, time / w.ms AS b0, (time + w.ms / 2) / w.ms AS b1
    FROM g, w WHERE g.op_norm <> 'sitecollectionadminadded'),
hot AS (
  SELECT user, 0 AS k, b0 AS bk FROM b GROUP BY user, b0
  HAVING count(DISTINCT target) >= param('min_targets', 2)
  UNION
  SELECT user, 1, b1 FROM b GROUP BY user, b1
  HAVING count(DISTINCT target) >= param('min_targets', 2)),
spread AS (
  SELECT DISTINCT b.user, b.id, b.time, b.target, b.op_norm FROM b
    JOIN hot h ON h.user = b.user
     AND ((h.k = 0 AND h.bk = b.b0) OR (h.k = 1 AND h.bk = b.b1))
  UNION
  SELECT user, id, time, target, op_norm FROM g
   WHERE op_norm = 'sitecollectionadminadded')
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('privileges given to %d accounts: %s (%s)',
              count(DISTINCT target), group_concat(DISTINCT target),
              group_concat(DISTINCT op_norm)) AS summary,
       group_concat(id) AS events
  FROM spread GROUP BY user
