#!/usr/bin/env bash
# Installs whatever is missing, and nothing else: Debian packages, the Python environment, the
# Elasticsearch launcher (Maven). A second run finds everything in place and takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-noto-core carries Noto Nastaliq Urdu (and Naskh): the app serves it to browsers for the Urdu
# interface (/fonts/...) and WeasyPrint sets Urdu PDFs (cause lists) in it through fontconfig.
DEBIAN_PACKAGES=(
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-urd tesseract-ocr-pus tesseract-ocr-osd
  redis-server postgresql openjdk-17-jdk-headless maven
  chromium chromium-driver poppler-utils qpdf fonts-noto-core
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# A JDK/Maven that came with the machine (not from Debian) is fine as long as it is on PATH.
if command -v java >/dev/null && command -v mvn >/dev/null; then
  filtered=(); for pkg in "${missing[@]}"; do
    case "$pkg" in openjdk-17-jdk-headless|maven) ;; *) filtered+=("$pkg");; esac
  done; missing=("${filtered[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts services on install; CMMS runs its own Redis, and PostgreSQL only for tests.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  systemctl stop redis-server || true
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.cmms-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing Python packages"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi

# Translations: only the .po files are in git; the compiled .mo files are made here (a second of work).
echo "==> translations"
.venv/bin/pybabel -q compile -d search_app/translations

echo "==> Elasticsearch launcher"
.venv/bin/python -m stack.elasticsearch build
echo "==> setup complete"
