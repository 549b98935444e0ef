"""Fixtures the public-page tests share with the lot tests."""

from tests.trace.conftest import houses  # noqa: F401  (a fixture: active and suspended packing houses)
