-- SPDX-License-Identifier: MIT
-- id: v05-source-span
-- title: Time span each evidence source covers
-- category: coverage
-- severity: info
-- attack: T1562.008
-- description: One finding per source: what it is, the first and last
--   event time and the record counts (stored, duplicates, rejected), so
--   the analyst knows which window each kind of evidence covers. Linked
--   to the first and last event of the source. A source whose records
--   carry no time (a mailbox-rule dump) is said to be undated.
-- false-positives: none; this is an inventory.
SELECT NULL AS user, s.first_time, s.last_time,
       CASE WHEN s.first_time IS NULL THEN
         printf('%s (%s): undated (no record carries a time), %d records: '
                || '%d stored, %d duplicates, %d rejected', s.path, s.format,
                s.records, s.stored, s.duplicates, s.rejected)
       ELSE
         printf('%s (%s): %s to %s (%.1f days), %d records: %d stored, %d '
                || 'duplicates, %d rejected', s.path, s.format,
                iso_time(s.first_time), iso_time(s.last_time),
                (s.last_time - s.first_time) / 86400000.0, s.records,
                s.stored, s.duplicates, s.rejected)
       END AS summary,
       (SELECT min(id) FROM events WHERE source_id = s.id) || ',' ||
       (SELECT max(id) FROM events WHERE source_id = s.id) AS events
  FROM sources s
 WHERE EXISTS (SELECT 1 FROM events WHERE source_id = s.id)
