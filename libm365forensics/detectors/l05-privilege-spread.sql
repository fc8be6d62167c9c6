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
spread AS (
  SELECT a.user, a.id, a.time, a.target, a.op_norm FROM g a
   WHERE a.op_norm = 'sitecollectionadminadded'
      OR (SELECT count(DISTINCT b.target) FROM g b
           WHERE b.user = a.user AND b.op_norm <> 'sitecollectionadminadded'
             AND b.time BETWEEN a.time - param('window_hours', 24) * 3600000
                            AND a.time + param('window_hours', 24) * 3600000)
         >= param('min_targets', 2))
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('privileges given to %d accounts: %s (%s)',
              count(DISTINCT target), group_concat(DISTINCT target),
              group_concat(DISTINCT op_norm)) AS summary,
       group_concat(id) AS events
  FROM spread GROUP BY user
