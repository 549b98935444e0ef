"""API tokens expire, are listed and revoked (CLI, page, API), are refused at once, and their use is limited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from registry.accounts import services
from registry.accounts.models import ApiToken
from registry.core.db import utcnow
from tests.conftest import ApiClient, csrf_token


def rows_of(db, user):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def near(value: dt.datetime, expected: dt.datetime) -> bool:
    return abs((value - expected).total_seconds()) < 120


def cli_token(runner, *args) -> str:
    result = runner.invoke(args=["tokens", "create", *args])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


# ---------------------------------------------------------------- expiry


def test_tokens_expire_after_the_default_lifetime_or_the_chosen_days(app, runner, client, db, world):
    default = cli_token(runner, "--email", world.member_a.email, "--label", "Máy trạm")
    short = cli_token(runner, "--email", world.member_a.email, "--days", "2")
    rows = rows_of(db, world.member_a)
    assert near(rows[0].expires_at, rows[0].created_at + dt.timedelta(days=app.config["API_TOKEN_DAYS"]))
    assert near(rows[1].expires_at, utcnow() + dt.timedelta(days=2))
    assert ApiClient(client, short).get("/api/v1/products").status_code == 200

    # Three days later the short one is refused with a reason; the default one still works.
    later = utcnow() + dt.timedelta(days=3)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(services, "utcnow", lambda: later)
        refused = ApiClient(client, short).get("/api/v1/products")
        assert refused.status_code == 401
        assert refused.json["message"].startswith("Mã truy cập API này đã hết hạn ngày")
        english = ApiClient(client, short, "en").get("/api/v1/products")
        assert english.json["message"].startswith("This API token expired on")
        assert set(english.json) == {"code", "status", "message", "errors"}
        assert ApiClient(client, default).get("/api/v1/products").status_code == 200


@pytest.mark.parametrize("days", ["0", "-3", "367", "abc"])
def test_a_lifetime_outside_the_bounds_creates_nothing(runner, db, world, days):
    result = runner.invoke(args=["tokens", "create", "--email", world.member_a.email, "--days", days])
    assert result.exit_code != 0
    assert rows_of(db, world.member_a) == []


# ---------------------------------------------------------------- CLI: list and revoke


def test_cli_lists_and_revokes_and_the_token_is_refused_at_once(runner, client, db, world):
    token = cli_token(runner, "--email", world.member_a.email, "--label", "Trạm cân")
    api = ApiClient(client, token)
    assert api.get("/api/v1/areas").status_code == 200
    row = rows_of(db, world.member_a)[0]

    listed = runner.invoke(args=["tokens", "list", "--email", world.member_a.email])
    assert listed.exit_code == 0, listed.output
    line = next(x for x in listed.output.splitlines() if "Trạm cân" in x)
    assert line.split()[:2] == [str(row.id), "active"]
    assert token not in listed.output and row.token_hash not in listed.output

    revoked = runner.invoke(args=["tokens", "revoke", str(row.id)])
    assert revoked.exit_code == 0, revoked.output
    refused = api.get("/api/v1/areas")
    assert refused.status_code == 401
    assert refused.json["message"] == "Mã truy cập API này đã bị thu hồi. Hãy tạo mã mới trên trang tài khoản của bạn."
    listed = runner.invoke(args=["tokens", "list", "--email", world.member_a.email])
    assert next(x for x in listed.output.splitlines() if "Trạm cân" in x).split()[1] == "revoked"

    assert runner.invoke(args=["tokens", "revoke", "999999"]).exit_code != 0
    assert runner.invoke(args=["tokens", "list", "--email", "ghost@nowhere.example"]).exit_code != 0
    empty = runner.invoke(args=["tokens", "list", "--email", world.member_b.email])
    assert empty.exit_code == 0 and "has no API token" in empty.output


# ---------------------------------------------------------------- the page


def test_the_page_lists_expiry_creates_with_a_lifetime_and_shows_expired_ones(app, client, db, world, login):
    login(world.member_a.email)
    page = client.get("/account/tokens?lang=en")
    html = page.get_data(as_text=True)
    assert "Expires" in html and 'name="days"' in html
    assert re.search(r'<option selected value="90">|<option value="90" selected>', html)

    made = client.post("/account/tokens", data={"csrf_token": csrf_token(page), "label": "Điện thoại", "days": "30"})
    assert made.status_code == 201
    token = re.search(r'id="new-token">(vtr_[A-Za-z0-9_-]+)<', made.get_data(as_text=True)).group(1)
    row = rows_of(db, world.member_a)[0]
    assert near(row.expires_at, utcnow() + dt.timedelta(days=30))
    assert ApiClient(app.test_client(), token).get("/api/v1/products").status_code == 200

    bad = client.post("/account/tokens", data={"csrf_token": csrf_token(page), "label": "Máy tính", "days": "400"})
    assert bad.status_code == 422
    assert "Mã truy cập có hiệu lực từ 1 đến 366 ngày." in bad.get_data(as_text=True)
    assert len(rows_of(db, world.member_a)) == 1

    db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - dt.timedelta(minutes=1)))
    db.session.commit()
    html = client.get("/account/tokens?lang=en").get_data(as_text=True)
    table = html[html.index('id="tokens"') :]
    assert "Expired" in table and f"/account/tokens/{row.id}/revoke" not in table
    assert ApiClient(app.test_client(), token).get("/api/v1/products").status_code == 401


# ---------------------------------------------------------------- the API: one's own tokens


def test_the_api_lists_the_callers_own_tokens_without_secrets(db, world, make_api):
    api = make_api(world.member_a, "en")
    make_api(world.member_b)
    services.create_token(db.session, email=world.member_a.email, label="Cũ", days=1)
    old = rows_of(db, world.member_a)[-1]
    old.revoked_at = utcnow()
    db.session.commit()
    response = api.get("/api/v1/tokens")
    assert response.status_code == 200
    body = response.json
    assert {t["id"] for t in body} == {r.id for r in rows_of(db, world.member_a)}
    by_state = {t["state"]: t for t in body}
    assert by_state["active"]["current"] is True and by_state["revoked"]["current"] is False
    assert by_state["revoked"]["label"] == "Cũ" and by_state["revoked"]["revoked_at"]
    assert all(
        set(t) == {"id", "label", "created_at", "last_used_at", "expires_at", "revoked_at", "state", "current"}
        for t in body
    )
    assert api.token not in response.get_data(as_text=True)


# ---------------------------------------------------------------- rate limits on token use


def test_token_use_is_rate_limited_per_token_with_the_api_error_shape(app, db, world, make_api, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_RATE_LIMIT", "3 per minute")
    first, second = make_api(world.member_a, "en"), make_api(world.member_a)
    assert [first.get("/api/v1/products").status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get("/api/v1/products")
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert limited.json["code"] == 429 and limited.json["status"] == "Too Many Requests"
    assert limited.json["message"].startswith("Too many requests. Please wait")
    assert limited.json["errors"] == {}
    assert second.get("/api/v1/products").status_code == 200  # counted per token


def test_refused_tokens_are_rate_limited_per_address_and_valid_ones_go_on(
    app, client, db, world, make_api, monkeypatch
):
    monkeypatch.setitem(app.config, "API_REFUSED_TOKEN_RATE_LIMIT", "3 per minute")
    valid = make_api(world.member_a)
    guesses = [ApiClient(client, f"vtr_guess{i}").get("/api/v1/products").status_code for i in range(3)]
    assert guesses == [401, 401, 401]
    limited = ApiClient(client, "vtr_guess4").get("/api/v1/products")
    assert limited.status_code == 429 and limited.json["message"].startswith("Quá nhiều yêu cầu")
    assert client.get("/api/v1/products").status_code == 429  # no token at all counts as refused too
    assert valid.get("/api/v1/products").status_code == 200
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert ApiClient(other, "vtr_guess5").get("/api/v1/products").status_code == 401
