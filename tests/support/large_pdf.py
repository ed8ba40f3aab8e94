"""A large PDF-shaped upload body, made as it is sent, for streaming and memory tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

MB = 1024 * 1024


def pdf_chunks(size: int, digest, chunk: int = MB) -> Iterator[bytes]:
    """`size` bytes of harmless PDF (no '/' at all, so no PDF keywords), hashed into `digest`."""
    head, tail = b"%PDF-1.7\n", b"\n%%EOF\n"
    filler = os.urandom(chunk).translate(bytes(b if b != 0x2F else 0x30 for b in range(256)))
    digest.update(head)
    yield head
    produced = len(head)
    while produced < size - len(tail):
        piece = filler[: min(chunk, size - len(tail) - produced)]
        digest.update(piece)
        produced += len(piece)
        yield piece
    digest.update(tail)
    yield tail
