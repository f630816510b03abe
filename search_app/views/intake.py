"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("intake", __name__)
