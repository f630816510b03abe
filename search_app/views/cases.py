"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("cases", __name__)
