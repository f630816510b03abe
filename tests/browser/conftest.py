"""Fixtures of the browser journeys (defined in live.py)."""

from tests.browser.live import browser, live

__all__ = ["browser", "live"]
