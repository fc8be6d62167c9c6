-- SPDX-License-Identifier: MIT
-- id: x-fine
-- title: A working detector next to broken ones
-- category: persistence
-- severity: medium
-- attack: T1114
-- description: Still runs when the others fail to compile.
SELECT user, time AS first_time, time AS last_time,
       'event ' || operation AS summary, id AS events
  FROM events WHERE op_norm = 'new-inboxrule'
