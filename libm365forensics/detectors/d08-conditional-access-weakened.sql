-- SPDX-License-Identifier: MIT
-- id: d08-conditional-access-weakened
-- title: Conditional access or authorization policy weakened
-- category: defense-evasion
-- severity: high
-- attack: T1556.009
-- version: 1
-- description: A conditional access policy deleted, or added or updated
--   into a disabled or report-only state; "Update authorization policy"
--   allowing user consent for risky apps; "Set Company Information"
--   changing the trusted IP ranges of the MFA service settings (an MFA
--   bypass from those addresses). Policy changes that leave a policy
--   enforced are not reported.
-- false-positives: Administrators staging a new policy in report-only
--   mode.
-- references: indicator family D8; Splunk
--   o365_block_user_consent_for_risky_apps_disabled,
--   o365_bypass_mfa_via_trusted_ip; Sigma azure_aad_secops_ca_policy
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s: %s %s', coalesce(e.user, '?'), e.operation,
              coalesce(e.object, '')) AS summary,
       json_object('operation', e.operation, 'object', e.object) AS detail,
       e.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = e.id), '') AS events,
       CASE WHEN e.op_norm IN ('add conditional access policy',
                               'update conditional access policy')
            THEN 'medium' END AS severity
  FROM events e
 WHERE e.id NOT IN (SELECT ual_id FROM twin_events) AND ((e.op_norm = 'delete conditional access policy'
        AND coalesce(lower(e.result), 'success') IN ('success', 'succeeded'))
    OR (e.op_norm IN ('add conditional access policy',
                      'update conditional access policy',
                      'set-conditionalaccesspolicy')
        AND EXISTS (SELECT 1 FROM event_props p WHERE p.event_id = e.id
                     AND p.kind = 'modified'
                     AND regexp('(?i)"state"\s*:\s*"?(disabled|enabledForReportingButNotEnforced|reportOnly)',
                                coalesce(p.new_value, ''))))
    OR (e.op_norm = 'update authorization policy'
        AND EXISTS (SELECT 1 FROM event_props p WHERE p.event_id = e.id
                     AND p.kind = 'modified'
                     AND (regexp('(?i)"?AllowUserConsentForRiskyApps"?\s*[:=]\s*"?true',
                                 coalesce(p.new_value, ''))
                          OR (p.name LIKE '%AllowUserConsentForRiskyApps%'
                              AND lower(p.new_value) LIKE '%true%'))))
    OR (e.op_norm = 'set company information'
        AND EXISTS (SELECT 1 FROM event_props p WHERE p.event_id = e.id
                     AND p.kind = 'modified'
                     AND (p.name LIKE '%StrongAuthenticationPolicy%'
                          OR p.name LIKE '%TrustedIP%')
                     AND coalesce(p.new_value, '') <>
                         coalesce(p.old_value, ''))))
 ORDER BY e.time, e.id
