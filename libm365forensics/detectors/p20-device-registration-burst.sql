-- SPDX-License-Identifier: MIT
-- id: p20-device-registration-burst
-- title: Several devices registered by one account in a short time
-- category: persistence
-- severity: medium
-- attack: T1098.005
-- version: 1
-- description: One account registers or joins at least min_devices
--   different devices ("Register device", "Add device", "Add registered
--   owner to device") within window_minutes. A registered device gets a
--   primary refresh token that outlives password changes; tools register
--   devices in bursts.
-- false-positives: Autopilot or bulk enrolment by an administrator.
-- references: indicator family P20; Elastic
--   persistence_entra_id_multiple_device_registrations
-- param: min_devices = 3
--   Fewest different devices.
-- param: window_minutes = 15
--   Window in minutes.
WITH d AS (
    SELECT e.id, e.time, e.user,
           coalesce((SELECT name FROM event_props t WHERE t.event_id = e.id
                      AND t.kind = 'target' AND t.new_value = '1' LIMIT 1),
                    e.object, '') AS device
      FROM events e
     WHERE e.op_norm IN ('register device', 'add device',
                         'add registered owner to device')
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  ),
  w AS (
    SELECT x.id AS anchor, x.user, count(DISTINCT y.device) AS n,
           min(y.time) AS t1, max(y.time) AS t2,
           group_concat(DISTINCT y.id) AS ids,
           json_group_array(DISTINCT y.device) AS devices
      FROM d x JOIN d y ON y.user = x.user AND y.time >= x.time
       AND y.time <= x.time + param('window_minutes') * 60000
     GROUP BY x.id
    HAVING n >= param('min_devices')
  ),
  best AS (
    SELECT *, row_number() OVER (PARTITION BY user ORDER BY n DESC, t1)
             AS k FROM w
  )
SELECT user, t1 AS first_time, t2 AS last_time,
       printf('%s registered %d devices in %.0f minutes', user, n,
              (t2 - t1) / 60000.0) AS summary,
       json_object('devices', json(devices)) AS detail,
       ids AS events
  FROM best WHERE k = 1
 ORDER BY t1, user
