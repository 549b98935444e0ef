"""flask audit verify over a long chain: time and memory.

    .venv/bin/python bench/bench_audit_verify.py [--entries 1000000] [--database-url URL]

Writes N entries through the trail's own writer (registry.audit.chain.write) into a fresh database (drops every
table of the app there first), then, in a fresh process, runs the checks `flask audit verify` runs and prints
the time and the process's peak memory before and after verifying.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry.audit import chain, verify  # noqa: E402
from registry.audit.capture import Change  # noqa: E402
from registry.core.app import create_app  # noqa: E402
from registry.core.config import TestConfig  # noqa: E402
from registry.core.extensions import db  # noqa: E402

WHO = {"actor_id": None, "actor_role": "system", "actor_name": None, "request_id": None, "method": None,
       "path": "bench"}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--verify-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench_audit_verify.db"
    os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp())
    app = create_app(TestConfig(url))
    with app.app_context():
        if not args.verify_only:
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            with db.engine.begin() as conn:
                for first in range(0, args.entries, 20_000):
                    last = min(args.entries, first + 20_000)
                    # "bench" is no table: only the chain is checked, the record checks find nothing to compare.
                    chain.write(conn, [Change("bench", str(i), "create", None, {"n": i, "name": "x" * 40})
                                       for i in range(first, last)], WHO)  # fmt: skip
            print(f"wrote {args.entries} entries in {time.perf_counter() - started:.1f} s")
            command = [sys.executable, __file__, "--verify-only", "--database-url", url]
            subprocess.run(command, check=True)  # noqa: S603  (this script, with its own arguments)
            return
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        started = time.perf_counter()
        with db.engine.connect() as connection, db.engine.connect() as reader:
            findings = list(verify.verify_chain(connection))
            findings += list(verify.verify_records(connection, reader, db.metadata, lambda n: None))
        took = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"verified in {took:.1f} s, {len(findings)} findings; peak memory {peak} MB before, {after} MB after")


if __name__ == "__main__":
    main()
