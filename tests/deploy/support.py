"""Paths and small readers shared by the deploy tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.processes import REPO

DEPLOY = REPO / "deploy"
MAKE_SECRETS = DEPLOY / "make-secrets.sh"
PROMETHEUS_DIR = DEPLOY / "prometheus"
RULES = sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))


def yaml_documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def make_secrets(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(MAKE_SECRETS), str(directory)], capture_output=True, text=True, timeout=120
    )


def tool(name: str, package: str) -> str:
    """The path of a command `make test` installs; fail with the way to get it if missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: `make test` installs it ({package})")
    return path
