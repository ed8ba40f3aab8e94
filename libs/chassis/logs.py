"""JSON logging: each line carries the service, correlation id, acting user and event id."""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

from pythonjsonlogger.json import JsonFormatter

# The context of the work in hand. Greenlets (nameko workers) and threads (gateway requests)
# each see their own value, so concurrent calls never mix their ids in the logs.
_call_context: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "gaspol_call_context", default=MappingProxyType({})
)

CONTEXT_FIELDS = ("correlation_id", "user_id", "event_id")


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def current_context() -> Mapping[str, str]:
    return _call_context.get()


def bind(**fields: str | None) -> contextvars.Token:
    """Add ids to the current context until `unbind` is given the returned token."""
    return _call_context.set({**_call_context.get(), **{k: v for k, v in fields.items() if v}})


def unbind(token: contextvars.Token) -> None:
    _call_context.reset(token)


@contextmanager
def bound_context(**fields: str | None) -> Iterator[None]:
    """Bind ids to the work done inside the block (nested blocks add to the outer ones)."""
    token = bind(**fields)
    try:
        yield
    finally:
        unbind(token)


# A 16-digit run is most likely a NIK (national id, personal data under UU PDP): whatever code
# logged it by mistake, it leaves the process masked.
_NIK_LIKE = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


def redact(text: str) -> str:
    return _NIK_LIKE.sub(r"\1********\2", text)


class _ContextFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _NIK_LIKE.search(message):
            record.msg, record.args = redact(message), None
        record.service = self.service
        context = _call_context.get()
        for field in CONTEXT_FIELDS:
            setattr(record, field, context.get(field))
        return True


def configure_logging(service: str, level: str = "INFO", fmt: str = "json") -> None:
    """Route the root logger to stdout, one JSON object per line (or plain text for humans)."""
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(_ContextFilter(service))
    if fmt == "json":
        handler.setFormatter(
            JsonFormatter(
                "{asctime}{levelname}{name}{message}{service}{correlation_id}{user_id}{event_id}",
                style="{",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s %(service)s [%(correlation_id)s] %(message)s"
            )
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # kombu and amqp are chatty at INFO about every reconnect attempt
    logging.getLogger("kombu").setLevel(logging.WARNING)
    logging.getLogger("amqp").setLevel(logging.WARNING)
