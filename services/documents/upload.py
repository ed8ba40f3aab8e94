"""Reading one file out of a multipart request body as a stream, never holding it whole."""

from __future__ import annotations

from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

READ_SIZE = 64 * 1024
# Form fields other than the file are a few bytes (the requirement code); a large one is abuse.
MAX_FIELD_BYTES = 1024


class MalformedUpload(Exception):
    """The body is not the multipart form the endpoint expects."""


class MultipartFile:
    """Walks a multipart body: `fields()` reads the small fields up to the file part, then the
    object is a file-like `read(n)` over that part's bytes (for the object store to pull)."""

    def __init__(self, stream, boundary: bytes, on_chunk=None):
        self.stream = stream
        # The decoder's own buffer holds at most a read or two; fields are capped separately.
        self.decoder = MultipartDecoder(boundary, max_form_memory_size=4 * READ_SIZE)
        self.on_chunk = on_chunk
        self.filename: str | None = None
        self.pending = b""
        self.finished = False

    def fields(self) -> dict[str, str]:
        """The form fields before the file; stops at the file part's start."""
        values, current = {}, None
        for event in self._events():
            if isinstance(event, Field):
                current = event.name
                values[current] = b""
            elif isinstance(event, Data) and current is not None:
                values[current] += event.data
                if len(values[current]) > MAX_FIELD_BYTES:
                    raise MalformedUpload(f"the field {current} is too long")
                if not event.more_data:
                    current = None
            elif isinstance(event, File):
                self.filename = event.filename or ""
                return {name: value.decode("utf-8", "replace") for name, value in values.items()}
        raise MalformedUpload("the form has no file part")

    def read(self, size: int = READ_SIZE) -> bytes:
        """The file part's next bytes (b"" at its end), each chunk shown to `on_chunk` first."""
        while not self.pending and not self.finished:
            for event in self._events():
                if isinstance(event, Data):
                    self.pending += event.data
                    if not event.more_data:
                        self.finished = True
                    break
                if isinstance(event, Field | File | Epilogue):
                    self.finished = True
                    break
        chunk, self.pending = self.pending[:size], self.pending[size:]
        if chunk and self.on_chunk:
            self.on_chunk(chunk)
        return chunk

    def _events(self):
        ended = False
        while True:
            try:
                event = self.decoder.next_event()
            except ValueError as error:  # werkzeug's word for a body that is not multipart
                raise MalformedUpload(str(error)) from None
            if isinstance(event, NeedData):
                if ended:
                    raise MalformedUpload("the body ended in the middle of the form")
                data = self.stream.read(READ_SIZE)
                ended = not data
                self.decoder.receive_data(data or None)
                continue
            yield event
            if isinstance(event, Epilogue):
                return
