"""One set of secrets made by deploy/make-secrets.sh for the whole deploy tier (RSA keys take
seconds to make)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.support import make_secrets


@pytest.fixture(scope="session")
def made_secrets(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("deploy") / "secrets"
    made = make_secrets(directory)
    assert made.returncode == 0, made.stderr
    return directory
