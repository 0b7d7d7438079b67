"""Tremplin: information system for community support in social and community housing."""
