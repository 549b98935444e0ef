import sqlalchemy as sa

from registry.accounts.models import User
from registry.core.auth import Role


def test_users_create_and_token_work_against_the_api(runner, client, db, world):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "New@Coop.example",
            "--password",
            "mật-khẩu-dài",
            "--role",
            "member",
            "--org",
            str(world.org_a.id),
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "new@coop.example"))
    assert user.role == Role.MEMBER and user.organization_id == world.org_a.id

    result = runner.invoke(args=["tokens", "create", "--email", "new@coop.example"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    response = client.get("/api/v1/areas", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert {a["id"] for a in response.json} == {world.area_a.id}


def test_users_create_refuses_bad_input_and_saves_nothing(runner, db, world):
    result = runner.invoke(
        args=["users", "create", "--email", "x@coop.example", "--password", "short", "--role", "member"]
    )
    assert result.exit_code != 0
    assert "password" in result.output and "organization_id" in result.output
    assert db.session.scalar(sa.select(User).where(User.email == "x@coop.example")) is None
    duplicate = runner.invoke(
        args=["users", "create", "--email", world.admin.email, "--password", "long-enough-1", "--role", "admin"]
    )
    assert duplicate.exit_code != 0


def test_tokens_create_for_unknown_user(runner, db):
    result = runner.invoke(args=["tokens", "create", "--email", "ghost@nowhere.example"])
    assert result.exit_code != 0
