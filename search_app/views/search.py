"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("search", __name__)
