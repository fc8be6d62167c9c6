-- SPDX-License-Identifier: MIT
-- id: p23-new-activesync-device
-- title: New Exchange ActiveSync device for a user
-- category: persistence
-- severity: medium
-- attack: T1098.005
-- version: 1
-- description: A successful Exchange ActiveSync sign-in from a device
--   (device id, else user agent) that the user's sign-ins first show more
--   than baseline_hours after the user's first sign-in in the evidence.
--   Offline, a new mobile-device partnership shows only this way; an
--   ActiveSync partnership keeps syncing mail after a password reset.
-- false-positives: A user's new phone.
-- references: indicator family P23; Hawk Get-HawkUserMobileDevice
-- param: baseline_hours = 24
--   Devices seen within this many hours of the user's first sign-in are
--   taken as known.
WITH s AS (
    SELECT e.id, e.time, e.user, e.client_ip,
           coalesce(nullif(d.device_id, ''), e.user_agent, '?') AS device,
           d.client_app, coalesce(d.error_code, 0) AS code
      FROM events e JOIN signin_details d ON d.event_id = e.id
  ),
  firsts AS (
    SELECT user, device, min(time) AS t,
           (SELECT id FROM s s2 WHERE s2.user = s.user
             AND s2.device = s.device AND s2.client_app = 'Exchange ActiveSync'
             AND s2.code = 0 ORDER BY time, id LIMIT 1) AS id
      FROM s
     WHERE client_app = 'Exchange ActiveSync' AND code = 0
     GROUP BY user, device
  )
SELECT f.user AS user, f.t AS first_time, f.t AS last_time,
       printf('New ActiveSync device ''%s'' for %s', f.device, f.user)
         AS summary,
       json_object('device', f.device) AS detail,
       f.id AS events
  FROM firsts f
 WHERE f.t > (SELECT min(time) FROM s WHERE s.user = f.user)
             + param('baseline_hours') * 3600000
 ORDER BY f.t, f.user
