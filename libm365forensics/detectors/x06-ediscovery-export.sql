-- SPDX-License-Identifier: MIT
-- id: x06-ediscovery-export
-- title: eDiscovery or content search exported
-- category: exfiltration
-- severity: high
-- attack: T1114.002
-- description: A content search export (SearchExported,
--   SearchExportDownloaded, New-ComplianceSearchAction with Export, or a
--   PST export action); the searches the same user created or previewed
--   in the day before are linked as context.
-- false-positives: legal holds and investigations by the compliance team.
WITH ex AS (
  SELECT e.id, e.time, e.user, e.client_ip, e.object FROM events e
   WHERE e.op_norm IN ('searchexported', 'searchexportdownloaded',
                       'viewedsearchexported', 'searchresultsexported')
      OR (e.op_norm = 'new-compliancesearchaction'
          AND EXISTS (SELECT 1 FROM event_params p WHERE p.event_id = e.id
                        AND p.name IN ('Export', 'ExchangeArchiveFormat',
                                       'Format')
                        AND (p.name <> 'Export' OR lower(p.value) = 'true')))),
ctx AS (
  SELECT c.id, c.time, c.user FROM events c
   WHERE c.op_norm IN ('searchcreated', 'searchstarted', 'searchviewed',
                       'new-compliancesearch', 'start-compliancesearch',
                       'searchpreviewed')
     AND EXISTS (SELECT 1 FROM ex WHERE ex.user = c.user
                   AND c.time BETWEEN ex.time - 86400000 AND ex.time)),
allev AS (SELECT id, time, user FROM ex UNION SELECT * FROM ctx)
SELECT a.user, min(a.time) AS first_time, max(a.time) AS last_time,
       printf('content search exported: %s from %s',
              (SELECT group_concat(DISTINCT object) FROM ex
                WHERE ex.user = a.user),
              (SELECT group_concat(DISTINCT client_ip) FROM ex
                WHERE ex.user = a.user)) AS summary,
       group_concat(a.id) AS events
  FROM allev a GROUP BY a.user
