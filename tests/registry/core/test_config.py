"""Configuration: secure cookies behind HTTPS and a secret key that survives restarts."""

import stat

from registry.core.config import Config, _secret_key


def test_secure_cookies_follow_the_public_address(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://truyxuat.phutho.gov.vn")
    assert Config().SESSION_COOKIE_SECURE is True
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://localhost:5000")
    assert Config().SESSION_COOKIE_SECURE is False


def test_secret_key_from_environment_or_generated_once(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = _secret_key(tmp_path)
    assert len(first) >= 64 and _secret_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert _secret_key(tmp_path / "other") != first
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert _secret_key(tmp_path) == "from-the-environment"
