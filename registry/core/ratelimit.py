"""Rate limits counted in flask-limiter's storage (registry.core.extensions.limiter).

Routes use the extension's decorator (the sign-in page). The API's Bearer check counts by hand, because what
it limits is not a route: every request one token makes, and the refused tokens one address sends. Both end in
a 429 answered by registry.core.app with a translated message and a Retry-After header.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse_many
from werkzeug.exceptions import HTTPException, TooManyRequests

from registry.core.extensions import limiter


class RateLimited(TooManyRequests):
    """A limit counted here was reached; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after


def _active() -> bool:
    return bool(limiter.enabled and limiter.initialized)


def hit(config_key: str, key: str) -> None:
    """Count one request against the limits named by ``config_key`` for ``key``; RateLimited when over one."""
    if not _active():
        return
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    strategy = limiter.limiter
    for item in parse_many(current_app.config[config_key]):
        if not strategy.hit(item, prefix, config_key, key):
            reset_at = strategy.get_window_stats(item, prefix, config_key, key).reset_time
            raise RateLimited(max(1, math.ceil(reset_at - time.time())))


def retry_after(exc: HTTPException) -> int:
    """Seconds until a 429 is lifted: ours carry it, flask-limiter's decorator leaves it in its request context."""
    seconds = getattr(exc, "retry_after", None)
    if seconds is None and _active() and limiter.current_limit is not None:
        seconds = math.ceil(limiter.current_limit.reset_at - time.time())
    return max(1, int(seconds or 60))
