#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages, if missing:
# PostgreSQL (the suite starts its own server with initdb/pg_ctl).
# Chromium (the browser tests in tests/e2e drive /usr/bin/chromium through playwright).
# Pango and a font with Vietnamese letters: WeasyPrint lays out the PDF report with them.
set -euo pipefail

have_pg_ctl() {
  command -v pg_ctl >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
}

missing=()
have_pg_ctl || missing+=(postgresql)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
have_library() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_library libpango-1.0.so.0 || missing+=(libpango-1.0-0)
have_library libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
[[ -e /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ]] || missing+=(fonts-dejavu-core)

if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "error: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
