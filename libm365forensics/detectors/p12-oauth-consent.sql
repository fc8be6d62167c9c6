-- SPDX-License-Identifier: MIT
-- id: p12-oauth-consent
-- title: Consent to an OAuth application
-- category: persistence
-- severity: medium
-- attack: T1528
-- version: 1
-- description: A successful "Consent to application" record. High when it
--   is an admin consent or a grant on behalf of all users
--   (ConsentContext.IsAdminConsent, ConsentContext.OnBehalfOfAll), since
--   the application then reaches every user's data. The scopes are in the
--   detail; p13-risky-scope-grant judges them.
-- false-positives: Users and administrators adding ordinary business
--   applications.
-- references: indicator family P12; Splunk
--   o365_tenant_wide_admin_consent_granted; Sigma azure_app_end_user_consent
WITH c AS (
    SELECT e.id, e.time, e.user, coalesce(
             (SELECT name FROM event_props t WHERE t.event_id = e.id
               AND t.kind = 'target' AND t.new_value = '1' LIMIT 1),
             (SELECT new_value FROM event_props t WHERE t.event_id = e.id
               AND t.kind = 'modified' AND t.name = 'DisplayName'
               LIMIT 1), e.object) AS app,
           (SELECT lower(new_value) FROM event_props p WHERE p.event_id = e.id
             AND p.name = 'ConsentContext.IsAdminConsent') = 'true'
             AS admin,
           (SELECT lower(new_value) FROM event_props p WHERE p.event_id = e.id
             AND p.name = 'ConsentContext.OnBehalfOfAll') = 'true'
             AS all_users,
           (SELECT new_value FROM event_props p WHERE p.event_id = e.id
             AND p.name = 'ConsentAction.Permissions') AS permissions
      FROM events e
     WHERE e.op_norm = 'consent to application'
       AND coalesce(lower(e.result), 'success') IN ('success', 'succeeded')
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  )
SELECT user, time AS first_time, time AS last_time,
       printf('%s gave %sconsent to application ''%s''%s', user,
              CASE WHEN admin IS 1 THEN 'admin ' ELSE '' END, app,
              CASE WHEN all_users IS 1 THEN ' for all users' ELSE '' END)
         AS summary,
       json_object('application', app, 'admin_consent', admin IS 1,
                   'all_users', all_users IS 1,
                   'permissions', permissions) AS detail,
       c.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = c.id), '') AS events,
       CASE WHEN admin IS 1 OR all_users IS 1 THEN 'high' END AS severity
  FROM c
 ORDER BY c.time, c.id
