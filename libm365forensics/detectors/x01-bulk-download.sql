-- SPDX-License-Identifier: MIT
-- id: x01-bulk-download
-- title: Bulk SharePoint/OneDrive download
-- category: exfiltration
-- severity: medium
-- attack: T1530
-- description: One user downloads or sync-downloads at least min_per_day
--   files in one UTC day (FileDownloaded, FileSyncDownloadedFull). The
--   addresses used are listed. When one address alone reaches the
--   threshold, the finding is that address's downloads (the user's
--   ordinary downloads elsewhere that day are not evidence); otherwise
--   the day's downloads from all addresses. The Sentinel 15-minute per
--   user+IP variant (5,000 files) is a subset of this one.
-- false-positives: a new laptop's first OneDrive sync; migrations.
-- param: min_per_day = 50
WITH d AS (
  SELECT id, time, user, client_ip, object, time / 86400000 AS day
    FROM events
   WHERE op_norm IN ('filedownloaded', 'filesyncdownloadedfull')
     AND user IS NOT NULL AND user <> ''),
-- one address above the threshold: the finding is that address's
-- downloads, not the user's ordinary ones elsewhere that day
one AS (
  SELECT user, day, coalesce(client_ip, '') AS ip FROM d
   GROUP BY 1, 2, 3
  HAVING count(*) >= CAST(param('min_per_day', 50) AS INTEGER)),
spread AS (
  SELECT user, day FROM d
   GROUP BY 1, 2
  HAVING count(*) >= CAST(param('min_per_day', 50) AS INTEGER)
     AND NOT EXISTS (SELECT 1 FROM one o WHERE o.user = d.user
                       AND o.day = d.day)),
hits AS (
  SELECT d.*, o.ip AS k FROM d JOIN one o
      ON o.user = d.user AND o.day = d.day
     AND o.ip = coalesce(d.client_ip, '')
  UNION ALL
  SELECT d.*, '' FROM d JOIN spread s ON s.user = d.user AND s.day = d.day)
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%d downloads of %d files in one day from %s', count(*),
              count(DISTINCT object), group_concat(DISTINCT client_ip))
         AS summary,
       group_concat(id) AS events
  FROM hits
 GROUP BY user, day, k
