-- SPDX-License-Identifier: MIT
-- id: v01-export-cap
-- title: Evidence file stopped at an export limit
-- category: coverage
-- severity: medium
-- attack: T1562.008
-- description: A source with exactly one of the record counts at which
--   exports stop (caps: the 5,000-row portal and Graph pages, the
--   50,000-row Purview and Search-UnifiedAuditLog limit, 100,000): the
--   export is very likely truncated and events after (or before) it are
--   missing. Linked to the first and last event of the source.
-- false-positives: a source that really has exactly that many records.
-- param: caps = 5000,50000,100000
SELECT NULL AS user, s.first_time, s.last_time,
       printf('%s holds exactly %d records, an export limit: the export '
              || 'is probably cut short (%s to %s)', s.path, s.records,
              iso_time(s.first_time), iso_time(s.last_time)) AS summary,
       (SELECT min(id) FROM events WHERE source_id = s.id) || ',' ||
       (SELECT max(id) FROM events WHERE source_id = s.id) AS events
  FROM sources s
 WHERE instr(',' || param('caps', '5000,50000,100000') || ',',
             ',' || s.records || ',') > 0
   AND EXISTS (SELECT 1 FROM events WHERE source_id = s.id)
