"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
