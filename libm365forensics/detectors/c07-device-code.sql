-- SPDX-License-Identifier: MIT
-- id: c07-device-code
-- title: Device-code sign-in (device code phishing)
-- category: initial-access
-- severity: high
-- attack: T1528
-- description: A sign-in with the device code flow
--   (authenticationProtocol deviceCode), an audit-log logon with
--   RequestType Cmsi:Cmsi, or one interrupted with CmsiInterrupt (50199)
--   through the Microsoft Authentication Broker. Attackers send the code
--   to a user and redeem the tokens.
-- false-positives: meeting-room devices and CLI tools that sign in with
--   device codes; add their accounts to allow_users.
-- param: allow_users =
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('device code flow: %s from %s',
              group_concat(DISTINCT coalesce(app_name, app_id)),
              group_concat(DISTINCT client_ip)) AS summary,
       group_concat(id) AS events
  FROM auth_events
 WHERE (lower(coalesce(auth_protocol, '')) = 'devicecode'
        OR (request_type = 'ual-extended'
            AND EXISTS (SELECT 1 FROM event_props p
                         WHERE p.event_id = auth_events.id
                           AND p.kind = 'extended'
                           AND p.name = 'RequestType'
                           AND lower(p.new_value) = 'cmsi:cmsi'))
        OR (code = 50199
            AND app_id = '29d9ed98-a469-4536-ade2-f981bc1d605e'))
   AND instr(',' || lower(param('allow_users', '')) || ',',
             ',' || user || ',') = 0
 GROUP BY user
