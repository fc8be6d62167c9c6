-- SPDX-License-Identifier: MIT
-- id: p13-risky-scope-grant
-- title: OAuth grant with risky scopes
-- category: persistence
-- severity: high
-- attack: T1528
-- version: 1
-- description: A consent ("Consent to application", scopes read by name
--   from the "Scope:" part of ConsentAction.Permissions, never by
--   position), a delegated permission grant (DelegatedPermissionGrant.
--   Scope) or an app-role assignment (AppRole.Value) that includes a scope
--   of the ref_risky_scopes table: mail, files, chats, or directory
--   takeover. The severity is the highest of the scopes granted.
-- false-positives: Mail clients and backup products that need mail
--   access; check the application's publisher.
-- references: indicator family P13; Hawk Get-HawkTenantConsentGrant;
--   Microsoft-Analyzer-Suite permission blacklists
WITH RECURSIVE
  raw(id, rest, scopes) AS (
    SELECT e.id, p.new_value, NULL
      FROM events e JOIN event_props p ON p.event_id = e.id
     WHERE e.op_norm = 'consent to application'
       AND p.name = 'ConsentAction.Permissions'
    UNION ALL
    -- every "Scope: a b c," part of the permission list
    SELECT id, substr(rest, instr(rest, 'Scope:') + 6),
           substr(substr(rest, instr(rest, 'Scope:') + 6), 1,
                  instr(substr(rest, instr(rest, 'Scope:') + 6) || ',',
                        ',') - 1)
      FROM raw WHERE instr(rest, 'Scope:') > 0
  ),
  lists(id, scopes) AS (
    SELECT id, scopes FROM raw WHERE scopes IS NOT NULL
    UNION ALL
    SELECT e.id, p.new_value
      FROM events e JOIN event_props p ON p.event_id = e.id
     WHERE e.op_norm IN ('add delegated permission grant',
                         'add oauth2permissiongrant',
                         'add app role assignment grant to user',
                         'add app role assignment to service principal')
       AND p.name IN ('DelegatedPermissionGrant.Scope', 'AppRole.Value')
  ),
  words(id, rest, scope) AS (
    SELECT id, trim(replace(replace(scopes, '"', ' '), ']', ' ')) || ' ',
           NULL FROM lists
    UNION ALL
    SELECT id, ltrim(substr(rest, instr(rest, ' ') + 1)),
           substr(rest, 1, instr(rest, ' ') - 1)
      FROM words WHERE rest <> ''
  ),
  risky AS (
    SELECT DISTINCT w.id, w.scope,
           max(CASE r.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3
               WHEN 'medium' THEN 2 ELSE 1 END) AS rank
      FROM words w JOIN ref_risky_scopes r ON w.scope GLOB r.pattern
     WHERE w.scope <> ''
     GROUP BY w.id, w.scope
  )
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s granted risky scopes %s to ''%s'' (%s)', e.user,
              group_concat(r.scope, ' '),
              coalesce((SELECT name FROM event_props t WHERE t.event_id = e.id
                         AND t.kind = 'target' AND t.new_value = '1'
                         LIMIT 1), e.object), e.operation) AS summary,
       json_object('scopes', json_group_array(r.scope),
                   'operation', e.operation) AS detail,
       e.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = e.id), '') AS events,
       CASE max(r.rank) WHEN 4 THEN 'critical' WHEN 3 THEN 'high'
            WHEN 2 THEN 'medium' ELSE 'low' END AS severity
  FROM risky r JOIN events e ON e.id = r.id
 WHERE e.id NOT IN (SELECT ual_id FROM twin_events)
 GROUP BY e.id
 ORDER BY e.time, e.id
