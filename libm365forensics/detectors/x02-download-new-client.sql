-- SPDX-License-Identifier: MIT
-- id: x02-download-new-client
-- title: Download by a scripted client or from a first-seen address
-- category: exfiltration
-- severity: medium
-- attack: T1530
-- description: File downloads whose user agent is a scripting tool
--   (PowerShell, PnP, rclone, curl, python...) or that come from an
--   address the user was not seen on before in the case, once the user
--   has at least baseline_days of earlier activity; at least min_files
--   downloads per user, address and client.
-- false-positives: admins scripting a migration; a user's first day on a
--   new network (home, hotel) with heavy downloads.
-- param: script_ua = (?i)powershell|pnpps|pnpcoresdk|sharepointpnp|rclone|curl/|wget/|python|go-http-client|okhttp|axios|node-fetch
-- param: baseline_days = 2
-- param: min_files = 10
WITH dl AS (
  SELECT id, time, user, client_ip, user_agent, object
    FROM events
   WHERE op_norm IN ('filedownloaded', 'filesyncdownloadedfull',
                     'filesyncdownloadedpartial')
     AND user IS NOT NULL AND user <> ''),
first_seen AS (
  SELECT user, min(time) AS t0 FROM events
   WHERE time > 0 AND user IN (SELECT user FROM dl) GROUP BY user),
ip_seen AS (
  SELECT user, client_ip, min(time) AS t0 FROM events
   WHERE user IN (SELECT user FROM dl) AND client_ip IS NOT NULL
   GROUP BY user, client_ip),
tagged AS (
  SELECT dl.*,
         CASE WHEN regexp(param('script_ua', '(?i)powershell|pnpps|pnpcoresdk|sharepointpnp|rclone|curl/|wget/|python|go-http-client|okhttp|axios|node-fetch'),
                          coalesce(dl.user_agent, ''))
              THEN 'scripted client ' || dl.user_agent
              WHEN i.t0 - f.t0 >= CAST(param('baseline_days', 2) AS INTEGER)
                                  * 86400000
                   AND dl.time - i.t0 < 86400000
              THEN 'first-seen address ' || dl.client_ip
         END AS why
    FROM dl JOIN first_seen f ON f.user = dl.user
    LEFT JOIN ip_seen i ON i.user = dl.user AND i.client_ip = dl.client_ip)
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%d downloads (%d files) by %s', count(*),
              count(DISTINCT object), why) AS summary,
       group_concat(id) AS events
  FROM tagged WHERE why IS NOT NULL
 GROUP BY user, why
HAVING count(*) >= CAST(param('min_files', 10) AS INTEGER)
