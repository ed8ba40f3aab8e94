"""Object storage port with a filesystem adapter and an S3 (minio) adapter."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO, Protocol

from minio import Minio
from minio.commonconfig import REPLACE, CopySource
from minio.datatypes import Object
from minio.error import S3Error

from chassis.config import Settings

log = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
S3_PART_SIZE = 10 * 1024 * 1024
# S3 limits keys to 1024 bytes; most filesystems limit one path segment to 255 bytes.
MAX_KEY_BYTES = 1024
MAX_SEGMENT_BYTES = 255
# S3 allows 2 KiB of user metadata per object; keep headroom for our own entries.
MAX_METADATA_BYTES = 1024
# Reserved metadata key under which the S3 adapter keeps the content hash.
SHA256_METADATA_KEY = "content-sha256"

# Lowercase only: S3 metadata names travel as HTTP headers and come back lowercased.
_METADATA_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
# Printable ASCII only: S3 metadata values and content types travel as HTTP header values.
_HEADER_VALUE = re.compile(r"[\x20-\x7e]*")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class ObjectNotFound(KeyError):
    """No object is stored under the key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class StoredObject:
    """What the store knows about one object."""

    key: str
    size: int
    sha256: str
    content_type: str
    metadata: dict[str, str] = field(default_factory=dict)


class ChunkStream(Iterator[bytes]):
    """The bytes of one object in chunks; reading to the end or close() releases the source.

    `stored` describes exactly the version being read, even if the key is overwritten
    meanwhile, so a response can send Content-Length/ETag without a racy second stat().
    Werkzeug calls close() on a response iterable, so a Flask response can stream it directly.
    """

    def __init__(
        self, chunks: Iterator[bytes], release: Callable[[], None], stored: StoredObject
    ) -> None:
        self._chunks = chunks
        self._release = release
        self.stored = stored
        self.closed = False

    def __iter__(self) -> ChunkStream:
        return self

    def __next__(self) -> bytes:
        if self.closed:
            raise StopIteration
        try:
            return next(self._chunks)
        except BaseException:
            # Exhaustion or a read error: either way the file/connection is no longer needed.
            self.close()
            raise

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._release()

    def __enter__(self) -> ChunkStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ObjectStore(Protocol):
    """The object storage port; both adapters honour the same contract.

    - Keys are '/'-separated relative names; see validate_key(). Bad keys raise ValueError.
    - stat() and iter_chunks() raise ObjectNotFound (a KeyError) for a missing key;
      iter_chunks() raises it at the call, before any chunk, so a caller can still answer 404.
    - delete() of a missing key is a no-op (S3 DELETE is idempotent; retries stay harmless).
    - copy() raises ObjectNotFound when the source is missing.
    - put() is all or nothing: a stream that fails midway leaves no object behind and an
      existing object under the key untouched.
    """

    def put(
        self,
        key: str,
        stream: BinaryIO,
        *,
        content_type: str,
        metadata: dict[str, str] | None = None,
        length: int | None = None,
    ) -> StoredObject:
        """Store the stream's bytes (exactly `length` of them when given, else up to EOF)."""
        ...

    def stat(self, key: str) -> StoredObject: ...

    def iter_chunks(self, key: str, chunk_size: int = CHUNK_SIZE) -> ChunkStream:
        """Stream the bytes; read it to the end or close it to release the file/connection."""
        ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def copy(
        self, src_key: str, dst_key: str, metadata: dict[str, str] | None = None
    ) -> StoredObject:
        """Copy bytes and content type; `metadata` replaces the user metadata when given."""
        ...

    def list(self, prefix: str = "") -> Iterator[str]:
        """Keys starting with `prefix` (a plain string prefix, as in S3), in ascending order."""
        ...


# --- validation shared by both adapters, so they reject exactly the same things ---


def validate_key(key: str) -> str:
    """Return `key` if it is safe both as an S3 key and as a relative path, else raise ValueError.

    Segments starting with '.' are refused: that rules out '.' and '..' and reserves dot names
    for the adapters' own files (sidecars, temp files, the S3 staging area).
    """
    if not isinstance(key, str) or not key:
        raise ValueError("object key must be a non-empty string")
    if _CONTROL_CHARS.search(key):
        raise ValueError(f"object key contains a control character: {key!r}")
    if len(key.encode()) > MAX_KEY_BYTES:
        raise ValueError(f"object key is longer than {MAX_KEY_BYTES} bytes")
    if key.startswith("/"):
        raise ValueError(f"object key must be relative: {key!r}")
    for segment in key.split("/"):
        if not segment:
            raise ValueError(f"object key has an empty segment: {key!r}")
        if segment.startswith("."):
            raise ValueError(f"object key segment may not start with '.': {key!r}")
        if len(segment.encode()) > MAX_SEGMENT_BYTES:
            raise ValueError(f"object key segment is longer than {MAX_SEGMENT_BYTES} bytes")
    return key


def validate_prefix(prefix: str) -> str:
    """A list() prefix: '' or a key's leading part, possibly ending in '/' or mid-segment."""
    if not isinstance(prefix, str):
        raise ValueError("prefix must be a string")
    if prefix.startswith("/") or _CONTROL_CHARS.search(prefix):
        raise ValueError(f"invalid prefix: {prefix!r}")
    directory = prefix.rpartition("/")[0]
    if directory:
        validate_key(directory)
    return prefix


def validate_metadata(metadata: dict[str, str] | None) -> dict[str, str]:
    """Return a copy of the user metadata if S3 can store it unchanged, else raise ValueError."""
    result = dict(metadata or {})
    total = 0
    for name, value in result.items():
        if not isinstance(name, str) or not _METADATA_KEY.fullmatch(name):
            raise ValueError(f"metadata key must match [a-z0-9][a-z0-9-]*: {name!r}")
        if name == SHA256_METADATA_KEY:
            raise ValueError(f"metadata key {name!r} is reserved")
        _check_header_value(value, f"metadata value for {name!r}")
        total += len(name) + len(value)
    if total > MAX_METADATA_BYTES:
        raise ValueError(f"metadata is larger than {MAX_METADATA_BYTES} bytes")
    return result


def _check_header_value(value: object, what: str) -> None:
    # S3 strips surrounding whitespace from header values, so it would not round-trip.
    if not isinstance(value, str) or not _HEADER_VALUE.fullmatch(value) or value != value.strip():
        raise ValueError(f"{what} must be printable ASCII without surrounding spaces: {value!r}")


def _check_content_type(content_type: str) -> None:
    _check_header_value(content_type, "content type")
    if not content_type:
        raise ValueError("content type must not be empty")


def _check_length(length: int | None) -> None:
    if length is not None and (not isinstance(length, int) or length < 0):
        raise ValueError(f"length must be a non-negative int or None: {length!r}")


def _check_chunk_size(chunk_size: int) -> None:
    if not isinstance(chunk_size, int) or chunk_size <= 0:
        raise ValueError(f"chunk_size must be a positive int: {chunk_size!r}")


class _HashingReader:
    """Passes a stream through in bounded reads, hashing and counting the bytes on the way."""

    def __init__(self, stream: BinaryIO, length: int | None) -> None:
        self._stream = stream
        self._remaining = length
        self._sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = CHUNK_SIZE) -> bytes:
        if size is None or size < 0:
            size = CHUNK_SIZE  # never read a stream whole
        if self._remaining is not None:
            size = min(size, self._remaining)
        chunk = self._fill(size)
        self._sha256.update(chunk)
        self.size += len(chunk)
        if self._remaining is not None:
            self._remaining -= len(chunk)
            if len(chunk) < size:
                raise ValueError(f"stream ended after {self.size} bytes, before the given length")
        return chunk

    def _fill(self, size: int) -> bytes:
        # Raw streams may return short reads; minio treats a short part as the last one.
        buffer = bytearray()
        while len(buffer) < size:
            data = self._stream.read(size - len(buffer))
            if not data:
                break
            buffer += data
        return bytes(buffer)

    def hexdigest(self) -> str:
        return self._sha256.hexdigest()


# --- filesystem adapter ---

_SIDECAR = ".meta.json"
_DATA_PREFIX = ".data-"
_TEMP_PREFIX = ".tmp-"


class FilesystemObjectStore(ObjectStore):
    """Objects as files under a root directory, for single-host and test deployments.

    Each key is a directory `<root>/<key>/` holding `.meta.json` (the sidecar) and the data
    file it names, `.data-<random>`. A key being a directory lets both "a" and "a/b" exist,
    as in S3. The sidecar is the commit point: it is replaced atomically after the data is on
    disk, so readers and crashes see either the old object, the new one, or none. Data files
    are never rewritten in place, so an overwrite cannot mix old metadata with new bytes.
    A crash can leave unreferenced `.data-*`/`.tmp-*` files, which no reader ever sees.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()
        self.root.mkdir(parents=True, exist_ok=True)

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
        _check_content_type(content_type)
        metadata = validate_metadata(metadata)
        _check_length(length)
        directory = self._directory(key)
        data_path: Path | None = None
        try:
            data_path, data_file = self._create_data_file(directory)
            reader = _HashingReader(stream, length)
            with data_file:
                while chunk := reader.read(CHUNK_SIZE):
                    data_file.write(chunk)
                data_file.flush()
                os.fsync(data_file.fileno())
            stored = StoredObject(key, reader.size, reader.hexdigest(), content_type, metadata)
            previous = _read_json(directory / _SIDECAR)
            _write_json_atomically(directory / _SIDECAR, _to_sidecar(stored, data_path.name))
        except BaseException:
            self._discard(directory, data_path)
            raise
        # Concurrent puts to one key may each miss the other's old data file; that only
        # leaves an unreferenced file behind, never a wrong object.
        if previous is not None and previous["data"] != data_path.name:
            (directory / previous["data"]).unlink(missing_ok=True)
        return stored

    def stat(self, key: str) -> StoredObject:
        sidecar = _read_json(self._directory(validate_key(key)) / _SIDECAR)
        if sidecar is None:
            raise ObjectNotFound(key)
        return _from_sidecar(sidecar)

    def iter_chunks(self, key: str, chunk_size: int = CHUNK_SIZE) -> ChunkStream:
        _check_chunk_size(chunk_size)
        stored, data_file = self._open(key)
        chunks = iter(partial(data_file.read, chunk_size), b"")
        return ChunkStream(chunks, data_file.close, stored)

    def exists(self, key: str) -> bool:
        return (self._directory(validate_key(key)) / _SIDECAR).is_file()

    def delete(self, key: str) -> None:
        directory = self._directory(validate_key(key))
        # Moving the sidecar away is the atomic "delete"; reading the moved copy tells us
        # exactly which data file belonged to the version we removed.
        tombstone = directory / f"{_TEMP_PREFIX}{uuid.uuid4().hex}"
        try:
            os.rename(directory / _SIDECAR, tombstone)
        except FileNotFoundError:
            return
        _fsync_dir(directory)
        sidecar = _read_json(tombstone)
        if sidecar is not None:
            (directory / sidecar["data"]).unlink(missing_ok=True)
        tombstone.unlink(missing_ok=True)
        self._prune(directory)

    def copy(
        self, src_key: str, dst_key: str, metadata: dict[str, str] | None = None
    ) -> StoredObject:
        validate_key(dst_key)
        if metadata is not None:
            metadata = validate_metadata(metadata)
        source, data_file = self._open(src_key)
        with data_file:
            return self.put(
                dst_key,
                data_file,
                content_type=source.content_type,
                metadata=source.metadata if metadata is None else metadata,
                length=source.size,
            )

    def list(self, prefix: str = "") -> Iterator[str]:
        validate_prefix(prefix)
        directory = prefix.rpartition("/")[0]
        top = self._directory(directory) if directory else self.root
        keys = []
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [name for name in dirnames if not name.startswith(".")]
            if _SIDECAR in filenames:
                key = Path(dirpath).relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        # Sorting str by code point gives the same order as S3's UTF-8 byte order.
        return iter(sorted(keys))

    def _directory(self, key: str) -> Path:
        return self.root.joinpath(*key.split("/"))

    def _open(self, key: str) -> tuple[StoredObject, BinaryIO]:
        directory = self._directory(validate_key(key))
        # An overwrite or delete may remove the data file between reading the sidecar and
        # opening it; look at the sidecar again rather than fail.
        for _attempt in range(3):
            sidecar = _read_json(directory / _SIDECAR)
            if sidecar is None:
                break
            try:
                return _from_sidecar(sidecar), open(directory / sidecar["data"], "rb")
            except FileNotFoundError:
                continue
        raise ObjectNotFound(key)

    def _create_data_file(self, directory: Path) -> tuple[Path, BinaryIO]:
        # A concurrent delete may prune a directory we just created while it is still empty;
        # create it again. Once our data file is in it, it is not empty and stays.
        for _attempt in range(5):
            self._make_dirs(directory)
            path = directory / f"{_DATA_PREFIX}{uuid.uuid4().hex}"
            try:
                return path, open(path, "xb")
            except FileNotFoundError:
                continue
        raise OSError(f"could not create a data file in {directory}")

    def _make_dirs(self, directory: Path) -> None:
        missing = []
        while not directory.is_dir():
            missing.append(directory)
            directory = directory.parent
        for path in reversed(missing):
            with contextlib.suppress(FileExistsError):
                path.mkdir()
            # A new directory survives a crash only once its parent's entry is on disk.
            _fsync_dir(path.parent)

    def _discard(self, directory: Path, data_path: Path | None) -> None:
        # Keep the data file if the failure came after the sidecar already named it
        # (e.g. the final directory fsync failed): the object is committed then.
        current = _read_json(directory / _SIDECAR)
        if data_path is not None and (current is None or current["data"] != data_path.name):
            data_path.unlink(missing_ok=True)
        self._prune(directory)

    def _prune(self, directory: Path) -> None:
        # Remove now-empty key directories up to the root; a non-empty one stops the walk.
        while directory != self.root:
            try:
                directory.rmdir()
            except OSError:
                return
            directory = directory.parent


def _to_sidecar(stored: StoredObject, data_name: str) -> dict:
    return {
        "key": stored.key,
        "size": stored.size,
        "sha256": stored.sha256,
        "content_type": stored.content_type,
        "metadata": stored.metadata,
        "data": data_name,
    }


def _from_sidecar(sidecar: dict) -> StoredObject:
    return StoredObject(
        key=sidecar["key"],
        size=sidecar["size"],
        sha256=sidecar["sha256"],
        content_type=sidecar["content_type"],
        metadata=sidecar["metadata"],
    )


def _read_json(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except FileNotFoundError:
        return None


def _write_json_atomically(path: Path, document: dict) -> None:
    temp = path.with_name(f"{_TEMP_PREFIX}{uuid.uuid4().hex}")
    try:
        with open(temp, "x", encoding="utf-8") as file:
            json.dump(document, file)
            file.flush()
            os.fsync(file.fileno())
        # The data file's directory entry must be durable before the sidecar naming it is.
        _fsync_dir(path.parent)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- S3 adapter ---

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
        _check_content_type(content_type)
        metadata = validate_metadata(metadata)
        _check_length(length)
        staging = f"{_STAGING_PREFIX}{uuid.uuid4().hex}"
        reader = _HashingReader(stream, length)
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
        _check_chunk_size(chunk_size)
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
