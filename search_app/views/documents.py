"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("documents", __name__)
