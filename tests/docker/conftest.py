"""The docker tier: runs only where a Docker engine answers, and says so where none does."""

from __future__ import annotations

import pytest


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception:
        return False
    return True


def pytest_collection_modifyitems(config, items):
    if _docker_answers():
        return
    skip = pytest.mark.skip(reason="no Docker engine answers on this machine (testcontainers)")
    for item in items:
        if "tests/docker/" in str(item.fspath):
            item.add_marker(skip)
