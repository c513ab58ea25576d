"""The import-linter contracts in pyproject.toml can fail: a view that imports the database
models breaks "screens through the seam", and dropping an exemption breaks its contract.
(`make lint` runs the contracts on the real tree; these tests prove they bite.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def _copy_of_the_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(
        ROOT / "ia_licensing", project / "ia_licensing", ignore=shutil.ignore_patterns("*.pyc")
    )
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


def _lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_contracts_hold_on_the_project(tmp_path: Path) -> None:
    result = _lint_imports(_copy_of_the_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_view_importing_the_models_breaks_the_seam_contract(tmp_path: Path) -> None:
    project = _copy_of_the_project(tmp_path)
    view = project / "ia_licensing" / "views" / "audit_view.py"
    view.write_text(view.read_text() + "\nfrom ia_licensing.models import Database  # noqa\n")
    result = _lint_imports(project)
    assert result.returncode != 0
    assert "ia_licensing.views.audit_view -> ia_licensing.models" in result.stdout


def test_removing_an_exemption_breaks_its_contract(tmp_path: Path) -> None:
    project = _copy_of_the_project(tmp_path)
    config = project / "pyproject.toml"
    exemption = '    "ia_licensing.app -> ia_licensing.models",\n'
    assert exemption in config.read_text()
    config.write_text(config.read_text().replace(exemption, ""))
    result = _lint_imports(project)
    assert result.returncode != 0
    assert "ia_licensing.app -> ia_licensing.models" in result.stdout
