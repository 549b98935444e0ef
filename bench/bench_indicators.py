"""Every indicator and registry figure of one province, on PostgreSQL at province scale: under 1 s?

    .venv/bin/python bench/bench_indicators.py [--database-url postgresql://postgres@127.0.0.1:5432/bench_indicators]
        [--skip-seed] [--rounds 7] [--explain 4] [--record]

1. Drops and creates the database (its name must contain "bench"), runs the migrations (flask db upgrade) and
   loads the units; then seeds province 25 (Phú Thọ), as bench/indicators_data.py describes: 300 organizations,
   10,000 growing areas with their status history, products and OCOP certificates, 500 linkage models, 1,000,000
   lots (and lot_month), 100,000 diary entries, 10,000,000 scans with their daily and monthly roll-ups and 2,000 scan alerts, the
   province's key crops (tea, pomelo, banana) and a synthetic pre-2025 district mapping (so KT-2D is computed).
   --skip-seed reuses a seeded database.
2. After one warm-up of each, times `rounds` times, each in a fresh session as a request has it:
   `indicators.services.report` for the current year and the previous one (everything, monthly trends included),
   each indicator's `indicators.compute.compute` alone for both years (after `services.fast_plans`, as `report`
   calls it), and the first page of `records` of each indicator (current year). Prints the medians, the row
   counts and each indicator's figures.
3. Computes every indicator once more, timing each SQL statement, and runs EXPLAIN (ANALYZE, BUFFERS) on the
   slowest statement of the --explain indicators whose slowest statement is slowest. The plans go to a file in
   the temporary directory, and are printed when the goal (a report in under 1 s, both years) is missed.
4. --record appends the run to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from indicators_data import PROVINCE, database_exists, recreate_database, seed  # noqa: E402

from indicators import services  # noqa: E402
from indicators.compute import compute  # noqa: E402
from indicators.definitions import INDICATORS  # noqa: E402
from indicators.period import Period, Scope  # noqa: E402
from registry.core.app import create_app  # noqa: E402
from registry.core.auth import Role  # noqa: E402
from registry.core.config import TestConfig  # noqa: E402
from registry.core.db import today_in_vietnam  # noqa: E402
from registry.core.errors import ValidationError  # noqa: E402
from registry.core.extensions import db  # noqa: E402
from registry.units.models import Province  # noqa: E402
from registry.units.services import load_units  # noqa: E402

GOAL_MS = 1000.0
TABLES = ("commune", "organization", "growing_area", "status_change", "product", "ocop_evaluation", "ocop_certificate",
          "linkage_model", "linkage_commune", "linkage_area", "linkage_partner", "lot", "lot_month", "diary_entry", "scan",
          "scan_day", "scan_month", "scan_alert", "key_crop", "legacy_district", "legacy_district_commune")  # fmt: skip
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PLANS = Path(tempfile.gettempdir()) / "bench_indicators_explain.txt"
HEADING = """
## Indicators at province scale — `bench/bench_indicators.py`

`indicators.services.report` (every indicator and registry figure of one province, monthly trends included),
in-process against PostgreSQL, for the current and the previous year; each indicator's `compute` alone; the
first page of each indicator's records. Goal: a report in under 1 s at 10,000 areas, 1M lots and 10M scans.
"""


@dataclass
class Department:
    """The department's administrator, as the dashboard's caller."""

    id: int = 0
    role: Role = Role.ADMIN
    organization_id: int | None = None
    is_department: bool = True


def timed(call) -> float:
    started = time.perf_counter()
    call()
    ms = (time.perf_counter() - started) * 1000
    db.session.remove()
    return ms


def prepare(url: str, skip_seed: bool) -> float | None:
    if skip_seed:
        if not database_exists(url):
            raise SystemExit(f"--skip-seed: database {url} does not exist; run without --skip-seed first")
        return None
    started = time.perf_counter()
    recreate_database(url)
    app = create_app(TestConfig(url))
    with app.app_context():
        upgrade()
        load_units(db.session)
        db.session.commit()
        db.engine.dispose()
    print(f"migrations and units: {time.perf_counter() - started:.1f} s", flush=True)
    return time.perf_counter() - started + seed(url)


def app_settings() -> None:
    """What report() and records() set before their queries (services.fast_plans), where this version has it."""
    if hasattr(services, "fast_plans"):
        services.fast_plans(db.session)


def measure(rounds: int, years: tuple[int, int]):
    actor = Department()
    scope = Scope(db.session.get(Province, PROVINCE))  # kept, detached, across sessions: only its code is read
    periods = {y: Period(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in years}
    codes = list(INDICATORS)

    def report(year):
        return lambda: services.report(db.session, actor=actor, province=PROVINCE, period=str(year))

    def one(code, year):
        return lambda: (app_settings(), compute(db.session, INDICATORS[code], scope, periods[year]))

    def page(code):
        return lambda: services.records(db.session, actor=actor, code=code, province=PROVINCE, period=str(years[0]))

    calls = {f"report {y}": report(y) for y in years}
    calls |= {f"compute {c} {y}": one(c, y) for y in years for c in codes}
    calls |= {f"records {c}": page(c) for c in codes}
    times: dict[str, list[float]] = {name: [] for name in calls}
    for name, call in calls.items():  # warm-up
        try:
            timed(call)
        except ValidationError as error:
            print(f"{name}: {error}")
            times.pop(name)
    for _ in range(rounds):
        for name in times:
            times[name].append(timed(calls[name]))
    figures = {y: services.report(db.session, actor=actor, province=PROVINCE, period=str(y)) for y in years}
    db.session.remove()
    return {k: statistics.median(v) for k, v in times.items()}, figures, periods


def statements(engine: sa.Engine, periods: dict[int, Period]) -> dict[str, list[tuple[float, str, object]]]:
    """One more pass of every compute, with each SQL statement's time: {"KT-3 2026": [(ms, sql, params), ...]}."""
    seen: dict[str, list[tuple[float, str, object]]] = {}
    label: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        if label:
            ms = (time.perf_counter() - conn.info.pop("bench_started")) * 1000
            seen.setdefault(label[0], []).append((ms, statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    scope = Scope(db.session.get(Province, PROVINCE))
    app_settings()
    for year, period in periods.items():
        for code, indicator in INDICATORS.items():
            label[:] = [f"{code} {year}"]
            compute(db.session, indicator, scope, period)
            label.clear()
    db.session.remove()
    sa.event.remove(engine, "before_cursor_execute", before)
    sa.event.remove(engine, "after_cursor_execute", after)
    return seen


def worst(seen: dict[str, list[tuple[float, str, object]]], n: int) -> list[tuple[str, float, str, object]]:
    """The slowest statement of each of the n indicators whose slowest statement is slowest (one year each)."""
    slowest = {label: max(runs, key=lambda r: r[0]) for label, runs in seen.items()}
    ranked = sorted(((ms, label, sql, params) for label, (ms, sql, params) in slowest.items()), key=lambda r: -r[0])
    out, codes = [], set()
    for ms, label, statement, parameters in ranked:
        if label.split()[0] not in codes and len(out) < n:
            codes.add(label.split()[0])
            out.append((label, ms, statement, parameters))
    return out


def explain(chosen: list[tuple[str, float, str, object]]) -> str:
    out = []
    app_settings()
    for label, ms, statement, parameters in chosen:
        plan = db.session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        out.append(f"-- {label}: {ms:.1f} ms\n-- parameters: {parameters}\n{statement}\n\n" + "\n".join(plan.scalars()))
    db.session.remove()
    return "\n\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_indicators")
    parser.add_argument("--skip-seed", action="store_true", help="reuse an already seeded database")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--explain", type=int, default=4, help="EXPLAIN ANALYZE the slowest statement of N indicators")
    parser.add_argument("--record", action="store_true", help="append the run to bench/RESULTS.md")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    started = dt.datetime.now(dt.UTC)
    seed_seconds = prepare(args.database_url, args.skip_seed)
    app = create_app(TestConfig(args.database_url))
    with app.app_context():
        rows = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in TABLES}  # noqa: S608
        pg = db.session.scalar(sa.text("SELECT version()")).split(" on ")[0] + ", server jit " + db.session.scalar(
            sa.text("SHOW jit")) + ", shared_buffers " + db.session.scalar(sa.text("SHOW shared_buffers"))  # fmt: skip
        year = today_in_vietnam().year
        medians, figures, periods = measure(args.rounds, (year, year - 1))
        seen = statements(db.engine, periods)
        chosen = worst(seen, args.explain)
        plans = explain(chosen) if chosen else ""
    PLANS.write_text(plans)
    met = all(medians[f"report {y}"] < GOAL_MS for y in (year, year - 1))
    print("\n".join(summary(args, started, seed_seconds, rows, pg, medians, figures, seen, year, met)))
    if plans:
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the slowest statement of {len(chosen)} indicators: {PLANS}")
        if not met:
            print(plans)
    if args.record:
        heading = "" if "bench_indicators.py" in RESULTS.read_text() else HEADING
        lines = record(args, started, seed_seconds, rows, pg, medians, seen, year, met)
        with RESULTS.open("a") as fh:
            fh.write(heading + "\n" + "\n".join(lines) + "\n")
        print(f"recorded in {RESULTS}")


def machine(pg: str) -> str:
    return f"`{platform.node()}`, {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {pg}"


def per_indicator(medians, seen, year) -> list[tuple[str, list[float | None], str]]:
    """For each indicator: its medians (compute this year, last year, records page) and its statements this year."""
    out = []
    for code in INDICATORS:
        cells = [medians.get(k) for k in (f"compute {code} {year}", f"compute {code} {year - 1}", f"records {code}")]
        runs = seen.get(f"{code} {year}", [])
        sql = f"{len(runs)} statements, slowest {max(r[0] for r in runs):.1f} ms" if runs else "-"
        out.append((code, cells, sql))
    return out


def summary(args, started, seed_seconds, rows, pg, medians, figures, seen, year, met) -> list[str]:
    out = ["", "=== bench_indicators summary ===", f"machine: {machine(pg)}",
           f"date: {started.isoformat(timespec='seconds')}", f"command: {shlex.join(sys.orig_argv)}"]  # fmt: skip
    if seed_seconds is not None:
        out.append(f"seed (database, migrations, units, rows, VACUUM ANALYZE): {seed_seconds:.0f} s")
    out.append("rows: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()))
    out.append(f"\nmedians over {args.rounds} rounds (ms), each call in a fresh session after one warm-up:")
    for y in (year, year - 1):
        ms = medians[f"report {y}"]
        out.append(f"  report {y} (all indicators, trends): {ms:8.1f}  {'under' if ms < GOAL_MS else 'OVER'} 1 s")
    out.append(f"goal (both under 1 s): {'met' if met else 'NOT met'}")
    out.append(f"\n  {'indicator':<15}{'compute ' + str(year):>13}{'compute ' + str(year - 1):>13}{'records p.1':>12}"
               f"   {'value ' + str(year) + ' / ' + str(year - 1):<26}SQL of compute {year} (one pass)")  # fmt: skip
    for code, cells, sql in per_indicator(medians, seen, year):
        shown = " / ".join(str(f.value if f.totals else "unavailable") for f in (figures[y].figure(code)
                                                                                 for y in (year, year - 1)))  # fmt: skip
        out.append(f"  {code:<15}" + "".join(f"{c:>13.1f}" if c is not None else f"{'-':>13}" for c in cells[:2])
                   + (f"{cells[2]:>12.1f}" if cells[2] is not None else f"{'-':>12}") + f"   {shown:<26}{sql}")  # fmt: skip
    return out


def record(args, started, seed_seconds, rows, pg, medians, seen, year, met) -> list[str]:
    out = [f"### {started:%Y-%m-%d %H:%M} UTC — province {PROVINCE}, {rows['growing_area']:,} areas, "
           f"{rows['lot']:,} lots, {rows['scan']:,} scans", "", f"- Machine: {machine(pg)}.",
           f"- Command: `{shlex.join(sys.orig_argv)}`"]  # fmt: skip
    if seed_seconds is not None:
        out.append(f"- Seed (database, migrations, units, rows, VACUUM ANALYZE): {seed_seconds:.0f} s.")
    out.append("- Rows: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()) + ".")
    out.append(f"- Medians over {args.rounds} rounds, each call in a fresh session after one warm-up.")
    out += ["", "| call | median ms |", "|---|---:|"]
    out += [f"| `report` {y}: every indicator, with trends | {medians[f'report {y}']:.1f} |" for y in (year, year - 1)]
    out += ["", f"| indicator | compute {year} ms | compute {year - 1} ms | records page 1 ms | SQL of compute {year} |",
            "|---|---:|---:|---:|---|"]  # fmt: skip
    for code, cells, sql in per_indicator(medians, seen, year):
        out.append(f"| {code} | " + " | ".join(f"{c:.1f}" if c is not None else "-" for c in cells) + f" | {sql} |")
    out += ["", f"Goal (every indicator and figure of one province in under 1 s, {year} and {year - 1}): "
            f"{'met' if met else 'NOT met'}."]  # fmt: skip
    return out


if __name__ == "__main__":
    main()
