-- SPDX-License-Identifier: MIT
-- id: d09-collaboration-loosened
-- title: Teams external access, guest access or custom apps allowed
-- category: defense-evasion
-- severity: medium
-- attack: T1562.001
-- version: 1
-- description: Set-CsTenantFederationConfiguration with AllowFederatedUsers
--   or AllowPublicUsers true, Set-CsTeamsClientConfiguration with
--   AllowGuestUser true, and TeamsTenantSettingChanged turning on guest,
--   external or side-loading settings.
-- false-positives: Planned opening of collaboration with partners.
-- references: indicator family D9; Elastic
--   defense_evasion_teams_external_access_enabled,
--   persistence_teams_guest_access_enabled
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s: %s %s', coalesce(e.user, '?'), e.operation,
              coalesce((SELECT group_concat(p.name || '=' || p.value, '; ')
                          FROM event_params p WHERE p.event_id = e.id
                           AND lower(p.value) IN ('true', '$true')),
                       (SELECT group_concat(p.name || '=' || p.new_value,
                                            '; ')
                          FROM event_props p WHERE p.event_id = e.id
                           AND p.kind = 'modified'), '')) AS summary,
       json_object('operation', e.operation) AS detail,
       e.id AS events
  FROM events e
 WHERE (e.op_norm IN ('set-cstenantfederationconfiguration',
                      'set-csteamsclientconfiguration')
        AND EXISTS (SELECT 1 FROM event_params p WHERE p.event_id = e.id
                     AND p.name IN ('AllowFederatedUsers', 'AllowPublicUsers',
                                    'AllowGuestUser', 'AllowTeamsConsumer')
                     AND lower(p.value) IN ('true', '$true')))
    OR (e.op_norm = 'teamstenantsettingchanged'
        AND EXISTS (SELECT 1 FROM event_props p WHERE p.event_id = e.id
                     AND p.kind = 'modified'
                     AND regexp('(?i)sideload|guest|external|federat',
                                coalesce(p.name, ''))
                     AND lower(p.new_value) IN ('true', 'on', 'enabled')))
 ORDER BY e.time, e.id
