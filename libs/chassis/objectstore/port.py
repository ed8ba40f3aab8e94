"""The object-store port: what a store does, its types, and the rules keys and metadata obey."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

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
        check_header_value(value, f"metadata value for {name!r}")
        total += len(name) + len(value)
    if total > MAX_METADATA_BYTES:
        raise ValueError(f"metadata is larger than {MAX_METADATA_BYTES} bytes")
    return result


def check_header_value(value: object, what: str) -> None:
    # S3 strips surrounding whitespace from header values, so it would not round-trip.
    if not isinstance(value, str) or not _HEADER_VALUE.fullmatch(value) or value != value.strip():
        raise ValueError(f"{what} must be printable ASCII without surrounding spaces: {value!r}")


def check_content_type(content_type: str) -> None:
    check_header_value(content_type, "content type")
    if not content_type:
        raise ValueError("content type must not be empty")


def check_length(length: int | None) -> None:
    if length is not None and (not isinstance(length, int) or length < 0):
        raise ValueError(f"length must be a non-negative int or None: {length!r}")


def check_chunk_size(chunk_size: int) -> None:
    if not isinstance(chunk_size, int) or chunk_size <= 0:
        raise ValueError(f"chunk_size must be a positive int: {chunk_size!r}")


class HashingReader:
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
