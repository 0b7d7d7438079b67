"""No models: the index lives in tables the migration and triggers keep (``schema.py``).

This module exists because Django sends ``pre_migrate``/``post_migrate`` only to apps that
have one, and the search app needs both signals.
"""
