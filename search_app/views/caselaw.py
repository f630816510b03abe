"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("caselaw", __name__)
