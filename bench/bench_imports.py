"""Imports at a department's scale on PostgreSQL: 10,000 areas under 20 s, 100,000 lots under 30 s?

    .venv/bin/python bench/bench_imports.py [--database-url postgresql://postgres@127.0.0.1:5432/bench_imports]
        [--rounds 3] [--record]

1. Drops and creates the database (its name must contain "bench"), runs the migrations and loads the units.
2. Seeds 100 organizations (tax codes 2600000000 + n), and for the lots 200 active growing areas with a product each.
3. Writes a 10,000-row areas XLSX (with Vietnamese headers and decimal commas, communes of province 25) and a
   100,000-row lots CSV, as a department would upload them.
4. Each round: empties what the previous round imported, then times the whole import as the API runs it —
   ``bulk.service.run_import`` (read, check every row, write through the ORM session in chunks) and the commit —
   for the areas file and then the lots file. Prints each round and the medians; --record appends them to
   bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from indicators_data import recreate_database  # noqa: E402

from bulk import files, service  # noqa: E402
from bulk.cli import CommandLine  # noqa: E402
from registry.areas.models import AreaKind, GrowingArea  # noqa: E402
from registry.core.app import create_app  # noqa: E402
from registry.core.config import TestConfig  # noqa: E402
from registry.core.extensions import db  # noqa: E402
from registry.lifecycle.models import CodeStatus, StatusChange  # noqa: E402
from registry.organizations.models import Organization, OrganizationKind  # noqa: E402
from registry.products.models import Product  # noqa: E402
from registry.units.models import Commune  # noqa: E402
from registry.units.services import load_units  # noqa: E402

AREAS_GOAL_S, LOTS_GOAL_S = 20.0, 30.0
N_AREAS, N_LOTS, N_ORGS, N_LOT_AREAS = 10_000, 100_000, 100, 200
AREA_HEADERS = ["mã số", "tên vùng trồng", "mã số thuế tổ chức", "loại", "cây trồng", "giống", "diện tích (ha)", "mã xã",
                "địa danh cũ", "trạng thái"]  # fmt: skip
LOT_HEADERS = ["code", "organization_tax_code", "product", "area_code", "packing_house_code", "harvest_date", "quantity",
               "unit"]  # fmt: skip


def seed() -> list[tuple[str, str, str]]:
    """Organizations, and the active areas (with a product each) the lots come from: [(tax, product, area code)]."""
    communes = list(
        db.session.scalars(sa.select(Commune.code).where(Commune.province_code == "25").order_by(Commune.code))
    )
    orgs = [
        Organization(name=f"HTX Thử {n}", kind=OrganizationKind.COOPERATIVE, tax_code=str(2600000000 + n),
                     commune_code=communes[n % len(communes)])
        for n in range(N_ORGS)
    ]  # fmt: skip
    db.session.add_all(orgs)
    db.session.flush()
    sources = []
    for n in range(N_LOT_AREAS):
        org = orgs[n % N_ORGS]
        area = GrowingArea(
            code=f"VN-25-LOTS-{n:04d}", claimed_code=f"VN-25-LOTS-{n:04d}", name=f"Vùng nguồn {n}",
            kind=AreaKind.DOMESTIC, crop="pomelo", area_ha=100, commune_code=org.commune_code,
            organization_id=org.id, status=CodeStatus.ACTIVE, markets=[],
        )  # fmt: skip
        product = Product(name=f"Bưởi {n}", crop="pomelo", organization_id=org.id)
        db.session.add_all([area, product])
        db.session.flush()
        db.session.add(StatusChange(growing_area_id=area.id, from_status=None, to_status=CodeStatus.ACTIVE))
        sources.append((org.tax_code, product.name, area.code))
    db.session.commit()
    return sources


def area_file() -> bytes:
    communes = list(
        db.session.scalars(sa.select(Commune.code).where(Commune.province_code == "25").order_by(Commune.code))
    )
    rows = []
    for n in range(N_AREAS):
        rows.append([
            f"VN-25-{communes[n % len(communes)]}-{n:05d}", f"Vùng bưởi số {n}", str(2600000000 + n % N_ORGS),
            "domestic", "pomelo", "Bưởi Sửu", f"{1 + n % 40},{n % 10}", communes[n % len(communes)],
            None, "pending",
        ])  # fmt: skip
    return files.to_xlsx([("areas", AREA_HEADERS, rows)])


def lot_file(sources: list[tuple[str, str, str]]) -> bytes:
    day = dt.date(2025, 6, 1)
    rows = []
    for n in range(N_LOTS):
        tax, product, area = sources[n % len(sources)]
        rows.append(
            [f"B{n:07d}", tax, product, area, "", (day + dt.timedelta(days=n % 120)).isoformat(), "150,5", "KGM"]
        )
    return files.to_csv(LOT_HEADERS, rows)


def clear_imported() -> None:
    db.session.rollback()
    db.session.execute(sa.text("TRUNCATE trace_event_item, trace_event, lot, lot_month CASCADE"))
    db.session.execute(
        sa.text("DELETE FROM status_change WHERE growing_area_id IN (SELECT id FROM growing_area WHERE code IS NULL)")
    )
    db.session.execute(sa.text("DELETE FROM growing_area WHERE code IS NULL"))
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def timed(kind: str, data: bytes, filename: str) -> tuple[float, dict]:
    db.session.remove()
    start = time.perf_counter()
    result = service.run_import(db.session, kind, data, filename, actor=CommandLine(), dry_run=False)
    if result["errors"]:
        raise SystemExit(f"{kind}: {result['errors'][:5]}")
    db.session.commit()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_imports")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    recreate_database(args.database_url)
    app = create_app(TestConfig(args.database_url))
    app.config["PUBLIC_BASE_URL"] = "https://registry.example"
    with app.app_context():
        upgrade()
        load_units(db.session)
        db.session.commit()
        sources = seed()
        areas, lots = area_file(), lot_file(sources)
        print(f"areas.xlsx {len(areas) / 1e6:.1f} MB, lots.csv {len(lots) / 1e6:.1f} MB")
        app.config["IMPORT_MAX_CONTENT_LENGTH"] = 100 * 1024 * 1024
        times: dict[str, list[float]] = {"areas": [], "lots": []}
        for round_ in range(1, args.rounds + 1):
            clear_imported()
            for kind, data, name in (("areas", areas, "areas.xlsx"), ("lots", lots, "lots.csv")):
                seconds, result = timed(kind, data, name)
                times[kind].append(seconds)
                print(f"round {round_}: {kind} {seconds:.2f} s ({result['created']} created)")
        medians = {k: statistics.median(v) for k, v in times.items()}
        met = medians["areas"] < AREAS_GOAL_S and medians["lots"] < LOTS_GOAL_S
        print(f"median: {N_AREAS:,} areas {medians['areas']:.2f} s (goal {AREAS_GOAL_S:.0f} s), "
              f"{N_LOTS:,} lots {medians['lots']:.2f} s (goal {LOTS_GOAL_S:.0f} s): {'met' if met else 'MISSED'}")  # fmt: skip
        if args.record:
            record(args, times, medians, met)


def record(args, times, medians, met) -> None:
    command = "python bench/bench_imports.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    lines = [
        "",
        f"## Imports (bench/bench_imports.py), {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"PostgreSQL on 127.0.0.1. Command: `{command}`.",
        "",
        "| Import | Rounds (s) | Median (s) | Goal (s) |",
        "|---|---|---:|---:|",
        f"| {N_AREAS:,} areas (XLSX, Vietnamese headers) | {', '.join(f'{t:.2f}' for t in times['areas'])} | "
        f"{medians['areas']:.2f} | {AREAS_GOAL_S:.0f} |",
        f"| {N_LOTS:,} lots (CSV), with their harvest events | {', '.join(f'{t:.2f}' for t in times['lots'])} | "
        f"{medians['lots']:.2f} | {LOTS_GOAL_S:.0f} |",
        "",
        f"Goal: {'met' if met else 'missed'}. Each time is the whole import as the API runs it (read the file, check "
        "every row, write through the ORM session in chunks, commit).",
    ]
    with open(Path(__file__).resolve().parent / "RESULTS.md", "a") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
