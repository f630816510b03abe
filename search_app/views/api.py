"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("api", __name__)
