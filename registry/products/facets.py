"""Facts that domains above products add to a product's API answer, without products importing them.

A domain that stands on products (OCOP, for one) registers a loader under a name; every product the API answers
then carries that name, filled by one call per response for all its products. The composition root
(registry.core.app) does the registering, so the layering stays one-way: products never imports its callers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.orm import Session

# name -> loader(session, product ids) -> {product id: JSON-ready value}; a product missing from the dict gets None.
Loader = Callable[[Session, list[int]], dict[int, Any]]
_loaders: dict[str, Loader] = {}


def register(name: str, loader: Loader) -> None:
    _loaders[name] = loader


def names() -> list[str]:
    return list(_loaders)


def load(session: Session, product_ids: Iterable[int]) -> dict[str, dict[int, Any]]:
    ids = sorted({i for i in product_ids if i is not None})
    return {name: (loader(session, ids) if ids else {}) for name, loader in _loaders.items()}
