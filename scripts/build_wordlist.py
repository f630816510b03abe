"""Build ocr/data/english_words.txt: the lexicon the page reader scores readings against.

    .venv/bin/python scripts/build_wordlist.py [../shared/corpus/aila2019/Object_casedocs.tar.gz]

Source: the FIRE 2019 AILA judgments in shared/corpus (2,914 Indian Supreme Court judgments: legal
English of the same family as Pakistani judgments, FIRs and orders). A word is kept when it is
alphabetic, 2-24 letters, and occurs in at least MIN_DOCS judgments (so OCR errors and one-off names
inside the source stay out). Lower-cased, one per line, sorted. Re-running gives the same file.
"""

from __future__ import annotations

import re
import sys
import tarfile
from collections import Counter
from pathlib import Path

from config import shared_dir

MIN_DOCS = 4
REPO = Path(__file__).resolve().parent.parent
DEFAULT = shared_dir() / "corpus" / "aila2019" / "Object_casedocs.tar.gz"
OUT = REPO / "ocr" / "data" / "english_words.txt"
_WORD = re.compile(r"[A-Za-z]{2,24}")


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    docs: Counter[str] = Counter()
    with tarfile.open(source) as tar:
        for member in tar:
            if not member.isfile():
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            text = handle.read().decode("utf-8", errors="ignore")
            docs.update({w.lower() for w in _WORD.findall(text)})
    words = sorted(w for w, n in docs.items() if n >= MIN_DOCS)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
