"""Where a page's time goes: 2,000 pages in-process under cProfile, with the production configuration."""

from __future__ import annotations

import cProfile
import pstats
import sys
import time

from registry.core.app import create_app
from registry.core.config import Config, normalise_database_url
from scan_load import PHONE, PROFILE_REQUESTS, PROFILE_WARMUP


class ProductionConfig(Config):
    """What gunicorn runs (scans written by the background thread, the area cache on), on the bench database."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(url)
        self.PUBLIC_BASE_URL = "http://127.0.0.1"


def profile(url: str, paths: list[str]) -> None:
    app = create_app(ProductionConfig(url))
    client = app.test_client()
    picks = [paths[i % len(paths)] for i in range(PROFILE_WARMUP + PROFILE_REQUESTS)]
    for path in picks[:PROFILE_WARMUP]:
        assert client.get(path, headers=PHONE).status_code == 200, path
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for path in picks[PROFILE_WARMUP:]:
        status = client.get(path, headers=PHONE).status_code
        if status != 200:
            raise SystemExit(f"in-process GET {path} answered {status}")
    profiler.disable()
    elapsed = time.perf_counter() - start
    print(
        f"\n--- profile: {PROFILE_REQUESTS:,} page requests in-process, {elapsed * 1000 / PROFILE_REQUESTS:.2f} ms "
        "each under cProfile (which slows Python code several times over) ---"
    )
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print("--- top 25 by cumulative time ---")
    stats.sort_stats("cumulative").print_stats(25)
    print("--- top 25 by own time (tottime) ---")
    stats.sort_stats("tottime").print_stats(25)
