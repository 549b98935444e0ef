""" "Check a code" for the department: /check and GET /api/v1/check?q=."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("check", __name__)
