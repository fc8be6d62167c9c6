-- SPDX-License-Identifier: MIT
-- id: d10-suspicious-app-name
-- title: Application with a suspicious name or reply URL
-- category: defense-evasion
-- severity: medium
-- attack: T1036.005
-- version: 1
-- description: An application or service principal added, updated or
--   consented to whose display name is only punctuation, is "test",
--   "test app", "app test" or "apptest", or looks like a user name
--   (name@domain); or whose reply URL is http://localhost:<port>/access
--   (the default of illicit-consent kits).
-- false-positives: Developers' test registrations.
-- references: indicator family D10; Microsoft-Analyzer-Suite
--   OAuthPermissions-Analyzer (LETHAL-001..005)
-- param: names = (?i)^[^\p{L}\p{N}]+$|^(test|test app|app test|apptest)$|^[^@\s]+@[^@\s]+\.[a-z]{2,}$
--   PCRE2 pattern over the application name.
-- param: reply_urls = (?i)http://localhost:\d+/access/?
--   PCRE2 pattern over reply URLs.
WITH a AS (
    SELECT e.id, e.time, e.user, e.operation,
           (SELECT name FROM event_props t WHERE t.event_id = e.id
             AND t.kind = 'target' AND t.new_value = '1' LIMIT 1) AS tname,
           (SELECT new_value FROM event_props t WHERE t.event_id = e.id
             AND t.kind = 'modified' AND t.name = 'DisplayName' LIMIT 1)
             AS dname,
           (SELECT group_concat(new_value, ' ') FROM event_props t
             WHERE t.event_id = e.id AND t.kind = 'modified'
               AND t.name IN ('AppAddress', 'ReplyUrls', 'ReplyUrl'))
             AS urls
      FROM events e
     WHERE e.op_norm IN ('add application', 'add service principal',
                         'update application', 'update service principal',
                         'consent to application')
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  ),
  n AS (
    SELECT *, trim(coalesce(tname,
                            trim(replace(replace(dname, '[', ''), ']', ''),
                                 ' "'),
                            (SELECT object FROM events o
                              WHERE o.id = a.id))) AS app
      FROM a
  )
SELECT user, time AS first_time, time AS last_time,
       printf('%s: %s ''%s''%s', coalesce(user, '?'), operation,
              coalesce(app, '?'),
              CASE WHEN regexp(param('reply_urls'), coalesce(urls, ''))
                   THEN ' with a localhost reply URL' ELSE '' END)
         AS summary,
       json_object('application', app, 'reply_urls', urls,
                   'operation', operation) AS detail,
       n.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = n.id), '') AS events
  FROM n
 WHERE regexp(param('names'), coalesce(app, 'x'))
    OR regexp(param('reply_urls'), coalesce(urls, ''))
 ORDER BY time, id
