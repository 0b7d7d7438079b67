"""concertation indicators (being written)."""
