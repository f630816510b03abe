"""Page text for the digitisation pipeline: PDF text layer or OCR, one page at a time.

The pipeline calls ``ocr.page.process_pdf_page`` / ``process_image_frame``; everything else here is
the machinery behind them. This package never reads global settings: callers pass plain values.
"""
