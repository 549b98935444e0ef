"""The public provenance page under HTTP load, side by side with /healthz on the same server.

    .venv/bin/python bench/bench_scan_load.py --database-url postgresql://postgres@127.0.0.1:5432/bench_load \
        [--lots 1000000] [--duration 15] [--rounds 3] [--connections 32] [--skip-seed] [--profile]

1. Seeds a fresh PostgreSQL database (dropped and created again; its name must contain "bench") with N lots,
   as bench_public_page.py does: 20 cooperatives with 5 growing areas (with a map) and one product with a GTIN
   each, two products in three with OCOP history, lots with unique codes and unique public tokens, and each
   lot's harvest event as `create_lot` records it. --skip-seed reuses a seeded database.
2. Writes the Digital Link paths (/01/{gtin}/10/{lot code percent-encoded}) of 20,000 random lots to a file.
3. Serves the app as the Makefile's `run` target does (gunicorn, $WORKERS or 2 sync workers, wsgi:app), bound
   to 127.0.0.1 on a free port, with scans recorded by the background writer as in production. It uses the same
   gunicorn.conf.py as `make run`; the access log `make run` prints goes to the run's log file.
4. Loads it with wrk (`-t2 -c{connections} -d{duration}s --latency --timeout 10s`): /healthz, then random lots'
   pages through bench/wrk_lots.lua, round after round (the order alternates), after a short warm-up of both.
   A non-2xx answer or a page that does not answer 200 before the load fails the run.
5. Prints the medians over rounds of req/s, p50 and p99 latency, the median of the per-round ratios of page to
   /healthz throughput, and whether the goals hold (issue 8): ratio >= 0.5 and page p99 <= 50 ms. The exit
   code is 0 whether or not they hold; it is non-zero only on errors.
6. --profile then profiles 2,000 page requests in-process (Flask test client, the production configuration,
   the same database) and prints the top functions by cumulative and by own time.

wrk: Debian's package (apt-get install -y wrk). On a small machine wrk, gunicorn and PostgreSQL share the CPUs:
compare the ratio within a run rather than absolute numbers across machines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa  # noqa: E402
from scan_load import GOAL_P99_MS, GOAL_RATIO, PRECHECK, SAMPLE, WRK  # noqa: E402
from scan_load.data import count, database_exists, recreate_database, sample_paths, seed  # noqa: E402
from scan_load.load import run_load  # noqa: E402
from scan_load.profiling import profile  # noqa: E402
from scan_load.server import free_port, log_tail, precheck, serve, stop  # noqa: E402

from registry.core.app import create_app  # noqa: E402
from registry.core.config import TestConfig  # noqa: E402
from registry.core.extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", required=True, help="postgresql://postgres@127.0.0.1:5432/bench_load")
    parser.add_argument("--lots", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=3, help="seconds of each endpoint before the rounds; 0: none")
    parser.add_argument("--skip-seed", action="store_true", help="reuse an already seeded database")
    parser.add_argument("--paths", type=int, default=SAMPLE, help="how many random lots wrk picks from")
    parser.add_argument("--profile", action="store_true", help="then profile 2,000 page requests in-process")
    args = parser.parse_args()
    if args.rounds < 1 or args.duration < 1:
        parser.error("--rounds and --duration must be at least 1")
    if not WRK:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    url = args.database_url
    started = dt.datetime.now().astimezone()
    if args.skip_seed:
        if not database_exists(url):
            raise SystemExit(f"--skip-seed: database {url} does not exist; run without --skip-seed first")
    else:
        recreate_database(url)
    app = create_app(TestConfig(url))
    with app.app_context():
        if not args.skip_seed:
            db.create_all()
            seed(args.lots)
        lots = count("lot")
        if not lots:
            raise SystemExit(f"no lots in {url}: run without --skip-seed")
        paths = sample_paths(args.paths)
        pg_version = db.session.scalar(sa.text("SHOW server_version"))
        scans_before = count("scan")
        db.session.remove()
        db.engine.dispose()
    if not paths:
        raise SystemExit("no lot of a product with a GTIN to ask for")
    work = Path(tempfile.mkdtemp(prefix="bench-scan-load-"))
    paths_file = work / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    log = work / "gunicorn.log"
    workers = os.environ.get("WORKERS", "2")
    port = free_port()
    server = serve(url, port, work, workers, log)
    try:
        precheck(port, paths)
        results = run_load(port, args, paths_file, log)
    finally:
        stop(server)
    with app.app_context():
        scans_after = count("scan")
        db.engine.dispose()

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    ratios = [p["rps"] / h["rps"] for p, h in zip(results["page"], results["healthz"], strict=True)]
    ratio, page_p99 = statistics.median(ratios), med("page", "p99")
    wrk_version = subprocess.run([WRK, "-v"], capture_output=True, text=True, check=False).stdout.split("\n")[0]  # noqa: S603
    print("\n=== bench_scan_load summary ===")
    print(f"machine: {platform.node()} {platform.platform()} {platform.machine()}, {os.cpu_count()} cpus, "
          f"Python {platform.python_version()}, PostgreSQL {pg_version}, {wrk_version.strip()}")  # fmt: skip
    print(f"date: {started.isoformat(timespec='seconds')}")
    print(f"command: {shlex.join(sys.orig_argv)}")
    print(f"lots: {lots:,}; paths sampled: {len(paths):,}; connections: {args.connections}; wrk threads: 2; "
          f"duration: {args.duration}s x {args.rounds} rounds (warm-up {args.warmup}s each); "
          f"gunicorn: gunicorn.conf.py, {workers} sync workers, access log on")  # fmt: skip
    print(f"{'endpoint':<9} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'requests':>9} "
          f"{'non-2xx':>8} {'sock err':>8}   req/s per round")  # fmt: skip
    for name in ("healthz", "page"):
        rows = results[name]
        print(
            f"{name:<9} {med(name, 'rps'):>9.1f} {med(name, 'p50'):>8.2f} {med(name, 'p90'):>8.2f} "
            f"{med(name, 'p99'):>8.2f} {sum(r['requests'] for r in rows):>9} "
            f"{sum(r['non2xx'] for r in rows):>8} {sum(r['socket_errors'] for r in rows):>8}   "
            + ", ".join(f"{r['rps']:.0f}" for r in rows)
        )
    print("(medians over rounds; requests, non-2xx and socket errors are totals over rounds)")
    print(f"page / healthz throughput, median of per-round ratios: {ratio:.3f} "
          f"(rounds: {', '.join(f'{r:.3f}' for r in ratios)})")  # fmt: skip
    ok_ratio, ok_p99 = ratio >= GOAL_RATIO, page_p99 <= GOAL_P99_MS
    print(f"goal ratio >= {GOAL_RATIO}: {'met' if ok_ratio else 'NOT met'} ({ratio:.3f})")
    print(f"goal page p99 <= {GOAL_P99_MS:.0f} ms: {'met' if ok_p99 else 'NOT met'} ({page_p99:.2f} ms)")
    print(f"goals: {'both met' if ok_ratio and ok_p99 else 'NOT met'}")
    if scans_before is not None and scans_after is not None:
        served = sum(r["requests"] for r in results["page"])
        warm = sum(r["requests"] for r in results["warm-up page"])
        if scans_after - scans_before < served:
            # The goal is the page "with scans being recorded": a writer that failed makes the figures meaningless.
            raise SystemExit(f"only {scans_after - scans_before:,} scans written for {served:,} timed pages: "
                             f"see {log}\n{log_tail(log, 40)}")  # fmt: skip
        print(f"scans written by gunicorn: {scans_after - scans_before:,}; pages served: {served + warm + PRECHECK:,} "
              f"({served:,} timed, {warm:,} warm-up, {PRECHECK} checks; wrk's count leaves out requests still in "
              "flight when it stops)")  # fmt: skip
    text = log.read_text(errors="replace")
    problems = [line for line in text.splitlines() if "Traceback" in line or "[ERROR]" in line or "CRITICAL" in line]
    print(f"gunicorn log ({log}): {len(problems)} error lines")
    if problems:
        print(log_tail(log, 60))
    if args.profile:
        profile(url, paths)


if __name__ == "__main__":
    main()
