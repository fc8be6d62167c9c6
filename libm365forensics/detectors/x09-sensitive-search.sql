-- SPDX-License-Identifier: MIT
-- id: x09-sensitive-search
-- title: Searches for credentials and financial terms
-- category: exfiltration
-- severity: medium
-- attack: T1552
-- description: Mailbox or SharePoint searches (SearchQueryInitiated*,
--   SearchQueryPerformed) whose text names secrets or money: password,
--   credential, secret, api key, token, vpn, mfa, salary, payroll, wire,
--   bank, invoice, payment.
-- false-positives: finance staff searching their own work.
-- param: terms = (?i)passw|credential|secret|api.?key|token|\bvpn\b|\bmfa\b|2fa|salary|payroll|\bwire\b|bank|invoice|payment|bitcoin|ssn\b
SELECT e.user, min(e.time) AS first_time, max(e.time) AS last_time,
       printf('%d searches for sensitive terms: %s', count(*),
              group_concat(DISTINCT '"' || p.new_value || '"')) AS summary,
       group_concat(e.id) AS events
  FROM events e JOIN event_props p ON p.event_id = e.id
 WHERE e.op_norm IN ('searchqueryinitiatedexchange',
                     'searchqueryinitiatedsharepoint',
                     'searchqueryperformed')
   AND p.kind = 'field' AND p.name = 'SearchQueryText'
   AND regexp(param('terms', '(?i)passw|credential|secret|api.?key|token|\bvpn\b|\bmfa\b|2fa|salary|payroll|\bwire\b|bank|invoice|payment|bitcoin|ssn\b'), p.new_value)
 GROUP BY e.user
