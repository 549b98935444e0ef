"""The provenance page: the ten items of Circular 02/2024/TT-BKHCN and what a buyer checks besides them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from PIL import Image

from registry.core.db import today_in_vietnam
from registry.products.models import ProductImage
from tests.qr.test_public_void import _body, _paths
from tests.registry.areas.conftest import SQUARE

ITEMS = ("product-name", "image", "producer-name", "producer-address", "stages", "time", "trace-code", "brand",
         "shelf-life", "standards")  # fmt: skip


def png(width=1600, height=1200, color=(30, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def photo() -> bytes:
    """A 1600 x 1200 JPEG with as much fine detail as a sharp phone photo of fruit: about 34 KB once stored."""
    base = Image.linear_gradient("L").resize((480, 360)).convert("RGB")
    grain = Image.merge("RGB", [Image.effect_noise((480, 360), 64) for _ in range(3)])
    out = io.BytesIO()
    Image.blend(base, grain, 0.3).resize((1600, 1200), Image.Resampling.BICUBIC).save(out, "JPEG", quality=92)
    return out.getvalue()


@pytest.fixture
def full(client, make_api, world):
    """A lot whose product has a photo, brand, shelf life and description, from an area with a map, a VietGAP
    certificate and an export code for China; harvested two days ago, the area suspended today."""
    member, auditor = make_api(world.member_a), make_api(world.auditor)
    product = world.product_a.id
    assert (
        member.patch(
            f"/api/v1/products/{product}",
            json={"brand": "Bưởi Đoan Hùng", "shelf_life_days": 60, "description": "Bưởi ngọt, tép mọng."},
        ).status_code
        == 200
    )
    assert (
        member.put(f"/api/v1/products/{product}/image", data={"image": (io.BytesIO(photo()), "p.jpg")}).status_code
        == 200
    )
    assert member.patch(f"/api/v1/areas/{world.area_a.id}", json={"geometry": SQUARE}).status_code == 200
    today = today_in_vietnam()
    cert = {"scheme": "vietgap", "number": "VG-25-0042", "issuer": "Trung tâm Chứng nhận Phù hợp",
            "issued_on": (today - dt.timedelta(days=100)).isoformat(),
            "expires_on": (today + dt.timedelta(days=600)).isoformat()}  # fmt: skip
    assert member.post(f"/api/v1/areas/{world.area_a.id}/certificates", json=cert).status_code == 201
    harvest = (today - dt.timedelta(days=2)).isoformat()
    lot = member.post("/api/v1/lots", json=_body(world, harvest_date=harvest, quantity="1250.5")).json
    assert "id" in lot, lot
    response = auditor.post(
        f"/api/v1/areas/{world.area_a.id}/status", json={"status": "suspended", "reason": "Kiểm tra dư lượng"}
    )
    assert response.status_code == 200, response.json
    return lot


def test_the_ten_items_and_the_rest(client, full, world, db):
    html = client.get(_paths([full])[0]).get_data(as_text=True)
    for item in ITEMS:
        assert f'data-item="{item}"' in html, item
    assert "Bưởi ngọt, tép mọng." in html  # the description, stored and now shown
    assert "Bưởi Đoan Hùng" in html  # brand
    best_before = (today_in_vietnam() - dt.timedelta(days=2) + dt.timedelta(days=60)).strftime("%d/%m/%Y")
    assert best_before in html and "60 ngày kể từ khi thu hoạch" in html
    assert "1.250,5" in html  # quantity, in Vietnamese number format
    assert "VG-25-0042" in html and "VietGAP" in html
    assert 'class="map"' in html and '<path d="M' in html
    assert "Chi cục Trồng trọt và Bảo vệ thực vật" in html  # who issued the domestic code
    # Suspended after the harvest: active at harvest, suspended today, and said first.
    at_harvest = html.split('id="status-at-harvest"')[1].split("</dd>")[0]
    today = html.split('id="status-today"')[1].split("</dd>")[0]
    assert "badge active" in at_harvest and "badge suspended" in today
    assert html.index('id="area-warning"') < html.index("<h1")
    assert "Thu hoạch" in html.split('data-item="stages"')[1] and world.area_a.code in html


def test_english(client, full):
    html = client.get(_paths([full])[0] + "?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    for text in ("Traceability code", "Best before", "Applied standards", "Status at harvest", "Stages", "Brand"):
        assert text in html, text


def test_the_photo_is_stored_small_and_served_for_a_year(client, full, world, db):
    row = db.session.get(ProductImage, world.product_a.id)
    assert row.mime == "image/webp" and max(row.width, row.height) == 480 and len(row.data) < 60_000
    html = client.get(_paths([full])[0]).get_data(as_text=True)
    src = html.split('data-item="image" src="')[1].split('"')[0]
    response = client.get(src)
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert "immutable" in response.headers["Cache-Control"]
    assert Image.open(io.BytesIO(response.data)).size == (row.width, row.height)
    assert client.get(src.replace(row.key, "0" * 16)).status_code == 404


def test_a_photo_keeps_no_metadata_and_turns_upright(make_api, world, db):
    image = Image.new("RGB", (300, 100), (200, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = "Camera maker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    response = make_api(world.member_a).put(f"/api/v1/products/{world.product_a.id}/image", data=out.getvalue())
    assert response.status_code == 200 and response.json["image_url"].endswith(".webp")
    row = db.session.get(ProductImage, world.product_a.id)
    stored = Image.open(io.BytesIO(row.data))
    assert stored.size == (100, 300) and not stored.getexif()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"this is not an image", "không phải là ảnh"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "không phải là ảnh"),
        (b"", "Chọn một tệp ảnh"),
        (b"\xff" * (5 * 1024 * 1024 + 1), "lớn hơn 5 MB"),
        (b"\xff" * (20 * 1024 * 1024), "lớn hơn 5 MB"),
    ],
)
def test_not_an_image_or_too_large_is_422_and_nothing_is_saved(make_api, world, db, body, message):
    response = make_api(world.member_a).put(
        f"/api/v1/products/{world.product_a.id}/image", data={"image": (io.BytesIO(body), "x.jpg")}
    )
    assert response.status_code == 422, response.status_code
    assert message in str(response.json["errors"]["image"])
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProductImage)) == 0


def test_only_the_owner_uploads_and_removes(make_api, world, db):
    other = make_api(world.member_b).put(f"/api/v1/products/{world.product_a.id}/image", data=png(100, 100))
    assert other.status_code == 404
    owner = make_api(world.member_a)
    assert owner.put(f"/api/v1/products/{world.product_a.id}/image", data=png(100, 100)).status_code == 200
    removed = owner.delete(f"/api/v1/products/{world.product_a.id}/image")
    assert removed.status_code == 200 and removed.json["image_url"] is None
    assert db.session.get(ProductImage, world.product_a.id) is None


def test_the_product_page_form(client, login, world, db):
    from tests.conftest import csrf_token

    login(world.member_a.email)
    page = client.get(f"/products/{world.product_a.id}")
    token = csrf_token(page)
    bad = client.post(
        f"/products/{world.product_a.id}/image",
        data={"csrf_token": token, "image": (io.BytesIO(b"nope"), "x.png")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "không phải là ảnh" in bad.get_data(as_text=True)
    good = client.post(
        f"/products/{world.product_a.id}/image",
        data={"csrf_token": token, "image": (io.BytesIO(png(640, 640)), "x.png")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    assert "Đã lưu ảnh" in client.get(good.headers["Location"]).get_data(as_text=True)
    assert db.session.get(ProductImage, world.product_a.id).width == 480


def test_shelf_life_is_checked(make_api, world):
    api = make_api(world.member_a)
    for value in (0, -1, 3651, "abc", 1.5):
        response = api.patch(f"/api/v1/products/{world.product_a.id}", json={"shelf_life_days": value})
        assert response.status_code == 422, value
    assert api.patch(f"/api/v1/products/{world.product_a.id}", json={"shelf_life_days": None}).status_code == 200
