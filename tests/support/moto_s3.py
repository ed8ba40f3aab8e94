"""Run moto's S3 server on a free loopback port for tests that need S3 over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from moto.server import ThreadedMotoServer


@dataclass(frozen=True)
class MotoS3:
    """Where the server listens; moto accepts any credentials, these are conventional."""

    host: str
    port: int
    access_key: str = "testing"
    secret_key: str = "testing"
    region: str = "us-east-1"

    @property
    def endpoint(self) -> str:
        """host:port, the form the minio SDK (and S3_ENDPOINT) expects."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """http://host:port, the form boto3 and other clients expect."""
        return f"http://{self.endpoint}"


@contextmanager
def moto_s3_server() -> Iterator[MotoS3]:
    """Start a moto server for the duration of the block.

    Port 0 lets the OS pick a free port at bind time, so there is no window in which another
    process could take it. Moto keeps its state per process, not per server: use a fresh
    bucket name per test.
    """
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield MotoS3(host=host, port=port)
    finally:
        server.stop()
