-- SPDX-License-Identifier: MIT
-- id: c13-ca-bypass
-- title: Conditional Access bypass through Intune Company Portal
-- category: initial-access
-- severity: high
-- attack: T1550.001
-- description: A sign-in to the Intune Company Portal app
--   (9ba1a5c7-f17a-4de9-a1f1-6178c8d51223), which Conditional Access
--   exempts for device enrollment, that succeeded or was interrupted
--   (0, 50199) from a device that is not compliant; or the audit log's
--   UserLoggedIn for that app with RequestType Cmsi:Cmsi to a resource
--   other than Intune (0000000a-0000-0000-c000-000000000000). Tools such
--   as TokenSmith use it to get tokens without a compliant device.
-- false-positives: real enrollment of a new device.
SELECT a.user, min(a.time) AS first_time, max(a.time) AS last_time,
       printf('Company Portal sign-in from a non-compliant device at %s',
              group_concat(DISTINCT a.client_ip)) AS summary,
       group_concat(a.id) AS events
  FROM auth_events a
 WHERE a.app_id = '9ba1a5c7-f17a-4de9-a1f1-6178c8d51223'
   AND a.code IN (0, 50199)
   AND ((a.src = 'signin' AND coalesce(a.compliant, 0) = 0)
        OR (a.src = 'ual'
            AND EXISTS (SELECT 1 FROM event_props p
                         WHERE p.event_id = a.id AND p.kind = 'extended'
                           AND p.name = 'RequestType'
                           AND lower(p.new_value) = 'cmsi:cmsi')
            AND coalesce((SELECT e.object FROM events e
                           WHERE e.id = a.id), '') <>
                '0000000a-0000-0000-c000-000000000000'))
 GROUP BY a.user
