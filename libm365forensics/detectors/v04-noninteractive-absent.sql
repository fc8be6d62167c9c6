-- SPDX-License-Identifier: MIT
-- id: v04-noninteractive-absent
-- title: Non-interactive sign-ins absent
-- category: coverage
-- severity: medium
-- attack: T1562.008
-- description: The case has sign-in exports but not one non-interactive
--   sign-in: token refreshes, where stolen tokens and sessions are used,
--   are not in the evidence (the portal and Graph v1.0 give interactive
--   sign-ins only unless asked). Linked to the first sign-in.
-- false-positives: none; export the non-interactive log to close it.
SELECT NULL AS user, min(e.time) AS first_time, max(e.time) AS last_time,
       printf('%d sign-ins, none non-interactive: token and session reuse '
              || 'cannot be seen', count(*)) AS summary,
       min(e.id) AS events
  FROM events e JOIN signin_details d ON d.event_id = e.id
HAVING count(*) > 0
   AND sum(d.interactive = 0 OR d.kind = 'non-interactive') = 0
