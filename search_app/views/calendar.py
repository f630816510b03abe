"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("calendar", __name__)
