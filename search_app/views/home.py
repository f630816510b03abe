"""Placeholder: being written (see team task)."""

from flask import Blueprint

bp = Blueprint("home", __name__)
