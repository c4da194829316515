"""The clock: chase policy, working-day calendar, and the sweep that sends due reminders.

How a reminder is sent once
---------------------------
The store is the source of truth. Each open owner row carries ``next_chase_at`` (the slot it is
scheduled for) and a claim (``claimed_by``/``claimed_until``). A sweep:

1. gives rows with no ``next_chase_at`` one (compare-and-set, so concurrent sweeps agree);
2. claims due rows atomically, all of one member's at once (PostgreSQL: the members are locked
   ``FOR NO KEY UPDATE SKIP LOCKED`` inside the claim transaction; SQLite: one UPDATE ...
   RETURNING that re-checks the claim), with a 15-minute lease;
3. per member, writes a send-log row per owner slot (``chase_sends``, unique key
   ``chase:<owner id>:<next_chase_at>``; one statement per batch) and commits it *before*
   calling the platform;
4. sends one digest; then, in ONE transaction, marks the log rows sent and advances the rows
   (counts, ``last_chased_at``, the next slot, claim released).

Guarantee: every due slot is delivered at least once, and exactly once unless a process dies
(or stalls past its lease) in the instant between the platform accepting a message and step 4
committing. Then the claim expires, another sweep takes over the log row (``attempts`` 2) and
sends that one digest again: at most one duplicated digest per crash per instance, visible in
the log. A crash anywhere else loses nothing and doubles nothing: unsent slots are retried,
committed ones are never re-sent (their key is recorded as sent, and the row has moved on).
After downtime a row's missed slots collapse into one reminder (the next slot is computed from
the current time), never one per missed sweep. Quiet hours and non-working days hold a row
(``claimed_until`` = next window) without changing its slot. A failed send is retried with
backoff (5, 10, 20 ... minutes); after ``max_attempts`` the chair is told (audited, logged).
A sweep stops sending at three quarters of its lease and hands the rest back uncounted, so a
slow platform cannot let a second instance take over rows that are still being sent.
"""
