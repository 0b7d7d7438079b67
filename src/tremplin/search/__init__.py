"""Full-text search (see ``query.py``; the index itself: ``kinds.py`` and ``schema.py``)."""
