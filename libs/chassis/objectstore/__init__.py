"""Object storage: the port, a filesystem adapter and an S3 adapter, chosen by configuration."""

from __future__ import annotations

from nameko.extensions import DependencyProvider

from chassis.config import Settings, settings_from_nameko
from chassis.objectstore.filesystem import FilesystemObjectStore
from chassis.objectstore.port import (
    ChunkStream,
    ObjectNotFound,
    ObjectStore,
    StoredObject,
    validate_key,
    validate_metadata,
    validate_prefix,
)
from chassis.objectstore.s3 import S3ObjectStore

__all__ = [
    "ChunkStream",
    "FilesystemObjectStore",
    "ObjectNotFound",
    "ObjectStorage",
    "ObjectStore",
    "S3ObjectStore",
    "StoredObject",
    "open_object_store",
    "validate_key",
    "validate_metadata",
    "validate_prefix",
]


def open_object_store(settings: Settings) -> ObjectStore:
    """S3 when S3_ENDPOINT (host[:port], no scheme) is set, else files under the data dir."""
    endpoint = settings["S3_ENDPOINT"]
    if not endpoint:
        return FilesystemObjectStore(settings.data_dir / "objects")
    access_key, secret_key = settings["S3_ACCESS_KEY"], settings["S3_SECRET_KEY"]
    if not (access_key and secret_key and settings["S3_BUCKET"]):
        raise ValueError("S3_ENDPOINT needs S3_ACCESS_KEY, S3_SECRET_KEY and S3_BUCKET too")
    return S3ObjectStore(
        endpoint,
        access_key=access_key,
        secret_key=secret_key,
        bucket=settings["S3_BUCKET"],
        secure=settings["S3_SECURE"],
    )


class ObjectStorage(DependencyProvider):
    """Gives the service its object store (S3 or files, as configured), opened once at start."""

    def setup(self):
        self.store = open_object_store(settings_from_nameko(self.container.config))

    def get_dependency(self, worker_ctx):
        return self.store
