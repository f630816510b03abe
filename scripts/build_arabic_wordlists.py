"""Build ocr/data/urdu_words.txt and ocr/data/pashto_words.txt: the word lists the page reader checks
an Urdu or Pashto reading against (is it real words, or Tesseract reading noise in Arabic letters?).

    .venv/bin/python scripts/build_arabic_wordlists.py [TESSDATA_DIR]

Source: the word dictionaries inside Tesseract's own ``urd`` and ``pus`` LSTM models (tessdata_fast
as Debian packages it, tesseract-ocr-urd / tesseract-ocr-pus, Apache-2.0), unpacked with
``combine_tessdata -u`` and listed with ``dawg2wordlist`` (both in the tesseract-ocr package). Kept:
tokens of 2+ Arabic-script letters only, sorted, one per line. Re-running gives the same files.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")
OUTPUTS = {"urd": REPO / "ocr" / "data" / "urdu_words.txt", "pus": REPO / "ocr" / "data" / "pashto_words.txt"}
_WORD = re.compile(r"^[\u0600-\u06ff\u0750-\u077f]{2,}$")


def words_of(tessdata: Path, language: str) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / f"{language}."
        subprocess.run(["combine_tessdata", "-u", str(tessdata / f"{language}.traineddata"), str(prefix)],
                       check=True, capture_output=True)
        listing = Path(tmp) / "words.txt"
        subprocess.run(["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", str(listing)],
                       check=True, capture_output=True)
        words = listing.read_text(encoding="utf-8").split()
    return sorted({w for w in words if _WORD.match(w)})


def main() -> None:
    tessdata = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TESSDATA
    for language, out in OUTPUTS.items():
        words = words_of(tessdata, language)
        out.write_text("\n".join(words) + "\n", encoding="utf-8")
        print(f"{out.relative_to(REPO)}: {len(words)} words")


if __name__ == "__main__":
    main()
