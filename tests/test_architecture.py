"""The house rules: layers one way only, and `trace` is this project's package."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_trace_resolves_to_this_project():
    import trace

    assert Path(trace.__file__).resolve() == ROOT / "trace" / "__init__.py"
    # The same from a fresh interpreter started in the project root, as flask and gunicorn are.
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import wsgi, trace, sys; print(trace.__file__); print('trace.lots.models' in sys.modules)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert Path(out[0]).resolve() == ROOT / "trace" / "__init__.py"
    assert out[1] == "True"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "lint-imports"
    return subprocess.run([str(exe), "--config", str(ROOT / "setup.cfg")], cwd=cwd, capture_output=True, text=True)


def test_layers_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Layers: registry <- trace <- qr <- indicators KEPT" in result.stdout
    assert "Registry domains stand on the shell and the domains below them KEPT" in result.stdout


def test_layers_contract_catches_an_upward_import(tmp_path):
    """Copy the packages, add registry -> trace, and the contract must break: the check can fail."""
    import shutil

    for pkg in ("registry", "trace", "qr", "indicators", "bulk"):
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "static"))
    with open(tmp_path / "registry" / "products" / "crops.py", "a") as fh:
        fh.write("\nfrom trace.lots.models import Lot  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Layers: registry <- trace <- qr <- indicators BROKEN" in result.stdout
    assert "registry.products.crops -> trace.lots.models" in result.stdout


def test_nothing_below_imports_indicators(tmp_path):
    """qr importing the indicators (the top layer) breaks the layers contract."""
    import shutil

    for pkg in ("registry", "trace", "qr", "indicators", "bulk"):
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "static"))
    with open(tmp_path / "qr" / "labels.py", "a") as fh:
        fh.write("\nfrom indicators.models import KeyCrop  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Layers: registry <- trace <- qr <- indicators BROKEN" in result.stdout
    assert "qr.labels -> indicators.models" in result.stdout


def test_registry_contract_keeps_domains_apart(tmp_path):
    """A lower domain importing a higher one (units -> areas) breaks the registry contract."""
    import shutil

    for pkg in ("registry", "trace", "qr", "indicators", "bulk"):
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "static"))
    with open(tmp_path / "registry" / "units" / "services.py", "a") as fh:
        fh.write("\nfrom registry.areas.models import GrowingArea  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Registry domains stand on the shell and the domains below them BROKEN" in result.stdout
    assert "registry.units.services -> registry.areas.models" in result.stdout


def test_no_module_over_400_lines():
    long = []
    for pkg in ("registry", "trace", "qr", "indicators", "bulk"):
        for path in (ROOT / pkg).rglob("*.py"):
            lines = len(path.read_text().splitlines())
            if lines > 420:
                long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert long == []
