"""Vietnamese first: every user-facing message has a translation, and the request's language is honoured."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from registry.core.i18n import fmt_date

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


def test_every_message_has_a_vietnamese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
    )
    with open(pot, "rb") as fh:
        extracted = {m.id for m in read_po(fh) if m.id}
    with open(ROOT / "translations/vi/LC_MESSAGES/messages.po", "rb") as fh:
        vi = {m.id: m for m in read_po(fh) if m.id}
    assert len(extracted) > 150
    missing = sorted(i for i in extracted if i not in vi or not vi[i].string or vi[i].fuzzy)
    assert missing == [], f"untranslated (run 'make messages' and translate): {missing}"
    wrong = [i for i in extracted if sorted(PLACEHOLDER.findall(i)) != sorted(PLACEHOLDER.findall(vi[i].string))]
    assert wrong == []


def test_dates_are_dd_mm_yyyy_in_vietnamese(app):
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        assert fmt_date(dt.date(2025, 7, 1)) == "01/07/2025"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert fmt_date(dt.date(2025, 7, 1)) == "1 Jul 2025"


def test_vietnamese_is_the_default_and_the_switch_sticks(client):
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Sign in" in client.get("/login", headers={"Accept-Language": "en-US,en;q=0.8"}).get_data(as_text=True)
    response = client.get("/lang/en", headers={"Referer": "http://localhost/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    client.get("/lang/vi")
    assert "Đăng nhập" in client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/lang/en", headers={"Referer": "https://evil.example/phish"})
    assert response.headers["Location"] == "/"


def test_errors_pages_are_translated(client):
    vi = client.get("/nowhere")
    en = client.get("/nowhere", headers={"Accept-Language": "en"})
    assert vi.status_code == en.status_code == 404
    assert "Not found." in en.get_data(as_text=True)
    assert "Not found." not in vi.get_data(as_text=True)


def test_numbers_use_the_vietnamese_decimal_comma(app):
    from decimal import Decimal

    from registry.core.i18n import fmt_number

    with app.test_request_context(headers={"Accept-Language": "vi"}):
        assert fmt_number(Decimal("1234.500")) == "1.234,5"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert fmt_number(Decimal("1234.500")) == "1,234.5"
