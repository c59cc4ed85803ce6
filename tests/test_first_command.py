"""Issue 20, item 0: the README's first command works where the system's Python is "externally managed".

Debian 12 and Ubuntu 23.04+ mark their Python so (PEP 668): pip refuses to install into it, and a
Makefile that ran `python3 -m pip install -e .` stopped at once. `make site` is run here for real, in a
copy of the project holding the tiny corpus, with PYTHON set to such an interpreter: Debian's own
/usr/bin/python3 where it is one, else a copy of this interpreter's installation marked the same way.
The packages come from PyPI (or pip's cache), as on a fresh machine: the test takes a minute or so.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from helpers import REPO, write_corpus

# What `make site` needs of the project (tests, benchmarks and the real corpus stay behind).
PROJECT = ("Makefile", "pyproject.toml", "README.md", "build.py", "sitegen", "templates")
MARKER = "EXTERNALLY-MANAGED"


def _stdlib(python: str) -> Path:
    out = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def _refusing_python(tmp: Path) -> str:
    """An interpreter (3.11 or later) whose pip refuses to install into it, as PEP 668 says."""
    system = Path("/usr/bin/python3")
    if system.exists() and (_stdlib(str(system)) / MARKER).exists():
        return str(system)
    # Not Debian: this Python's installation, its files linked, under a stdlib that carries the marker.
    prefix = tmp / "marked-python"
    lib = prefix / "lib" / Path(sysconfig.get_path("stdlib")).name
    lib.mkdir(parents=True)
    for entry in Path(sysconfig.get_path("stdlib")).iterdir():
        if entry.name not in ("site-packages", MARKER):
            (lib / entry.name).symlink_to(entry)
    (lib / "site-packages").mkdir()
    (lib / MARKER).write_text("[externally-managed]\nError=This Python is managed by the system.\n")
    (prefix / "bin").mkdir()
    binary = prefix / "bin" / Path(sys._base_executable).name
    shutil.copy2(os.path.realpath(sys._base_executable), binary)
    return str(binary)


def _make(project: Path, *args: str, python: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "MAKEFLAGS",
                                                             "MAKELEVEL", "MFLAGS")}
    return subprocess.run(["make", *args, f"PYTHON={python}"], cwd=project, env=env, capture_output=True, text=True,
                          timeout=900)


def test_make_site_builds_with_an_externally_managed_python(tmp_path):
    python = _refusing_python(tmp_path)
    refused = subprocess.run([python, "-m", "pip", "install", "--dry-run", "--no-index", "pytest"],
                             capture_output=True, text=True)
    assert refused.returncode != 0 and ("externally-managed-environment" in refused.stderr
                                        or "No module named pip" in refused.stderr), refused.stderr
    project = tmp_path / "clone"
    project.mkdir()
    for name in PROJECT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, project / name)
    write_corpus(project)

    first = _make(project, "site", python=python)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "Making the virtual environment .venv" in first.stdout
    assert (project / "site" / "index.html").is_file() and (project / "site" / "plans" / "quang-ninh-2020.html").is_file()
    venv_python = project / ".venv" / "bin" / "python"
    made_by = subprocess.run([str(venv_python), "-c", "import sys, sitegen; print(sys.prefix, sitegen.__file__)"],
                             cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert made_by == [str(project / ".venv"), str(project / "sitegen" / "__init__.py")]

    again = _make(project, "site", python=python)  # the stamp: no second installation
    assert again.returncode == 0 and "pip install" not in again.stdout and "Making" not in again.stdout
    stamp = project / ".venv" / ".installed-site"
    os.utime(stamp, (stamp.stat().st_mtime - 60,) * 2)
    os.utime(project / "pyproject.toml")  # a dependency changed: the next command installs again
    planned = _make(project, "-n", "site", python=python)
    assert ".venv/bin/python -m pip install --quiet -e '.'" in planned.stdout


@pytest.mark.parametrize("target, runs", [("site", "build.py"), ("serve", "build.py serve"), ("test", "-m pytest"),
                                          ("bench", "benchmarks/run.py")])
def test_every_command_runs_in_the_virtual_environment_and_installs_only_there(target, runs):
    """What each command would run after pyproject.toml changed (make -n): its own command with .venv's
    Python, and pip only as .venv's (or, with no ensurepip and no apt, the system's pip told --python)."""
    planned = subprocess.run(["make", "-n", "-W", "pyproject.toml", target, "PYTHON=/nowhere/python3"], cwd=REPO,
                             capture_output=True, text=True, timeout=60)
    lines = planned.stdout.splitlines()
    assert any(line.startswith(f".venv/bin/python {runs}") for line in lines), planned.stdout
    assert any(line.startswith(".venv/bin/python -m pip install --quiet -e '.") for line in lines), planned.stdout
    assert not [line for line in lines if "/nowhere/python3 -m pip install" in line and "--python" not in line]
