"""funding indicators (being written)."""
