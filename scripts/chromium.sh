#!/usr/bin/env bash
# Headless Debian chromium for the page tests (screenshots + DOM assertions through Playwright, which
# drives the system browser: no browser download). Sourced by scripts/test.sh; `ensure_chromium`
# installs the Debian package when it is missing and apt-get can (root).
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium: installing the Debian package for the page tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: chromium is missing and cannot be installed here (not root / no apt-get); the page tests will fail" >&2
  fi
}
