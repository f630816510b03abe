"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
