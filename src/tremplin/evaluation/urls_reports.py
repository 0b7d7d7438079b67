"""Highlights report pages (being written)."""

urlpatterns = []
