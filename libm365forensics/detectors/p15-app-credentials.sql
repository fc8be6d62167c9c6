-- SPDX-License-Identifier: MIT
-- id: p15-app-credentials
-- title: Credentials added to an application or service principal
-- category: persistence
-- severity: high
-- attack: T1098.001
-- version: 1
-- description: "Add service principal credentials" or "Update application
--   - Certificates and secrets management" (the UAL spelling with an en
--   dash and a trailing space folds to the same name). A secret or
--   certificate on an existing application gives lasting access that
--   survives the user's password reset.
-- false-positives: Developers rotating a secret before it expires.
-- references: indicator family P15; Sentinel
--   CredentialAddedAfterAdminConsent; Elastic
--   persistence_entra_id_service_principal_credentials_added
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s added credentials to ''%s'' (%s)', coalesce(e.user, '?'),
              coalesce(
             (SELECT name FROM event_props t WHERE t.event_id = e.id
               AND t.kind = 'target' AND t.new_value = '1' LIMIT 1),
             (SELECT new_value FROM event_props t WHERE t.event_id = e.id
               AND t.kind = 'modified' AND t.name = 'DisplayName'
               LIMIT 1), e.object), e.operation) AS summary,
       json_object('application', coalesce(
             (SELECT name FROM event_props t WHERE t.event_id = e.id
               AND t.kind = 'target' AND t.new_value = '1' LIMIT 1),
             (SELECT new_value FROM event_props t WHERE t.event_id = e.id
               AND t.kind = 'modified' AND t.name = 'DisplayName'
               LIMIT 1), e.object),
                   'operation', e.operation,
                   'keys', (SELECT new_value FROM event_props p
                             WHERE p.event_id = e.id
                               AND p.name IN ('KeyDescription',
                                              'FederatedIdentityCredentials')
                             LIMIT 1)) AS detail,
       e.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = e.id), '') AS events
  FROM events e
 WHERE e.op_norm IN ('add service principal credentials',
                     'update application - certificates and secrets management',
                     'update service principal - certificates and secrets management')
   AND coalesce(lower(e.result), 'success') IN ('success', 'succeeded')
   AND e.id NOT IN (SELECT ual_id FROM twin_events)
 ORDER BY e.time, e.id
