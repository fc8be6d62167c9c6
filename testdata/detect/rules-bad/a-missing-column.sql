-- SPDX-License-Identifier: MIT
-- id: x-missing-column
-- title: A detector that names a column the events table lacks
-- category: persistence
-- severity: low
-- attack: T1114
-- description: Broken on purpose: the error must point at line 9.
SELECT user, time AS first_time, time AS last_time, operation AS summary,
       id AS events FROM events WHERE operaton = 'New-InboxRule'
