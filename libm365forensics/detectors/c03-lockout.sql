-- SPDX-License-Identifier: MIT
-- id: c03-lockout
-- title: Account locked out or sign-in to a disabled account
-- category: initial-access
-- severity: medium
-- attack: T1110
-- description: Smart lockout (AADSTS 50053, UAL LogonError IdsLocked) or
--   attempts on a disabled account (50057): someone is guessing, or
--   trying accounts that should be dead.
-- false-positives: a user who forgot their password; leavers' devices.
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%d sign-ins %s from %s', count(*),
              CASE WHEN max(code) = 50057 AND min(code) = 50057
                   THEN 'to a disabled account'
                   WHEN min(code) = 50053 AND max(code) = 50053
                   THEN 'locked out'
                   ELSE 'locked out or to a disabled account' END,
              group_concat(DISTINCT client_ip)) AS summary,
       group_concat(id) AS events
  FROM auth_events WHERE code IN (50053, 50057)
 GROUP BY user
