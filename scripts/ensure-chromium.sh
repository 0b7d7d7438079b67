#!/usr/bin/env bash
# Browser tests run in Debian's Chromium. Install it when missing and we can (root + apt-get);
# otherwise say so loudly: the tests then skip locally and fail in CI.
set -u
for candidate in "${TREMPLIN_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
    && exit 0
fi
echo "*** Chromium not found and cannot be installed: browser tests will be SKIPPED (they fail in CI). ***" >&2
exit 0
