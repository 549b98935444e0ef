"""HTML pages for packing houses."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("packing", __name__)
