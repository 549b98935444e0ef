"""wrk against /healthz and random lots' pages, round after round, and the figures it prints."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
from pathlib import Path

import click

from scan_load import LUA, WRK
from scan_load.server import log_tail

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
