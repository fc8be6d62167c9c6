-- SPDX-License-Identifier: MIT
-- id: l01-internal-phishing
-- title: Internal phishing from a compromised mailbox or site
-- category: lateral
-- severity: high
-- attack: T1534
-- description: One mailbox sends at least min_same_subject messages with
--   the same subject in one UTC day (the lure sent to colleagues), or a
--   file uploaded to SharePoint/OneDrive is caught as malware
--   (FileMalwareDetected; attributed to the last user who uploaded or
--   changed that file, else the record's own actor).
-- false-positives: newsletters and announcements sent one by one.
-- param: min_same_subject = 50
WITH burst AS (
  SELECT user, min(time) AS first_time, max(time) AS last_time,
         printf('%d messages with the subject "%s" in one day', count(*),
                object) AS summary,
         group_concat(id) AS events
    FROM events
   WHERE op_norm IN ('send', 'sendas', 'sendonbehalf')
     AND user IS NOT NULL AND object IS NOT NULL AND object <> ''
   GROUP BY user, object, time / 86400000
  HAVING count(*) >= CAST(param('min_same_subject', 50) AS INTEGER)),
malware AS (
  SELECT coalesce((SELECT u.user FROM events u
                    WHERE u.object = e.object
                      AND u.op_norm IN ('fileuploaded', 'filemodified')
                      AND u.time <= e.time
                    ORDER BY u.time DESC LIMIT 1), e.user) AS user,
         e.time AS first_time, e.time AS last_time,
         'malware detected in uploaded file ' || e.object AS summary,
         CAST(e.id AS TEXT) AS events
    FROM events e WHERE e.op_norm = 'filemalwaredetected')
SELECT * FROM burst UNION ALL SELECT * FROM malware
