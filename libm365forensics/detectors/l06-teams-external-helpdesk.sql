-- SPDX-License-Identifier: MIT
-- id: l06-teams-external-helpdesk
-- title: Teams chat from another tenant posing as help desk
-- category: lateral
-- severity: high
-- attack: T1566.003
-- description: A Teams one-on-one chat or message (ChatCreated,
--   MessageSent, MessageCreatedHasLink) with users of a foreign tenant
--   (ParticipantInfo.HasForeignTenantUsers) where a member's name or
--   address looks like IT support, help desk or Microsoft security.
-- false-positives: a real outsourced help desk in another tenant; add its
--   domain to allow_domains.
-- param: names = (?i)help ?desk|it[ -]?support|service ?desk|tech(nical)? support|microsoft security|security team|admin(istrator)?\b
-- param: allow_domains =
SELECT e.user, min(e.time) AS first_time, max(e.time) AS last_time,
       printf('external one-on-one chat with %s',
              group_concat(DISTINCT json_extract(m.value, '$.DisplayName')
                           || ' <' || json_extract(m.value, '$.UPN') || '>'))
         AS summary,
       group_concat(DISTINCT e.id) AS events
  FROM events e
  JOIN event_props pi ON pi.event_id = e.id AND pi.kind = 'field'
                     AND pi.name = 'ParticipantInfo'
  JOIN event_props mp ON mp.event_id = e.id AND mp.kind = 'field'
                     AND mp.name = 'Members',
       json_each(CASE WHEN json_valid(mp.new_value) THEN mp.new_value
                      ELSE '[]' END) m
 WHERE e.op_norm IN ('chatcreated', 'messagesent', 'messagecreatedhaslink',
                     'memberadded')
   AND json_valid(pi.new_value)
   AND json_extract(pi.new_value, '$.HasForeignTenantUsers') IN (1, 'true',
                                                                  'True')
   AND coalesce(json_extract(m.value, '$.UPN'), '') <> e.user
   AND regexp(param('names', '(?i)help ?desk|it[ -]?support|service ?desk|tech(nical)? support|microsoft security|security team|admin(istrator)?\b'),
              coalesce(json_extract(m.value, '$.DisplayName'), '') || ' ' ||
              coalesce(json_extract(m.value, '$.UPN'), ''))
   AND instr(',' || lower(param('allow_domains', '')) || ',',
             ',' || lower(email_domain(json_extract(m.value, '$.UPN')))
             || ',') = 0
 GROUP BY +e.user
