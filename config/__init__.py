"""CMMS configuration: one typed settings object, read from ``CMMS_*`` environment variables."""

from config.settings import Environment, Settings, get_settings, shared_dir

__all__ = ["Environment", "Settings", "get_settings", "shared_dir"]
