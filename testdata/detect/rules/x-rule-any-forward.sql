-- SPDX-License-Identifier: MIT
-- An analyst's own detector, as a rules folder holds it.
-- id: x-rule-any-forward
-- title: Any inbox rule that forwards, inside or outside
-- category: persistence
-- severity: low
-- attack: T1114.003
-- version: 2
-- description: Every New-InboxRule or Set-InboxRule with ForwardTo,
--   for an analyst who wants to see internal forwards too.
-- false-positives: Many; this is a hunting query.
-- param: names = ^(ForwardTo|RedirectTo)$
--   PCRE2 pattern over the parameter names.
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s: %s=%s', e.operation, p.name, p.value) AS summary,
       json_object('value', p.value, 'known', k.folder) AS detail,
       e.id AS events
  FROM events e JOIN event_params p ON p.event_id = e.id
  LEFT JOIN ref_watch k ON k.address = p.value
 WHERE e.op_norm IN ('new-inboxrule', 'set-inboxrule')
   AND regexp(param('names'), p.name)
 ORDER BY e.time, e.id
