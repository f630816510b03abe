"""The ``cmms`` command line."""
