"""HTML pages for the recall."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("recall", __name__)
