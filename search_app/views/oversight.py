"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("oversight", __name__)
