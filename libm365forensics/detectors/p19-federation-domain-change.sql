-- SPDX-License-Identifier: MIT
-- id: p19-federation-domain-change
-- title: Domain federation, trust or accepted domain changed
-- category: persistence
-- severity: high
-- attack: T1484.002
-- version: 1
-- description: "Set domain authentication", "Set federation settings on
--   domain", "Add unverified domain", "Add verified domain", "Verify
--   domain", "Add partner to company", Exchange Add-FederatedDomain,
--   New-/Set-AcceptedDomain, and "Set Company Information" that changes
--   TrustedCAsForPasswordlessAuth. A federated domain whose token signing
--   the attacker controls lets them sign in as anyone (Golden SAML).
--   Domain additions are medium.
-- false-positives: Planned domain onboarding or federation with a new
--   identity provider.
-- references: indicator family P19; Sparrow; Splunk
--   azure_ad_new_federated_domain_added
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s: %s %s', coalesce(e.user, '?'), e.operation,
              coalesce(e.object, '')) AS summary,
       json_object('operation', e.operation, 'object', e.object) AS detail,
       e.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = e.id), '') AS events,
       CASE WHEN e.op_norm IN ('add unverified domain', 'add verified domain',
                               'verify domain', 'new-accepteddomain',
                               'set-accepteddomain')
            THEN 'medium' END AS severity
  FROM events e
 WHERE (e.op_norm IN ('set domain authentication',
                      'set federation settings on domain',
                      'add unverified domain', 'add verified domain',
                      'verify domain', 'add partner to company',
                      'add-federateddomain', 'new-accepteddomain',
                      'set-accepteddomain')
        OR (e.op_norm = 'set company information' AND EXISTS (
              SELECT 1 FROM event_props p WHERE p.event_id = e.id
               AND (p.name LIKE '%TrustedCAsForPasswordlessAuth%'
                    OR p.new_value LIKE '%TrustedCAsForPasswordlessAuth%'))))
   AND coalesce(lower(e.result), 'success') IN ('success', 'succeeded', 'true')
   AND e.id NOT IN (SELECT ual_id FROM twin_events)
 ORDER BY e.time, e.id
