"""Public code lookup: /codes/<code> for buyers and importing countries' inspectors."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("codes", __name__)
