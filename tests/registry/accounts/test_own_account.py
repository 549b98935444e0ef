"""Every signed-in user: /account/password and /account/tokens."""

import re

import sqlalchemy as sa

from registry.accounts.models import ApiToken
from tests.conftest import ApiClient, csrf_token
from tests.factories import PASSWORD

TOO_BIG = 2**31


def sign_in(client, email, password):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(page)})


def tokens_of(db, user):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def test_pages_need_a_signed_in_user(client, world):
    for path in ("/account/password", "/account/tokens"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_password_change(app, client, db, world, login):
    login(world.member_a.email)
    page = client.get("/account/password")
    assert page.status_code == 200
    token = csrf_token(page)
    new = "vỏ-bưởi-xanh-9"

    def change(current, new_password, repeat, lang="vi"):
        return client.post(
            f"/account/password?lang={lang}",
            data={
                "csrf_token": token,
                "current_password": current,
                "new_password": new_password,
                "repeat_password": repeat,
            },
        )

    wrong = change("not-my-password", new, new, "en")
    assert wrong.status_code == 422 and "The current password is wrong." in wrong.get_data(as_text=True)
    short = change(PASSWORD, "short", "short")
    assert short.status_code == 422 and "Mật khẩu phải có ít nhất 8 ký tự." in short.get_data(as_text=True)
    short_en = change(PASSWORD, "short", "short", "en")
    assert "The password needs at least 8 characters." in short_en.get_data(as_text=True)
    differ = change(PASSWORD, new, new + "x", "en")
    assert differ.status_code == 422 and "The two new passwords are not the same." in differ.get_data(as_text=True)
    assert sign_in(app.test_client(), world.member_a.email, PASSWORD).status_code == 302  # nothing changed yet

    assert change(PASSWORD, new, new).status_code == 302
    assert sign_in(app.test_client(), world.member_a.email, PASSWORD).status_code == 422
    assert sign_in(app.test_client(), world.member_a.email, new).status_code == 302


def test_token_is_shown_once_works_and_stops_when_revoked(app, client, db, world, login):
    login(world.member_a.email)
    page = client.get("/account/tokens")
    assert page.status_code == 200
    response = client.post("/account/tokens?lang=en", data={"csrf_token": csrf_token(page), "label": "Máy tính bảng"})
    html = response.get_data(as_text=True)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    shown = re.search(r'<code class="uri" id="new-token">(vtr_[A-Za-z0-9_-]+)</code>', html).group(1)
    assert "shown only this once" in html
    rows = tokens_of(db, world.member_a)
    assert [(t.label, t.last_used_at, t.revoked_at) for t in rows] == [("Máy tính bảng", None, None)]
    assert shown not in rows[0].token_hash  # only the hash is stored

    again = client.get("/account/tokens").get_data(as_text=True)
    assert shown not in again and "Máy tính bảng" in again

    api = ApiClient(app.test_client(), shown)
    assert api.get("/api/v1/products").status_code == 200
    assert tokens_of(db, world.member_a)[0].last_used_at is not None

    revoke = client.post(f"/account/tokens/{rows[0].id}/revoke", data={"csrf_token": csrf_token(page)})
    assert revoke.status_code == 302
    assert tokens_of(db, world.member_a)[0].revoked_at is not None
    assert api.get("/api/v1/products").status_code == 401
    assert f"/account/tokens/{rows[0].id}/revoke" not in client.get("/account/tokens").get_data(as_text=True)


def test_a_token_needs_a_label(client, db, world, login):
    login(world.member_a.email)
    page = client.get("/account/tokens")
    for label in ("", "   ", "\u200b\u200b"):
        response = client.post("/account/tokens", data={"csrf_token": csrf_token(page), "label": label})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "Trường này là bắt buộc." in html and "vtr_" not in html
    assert tokens_of(db, world.member_a) == []


def test_nobody_sees_or_revokes_another_users_tokens(app, client, db, world, login, make_api):
    api_a = make_api(world.member_a)
    token_a = tokens_of(db, world.member_a)[0]
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == token_a.id).values(label="Điện thoại của A"))
    db.session.commit()
    for who in (world.member_b, world.admin):
        other = app.test_client()
        assert sign_in(other, who.email, PASSWORD).status_code == 302
        page = other.get("/account/tokens")
        assert "Điện thoại của A" not in page.get_data(as_text=True)
        response = other.post(f"/account/tokens/{token_a.id}/revoke", data={"csrf_token": csrf_token(page)})
        assert response.status_code == 404
        assert other.post(f"/account/tokens/{TOO_BIG}/revoke", data={"csrf_token": csrf_token(page)}).status_code == 404
    assert tokens_of(db, world.member_a)[0].revoked_at is None
    assert api_a.get("/api/v1/products").status_code == 200


def test_revoking_needs_the_csrf_token(client, db, world, login, make_api):
    make_api(world.member_a)
    token_a = tokens_of(db, world.member_a)[0]
    login(world.member_a.email)
    assert client.post(f"/account/tokens/{token_a.id}/revoke").status_code == 400
    assert tokens_of(db, world.member_a)[0].revoked_at is None


def test_last_use_is_written_at_most_once_a_minute(app, db, world, make_api):
    api = make_api(world.member_a)
    assert api.get("/api/v1/products").status_code == 200
    first = tokens_of(db, world.member_a)[0].last_used_at
    assert first is not None
    assert api.get("/api/v1/products").status_code == 200
    assert tokens_of(db, world.member_a)[0].last_used_at == first
    # A write request keeps its own work and still records the use.
    response = api.client.patch(
        f"/api/v1/products/{world.product_a.id}", json={"name": "Bưởi mới"}, headers=api._headers()
    )
    assert response.status_code == 200
    db.session.execute(sa.update(ApiToken).values(last_used_at=None))
    db.session.commit()
    response = api.client.patch(
        f"/api/v1/products/{world.product_a.id}", json={"name": "Bưởi mới hơn"}, headers=api._headers()
    )
    assert response.status_code == 200 and response.json["name"] == "Bưởi mới hơn"
    assert tokens_of(db, world.member_a)[0].last_used_at is not None
