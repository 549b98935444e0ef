"""User accounts on the web, for the admin: /users, /users/new, /users/<id>/edit."""

import pytest
import sqlalchemy as sa

from registry.accounts import services
from registry.accounts.models import User
from registry.core.auth import Role
from registry.core.errors import Forbidden, NotFound, ValidationError
from tests.conftest import csrf_token
from tests.factories import PASSWORD, UserFactory

TOO_BIG = 2**31


def user_row(db, user_id):
    db.session.expire_all()
    return db.session.get(User, user_id)


def user_count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def sign_in(client, email, password=PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(page)})


@pytest.mark.parametrize("who", ["member_a", "auditor"])
def test_only_the_admin_manages_accounts(client, db, world, login, who):
    login(getattr(world, who).email)
    for path in ("/users", "/users/new", f"/users/{world.member_b.id}/edit"):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client.get("/account/password"))
    before = user_count(db)
    response = client.post(
        "/users/new",
        data={"csrf_token": token, "email": "x@test.example", "role": "admin", "password": "long-enough-1"},
    )
    assert response.status_code == 403
    response = client.post(
        f"/users/{world.member_b.id}/edit", data={"csrf_token": token, "role": "admin", "full_name": ""}
    )
    assert response.status_code == 403
    assert user_count(db) == before
    assert user_row(db, world.member_b.id).role == Role.MEMBER and user_row(db, world.member_b.id).is_active


def test_admin_lists_accounts_page_by_page(app, client, db, world, login):
    for n in range(app.config["PAGE_SIZE"]):
        UserFactory(email=f"z{n:02d}@test.example", organization=world.org_a)
    db.session.commit()
    login(world.admin.email)
    first = client.get("/users").get_data(as_text=True)
    second = client.get("/users?page=2").get_data(as_text=True)
    assert f'href="/users/{world.member_a.id}/edit"' in first and "z00@test.example" in first
    assert "z24@test.example" not in first and "z24@test.example" in second
    assert "Trang 1/2" in first


def test_admin_creates_a_member_who_can_then_sign_in(app, client, db, world, login):
    login(world.admin.email)
    page = client.get("/users/new")
    assert page.status_code == 200 and world.org_a.name in page.get_data(as_text=True)
    response = client.post(
        "/users/new",
        data={
            "csrf_token": csrf_token(page), "email": " Lan@Test.Example ", "full_name": "Nguyễn Thị Lan",
            "role": "member", "organization_id": str(world.org_b.id), "password": "bưởi-ngọt-2025",
        },
    )  # fmt: skip
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "lan@test.example"))
    assert (user.full_name, user.role, user.organization_id) == ("Nguyễn Thị Lan", Role.MEMBER, world.org_b.id)
    other = app.test_client()
    assert sign_in(other, "lan@test.example", "bưởi-ngọt-2025").status_code == 302
    assert world.org_b.name in other.get("/organizations").get_data(as_text=True)


def test_account_form_errors(client, db, world, login):
    login(world.admin.email)
    page = client.get("/users/new?lang=en")
    before = user_count(db)
    data = {
        "csrf_token": csrf_token(page), "email": world.member_a.email, "full_name": "", "role": "member",
        "organization_id": "", "password": "short",
    }  # fmt: skip
    response = client.post("/users/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in (
        "Tài khoản thành viên phải thuộc một tổ chức.",
        "Mật khẩu phải có ít nhất 8 ký tự.",
    ):
        assert message in html
    data.update(organization_id=str(TOO_BIG), password="long-enough-1", email="new@test.example")
    response = client.post("/users/new", data=data)
    assert response.status_code == 422 and "Không tìm thấy tổ chức." in response.get_data(as_text=True)
    # A department account never keeps an organization picked by mistake.
    data.update(role="auditor", organization_id=str(world.org_a.id))
    assert client.post("/users/new", data=data).status_code == 302
    created = db.session.scalar(sa.select(User).where(User.email == "new@test.example"))
    assert (created.role, created.organization_id) == (Role.AUDITOR, None)
    assert user_count(db) == before + 1


def test_admin_changes_role_and_organization(client, db, world, login):
    login(world.admin.email)
    page = client.get(f"/users/{world.member_a.id}/edit")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page), "full_name": "Trần Văn A", "role": "member", "active": "y"}
    data["organization_id"] = str(world.org_b.id)
    assert client.post(f"/users/{world.member_a.id}/edit", data=data).status_code == 302
    user = user_row(db, world.member_a.id)
    assert (user.full_name, user.organization_id) == ("Trần Văn A", world.org_b.id)
    data.update(role="auditor")
    assert client.post(f"/users/{world.member_a.id}/edit", data=data).status_code == 302
    user = user_row(db, world.member_a.id)
    assert (user.role, user.organization_id) == (Role.AUDITOR, None)
    data.update(role="member", organization_id="")
    response = client.post(f"/users/{world.member_a.id}/edit", data=data)
    assert response.status_code == 422
    assert "Tài khoản thành viên phải thuộc một tổ chức." in response.get_data(as_text=True)
    assert user_row(db, world.member_a.id).role == Role.AUDITOR
    assert client.get(f"/users/{TOO_BIG}/edit").status_code == 404
    assert client.get("/users/999999/edit").status_code == 404


def test_a_deactivated_user_cannot_sign_in_and_its_tokens_stop(app, client, db, world, login, make_api):
    api = make_api(world.member_b)
    assert api.get("/api/v1/products").status_code == 200
    session_b = app.test_client()
    assert sign_in(session_b, world.member_b.email).status_code == 302
    assert session_b.get("/products").status_code == 200

    login(world.admin.email)
    page = client.get(f"/users/{world.member_b.id}/edit")
    data = {"csrf_token": csrf_token(page), "full_name": "", "role": "member", "organization_id": str(world.org_b.id)}
    assert client.post(f"/users/{world.member_b.id}/edit", data=data).status_code == 302  # "active" unticked
    assert user_row(db, world.member_b.id).is_active_account is False
    listing = client.get("/users?lang=en").get_data(as_text=True)
    row = listing[listing.index(f'href="/users/{world.member_b.id}/edit"') :]
    assert row.index("Deactivated") < row.index("</tr>")

    assert api.get("/api/v1/products").status_code == 401
    assert session_b.get("/products").status_code == 302  # signed out: sent to the login page
    assert sign_in(app.test_client(), world.member_b.email).status_code == 422

    data["active"] = "y"
    assert client.post(f"/users/{world.member_b.id}/edit", data=data).status_code == 302
    assert api.get("/api/v1/products").status_code == 200
    assert sign_in(app.test_client(), world.member_b.email).status_code == 302


def test_an_admin_cannot_deactivate_or_demote_themself(client, db, world, login):
    login(world.admin.email)
    page = client.get(f"/users/{world.admin.id}/edit?lang=en")
    data = {"csrf_token": csrf_token(page), "full_name": "Admin", "role": "admin", "organization_id": ""}
    response = client.post(f"/users/{world.admin.id}/edit?lang=en", data=data)
    assert response.status_code == 422
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    data.update(active="y", role="auditor")
    response = client.post(f"/users/{world.admin.id}/edit?lang=en", data=data)
    assert response.status_code == 422
    assert "You cannot change your own role." in response.get_data(as_text=True)
    admin = user_row(db, world.admin.id)
    assert (admin.is_active_account, admin.role, admin.full_name) == (True, Role.ADMIN, None)


def test_services_keep_the_same_rules_as_the_cli(db, world):
    with pytest.raises(Forbidden):
        services.add_user(db.session, actor=world.auditor, email="q@test.example", password="x" * 8, role="auditor")
    with pytest.raises(ValidationError) as exc:
        services.add_user(
            db.session,
            actor=world.admin,
            email="not-an-email",
            password="x" * 8,
            role="boss",
            full_name="\u0007",
        )
    assert set(exc.value.errors) == {"email", "role", "full_name"}
    with pytest.raises(ValidationError) as exc:
        services.add_user(
            db.session, actor=world.admin, email="q@test.example", password="x" * 8, role="admin",
            organization_id=world.org_a.id,
        )  # fmt: skip
    assert set(exc.value.errors) == {"organization_id"}
    with pytest.raises(NotFound):
        services.update_user(db.session, actor=world.admin, user_id=TOO_BIG, full_name="x")
    with pytest.raises(ValidationError) as exc:
        services.update_user(db.session, actor=world.admin, user_id=world.member_a.id, active="no")
    assert set(exc.value.errors) == {"active"}
    # Making a member an auditor without naming the organization takes them out of it.
    user = services.update_user(db.session, actor=world.admin, user_id=world.member_a.id, role="auditor")
    assert (user.role, user.organization_id) == (Role.AUDITOR, None)
