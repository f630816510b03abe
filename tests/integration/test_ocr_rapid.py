"""RapidOCR, the second engine, runs from the models inside its wheel: with every proxy pointing at a
closed port (any download attempt would fail), it still reads a page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ocr import rapid

pytestmark = pytest.mark.slow

SCRIPT = """
import cv2, numpy as np
from ocr.rapid import ocr_image
page = np.full((400, 1400), 255, np.uint8)
cv2.putText(page, "The accused was produced before the Magistrate", (30, 150), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3)
cv2.putText(page, "and remanded to judicial custody", (30, 280), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3)
result = ocr_image(page, 1, 200)
print(result.engine, result.text.replace(chr(10), " | "))
"""


def test_models_are_inside_the_wheel() -> None:
    info = rapid.probe()
    assert info.version.startswith("3.")
    assert all(m.is_file() and m.stat().st_size > 1_000_000 for m in info.models)


def test_reads_offline_with_word_boxes(tmp_path: Path) -> None:
    closed = "http://127.0.0.1:9"
    env = {**os.environ, "HTTP_PROXY": closed, "HTTPS_PROXY": closed, "http_proxy": closed,
           "https_proxy": closed, "NO_PROXY": "", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, env=env, timeout=600,
                         cwd=Path(__file__).resolve().parents[2], check=True)
    text = out.stdout.decode()
    assert text.startswith("rapidocr ")
    for word in ("accused", "Magistrate", "remanded", "custody"):
        assert word in text
    assert not list(tmp_path.rglob("*.onnx"))  # nothing fetched into a cache
