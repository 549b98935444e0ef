"""The public provenance page under HTTP load (issue 8): the pieces of bench/bench_scan_load.py.

- data.py: the benchmark database, its seed and the random lots wrk asks for;
- server.py: gunicorn as `make run` serves it, and the pages checked before the load;
- load.py: wrk, its rounds and what it prints;
- profiling.py: where a page's time goes, in-process.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT, ROOT / "bench"):  # the app's packages, and bench_public_page beside this package
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

ORGS, AREAS_PER_ORG = 20, 5
BATCH = 10_000
SAMPLE = 200_000  # a fifth of the lots: a round of 15 s asks for few of them twice, so caches hardly help
PRECHECK = 100  # pages fetched one by one before the load: each must answer 200
PROFILE_WARMUP, PROFILE_REQUESTS = 200, 2000
GOAL_RATIO, GOAL_P99_MS = 0.5, 50.0
LUA = ROOT / "bench" / "wrk_lots.lua"
WRK = shutil.which("wrk") or ""
# The headers bench/wrk_lots.lua sends: a phone's browser after reading the QR code.
PHONE = {
    "User-Agent": "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "vi-VN,vi;q=0.9",
}


# -- the database --------------------------------------------------------------------------------------------
