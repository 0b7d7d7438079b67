"""The privacy officer's side of case files and the Law 25 duties.

- ``permissions``: who may use these pages (one place);
- ``selectors``: the journal, the flags, the registers, persons for access requests;
- ``services``: reviews of flags, the incident register, rectification;
- ``access``: everything held about one person (JSON and PDF) for an access request;
- ``retention``: ``tremplin retention apply`` (destruction and anonymization);
- ``research``: the de-identified research export (k-anonymity, k ≥ 5);
- ``stats``: counts for evaluation, small cells suppressed.
"""
