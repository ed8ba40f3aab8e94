"""Objects as files under a root directory: atomic rename and fsync, for one host and tests."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import BinaryIO

from chassis.objectstore.port import (
    CHUNK_SIZE,
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
        check_content_type(content_type)
        metadata = validate_metadata(metadata)
        check_length(length)
        directory = self._directory(key)
        data_path: Path | None = None
        try:
            data_path, data_file = self._create_data_file(directory)
            reader = HashingReader(stream, length)
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
        check_chunk_size(chunk_size)
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
