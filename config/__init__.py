"""CMMS configuration: one typed settings object, read from ``CMMS_*`` environment variables."""

from config.settings import Environment, Settings, get_settings

__all__ = ["Environment", "Settings", "get_settings"]
