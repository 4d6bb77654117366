#!/usr/bin/env bash
# Installs the few Debian packages the portal needs, only where they are missing:
# Pango for WeasyPrint (always), Debian's chromium for the browser tests, poppler-utils to look
# at PDFs and redis-server for a private Redis where none answers (with --test),
# wrk for the load test of `make bench` (with --bench).
set -euo pipefail
need=()
ldconfig -p | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset' || need+=(libharfbuzz-subset0)
if [[ "${1:-}" == "--test" ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v redis-server >/dev/null || need+=(redis-server)
fi
if [[ "${1:-}" == "--bench" ]]; then
  command -v wrk >/dev/null || need+=(wrk)
  command -v redis-server >/dev/null || need+=(redis-server)
fi
[[ ${#need[@]} -eq 0 ]] && exit 0
echo "Installing system packages: ${need[*]}"
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
