"""Lifting the hourly bulk-read bar (``selectors.guard_bulk_read``) for one worker.

- ``models``: ``BulkReadLift`` (worker, lifted by, reason, extra files, until);
- ``selectors``: who may lift whose bar (a supervisor: their team; the privacy officer:
  everyone but themselves), the readers blocked or near the limit, the extra allowance;
- ``services``: the lift itself, validated and logged (``casework.bulk_read.lifted``);
- ``forms``, ``views``: the page ``casework:bulk-read-limits`` (and its privacy-menu twin).
"""
