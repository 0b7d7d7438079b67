"""Browser fixtures (Playwright on Debian's Chromium) — being written."""
