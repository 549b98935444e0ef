"""Label sheets: rasterised at 300 dpi, every code decodes to its exact URI, and each URI opens its page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.qr.test_public_void import _body

PHONE = {"User-Agent": "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"}


def decode_pdf(pdf: bytes, tmp_path: Path) -> list[str]:
    """Every QR code on every page, read by zxing-cpp from poppler's 300 dpi rendering."""
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(tmp_path / "sheet.pdf"), str(tmp_path / "page")], check=True)  # noqa: S603, S607
    texts = []
    for page in sorted(tmp_path.glob("page*.png")):
        texts += [r.text for r in zxingcpp.read_barcodes(Image.open(page)) if r.format == zxingcpp.BarcodeFormat.QRCode]
    return texts


@pytest.fixture
def stamped(make_api, world):
    api = make_api(world.member_a)
    lot = api.post("/api/v1/lots", json=_body(world, quantity="60", unit="H87")).json
    serials = api.post(f"/api/v1/lots/{lot['id']}/serials", json={"count": 45}).json["serials"]
    return api, lot, serials


@pytest.mark.parametrize(("layout", "first", "last"), [("a4-3x8", 1, 30), ("a4-4x10", 3, 45), ("roll", 10, 12)])
def test_every_code_decodes_to_its_uri_and_opens_its_page(client, stamped, tmp_path, layout, first, last):
    api, lot, serials = stamped
    response = api.get(f"/api/v1/lots/{lot['id']}/labels.pdf?layout={layout}&from={first}&to={last}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert b"/FontFile2" in response.data  # the Vietnamese font is embedded
    expected = [s["label_uri"] for s in serials[first - 1 : last]]
    decoded = decode_pdf(response.data, tmp_path)
    assert sorted(decoded) == sorted(expected)
    for uri in decoded:  # each one opens its stamp's page
        page = client.get(uri.replace("https://registry.test", ""), headers=PHONE)
        assert page.status_code == 200 and 'id="stamp-genuine"' in page.get_data(as_text=True)


def test_a_lot_without_stamps_prints_a_page_of_its_label(make_api, world, tmp_path):
    api = make_api(world.member_a)
    lot = api.post("/api/v1/lots", json=_body(world)).json
    response = api.get(f"/api/v1/lots/{lot['id']}/labels.pdf?layout=a4-4x10")
    assert response.status_code == 200
    assert decode_pdf(response.data, tmp_path) == [lot["label_uri"]] * 40


def test_bad_requests(make_api, world, stamped):
    api, lot, _ = stamped
    assert api.get(f"/api/v1/lots/{lot['id']}/labels.pdf?layout=a5-2x2").status_code == 422
    assert api.get(f"/api/v1/lots/{lot['id']}/labels.pdf?from=0").status_code == 422
    assert api.get(f"/api/v1/lots/{lot['id']}/labels.pdf?from=46").status_code == 422
    assert api.get(f"/api/v1/lots/{lot['id']}/labels.pdf?from=10&to=5").status_code == 422
    assert make_api(world.member_b).get(f"/api/v1/lots/{lot['id']}/labels.pdf").status_code == 404


def test_the_page_to_choose_a_sheet(client, stamped, login, world, tmp_path):
    _, lot, serials = stamped
    login(world.member_a.email)
    form = client.get(f"/lots/{lot['id']}/sheet")
    assert form.status_code == 200 and "45" in form.get_data(as_text=True)
    pdf = client.get(f"/lots/{lot['id']}/labels.pdf?layout=a4-3x8&from=1&to=2")
    assert pdf.status_code == 200 and sorted(decode_pdf(pdf.data, tmp_path)) == sorted(
        s["label_uri"] for s in serials[:2]
    )
    assert client.get(f"/lots/{lot['id']}/labels.pdf?layout=nope").status_code == 422
