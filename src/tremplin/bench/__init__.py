"""The benchmarks: `tremplin bench <suite>` and the synthetic data its suites measure.

One suite a module (``directory``, ``casework``, ``events``, ``surveys``, ``evaluation``,
``search``, ``imports``); the generators of the synthetic province in ``synthetic/``; what they
share in ``measure.py`` and ``databases.py``. This package imports the product's apps; none of
them imports it (``core/tests/test_layers.py``).
"""
