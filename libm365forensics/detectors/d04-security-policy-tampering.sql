-- SPDX-License-Identifier: MIT
-- id: d04-security-policy-tampering
-- title: Mail security or DLP policy removed or disabled
-- category: defense-evasion
-- severity: high
-- attack: T1562.001
-- version: 1
-- description: Remove- or Disable- of anti-phishing, Safe Links, Safe
--   Attachments, malware and spam filter, DLP and protection-alert policies
--   and rules, and Set-DkimSigningConfig with Enabled false.
-- false-positives: Administrators replacing a policy with a new one (look
--   for a New- of the same kind next to it).
-- references: indicator family D4; Sentinel office_policytampering;
--   Splunk o365_email_security_feature_changed; Suzaku m365_remove_dlp_policy
-- param: operations = ^(remove|disable)-(antiphish|safelinks|safeattachment|malwarefilter|hostedcontentfilter|hostedoutboundspamfilter|dlp|dlpcompliance|atpprotection|eopprotection|protectionalert|activityalert|auditconfig)\w*(policy|rule)$
--   PCRE2 pattern over the folded operation name (Remove- and Disable-
--   operations only).
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s: %s %s', coalesce(e.user, '?'), e.operation,
              coalesce((SELECT value FROM event_params p
                         WHERE p.event_id = e.id
                           AND p.name IN ('Identity', 'Name') LIMIT 1),
                       e.object, '')) AS summary,
       json_object('operation', e.operation, 'object', e.object) AS detail,
       e.id AS events
  FROM events e
 WHERE (((e.op_norm >= 'remove-' AND e.op_norm < 'remove.')
         OR (e.op_norm >= 'disable-' AND e.op_norm < 'disable.'))
        -- the ranges let the operation index narrow the scan
        AND regexp(param('operations'), e.op_norm))
    OR (e.op_norm = 'set-dkimsigningconfig' AND EXISTS (
          SELECT 1 FROM event_params p WHERE p.event_id = e.id
           AND p.name = 'Enabled'
           AND lower(p.value) IN ('false', '$false', '0')))
 ORDER BY e.time, e.id
