"""Sign-in under attack: a lockout after wrong passwords, rate limits, equal work for unknown emails, and
sessions that signing out really ends."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from limits import parse_many
from werkzeug.security import check_password_hash, generate_password_hash

from registry.accounts import services, signin
from registry.accounts.models import User
from registry.core.db import utcnow
from tests.conftest import csrf_token
from tests.factories import PASSWORD, UserFactory

WRONG = "not-the-password-1"


def post_login(client, email, password, lang="vi", page=None):
    page = page or client.get("/login")
    return client.post(
        f"/login?lang={lang}", data={"email": email, "password": password, "csrf_token": csrf_token(page)}
    )


def fresh(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# ---------------------------------------------------------------- lockout


def test_two_hundred_wrong_passwords_lock_the_account_and_the_right_one_is_refused(
    app, client, db, world, no_rate_limits
):
    """Before: 200 wrong passwords in 24 s all answered 422 and the right one then worked."""
    lock_after = app.config["LOGIN_LOCK_AFTER"]
    page = client.get("/login")
    answers = [post_login(client, world.member_a.email, WRONG, page=page) for _ in range(200)]
    codes = [r.status_code for r in answers]
    assert codes[: lock_after - 1] == [422] * (lock_after - 1)
    assert "Email hoặc mật khẩu không đúng." in answers[0].get_data(as_text=True)
    # The lock_after-th wrong password locks the account, and every attempt after it is refused unread.
    assert codes[lock_after - 1 :] == [429] * (200 - lock_after + 1)
    locked = fresh(db, world.member_a).locked_until
    assert locked is not None  # in the database: every worker sees it
    minutes = (locked - utcnow()).total_seconds() / 60
    assert app.config["LOGIN_LOCK_MINUTES"] - 1 < minutes <= app.config["LOGIN_LOCK_MINUTES"]
    last = answers[-1]
    assert 0 < int(last.headers["Retry-After"]) <= app.config["LOGIN_LOCK_MINUTES"] * 60
    html = last.get_data(as_text=True)
    assert "tài khoản này bị khóa đến" in html
    assert locked.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%H:%M %d/%m/%Y") in html

    right = post_login(client, world.member_a.email, PASSWORD, lang="en", page=page)
    assert right.status_code == 429
    assert "this account is locked until" in right.get_data(as_text=True)
    assert client.get("/account/tokens").status_code == 302  # not signed in

    # Another browser is refused the same way: the lock is on the account, not on a session.
    assert post_login(app.test_client(), world.member_a.email, PASSWORD).status_code == 429
    # Other accounts are untouched.
    assert post_login(app.test_client(), world.member_b.email, PASSWORD).status_code == 302

    # Once the lock has run out the right password opens the account and clears the count.
    db.session.execute(
        sa.update(User).where(User.id == world.member_a.id).values(locked_until=utcnow() - dt.timedelta(seconds=1))
    )
    db.session.commit()
    assert post_login(client, world.member_a.email, PASSWORD, page=page).status_code == 302
    user = fresh(db, world.member_a)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_a_successful_sign_in_resets_the_count(app, db, world, monkeypatch, no_rate_limits):
    monkeypatch.setitem(app.config, "LOGIN_LOCK_AFTER", 4)  # fewer slow hash checks; the rule is the same
    lock_after = 4
    client = app.test_client()
    page = client.get("/login")
    for _ in range(lock_after - 1):
        assert post_login(client, world.member_a.email, WRONG, page=page).status_code == 422
    assert fresh(db, world.member_a).failed_logins == lock_after - 1
    assert post_login(client, world.member_a.email, PASSWORD, page=page).status_code == 302
    assert fresh(db, world.member_a).failed_logins == 0
    other = app.test_client()
    page = other.get("/login")
    for _ in range(lock_after - 1):
        assert post_login(other, world.member_a.email, WRONG, page=page).status_code == 422
    assert post_login(other, world.member_a.email, PASSWORD, page=page).status_code == 302


def test_the_lockout_follows_the_configuration(app, db, world, monkeypatch, no_rate_limits):
    monkeypatch.setitem(app.config, "LOGIN_LOCK_AFTER", 3)
    monkeypatch.setitem(app.config, "LOGIN_LOCK_MINUTES", 2)
    client = app.test_client()
    page = client.get("/login")
    assert [post_login(client, world.admin.email, WRONG, page=page).status_code for _ in range(3)] == [422, 422, 429]
    locked = fresh(db, world.admin).locked_until
    assert dt.timedelta(minutes=1) < locked - utcnow() <= dt.timedelta(minutes=2)


# ---------------------------------------------------------------- rate limits (on in every test)


def test_sign_in_is_rate_limited_by_address_with_a_translated_429(app, client, db, world, monkeypatch):
    assert parse_many(app.config["LOGIN_RATE_LIMIT"])  # on by default...
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "5 per minute;50 per hour")  # ...lower here, to be quick
    allowed = 5
    page = client.get("/login")
    # Unknown emails: the lockout plays no part, only the rate limit.
    codes = [post_login(client, f"ghost{i}@nowhere.example", WRONG, page=page).status_code for i in range(allowed)]
    assert codes == [422] * allowed
    limited = post_login(client, world.member_a.email, PASSWORD, page=page)
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 61  # the window's end, in whole seconds, rounded up
    assert "Quá nhiều yêu cầu. Vui lòng chờ" in limited.get_data(as_text=True)
    english = post_login(client, world.member_a.email, PASSWORD, lang="en", page=page)
    assert english.status_code == 429 and "Too many requests. Please wait" in english.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # the page itself still opens
    # Another address is not held up by this one.
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert post_login(elsewhere, world.member_a.email, PASSWORD).status_code == 302
    assert fresh(db, world.member_a).failed_logins == 0  # the limited attempts never reached the password


def test_the_rate_limit_storage_is_configurable_and_defaults_to_memory(app, monkeypatch):
    from registry.core.config import Config
    from registry.core.extensions import limiter

    assert limiter.enabled and app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "5 per minute")
    config = Config()
    assert config.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/3"
    assert config.LOGIN_RATE_LIMIT == "5 per minute"


# ---------------------------------------------------------------- unknown emails cost a hash check too


@pytest.fixture
def hash_checks(monkeypatch):
    """Every password hash the sign-in checks, by the method and cost written in front of it."""
    seen: list[str] = []

    def spy(pwhash: str, password: str) -> bool:
        seen.append(pwhash.split("$", 1)[0])
        return check_password_hash(pwhash, password)

    monkeypatch.setattr(signin, "check_password_hash", spy)
    return seen


def test_an_unknown_email_checks_a_hash_of_the_same_method_as_a_real_account(
    app, db, world, hash_checks, no_rate_limits
):
    method = world.member_a.password_hash.split("$", 1)[0]
    assert method == generate_password_hash("x").split("$", 1)[0]  # what new accounts get, e.g. scrypt:32768:8:1
    client = app.test_client()
    page = client.get("/login")

    assert post_login(client, world.member_a.email, WRONG, page=page).status_code == 422
    assert hash_checks == [method]
    hash_checks.clear()
    assert post_login(client, "nobody@nowhere.example", WRONG, page=page).status_code == 422
    assert hash_checks == [method]  # the same work as above: the answer's timing tells nothing
    hash_checks.clear()
    inactive = UserFactory(organization=world.org_a, email="gone@test.example", is_active_account=False)
    db.session.commit()
    assert post_login(client, inactive.email, PASSWORD, page=page).status_code == 422
    assert hash_checks == [method]
    # Both answers read the same.
    unknown = post_login(client, "nobody@nowhere.example", WRONG, page=page).get_data(as_text=True)
    known = post_login(client, world.member_b.email, WRONG, page=page).get_data(as_text=True)
    assert "Email hoặc mật khẩu không đúng." in unknown and "Email hoặc mật khẩu không đúng." in known


def test_the_service_alone_checks_the_dummy_hash(db, world, hash_checks):
    args = {"lock_after": 10, "lock_minutes": 15}
    assert signin.authenticate(db.session, email="ghost@x.example", password=WRONG, **args) is None
    assert signin.authenticate(db.session, email="", password="", **args) is None
    assert len(hash_checks) == 2
    assert signin.authenticate(db.session, email=world.auditor.email, password=PASSWORD, **args).id == world.auditor.id


# ---------------------------------------------------------------- sessions the server ends


def copy_session(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app, client, db, world, login):
    login(world.member_a.email)
    thief = app.test_client()
    copy_session(client, thief)
    assert thief.get("/account/tokens").status_code == 200  # the copy works while the session lives

    page = client.get("/account/tokens")
    signed_out = client.post("/logout", data={"csrf_token": csrf_token(page)})
    assert signed_out.status_code == 302
    assert thief.get("/account/tokens").status_code == 302  # sent to sign in
    assert client.get("/account/tokens").status_code == 302

    # Signing in again gives a new session that works, and the old copy still does not.
    assert post_login(client, world.member_a.email, PASSWORD).status_code == 302
    assert client.get("/account/tokens").status_code == 200
    assert thief.get("/account/tokens").status_code == 302


def test_a_new_password_ends_every_other_session_but_this_one(app, client, db, world, login):
    login(world.member_a.email)
    other_device = app.test_client()
    assert post_login(other_device, world.member_a.email, PASSWORD).status_code == 302
    assert other_device.get("/account/tokens").status_code == 200
    page = client.get("/account/password")
    new = "vỏ-bưởi-xanh-9"
    changed = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(page),
            "current_password": PASSWORD,
            "new_password": new,
            "repeat_password": new,
        },
    )
    assert changed.status_code == 302
    assert client.get("/account/tokens").status_code == 200
    assert other_device.get("/account/tokens").status_code == 302


def test_deactivating_an_account_ends_its_sessions_for_good(app, client, db, world, login):
    login(world.member_b.email)
    assert client.get("/account/tokens").status_code == 200
    services.update_user(db.session, actor=world.admin, user_id=world.member_b.id, active=False)
    db.session.commit()
    assert client.get("/account/tokens").status_code == 302
    services.update_user(db.session, actor=world.admin, user_id=world.member_b.id, active=True)
    db.session.commit()
    assert client.get("/account/tokens").status_code == 302  # reactivating does not revive the old cookie
    assert post_login(app.test_client(), world.member_b.email, PASSWORD).status_code == 302


def test_session_ids_that_do_not_parse_sign_nobody_in(db, world):
    good = world.member_a.get_id()
    assert signin.user_for_session(db.session, good).id == world.member_a.id
    for bad in (str(world.member_a.id), f"{world.member_a.id}.1", "x.0", "", f"{2**64}.0", f"{world.member_a.id}.-1"):
        assert signin.user_for_session(db.session, bad) is None


def test_an_email_without_an_account_is_locked_after_as_many_wrong_passwords(app, client, db, world, no_rate_limits):
    """Otherwise only emails with an account would ever answer "locked", and ten tries would tell which exist."""
    lock_after = app.config["LOGIN_LOCK_AFTER"]
    page = client.get("/login")
    known = [post_login(client, world.member_a.email, WRONG, page=page) for _ in range(lock_after + 1)]
    ghost = [post_login(client, "nobody@nowhere.example", WRONG, page=page) for _ in range(lock_after + 1)]
    assert [r.status_code for r in ghost] == [r.status_code for r in known]
    assert [r.status_code for r in ghost] == [422] * (lock_after - 1) + [429, 429]
    for answers in (known, ghost):
        html = answers[-1].get_data(as_text=True)
        assert "tài khoản này bị khóa đến" in html
        assert 0 < int(answers[-1].headers["Retry-After"]) <= app.config["LOGIN_LOCK_MINUTES"] * 60
    # Another unknown email is not locked by the first one's failures.
    assert post_login(client, "someone-else@nowhere.example", WRONG, page=page).status_code == 422


def test_wrong_passwords_and_sign_outs_leave_no_audit_entry_but_a_lock_does(app, client, db, world, no_rate_limits):
    from registry.audit.models import AuditEntry

    def entries():
        db.session.expire_all()
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    before = entries()
    page = client.get("/login")
    for _ in range(app.config["LOGIN_LOCK_AFTER"] - 1):
        assert post_login(client, world.member_a.email, WRONG, page=page).status_code == 422
    assert entries() == before  # attempts, anyone's, are not decisions
    assert post_login(client, world.member_a.email, WRONG, page=page).status_code == 429
    assert entries() == before + 1  # the lock is
