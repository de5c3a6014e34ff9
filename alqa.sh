#!/usr/bin/env bash
# Alqa launcher: `./alqa.sh start [PORT]` runs the system with demo data (port 8000, or PORT, or
# $ALQA_PORT; links in mails and .ics files point there), `./alqa.sh manage COMMAND …` runs a
# management command with the demo's settings, `./alqa.sh test` runs the tests.
# All install what they need first and are safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
export UV_PYTHON_DOWNLOADS=never

need_uv() {
  if command -v uv >/dev/null 2>&1; then UV=(uv); return; fi
  if python3 -m uv --version >/dev/null 2>&1; then UV=(python3 -m uv); return; fi
  echo "Installing uv (the Python package manager) for this user…" >&2
  python3 -m pip install --user --quiet uv 2>/dev/null \
    || python3 -m pip install --user --quiet --break-system-packages uv \
    || { echo "ERROR: could not install uv. Install python3-pip (Debian: apt-get install python3-pip) and retry." >&2; exit 1; }
  UV=(python3 -m uv)
}

sync() {
  need_uv
  "${UV[@]}" sync --quiet --frozen
}

need_system_packages() {
  [ -x /usr/bin/chromium ] && command -v xgettext >/dev/null && command -v pdftotext >/dev/null \
    && command -v soffice >/dev/null && return
  echo "Installing Debian's Chromium (browser tests), gettext (translation checks), poppler-utils (PDFs read back) and LibreOffice Writer (the protocol's DOCX opened)…" >&2
  local SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core gettext poppler-utils libreoffice-writer-nogui >/dev/null; } \
    || { echo "ERROR: the tests need Debian's Chromium, gettext, poppler-utils and LibreOffice Writer: run 'sudo apt-get install chromium gettext poppler-utils libreoffice-writer-nogui' and retry." >&2; exit 1; }
}

# The demo's settings: a debug server with the demo's printed logins, mails on the console.
demo_settings() {
  export DJANGO_DEBUG=true ALQA_DEMO_WAIVE_MFA=true ALQA_EMAIL=console
  export ALQA_SITE_URL="${ALQA_SITE_URL:-http://127.0.0.1:${PORT}}"
}

PORT="${ALQA_PORT:-8000}"

case "${1:-}" in
  start)
    PORT="${2:-$PORT}"
    case "$PORT" in
      ''|*[!0-9]*) echo "ERROR: the port must be a number, not '$PORT'." >&2; exit 2 ;;
    esac
    sync
    mkdir -p var
    demo_settings
    "${UV[@]}" run python manage.py migrate --verbosity 0
    "${UV[@]}" run python manage.py demo
    "${UV[@]}" run python manage.py run_huey --quiet >var/huey.log 2>&1 &
    trap 'kill $! 2>/dev/null || true' EXIT
    echo "Alqa runs on http://127.0.0.1:${PORT} (Ctrl+C stops it); links in mails point to ${ALQA_SITE_URL}."
    "${UV[@]}" run python manage.py runserver "127.0.0.1:${PORT}"
    ;;
  manage)
    shift
    [ $# -gt 0 ] || { echo "usage: ./alqa.sh manage COMMAND [arguments] (e.g. create_api_token EMAIL)" >&2; exit 2; }
    sync
    mkdir -p var
    demo_settings
    exec "${UV[@]}" run python manage.py "$@"
    ;;
  test)
    shift
    sync
    need_system_packages
    exec "${UV[@]}" run pytest "$@"
    ;;
  *)
    echo "usage: ./alqa.sh start [PORT] | ./alqa.sh manage COMMAND [arguments] | ./alqa.sh test [pytest arguments]" >&2
    exit 2
    ;;
esac
