"""casework indicators (being written)."""
