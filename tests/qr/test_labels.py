import datetime as dt
import io
import xml.etree.ElementTree as ET

import biip
import pytest

from tests.qr.helpers import decode_png, path_of
from trace.lots.services import today_in_vietnam


def create_lot(api, world, **overrides):
    body = {
        "product_id": world.product_a.id,
        "growing_area_id": world.area_a.id,
        "code": "DH-2511-007",
        "harvest_date": (today_in_vietnam() - dt.timedelta(days=1)).isoformat(),
        "quantity": "850.5",
        "unit": "KGM",
    }
    body.update(overrides)
    response = api.post("/api/v1/lots", json=body)
    assert response.status_code == 201, response.json
    return response.json


@pytest.mark.parametrize("with_gtin", [True, False], ids=["digital-link", "short-link"])
def test_round_trip_api_to_scanned_page(client, make_api, world, with_gtin):
    api = make_api(world.member_a)
    product = world.product_a if with_gtin else world.product_a_no_gtin
    lot = create_lot(api, world, product_id=product.id)

    png = api.get(f"/api/v1/lots/{lot['id']}/label.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    decoded = decode_png(png.data)
    assert decoded == lot["label_uri"]
    assert decoded.startswith("https://registry.test/01/" if with_gtin else "https://registry.test/l/")

    page = client.get(path_of(decoded), headers={"Accept-Language": "vi"})  # a phone camera, no cookies, no token
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "DH-2511-007" in html
    assert world.area_a.code in html
    assert product.name in html
    assert "Xã Chí Đám" in html and "Phú Thọ" in html
    assert world.org_a.name in html


def test_gtin_labels_parse_as_gs1_digital_link(make_api, world):
    api = make_api(world.member_a)
    for code in ("DH-2511-008", "A/B.1_x", "(7)+*"):
        lot = create_lot(api, world, code=code)
        decoded = decode_png(api.get(f"/api/v1/lots/{lot['id']}/label.png").data)
        parsed = biip.parse(decoded)
        dl = parsed.gs1_digital_link_uri
        assert dl is not None, parsed.gs1_digital_link_uri_error
        values = {es.ai.ai: es for es in dl.element_strings}
        assert values["01"].value == world.product_a.gtin
        assert values["01"].gtin_error is None
        assert values["10"].value == code


def test_svg_label_is_a_qr_svg(make_api, world):
    api = make_api(world.member_a)
    lot = create_lot(api, world)
    response = api.get(f"/api/v1/lots/{lot['id']}/label.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)  # noqa: S314  (our own output)
    assert root.tag.endswith("svg")
    assert any(el.tag.endswith("path") for el in root.iter())
    assert response.headers["X-Label-URI"] == lot["label_uri"]


def test_public_page_is_one_hop_and_vietnamese_by_default(client, make_api, world):
    lot = create_lot(make_api(world.member_a), world)
    path = path_of(lot["label_uri"])
    vi = client.get(path)
    assert vi.status_code == 200  # served directly: no redirect at all
    assert '<html lang="vi">' in vi.get_data(as_text=True)
    assert "Ngày thu hoạch" in vi.get_data(as_text=True)
    en = client.get(path, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in en.get_data(as_text=True)
    assert "Harvest date" in en.get_data(as_text=True)
    assert client.get(path + "?lang=en").get_data(as_text=True).count("Harvest date") == 1


def test_public_page_shows_a_suspended_code_loudly(client, db, make_api, world):
    from registry.lifecycle.models import CodeStatus as AreaStatus

    lot = create_lot(make_api(world.member_a), world)
    world.area_a.status = AreaStatus.SUSPENDED
    db.session.commit()
    html = client.get(path_of(lot["label_uri"]), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "suspended" in html and 'role="alert"' in html


def test_unknown_and_malformed_links(client, world):
    assert client.get(f"/01/{world.product_a.gtin}/10/NOPE").status_code == 404
    assert client.get("/l/not-a-token").status_code == 404
    assert client.get("/01/09506000134353/10/LOT1").status_code == 400  # wrong check digit
    assert client.get("/01/123/10/LOT1").status_code == 400


def test_nul_in_a_link_is_a_400_not_a_database_error(client, world):
    # SQLite would store NUL; PostgreSQL raises. Both must answer the same, before any query.
    assert client.get("/l/%00").status_code == 400
    assert client.get(f"/01/{world.product_a.gtin}/10/A%00B").status_code == 400
    assert client.get("/areas?status=%00").status_code == 400


def test_label_pages_for_signed_in_users(client, make_api, world, login):
    lot = create_lot(make_api(world.member_a), world)
    assert client.get(f"/lots/{lot['id']}/label").status_code == 302  # to the sign-in page
    login(world.member_a.email)
    page = client.get(f"/lots/{lot['id']}/label")
    assert page.status_code == 200 and lot["label_uri"] in page.get_data(as_text=True)
    assert decode_png(client.get(f"/lots/{lot['id']}/label.png").data) == lot["label_uri"]


def test_other_cooperative_cannot_open_label_pages(client, make_api, world, login):
    lot = create_lot(make_api(world.member_a), world)
    login(world.member_b.email)
    assert client.get(f"/lots/{lot['id']}/label").status_code == 404
    assert client.get(f"/lots/{lot['id']}/label.png").status_code == 404
    assert client.get(f"/lots/{lot['id']}").status_code == 404


def test_the_label_carries_its_text_beside_the_code(client, make_api, world, login):
    """PNG, SVG and the printable page: the code, and the product, lot and registry's line a person reads."""
    from PIL import Image

    api = make_api(world.member_a)
    lot = create_lot(api, world)
    png = api.get(f"/api/v1/lots/{lot['id']}/label.png")
    image = Image.open(io.BytesIO(png.data))
    assert image.width > image.height * 2  # the text panel beside the square code
    assert decode_png(png.data) == lot["label_uri"]
    svg = api.get(f"/api/v1/lots/{lot['id']}/label.svg").get_data(as_text=True)
    assert world.product_a.name in svg and f"Lô hàng: {lot['code']}" in svg and "Quét để xem nguồn gốc" in svg
    login(world.member_a.email)
    page = client.get(f"/lots/{lot['id']}/label/print").get_data(as_text=True)
    assert "<nav" not in page and f"/lots/{lot['id']}/label.svg" in page
