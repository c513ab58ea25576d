"""The source distribution carries the whole test suite (conftest, the GUI tests, the
license corpus) and what `make test` needs to run it."""

from __future__ import annotations

import os
import tarfile
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sdist_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    build_meta = pytest.importorskip("setuptools.build_meta")
    out = tmp_path_factory.mktemp("dist")
    cwd = Path.cwd()
    try:
        os.chdir(ROOT)
        with warnings.catch_warnings():  # setuptools' notes about its own beta features
            warnings.simplefilter("ignore")
            name = build_meta.build_sdist(str(out))
    finally:
        os.chdir(cwd)
    with tarfile.open(out / name) as archive:
        top = name.removesuffix(".tar.gz")
        return {m.name.removeprefix(f"{top}/") for m in archive.getmembers()}


def test_the_sdist_carries_the_whole_test_suite(sdist_names: set[str]) -> None:
    tests = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("*") if p.is_file()}
    tests = {t for t in tests if "__pycache__" not in t}
    assert "tests/conftest.py" in sdist_names
    assert "tests/gui/conftest.py" in sdist_names
    assert any(n.startswith("tests/license_corpus/") for n in sdist_names)
    assert tests <= sdist_names, sorted(tests - sdist_names)[:5]
    assert {"Makefile", "constraints.txt", "pyproject.toml"} <= sdist_names
