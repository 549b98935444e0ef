import sqlalchemy as sa

from registry.products.models import Product


def test_wrong_gtin_check_digit(db, make_api, world):
    response = make_api(world.member_a, "en").post(
        "/api/v1/products", json={"name": "Bưởi", "crop": "pomelo", "gtin": "09506000134353"}
    )
    assert response.status_code == 422
    assert "check digit" in response.json["errors"]["gtin"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 3
