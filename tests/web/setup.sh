#!/usr/bin/env bash
# Installs the browser tests' npm packages into tests/web/node_modules, exactly as
# package-lock.json pins them (npm ci). Skips when they are already there. Never downloads a
# browser: the tests drive Debian's /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")"

stamp=node_modules/.mythos-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f node_modules/playwright-core/package.json ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "tests/web/setup.sh: npm is missing (scripts/deps.sh installs it)" >&2
  exit 1
fi
echo "Installing the browser tests' npm packages (tests/web/node_modules)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
echo "$want" >"$stamp"
