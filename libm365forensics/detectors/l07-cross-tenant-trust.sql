-- SPDX-License-Identifier: MIT
-- id: l07-cross-tenant-trust
-- title: Cross-tenant access or external identity policy changed
-- category: lateral
-- severity: high
-- attack: T1484.002
-- description: A partner added to, changed in or deleted from the
--   cross-tenant access settings, the default cross-tenant policy
--   changed, or "Update policy." on the B2B management (external
--   identities) policy.
-- false-positives: planned B2B collaboration or tenant-to-tenant sync
--   set-up.
SELECT e.user, min(e.time) AS first_time, max(e.time) AS last_time,
       printf('cross-tenant trust changed: %s',
              group_concat(DISTINCT e.operation)) AS summary,
       group_concat(e.id) AS events
  FROM events e
 WHERE e.op_norm IN ('add a partner to cross-tenant access setting',
                     'update a partner cross-tenant access setting',
                     'delete partner specific cross-tenant access setting',
                     'update the company default cross-tenant access setting',
                     'reset the cross-tenant access default setting',
                     'create a partner cross-tenant identity sync setting',
                     'update a partner cross-tenant identity sync setting')
    OR (e.op_norm = 'update policy'
        AND (e.object LIKE '%B2BManagementPolicy%'
             OR EXISTS (SELECT 1 FROM event_props p WHERE p.event_id = e.id
                          AND p.kind IN ('target', 'modified')
                          AND (p.new_value LIKE '%B2BManagementPolicy%'
                               OR p.name LIKE '%B2BManagementPolicy%'))))
 GROUP BY +e.user
