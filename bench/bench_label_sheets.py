"""10,000 serialised labels into one print-ready PDF, on one core.

    .venv/bin/python bench/bench_label_sheets.py [--labels 10000] [--runs 3] [--database-url URL]

Creates a lot of 10,000 pieces with 10,000 stamps (SQLite file by default), then times, pinned to one CPU:
- the whole request, GET /api/v1/lots/{id}/labels.pdf?layout=a4-4x10 (database read, encoding, PDF);
- qr.sheets.render alone, for the a4-3x8 and roll layouts too.
Then rasterises the first and the last page at 300 dpi with pdftoppm and checks that every code on them decodes
with zxing-cpp to its stamp's URI. The goal (issue 9): 10,000 labels in at most 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import zxingcpp  # noqa: E402
from PIL import Image  # noqa: E402

from qr import sheets  # noqa: E402
from registry.accounts.services import create_token  # noqa: E402
from registry.core.app import create_app  # noqa: E402
from registry.core.config import TestConfig  # noqa: E402
from registry.core.extensions import db  # noqa: E402
from registry.units.services import load_units  # noqa: E402
from tests import factories  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestConfig(url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_units(db.session)
        world = factories.build_world(db.session)
        db.session.commit()
        token = create_token(db.session, email=world.member_a.email)
        db.session.commit()
        product_id, area_id = world.product_a.id, world.area_a.id
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    lot = client.post("/api/v1/lots", headers=headers, json={
        "product_id": product_id, "growing_area_id": area_id, "code": "BENCH-1",
        "harvest_date": dt.date.today().isoformat(), "quantity": str(args.labels), "unit": "H87"}).json  # fmt: skip
    issued = client.post(f"/api/v1/lots/{lot['id']}/serials", headers=headers, json={"count": args.labels}).json
    uris = [s["label_uri"] for s in issued["serials"]]
    request_s, pdf = [], b""
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get(f"/api/v1/lots/{lot['id']}/labels.pdf?layout=a4-4x10", headers=headers)
        request_s.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        pdf = response.data
    labels = [sheets.Label(u, "Bưởi Đoan Hùng", "BENCH-1", u.rsplit("/", 1)[1]) for u in uris]
    render_s = {}
    for name in ("a4-3x8", "a4-4x10", "roll"):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            sheets.render(
                labels, sheets.LAYOUTS[name], caption="Quét để xem nguồn gốc", lot_word="Lô", serial_word="Sê-ri"
            )
            times.append(time.perf_counter() - start)
        render_s[name] = statistics.median(times)
    work = Path(tempfile.mkdtemp())
    (work / "sheet.pdf").write_bytes(pdf)
    pages = -(-len(uris) // sheets.LAYOUTS["a4-4x10"].per_page)
    decoded = []
    for page in (1, pages):
        subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", str(page), "-l", str(page), str(work / "sheet.pdf"),  # noqa: S603, S607
                        str(work / f"p{page}")], check=True)  # fmt: skip
        for image in work.glob(f"p{page}*.png"):
            decoded += [r.text for r in zxingcpp.read_barcodes(Image.open(image))]
    expected = uris[:40] + uris[(pages - 1) * 40 :]
    print(f"machine: {platform.node()} {platform.machine()}, Python {platform.python_version()}, one CPU")
    print(f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; command: {' '.join(sys.argv)}")
    print(f"labels: {len(uris):,}; PDF: {len(pdf) / 1e6:.1f} MB, {pages} pages")
    print(f"GET labels.pdf (a4-4x10), median of {args.runs}: {statistics.median(request_s):.2f} s "
          f"({len(uris) / statistics.median(request_s):,.0f} labels/s)")  # fmt: skip
    for name, seconds in render_s.items():
        print(f"render {name:8} median: {seconds:.2f} s ({len(uris) / seconds:,.0f} labels/s)")
    ok = sorted(decoded) == sorted(expected)
    print(f"first and last page at 300 dpi: {len(decoded)} codes decoded, all exact: {ok}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
