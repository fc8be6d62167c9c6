-- SPDX-License-Identifier: MIT
-- id: x01-bulk-download
-- title: Bulk SharePoint/OneDrive download
-- category: exfiltration
-- severity: medium
-- attack: T1530
-- description: One user downloads or sync-downloads at least min_per_day
--   files in one UTC day (FileDownloaded, FileSyncDownloadedFull). The
--   addresses used are listed; the Sentinel 15-minute per user+IP variant
--   (5,000 files) is a subset of this one.
-- false-positives: a new laptop's first OneDrive sync; migrations.
-- param: min_per_day = 50
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%d downloads of %d files in one day from %s', count(*),
              count(DISTINCT object), group_concat(DISTINCT client_ip))
         AS summary,
       group_concat(id) AS events
  FROM events
 WHERE op_norm IN ('filedownloaded', 'filesyncdownloadedfull')
   AND user IS NOT NULL AND user <> ''
 GROUP BY user, time / 86400000
HAVING count(*) >= CAST(param('min_per_day', 50) AS INTEGER)
