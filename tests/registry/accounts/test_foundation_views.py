from tests.conftest import csrf_token


def test_login_wrong_password(client, world):
    page = client.get("/login")
    response = client.post(
        "/login", data={"email": world.member_a.email, "password": "wrong", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 422
    assert "Email hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_login_next_never_leaves_the_site(client, world):
    page = client.get("/login?next=https://evil.example/")
    response = client.post(
        "/login",
        data={
            "email": world.member_a.email,
            "password": "correct-horse-42",
            "csrf_token": csrf_token(page),
            "next": "https://evil.example/",
        },
    )
    assert response.headers["Location"] == "/"
