"""WSGI entry point for gunicorn: ``gunicorn search_app.wsgi:app``."""

from search_app import create_app

app = create_app()
