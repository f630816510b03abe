"""Pages with known text for the OCR benchmarks and tests: born-digital judgments (their text layer is
the truth) and Urdu / Pashto FIR-style pages written for CMMS and laid out by WeasyPrint (Pango
shapes Nastaliq and Naskh), each renderable as clean / skewed / noisy / photo / heavy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium

from config import shared_dir
from ocr.pdf import read_text_layer, render_page

CORPUS = shared_dir() / "corpus"
DIGITAL = CORPUS / "pk-supreme-court" / "digital"
DPI = 300

# Text invented for CMMS (no real case): a complainant's report as an FIR records it.
URDU_FIR = """ابتدائی اطلاعاتی رپورٹ
تھانہ صدر پشاور میں مقدمہ درج کیا گیا
مدعی محمد اسلم ولد عبدالرحمن سکنہ نوشہرہ نے بیان کیا کہ
کل رات تقریباً دس بجے میں اپنے گھر کے دروازے پر کھڑا تھا
کہ دو نامعلوم افراد موٹر سائیکل پر آئے اور اسلحہ کی نوک پر
میرا موبائل فون اور نقدی چھین کر فرار ہو گئے
میں نے شور مچایا تو ہمسائے جمع ہو گئے لیکن ملزمان بھاگ چکے تھے
میں ملزمان کو دوبارہ دیکھ کر پہچان سکتا ہوں
میری رپورٹ درج کر کے قانونی کارروائی کی جائے"""

PASHTO_FIR = """لومړنی اطلاعاتي راپور
د پېښور په صدر تھانه کې دعوه ثبت شوه
مدعي محمد اسلم ځوی د عبدالرحمن وویل چې
پرون شپه شاوخوا لس بجې زه د خپل کور دروازې ته ولاړ وم
چې دوه نامعلوم کسان په موټرسایکل راغلل او د وسلې په زور
زما ګرځنده ټیلیفون او پیسې یې واخیستې او وتښتېدل
ما چیغې وهلې نو ګاونډیان راټول شول خو ملزمان تللي وو
زه ملزمان بیا په لیدلو سره پېژندلی شم
زما راپور دې ثبت شي او قانوني کارروائي دې وشي"""


@dataclass(frozen=True)
class Sample:
    name: str
    language: str  # "eng", "urd", "pus"
    image: np.ndarray  # clean grey page at DPI
    truth: str


def judgment_samples(count: int) -> list[Sample]:
    """First pages of born-digital judgments (not scans with an invisible OCR layer: somebody
    else's OCR would be the truth), spread over the folder."""
    pdfs = [p for p in sorted(DIGITAL.glob("*.pdf")) if not read_text_layer(p, 0, 72).invisible]
    step = max(1, len(pdfs) // max(1, count))
    out = []
    for pdf in pdfs[::step][:count]:
        doc = pdfium.PdfDocument(str(pdf))
        truth = doc[0].get_textpage().get_text_bounded()
        doc.close()
        out.append(Sample(pdf.stem.replace("judgement_", ""), "eng", render_page(pdf, 0, DPI), truth))
    return out


def _arabic_page(text: str, font: str, size_pt: int) -> np.ndarray:
    from printing import html_to_pdf

    lines = "".join(f"<p>{line}</p>" for line in text.splitlines())
    html = (f'<html lang="ur" dir="rtl"><body style="font-family: \'{font}\'; font-size: {size_pt}pt; '
            f'line-height: 2.2; margin: 0">{lines}</body></html>')
    pdf = html_to_pdf(html, stylesheets=["@page { size: A4; margin: 2.5cm }"])
    doc = pdfium.PdfDocument(pdf)
    bitmap = doc[0].render(scale=DPI / 72, grayscale=True)
    image = np.array(bitmap.to_numpy()[:, :, 0] if bitmap.to_numpy().ndim == 3 else bitmap.to_numpy(), np.uint8)
    doc.close()
    return image


def arabic_samples() -> list[Sample]:
    """An Urdu FIR page in Nastaliq (as Urdu is printed and written) and a Pashto one in Naskh."""
    return [
        Sample("urdu-fir-nastaliq", "urd", _arabic_page(URDU_FIR, "Noto Nastaliq Urdu", 16), URDU_FIR),
        Sample("pashto-fir-naskh", "pus", _arabic_page(PASHTO_FIR, "Noto Naskh Arabic", 16), PASHTO_FIR),
    ]
