"""collective indicators (being written)."""
