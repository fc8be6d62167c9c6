-- SPDX-License-Identifier: MIT
-- id: x08-sharing-policy-weakened
-- title: SharePoint sharing policy weakened
-- category: exfiltration
-- severity: high
-- attack: T1562
-- description: SharingPolicyChanged that turns on guest sharing,
--   anonymous links or public access (ShareWithGuests,
--   ShareUsingAnonymousLinks, IsPublic and similar from False to True),
--   or changes the allowed/blocked domain lists.
-- false-positives: planned collaboration changes by SharePoint admins.
SELECT e.user, min(e.time) AS first_time, max(e.time) AS last_time,
       printf('sharing policy weakened: %s',
              group_concat(DISTINCT p.name || ' ' ||
                           coalesce(p.old_value, '') || ' -> ' ||
                           coalesce(p.new_value, ''))) AS summary,
       group_concat(DISTINCT e.id) AS events
  FROM events e JOIN event_props p ON p.event_id = e.id
 WHERE e.op_norm = 'sharingpolicychanged'
   AND p.kind = 'modified'
   AND ((regexp('(?i)sharewithguests|shareusinganonymouslinks|ispublic|anonymous|externalsharing|guest',
                coalesce(p.name, ''))
         AND lower(coalesce(p.new_value, '')) IN ('true', '1', 'enabled')
         AND lower(coalesce(p.old_value, '')) NOT IN ('true', '1',
                                                      'enabled'))
        OR regexp('(?i)allow(ed)?domainlist|blockeddomainlist|sharingdomainrestriction',
                  coalesce(p.name, '')))
 GROUP BY +e.user
