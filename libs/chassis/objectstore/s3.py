"""Objects in an S3 bucket (MinIO or any S3) through the minio SDK."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import BinaryIO

from minio import Minio
from minio.commonconfig import REPLACE, CopySource
from minio.datatypes import Object
from minio.error import S3Error

from chassis.objectstore.port import (
    CHUNK_SIZE,
    S3_PART_SIZE,
    SHA256_METADATA_KEY,
    ChunkStream,
    HashingReader,
    ObjectNotFound,
    ObjectStore,
    StoredObject,
    check_chunk_size,
    check_content_type,
    check_length,
    validate_key,
    validate_metadata,
    validate_prefix,
)

log = logging.getLogger(__name__)

# Uploads land here first; keys cannot start with '.', so this never collides with a key.
_STAGING_PREFIX = ".staging/"
_USER_METADATA_HEADER = "x-amz-meta-"


class S3ObjectStore(ObjectStore):
    """Objects in one S3 bucket (MinIO or any S3) through the minio SDK.

    put() uploads to a staging key, then server-side copies to the real key with the
    sha256 in the metadata (copy_object, metadata_directive=REPLACE), then removes the
    staging key. The hash is only known once the stream is consumed, and S3 metadata cannot
    be added afterwards without a copy; copying from staging (rather than in place) means
    the real key only ever shows complete objects, hash included, and an overwrite replaces
    the old object atomically. The price is one server-side copy per put.

    Uploads of unknown length go in multipart parts of `part_size` bytes, one at a time, so
    memory stays around two parts. A failed multipart upload is aborted; after a crash, a
    bucket lifecycle rule (AbortIncompleteMultipartUpload, expiry on `.staging/`) cleans up.
    """

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        secure: bool,
        region: str | None = None,
        *,
        part_size: int = S3_PART_SIZE,
    ) -> None:
        self._client = Minio(
            endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region
        )
        self.bucket = bucket
        self._part_size = part_size
        # Created at construction so a misconfigured store fails at startup, not mid-request.
        self._ensure_bucket()

    def put(
        self,
        key: str,
        stream: BinaryIO,
        *,
        content_type: str,
        metadata: dict[str, str] | None = None,
        length: int | None = None,
    ) -> StoredObject:
        validate_key(key)
        check_content_type(content_type)
        metadata = validate_metadata(metadata)
        check_length(length)
        staging = f"{_STAGING_PREFIX}{uuid.uuid4().hex}"
        reader = HashingReader(stream, length)
        try:
            self._client.put_object(
                self.bucket,
                staging,
                reader,  # type: ignore[arg-type]  # minio only calls read()
                length=-1 if length is None else length,
                content_type=content_type,
                part_size=self._part_size,
                # One part in flight: parallel parts would multiply the memory per upload.
                num_parallel_uploads=1,
            )
            stored = StoredObject(key, reader.size, reader.hexdigest(), content_type, metadata)
            self._client.copy_object(
                self.bucket,
                key,
                CopySource(self.bucket, staging),
                metadata=_to_headers(stored),
                metadata_directive=REPLACE,
            )
        finally:
            self._remove_staging(staging)
        return stored

    def stat(self, key: str) -> StoredObject:
        return _from_s3(key, self._stat(validate_key(key)).metadata)

    def iter_chunks(self, key: str, chunk_size: int = CHUNK_SIZE) -> ChunkStream:
        validate_key(key)
        check_chunk_size(chunk_size)
        try:
            response = self._client.get_object(self.bucket, key)
        except S3Error as error:
            raise _translate(error, key) from error

        def release() -> None:
            response.close()
            response.release_conn()

        return ChunkStream(response.stream(chunk_size), release, _from_s3(key, response.headers))

    def exists(self, key: str) -> bool:
        try:
            self._stat(validate_key(key))
        except ObjectNotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        self._client.remove_object(self.bucket, validate_key(key))

    def copy(
        self, src_key: str, dst_key: str, metadata: dict[str, str] | None = None
    ) -> StoredObject:
        validate_key(src_key)
        validate_key(dst_key)
        if metadata is not None:
            metadata = validate_metadata(metadata)
        # Always REPLACE with metadata from a stat of the source: it works past 5 GiB too
        # (minio switches to a multipart copy, which cannot COPY metadata). match_etag makes
        # S3 refuse the copy if the source changed after the stat, so the sha256 stays true.
        for _attempt in range(3):
            info = self._stat(src_key)
            source = _from_s3(src_key, info.metadata)
            target = replace(
                source, key=dst_key, metadata=source.metadata if metadata is None else metadata
            )
            try:
                self._client.copy_object(
                    self.bucket,
                    dst_key,
                    CopySource(self.bucket, src_key, match_etag=info.etag),
                    metadata=_to_headers(target),
                    metadata_directive=REPLACE,
                )
            except S3Error as error:
                if error.code == "PreconditionFailed":
                    continue
                raise _translate(error, src_key) from error
            return target
        raise RuntimeError(f"object {src_key!r} kept changing while being copied")

    def list(self, prefix: str = "") -> Iterator[str]:
        validate_prefix(prefix)  # here, not in the generator, so bad prefixes fail at the call
        return self._list(prefix)

    def _list(self, prefix: str) -> Iterator[str]:
        for info in self._client.list_objects(self.bucket, prefix=prefix, recursive=True):
            name = info.object_name
            if name is not None and not name.startswith(_STAGING_PREFIX):
                yield name

    def _stat(self, key: str) -> Object:
        try:
            return self._client.stat_object(self.bucket, key)
        except S3Error as error:
            raise _translate(error, key) from error

    def _ensure_bucket(self) -> None:
        if self._client.bucket_exists(self.bucket):
            return
        try:
            self._client.make_bucket(self.bucket)
        except S3Error as error:
            # Another process created it between our check and our request.
            if error.code != "BucketAlreadyOwnedByYou":
                raise

    def _remove_staging(self, staging: str) -> None:
        # Best effort: a leftover staging object is invisible garbage, and raising here would
        # hide the real outcome of the put.
        try:
            self._client.remove_object(self.bucket, staging)
        except Exception:
            log.warning("could not remove staging object %s", staging, exc_info=True)


def _to_headers(stored: StoredObject) -> dict[str, str]:
    # Explicit x-amz-meta- names: minio would otherwise send names such as
    # "content-disposition" as real HTTP headers instead of user metadata.
    headers = {"Content-Type": stored.content_type}
    headers[_USER_METADATA_HEADER + SHA256_METADATA_KEY] = stored.sha256
    for name, value in stored.metadata.items():
        headers[_USER_METADATA_HEADER + name] = value
    return headers


def _from_s3(key: str, headers: Mapping[str, str]) -> StoredObject:
    """Read a StoredObject from the headers of a HEAD or GET response."""
    metadata = {}
    for name, value in headers.items():
        name = name.lower()
        if name.startswith(_USER_METADATA_HEADER):
            metadata[name.removeprefix(_USER_METADATA_HEADER)] = value
    # An object not written through this port has no recorded hash: "" means unknown.
    sha256 = metadata.pop(SHA256_METADATA_KEY, "")
    return StoredObject(
        key=key,
        size=int(headers["content-length"]),
        sha256=sha256,
        content_type=headers.get("content-type", "application/octet-stream"),
        metadata=metadata,
    )


def _translate(error: S3Error, key: str) -> Exception:
    if error.code in ("NoSuchKey", "NoSuchObject"):
        return ObjectNotFound(key)
    return error


# --- choosing an adapter ---
