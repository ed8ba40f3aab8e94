"""Contract tests of the object-store port, run against both adapters (S3 via moto over HTTP)."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from minio import Minio

from chassis.config import load_settings
from chassis.objectstore import (
    FilesystemObjectStore,
    ObjectNotFound,
    ObjectStore,
    S3ObjectStore,
    StoredObject,
    open_object_store,
)
from tests.support.moto_s3 import MotoS3, moto_s3_server
from tests.support.processes import REPO

ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
MIB = 1024 * 1024


class GeneratedStream:
    """A read-only file-like object fed by a generator, so the payload never exists whole.

    It returns short reads (at most one generated chunk), as raw streams may, and remembers
    the largest read request so a test can see nobody asked for everything at once.
    """

    def __init__(self, chunks: Iterable[bytes], fail_after: int | None = None) -> None:
        self._chunks = iter(chunks)
        self._pending = b""
        self._fail_after = fail_after
        self.delivered = 0
        self.largest_request = 0

    def read(self, size: int = -1) -> bytes:
        assert size is not None and size > 0, "the store must not read a stream whole"
        self.largest_request = max(self.largest_request, size)
        if self._fail_after is not None and self.delivered >= self._fail_after:
            raise OSError("client went away mid-upload")
        if not self._pending:
            self._pending = next(self._chunks, b"")
        out, self._pending = self._pending[:size], self._pending[size:]
        self.delivered += len(out)
        return out


def payload_chunks(total_mib: int) -> Iterator[bytes]:
    """Deterministic, non-repeating 64 KiB chunks (so misplaced chunks change the hash)."""
    for index in range(total_mib * 16):
        yield hashlib.sha256(index.to_bytes(4, "big")).digest() * 2048


def sha256_of(chunks: Iterable[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def read_all(store: ObjectStore, key: str) -> bytes:
    return b"".join(store.iter_chunks(key))


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoS3]:
    with moto_s3_server() as server:
        yield server


def fresh_bucket() -> str:
    return f"test-{uuid.uuid4().hex[:16]}"


def make_s3_store(moto: MotoS3, bucket: str, **options) -> S3ObjectStore:
    return S3ObjectStore(
        moto.endpoint,
        moto.access_key,
        moto.secret_key,
        bucket,
        secure=False,
        region=moto.region,
        **options,
    )


@pytest.fixture(params=["fs", "s3"])
def store(request, tmp_path) -> ObjectStore:
    if request.param == "fs":
        return FilesystemObjectStore(tmp_path / "objects")
    return make_s3_store(request.getfixturevalue("moto"), fresh_bucket())


def raw_names(store: ObjectStore) -> list[str]:
    """Everything the backend holds, including what the port hides (temp files, staging)."""
    if isinstance(store, FilesystemObjectStore):
        return sorted(path.relative_to(store.root).as_posix() for path in store.root.rglob("*"))
    client = store._client
    names = [obj.object_name for obj in client.list_objects(store.bucket, recursive=True)]
    # An unfinished multipart upload is stored (and billed) too. minio has no public call to
    # list them, hence the private one.
    uploads = client._list_multipart_uploads(store.bucket).uploads
    return sorted(names + [f"unfinished upload of {upload.object_name}" for upload in uploads])


# --- round trips ---


def test_put_then_stat_and_read_round_trip(store):
    payload = b"%PDF-1.7 izin usaha\n" * 100
    metadata = {"application-id": "app-42", "original-name": "surat izin.pdf"}

    stored = store.put(
        "applications/app-42/permit.pdf",
        io.BytesIO(payload),
        content_type="application/pdf",
        metadata=metadata,
    )

    expected = StoredObject(
        key="applications/app-42/permit.pdf",
        size=len(payload),
        sha256=hashlib.sha256(payload).hexdigest(),
        content_type="application/pdf",
        metadata=metadata,
    )
    assert stored == expected
    assert store.stat("applications/app-42/permit.pdf") == expected
    assert store.exists("applications/app-42/permit.pdf")
    chunks = store.iter_chunks("applications/app-42/permit.pdf")
    assert chunks.stored == expected
    assert b"".join(chunks) == payload


@pytest.mark.parametrize("length", [None, 3])
def test_sha256_and_size_of_a_known_payload(store, length):
    stored = store.put("k/abc", io.BytesIO(b"abc"), content_type="text/plain", length=length)

    assert (stored.sha256, stored.size) == (ABC_SHA256, 3)
    assert (store.stat("k/abc").sha256, store.stat("k/abc").size) == (ABC_SHA256, 3)


def test_empty_object(store):
    stored = store.put("empty", io.BytesIO(b""), content_type="application/octet-stream")

    assert (stored.sha256, stored.size) == (EMPTY_SHA256, 0)
    assert read_all(store, "empty") == b""


def test_known_length_reads_exactly_that_many_bytes(store):
    stored = store.put("k", io.BytesIO(b"abcdef"), content_type="text/plain", length=3)

    assert stored.sha256 == ABC_SHA256
    assert read_all(store, "k") == b"abc"


def test_stream_shorter_than_length_is_refused(store):
    with pytest.raises(ValueError, match="before the given length"):
        store.put("k", io.BytesIO(b"ab"), content_type="text/plain", length=3)

    assert not store.exists("k")


def test_unknown_length_upload_streams_25_mib(store):
    expected_sha, expected_size = sha256_of(payload_chunks(25))
    stream = GeneratedStream(payload_chunks(25))

    stored = store.put("big/blob.bin", stream, content_type="application/octet-stream")

    assert (stored.sha256, stored.size) == (expected_sha, expected_size)
    assert store.stat("big/blob.bin").sha256 == expected_sha
    # The S3 adapter asks for one multipart part (+1 byte to detect the end) at a time.
    assert stream.largest_request <= 10 * MIB + 1
    chunks = store.iter_chunks("big/blob.bin", chunk_size=256 * 1024)
    read_back_sha, read_back_size = sha256_of(chunks)
    assert (read_back_sha, read_back_size) == (expected_sha, expected_size)
    assert chunks.closed


MEASURE_UPLOAD = """
import sys, tracemalloc
from pathlib import Path
from chassis.objectstore import FilesystemObjectStore
from tests.integration.test_objectstore import GeneratedStream, payload_chunks

store = FilesystemObjectStore(Path(sys.argv[1]))
tracemalloc.start()
store.put("big", GeneratedStream(payload_chunks(25)), content_type="application/x")
print(tracemalloc.get_traced_memory()[1])
"""


def test_filesystem_upload_memory_is_bounded(tmp_path):
    # Measured in a fresh interpreter: tracemalloc counts every thread of a process, and the
    # test session runs servers in threads of its own.
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE_UPLOAD, str(tmp_path / "objects")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    peak = int(measured.stdout.strip().splitlines()[-1])
    assert peak < 2 * MIB


# --- failures leave nothing behind ---


# 1 MiB fails inside the first S3 part (nothing sent yet); 12 MiB fails after a multipart
# upload has started, so it must be aborted.
@pytest.mark.parametrize("fail_after", [1 * MIB, 12 * MIB])
def test_stream_failing_midway_leaves_no_object(store, fail_after):
    stream = GeneratedStream(payload_chunks(25), fail_after=fail_after)

    with pytest.raises(OSError, match="client went away"):
        store.put("uploads/broken.bin", stream, content_type="application/octet-stream")

    assert not store.exists("uploads/broken.bin")
    assert list(store.list("")) == []
    assert raw_names(store) == []
    with pytest.raises(ObjectNotFound):
        store.stat("uploads/broken.bin")


def test_failed_overwrite_keeps_the_previous_object(store):
    original = store.put("doc", io.BytesIO(b"version 1"), content_type="text/plain")
    stream = GeneratedStream(payload_chunks(2), fail_after=MIB)

    with pytest.raises(OSError):
        store.put("doc", stream, content_type="application/octet-stream")

    assert store.stat("doc") == original
    assert read_all(store, "doc") == b"version 1"


def test_overwrite_replaces_bytes_and_metadata(store):
    store.put("doc", io.BytesIO(b"version 1"), content_type="text/plain", metadata={"v": "1"})

    store.put("doc", io.BytesIO(b"version 2!"), content_type="text/markdown", metadata={"v": "2"})

    assert store.stat("doc") == StoredObject(
        "doc", 10, hashlib.sha256(b"version 2!").hexdigest(), "text/markdown", {"v": "2"}
    )
    assert read_all(store, "doc") == b"version 2!"


def test_filesystem_leaves_no_temp_files_after_failed_puts(tmp_path):
    store = FilesystemObjectStore(tmp_path / "objects")
    store.put("a/keep", io.BytesIO(b"kept"), content_type="text/plain")
    store.put("a/keep", io.BytesIO(b"kept again"), content_type="text/plain")

    for key in ("a/fail", "a/keep", "b/c/fail"):
        with pytest.raises(OSError):
            store.put(key, GeneratedStream(payload_chunks(1), fail_after=1), content_type="x/y")

    names = raw_names(store)
    data_files = [name for name in names if name.startswith("a/keep/.data-")]
    assert len(data_files) == 1  # the overwritten version's data file is gone too
    assert names == sorted(["a", "a/keep", "a/keep/.meta.json", data_files[0]])
    assert read_all(store, "a/keep") == b"kept again"


def test_filesystem_objects_survive_a_new_store_instance(tmp_path):
    FilesystemObjectStore(tmp_path / "objects").put(
        "k", io.BytesIO(b"abc"), content_type="text/plain", metadata={"a": "b"}
    )

    reopened = FilesystemObjectStore(tmp_path / "objects")

    assert reopened.stat("k") == StoredObject("k", 3, ABC_SHA256, "text/plain", {"a": "b"})


# --- missing keys ---


def test_missing_key(store):
    with pytest.raises(ObjectNotFound) as raised:
        store.stat("nope/missing")
    assert isinstance(raised.value, KeyError)
    assert raised.value.key == "nope/missing"
    # Raised at the call, before any iteration, so a web handler can still answer 404.
    with pytest.raises(ObjectNotFound):
        store.iter_chunks("nope/missing")
    with pytest.raises(ObjectNotFound):
        store.copy("nope/missing", "elsewhere")
    assert not store.exists("nope/missing")
    assert not store.exists("elsewhere")


def test_delete_removes_and_is_idempotent(store):
    store.put("a/b/c", io.BytesIO(b"x"), content_type="text/plain")
    store.put("a/other", io.BytesIO(b"y"), content_type="text/plain")

    store.delete("a/b/c")
    store.delete("a/b/c")  # deleting a missing key is not an error
    store.delete("never/there")

    assert not store.exists("a/b/c")
    assert list(store.list("")) == ["a/other"]
    with pytest.raises(ObjectNotFound):
        store.stat("a/b/c")


def test_filesystem_delete_prunes_empty_directories(tmp_path):
    store = FilesystemObjectStore(tmp_path / "objects")
    store.put("a/b/c", io.BytesIO(b"x"), content_type="text/plain")

    store.delete("a/b/c")

    assert raw_names(store) == []


# --- validation ---


BAD_KEYS = [
    "",
    "/etc/passwd",
    "a//b",
    "a/",
    "..",
    "a/../b",
    "a/./b",
    ".staging/x",
    "a/.meta.json",
    "nul\x00byte",
    "new\nline",
    "x" * 256,
    "a/" * 600,
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_are_refused(store, key):
    with pytest.raises(ValueError):
        store.put(key, io.BytesIO(b"x"), content_type="text/plain")
    with pytest.raises(ValueError):
        store.stat(key)
    with pytest.raises(ValueError):
        store.iter_chunks(key)
    with pytest.raises(ValueError):
        store.exists(key)
    with pytest.raises(ValueError):
        store.delete(key)
    with pytest.raises(ValueError):
        store.copy("fine", key)
    assert raw_names(store) == []


@pytest.mark.parametrize("prefix", ["/a", "../", "a/../", "a//", "nul\x00"])
def test_bad_list_prefixes_are_refused(store, prefix):
    with pytest.raises(ValueError):
        store.list(prefix)


@pytest.mark.parametrize(
    "metadata",
    [
        {"Upper": "x"},
        {"under_score": "x"},
        {"content-sha256": "forged"},
        {"name": "nama berkas é"},
        {"name": " padded "},
        {"name": "x" * 2000},
    ],
)
def test_metadata_s3_cannot_round_trip_is_refused(store, metadata):
    with pytest.raises(ValueError):
        store.put("k", io.BytesIO(b"x"), content_type="text/plain", metadata=metadata)
    assert not store.exists("k")


# --- copy and list ---


def test_copy_keeps_bytes_and_replaces_metadata(store):
    source = store.put(
        "inbox/f.pdf", io.BytesIO(b"pdf bytes"), content_type="application/pdf", metadata={"a": "1"}
    )

    copied = store.copy("inbox/f.pdf", "archive/2026/f.pdf", metadata={"archived": "yes"})

    expected = StoredObject(
        "archive/2026/f.pdf", source.size, source.sha256, "application/pdf", {"archived": "yes"}
    )
    assert copied == expected
    assert store.stat("archive/2026/f.pdf") == expected
    assert read_all(store, "archive/2026/f.pdf") == b"pdf bytes"
    assert store.stat("inbox/f.pdf") == source


def test_copy_without_metadata_keeps_the_source_metadata(store):
    store.put("src", io.BytesIO(b"abc"), content_type="text/plain", metadata={"a": "1"})

    copied = store.copy("src", "dst")

    assert copied == StoredObject("dst", 3, ABC_SHA256, "text/plain", {"a": "1"})
    assert store.stat("dst") == copied


def test_copy_onto_itself_updates_metadata(store):
    store.put("src", io.BytesIO(b"abc"), content_type="text/plain", metadata={"a": "1"})

    store.copy("src", "src", metadata={"b": "2"})

    assert store.stat("src") == StoredObject("src", 3, ABC_SHA256, "text/plain", {"b": "2"})
    assert read_all(store, "src") == b"abc"


def test_list_by_prefix(store):
    for key in ["a/1", "a/2", "a/sub/3", "ab", "a-c", "b/1"]:
        store.put(key, io.BytesIO(key.encode()), content_type="text/plain")

    assert list(store.list("a/")) == ["a/1", "a/2", "a/sub/3"]
    assert list(store.list("a")) == ["a-c", "a/1", "a/2", "a/sub/3", "ab"]
    assert list(store.list("a/s")) == ["a/sub/3"]
    assert list(store.list("")) == ["a-c", "a/1", "a/2", "a/sub/3", "ab", "b/1"]
    assert list(store.list("zzz/")) == []


def test_a_key_can_also_be_a_prefix_of_other_keys(store):
    store.put("a", io.BytesIO(b"parent"), content_type="text/plain")
    store.put("a/b", io.BytesIO(b"child"), content_type="text/plain")

    assert (read_all(store, "a"), read_all(store, "a/b")) == (b"parent", b"child")
    store.delete("a")
    assert list(store.list("")) == ["a/b"]


# --- reading ---


def test_chunks_respect_chunk_size_and_release_on_close(store):
    store.put("k", io.BytesIO(bytes(range(256)) * 40), content_type="application/x")

    with store.iter_chunks("k", chunk_size=1000) as chunks:
        first = next(chunks)
        assert first == (bytes(range(256)) * 40)[:1000]
    assert chunks.closed
    assert list(chunks) == []

    sizes = [len(chunk) for chunk in store.iter_chunks("k", chunk_size=4096)]
    assert sum(sizes) == 10240
    assert max(sizes) <= 4096


def test_readers_never_see_a_mix_of_versions_during_overwrites(store):
    # Each version has its own size and bytes; a reader must get bytes matching the
    # StoredObject of the version it opened, whatever the writers do meanwhile.
    versions = [bytes([index]) * (1000 + index * 37) for index in range(40)]
    store.put("hot", io.BytesIO(versions[0]), content_type="application/x")
    writers_done = threading.Event()
    mismatches: list[str] = []
    reads = 0

    def write(offset: int) -> None:
        for payload in versions[offset::4]:
            store.put("hot", io.BytesIO(payload), content_type="application/x")

    def read() -> None:
        nonlocal reads
        while not writers_done.is_set():
            try:
                chunks = store.iter_chunks("hot", chunk_size=512)
                digest, size = sha256_of(chunks)
            except Exception as error:  # a thread's exception would not fail the test
                mismatches.append(repr(error))
                return
            if (digest, size) != (chunks.stored.sha256, chunks.stored.size):
                mismatches.append(f"{size} bytes read, {chunks.stored.size} announced")
            reads += 1

    writers = [threading.Thread(target=write, args=(offset,)) for offset in range(4)]
    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in readers:
        thread.join()

    assert mismatches == []
    assert reads > 0
    assert read_all(store, "hot") in versions
    assert list(store.list("")) == ["hot"]


# --- S3 specifics ---


def test_s3_adapter_creates_its_bucket_and_tolerates_an_existing_one(moto):
    bucket = fresh_bucket()
    client = Minio(moto.endpoint, moto.access_key, moto.secret_key, secure=False)
    assert not client.bucket_exists(bucket)

    make_s3_store(moto, bucket).put("k", io.BytesIO(b"abc"), content_type="text/plain")
    second = make_s3_store(moto, bucket)

    assert client.bucket_exists(bucket)
    assert second.stat("k").sha256 == ABC_SHA256


def test_s3_metadata_is_stored_as_user_metadata(moto):
    bucket = fresh_bucket()
    store = make_s3_store(moto, bucket)
    store.put(
        "k", io.BytesIO(b"abc"), content_type="text/plain", metadata={"content-disposition": "x"}
    )

    headers = (
        Minio(moto.endpoint, moto.access_key, moto.secret_key, secure=False)
        .stat_object(bucket, "k")
        .metadata
    )

    assert headers["x-amz-meta-content-sha256"] == ABC_SHA256
    assert headers["x-amz-meta-content-disposition"] == "x"
    assert "content-disposition" not in {name.lower() for name in headers}
    assert headers["content-type"] == "text/plain"
    assert raw_names(store) == ["k"]  # the staging object is gone


# --- choosing the adapter ---


def test_factory_uses_the_filesystem_without_an_s3_endpoint(tmp_path):
    store = open_object_store(load_settings({"GASPOL_DATA_DIR": str(tmp_path), "S3_ENDPOINT": ""}))
    assert isinstance(store, FilesystemObjectStore)
    assert store.root == Path(tmp_path) / "objects"


def test_factory_uses_s3_when_an_endpoint_is_configured(moto):
    bucket = fresh_bucket()
    store = open_object_store(
        load_settings(
            {
                "GASPOL_DATA_DIR": "/nonexistent",
                "S3_ENDPOINT": moto.endpoint,
                "S3_ACCESS_KEY": moto.access_key,
                "S3_SECRET_KEY": moto.secret_key,
                "S3_BUCKET": bucket,
                "S3_SECURE": "false",
            }
        )
    )

    assert isinstance(store, S3ObjectStore)
    assert store.bucket == bucket
    assert store.put("k", io.BytesIO(b"abc"), content_type="text/plain").sha256 == ABC_SHA256


def test_factory_refuses_an_s3_endpoint_without_credentials(tmp_path):
    with pytest.raises(ValueError, match="S3_BUCKET"):
        open_object_store(
            load_settings(
                {"GASPOL_DATA_DIR": str(tmp_path), "S3_ENDPOINT": "minio:9000", "S3_BUCKET": ""}
            )
        )
