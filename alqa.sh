#!/usr/bin/env bash
# Alqa launcher: `./alqa.sh start` runs the system with demo data, `./alqa.sh test` runs the tests.
# Both install what they need first and are safe to run again.
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
  [ -x /usr/bin/chromium ] && command -v xgettext >/dev/null && return
  echo "Installing Debian's Chromium (browser tests) and gettext (translation checks)…" >&2
  local SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core gettext >/dev/null; } \
    || { echo "ERROR: the tests need Debian's Chromium and gettext: run 'sudo apt-get install chromium gettext' and retry." >&2; exit 1; }
}

case "${1:-}" in
  start)
    sync
    mkdir -p var
    export DJANGO_DEBUG=true ALQA_DEMO_WAIVE_MFA=true ALQA_EMAIL=console
    "${UV[@]}" run python manage.py migrate --verbosity 0
    "${UV[@]}" run python manage.py demo
    "${UV[@]}" run python manage.py run_huey --quiet >var/huey.log 2>&1 &
    trap 'kill $! 2>/dev/null || true' EXIT
    echo "Alqa runs on http://127.0.0.1:8000 (Ctrl+C stops it)."
    "${UV[@]}" run python manage.py runserver 127.0.0.1:8000
    ;;
  test)
    shift
    sync
    need_system_packages
    exec "${UV[@]}" run pytest "$@"
    ;;
  *)
    echo "usage: ./alqa.sh start | ./alqa.sh test [pytest arguments]" >&2
    exit 2
    ;;
esac
