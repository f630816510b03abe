"""The "new part" of the legalrefs gold set: annotations committed, judgment texts read from a path.

``tests/fixtures/gold/new/<name>.ann`` holds the hand annotation (same line format as the old part,
see ``tests/fixtures/gold/README.md``) and a first line
``#!source github:<owner>/<name>@<commit>:<path>`` naming the public file the text comes from, plus
``#!sha256 <hex>`` of the text the anchors were written against. The texts are not committed (they
come from third-party repositories): ``materialise`` copies them out of a local snapshot of that
repository (``--mirror``, default ``/work/.mirror``, one ``<owner>+<name>/repo`` git directory each)
into ``var/gold-texts/`` and the benchmark reads them from there. PDFs are turned into text exactly
as the old part was (pypdfium2 text layer, CRLF -> LF, pages joined with ``\\n\\f\\n``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
NEW = ROOT / "tests" / "fixtures" / "gold" / "new"
TEXTS = ROOT / "var" / "gold-texts"
MIRROR = Path("/work/.mirror")
_SOURCE = re.compile(r"^#!source github:(?P<repo>[\w.\-]+/[\w.\-]+)@(?P<commit>[0-9a-f]{40}):(?P<path>\S+)$")
_SHA = re.compile(r"^#!sha256 (?P<sha>[0-9a-f]{64})$")


@dataclass(frozen=True, slots=True)
class NewGold:
    name: str
    repo: str
    commit: str
    path: str
    sha256: str | None
    lines: list[str]

    @property
    def text_path(self) -> Path:
        return TEXTS / f"{self.name}.txt"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gold", ROOT / "tests" / "fixtures" / "gold" / "build_gold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_annotations(folder: Path = NEW) -> list[NewGold]:
    out = []
    for ann in sorted(folder.glob("*.ann")):
        lines = ann.read_text(encoding="utf-8").splitlines()
        source = next((m for m in map(_SOURCE.match, lines) if m), None)
        if source is None:
            raise SystemExit(f"{ann}: no '#!source github:owner/name@commit:path' line")
        sha = next((m.group("sha") for m in map(_SHA.match, lines) if m), None)
        out.append(NewGold(ann.stem, source.group("repo"), source.group("commit"), source.group("path"), sha, lines))
    return out


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    pages = [pdf[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(pdf))]
    return "\n\f\n".join(pages)


def materialise(gold: NewGold, mirror: Path = MIRROR) -> str:
    """Text of one judgment from the repository snapshot; written to ``gold.text_path``."""
    git_dir = mirror / gold.repo.replace("/", "+") / "repo"
    blob = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{gold.commit}:{gold.path}"],
                          check=True, capture_output=True).stdout
    text = _pdf_text(blob) if gold.path.lower().endswith(".pdf") else blob.decode("utf-8")
    gold.text_path.parent.mkdir(parents=True, exist_ok=True)
    gold.text_path.write_text(text, encoding="utf-8")
    return text


def load(gold: NewGold) -> tuple[str, list[dict[str, object]]] | None:
    """(text, gold references with offsets), or None when the text has not been materialised."""
    if not gold.text_path.exists():
        return None
    text = gold.text_path.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if gold.sha256 and digest != gold.sha256:
        raise SystemExit(f"{gold.name}: text differs from the one annotated (sha256 {digest})")
    refs, _ = _builder().anchor_spans(text, gold.lines, f"{gold.name}.ann")
    return text, refs


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="copy the new gold judgments' texts into var/gold-texts/")
    ap.add_argument("--mirror", type=Path, default=MIRROR, help="folder of <owner>+<name>/repo git snapshots")
    args = ap.parse_args()
    for gold in read_annotations():
        git_dir = args.mirror / gold.repo.replace("/", "+") / "repo"
        if not git_dir.is_dir():
            print(f"{gold.name}: NOT MATERIALISED: no snapshot of {gold.repo} at {git_dir} "
                  "(fetch the repository snapshot there, or pass --mirror)")
            continue
        try:
            text = materialise(gold, args.mirror)
        except subprocess.CalledProcessError as exc:
            print(f"{gold.name}: NOT MATERIALISED: {gold.commit}:{gold.path} is not in the snapshot of "
                  f"{gold.repo} ({exc.stderr.decode(errors='replace').strip()})")
            continue
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        refs, _ = _builder().anchor_spans(text, gold.lines, f"{gold.name}.ann")
        flag = "" if gold.sha256 in (None, digest) else "  SHA256 DIFFERS"
        print(f"{gold.name}: {len(text)} chars, sha256 {digest}, {len(refs)} references{flag}")


if __name__ == "__main__":
    main()
