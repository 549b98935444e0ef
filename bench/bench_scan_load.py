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
import cProfile
import datetime as dt
import http.client
import os
import platform
import pstats
import random
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import click  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from bench_public_page import seed_ocop  # noqa: E402

from registry.core.app import create_app  # noqa: E402
from registry.core.config import Config, TestConfig, normalise_database_url  # noqa: E402
from registry.core.extensions import db  # noqa: E402
from registry.units.services import load_units  # noqa: E402
from tests.factories import AreaFactory, OrganizationFactory, ProductFactory, gtin_for  # noqa: E402
from trace.lots.identifiers import digital_link_path  # noqa: E402
from trace.lots.models import Lot  # noqa: E402

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


def _admin_engine(url: str) -> tuple[sa.Engine, str]:
    parsed = sa.engine.make_url(normalise_database_url(url))
    if parsed.get_backend_name() != "postgresql" or not parsed.database:
        raise SystemExit(f"--database-url must name a PostgreSQL database, not {url}")
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    return admin, parsed.database


def recreate_database(url: str) -> None:
    admin, name = _admin_engine(url)
    if "bench" not in name:
        raise SystemExit(f"refusing to drop and create database {name!r}: its name must contain 'bench'")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def database_exists(url: str) -> bool:
    admin, name = _admin_engine(url)
    with admin.connect() as conn:
        found = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    admin.dispose()
    return bool(found)


def _square(n: int) -> dict:
    """A small square map near Đoan Hùng, a little apart for each area."""
    x, y, d = 105.1 + (n % 10) * 0.01, 21.6 + (n // 10) * 0.01, 0.003
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def seed(n_lots: int) -> None:
    load_units(db.session)
    orgs = [OrganizationFactory() for _ in range(ORGS)]
    areas = [
        AreaFactory(organization=o, geometry=_square(i * AREAS_PER_ORG + j))
        for i, o in enumerate(orgs)
        for j in range(AREAS_PER_ORG)
    ]
    products = [
        ProductFactory(
            organization=o,
            gtin=gtin_for(i),
            brand="Bưởi Đoan Hùng",
            shelf_life_days=60,
            description="Bưởi ngọt, tép mọng, vỏ mỏng.",
        )
        for i, o in enumerate(orgs)
    ]
    db.session.commit()
    seed_ocop(products)
    by_org = {o.id: [a.id for a in areas if a.organization_id == o.id] for o in orgs}
    rng = random.Random(7)
    today = dt.date.today()
    with click.progressbar(range(0, n_lots, BATCH), label="Seeding lots") as bar:
        for start in bar:
            rows = []
            for i in range(start, min(start + BATCH, n_lots)):
                product = products[i % len(products)]
                code = f"L{i:08d}"
                rows.append(
                    {
                        "code": code, "code_key": code.upper(), "product_id": product.id,
                        "growing_area_id": rng.choice(by_org[product.organization_id]),
                        "organization_id": product.organization_id, "harvest_date": today - dt.timedelta(days=i % 365),
                        "quantity": 100, "unit": "KGM", "public_token": secrets.token_urlsafe(12),
                        "created_at": dt.datetime.now(dt.UTC),
                    }
                )  # fmt: skip
            db.session.execute(sa.insert(Lot), rows)
            db.session.commit()
    click.echo("Recording each lot's harvest event...")
    # As trace.lots.record.harvest_event writes it: the start of the harvest day in Viet Nam, where it was grown,
    # with the lot as the event's object under its canonical Digital Link.
    for statement in (
        "INSERT INTO trace_event (id, kind, epcis_id, epcis_type, biz_step, disposition, event_time, "
        "time_zone_offset, recorded_at, organization_id, growing_area_id) "
        "SELECT id, 'harvest', 'urn:uuid:' || gen_random_uuid(), 'ObjectEvent', 'commissioning', 'active', "
        "harvest_date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh', '+07:00', now(), organization_id, "
        "growing_area_id FROM lot",
        "INSERT INTO trace_event_item (event_id, role, lot_id, epc_class, quantity, uom) "
        "SELECT l.id, 'object', l.id, 'https://id.gs1.org/01/' || p.gtin || '/10/' || l.code, l.quantity, l.unit "
        "FROM lot l JOIN product p ON p.id = l.product_id",
        "SELECT setval('trace_event_id_seq', (SELECT max(id) FROM trace_event))",
    ):
        db.session.execute(sa.text(statement))
        db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))


def sample_paths(n: int) -> list[str]:
    db.session.execute(sa.text("SELECT setseed(0.42)"))
    rows = db.session.execute(
        sa.select(sa.text("p.gtin"), sa.text("l.code"))
        .select_from(sa.text("lot l JOIN product p ON p.id = l.product_id"))
        .where(sa.text("p.gtin IS NOT NULL AND l.voided_at IS NULL"))
        .order_by(sa.func.random())
        .limit(n)
    ).all()
    return [digital_link_path(gtin, code) for gtin, code in rows]


def count(table: str) -> int | None:
    try:
        with db.engine.connect() as conn:
            return conn.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608 -- a constant name
    except sa.exc.DBAPIError:
        return None


# -- the server ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_binary() -> str:
    beside = Path(sys.executable).with_name("gunicorn")
    if beside.exists():
        return str(beside)
    found = shutil.which("gunicorn")
    if not found:
        raise SystemExit("gunicorn not found next to the interpreter nor on PATH")
    return found


def log_tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""


def serve(url: str, port: int, work: Path, workers: str, log: Path) -> subprocess.Popen:
    env = dict(
        os.environ, DATABASE_URL=url, PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", SECRET_KEY=secrets.token_hex(32),
        INSTANCE_PATH=str(work / "instance"),
    )  # fmt: skip
    # The Makefile's `run` command (gunicorn.conf.py: sync workers, the access log to stdout, no control
    # socket), bound to 127.0.0.1 on a free port; the access log goes to the log file.
    env["WORKERS"] = workers
    command = [gunicorn_binary(), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    with log.open("wb") as out:
        # The arguments are this script's own, not outside input.
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{log_tail(log)}")
        try:
            status, _ = get(port, "/healthz", {})
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    raise SystemExit(f"gunicorn did not answer /healthz with 200 within 60 s:\n{log_tail(log)}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # a clean shutdown: the workers write the scans they still hold
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def get(port: int, path: str, headers: dict) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Content-Type") or ""
    finally:
        conn.close()


def precheck(port: int, paths: list[str]) -> None:
    """Every page must answer 200 with HTML: wrk counts a redirect as a success."""
    for path in paths[:PRECHECK]:
        status, content_type = get(port, path, PHONE)
        if status != 200 or not content_type.startswith("text/html"):
            raise SystemExit(f"GET {path} answered {status} {content_type!r}, not 200 text/html")


# -- wrk -----------------------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(value: str, unit: str) -> float:
    return float(value) * UNITS_MS[unit]


def wrk(base: str, path: str, duration: int, connections: int, paths_file: Path | None = None) -> dict:
    command = [WRK, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if paths_file is not None:
        command += ["-s", str(LUA), base, "--", str(paths_file)]
    else:
        command.append(base + path)
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120, check=False)  # noqa: S603
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise SystemExit(f"{shlex.join(command)} failed ({done.returncode}):\n{out}\n{done.stderr}")
    latency = {
        int(p): _ms(v, u)
        for p, v, u in re.findall(r"^\s+(50|75|90|99)(?:\.\d+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.M)
    }
    if not {50, 99} <= latency.keys():
        raise SystemExit(f"no latency distribution in wrk's output:\n{out}")
    socket_errors = {k: int(v) for k, v in re.findall(r"(connect|read|write|timeout) (\d+)", out)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": latency[50],
        "p90": latency.get(90, float("nan")),
        "p99": latency[99],
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(socket_errors.values()),
        "socket_detail": socket_errors,
        "stdout": out,
    }


def run_load(port: int, args: argparse.Namespace, paths_file: Path, log: Path) -> dict[str, list[dict]]:
    base = f"http://127.0.0.1:{port}"

    def one(name: str, duration: int) -> dict:
        result = wrk(base, "/healthz", duration, args.connections, paths_file if name == "page" else None)
        if result["non2xx"]:
            raise SystemExit(
                f"{name}: {result['non2xx']} of {result['requests']} answers were not 2xx/3xx\n"
                f"{result['stdout']}\n--- gunicorn's log ---\n{log_tail(log)}"
            )
        return result

    results: dict[str, list[dict]] = {"healthz": [], "page": [], "warm-up page": []}
    if args.warmup:
        one("healthz", args.warmup)  # both workers, their connection pools, the area cache
        results["warm-up page"].append(one("page", args.warmup))
    for n in range(args.rounds):
        order = ("healthz", "page") if n % 2 == 0 else ("page", "healthz")
        for name in order:
            result = one(name, args.duration)
            results[name].append(result)
            click.echo(
                f"round {n + 1} {name:8} {result['rps']:9.1f} req/s  p50 {result['p50']:7.2f} ms  "
                f"p99 {result['p99']:7.2f} ms  socket errors {result['socket_errors']}"
            )
    return results


# -- the profile ---------------------------------------------------------------------------------------------


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


# -- the run -------------------------------------------------------------------------------------------------


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
