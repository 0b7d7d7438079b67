"""mobilization indicators (being written)."""
