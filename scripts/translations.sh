#!/usr/bin/env bash
# The translator's workflow for the gettext catalogs in search_app/translations (README, "Translating").
#   bash scripts/translations.sh extract   # all marked messages -> search_app/translations/messages.pot
#   bash scripts/translations.sh update    # extract, then merge new/changed messages into every .po
#   bash scripts/translations.sh compile   # .po -> .mo (setup.sh and app start-up do this too)
#   bash scripts/translations.sh check     # the catalog-completeness test (what CI runs)
#   bash scripts/translations.sh init LANG # start a new language's catalog
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
DIR=search_app/translations
POT=$DIR/messages.pot

extract() {
  "$PYBABEL" -q extract -F babel.cfg -k N_ -k lazy_gettext --no-location --sort-output --project CMMS \
    --version 1 --copyright-holder "Prosecution Department, Khyber Pakhtunkhwa" --msgid-bugs-address "" \
    -o "$POT" .
  echo "extracted $(grep -c '^msgid "' "$POT") messages into $POT"
}

case "${1:-}" in
  extract) extract ;;
  update)
    extract
    # No fuzzy guesses: a changed English message must be translated again, not half-matched.
    "$PYBABEL" update -i "$POT" -d "$DIR" --no-fuzzy-matching --ignore-obsolete --width 100
    ;;
  compile) "$PYBABEL" compile -d "$DIR" --statistics ;;
  check) .venv/bin/pytest -q tests/unit/i18n ;;
  init)
    extract
    "$PYBABEL" init -i "$POT" -d "$DIR" -l "${2:?language code, e.g. ps}"
    ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
