"""The audit log: append-only, hash-chained entries of who did what, checkable for tampering.

Each service keeps its own `audit_log` collection in its own database. Entry number `seq`
(1, 2, 3, … with no gaps) is stored with `_id = seq`, so two appenders racing for the same number
collide on the primary key, which MongoDB enforces atomically: the loser re-reads the tail and
tries the next number. Every entry carries `prev_hash`, the hash of the entry before it (64 zeros
for the first), and `hash`, the SHA-256 hex digest of the canonical JSON (sorted keys, no
whitespace, UTF-8, `ensure_ascii=False`) of all its other fields, `_id` and `prev_hash` included.
Changing, removing or reordering an entry therefore breaks the chain at that entry, and
`AuditLog.verify` names the first entry where it breaks.

What the chain cannot show on its own: removing entries from the end leaves a shorter log that is
still intact. Catch that by comparing `head()` (seq and hash of the last entry) with a copy kept
outside the database, e.g. published in the logs or metrics at intervals.

Personal data stays out: the log can never be edited, so nothing put in it can ever be erased.
Callers must not put a NIK, a password, a token or any other secret or personal data in
`details`; refer to records by their ids instead.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from nameko.extensions import DependencyProvider
from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from chassis.config import settings_from_nameko
from chassis.storage import open_database

GENESIS_HASH = "0" * 64
APPEND_ATTEMPTS = 50

# Why verification failed at `first_broken`:
HASH_MISMATCH = "hash_mismatch"  # the entry's content does not match its hash: it was modified
BROKEN_LINK = "broken_link"  # its prev_hash is not the previous entry's hash: reordered, re-linked
MISSING_ENTRY = "missing_entry"  # no entry has that number although later ones exist: deleted
UNEXPECTED_FIRST = "unexpected_first"  # entry 1 is missing or does not start from 64 zeros


class AuditContention(RuntimeError):
    """An append lost the race for the next number too many times in a row."""


@dataclass(frozen=True)
class AuditVerification:
    """The outcome of `AuditLog.verify`.

    `checked` counts the entries found intact before the first broken one (all of them when `ok`);
    `first_broken` is the seq where the chain breaks and `reason` says how (see the constants).
    """

    ok: bool
    checked: int
    first_broken: int | None = None
    reason: str | None = None


def canonical_json(fields: dict) -> str:
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def entry_hash(entry: dict) -> str:
    """SHA-256 hex digest of every field of the entry except `hash` itself."""
    body = {key: value for key, value in entry.items() if key != "hash"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def chained_entry(
    seq: int,
    prev_hash: str,
    *,
    at: str,
    actor: str | None,
    action: str,
    subject: str | None,
    details: dict | None,
    address: str | None,
) -> dict:
    """The stored form of entry `seq`, linked to the entry before it by `prev_hash`."""
    entry = {
        "_id": seq,
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": details,
        "address": address,
        "prev_hash": prev_hash,
    }
    entry["hash"] = entry_hash(entry)
    return entry


class AuditLog:
    """The audit collection of one service's database.

    Safe to share between the workers of a process: the only state kept is a hint of the last
    entry seen, and the primary key decides every race.
    """

    def __init__(self, database, collection: str = "audit_log"):
        self.collection = database[collection]
        # The admin and auditor views: one record's or one user's history, newest first.
        self.collection.create_index([("subject", ASCENDING), ("_id", DESCENDING)])
        self.collection.create_index([("actor", ASCENDING), ("_id", DESCENDING)])
        # (seq, hash) of the last entry this process wrote or read. Reading the tail is a sorted
        # query that the embedded engine answers by scanning the whole collection, so appends
        # start from the hint; a stale hint only costs a duplicate key and a re-read.
        self._tail: tuple[int, str] | None = None

    def append(
        self,
        *,
        action: str,
        actor: str | None,
        subject: str | None = None,
        details: dict | None = None,
        address: str | None = None,
        at: datetime | None = None,
    ) -> dict:
        """Add the next entry and return it (without `_id`). `details` must be plain JSON and
        free of personal data (see the module docstring); anything else raises before writing."""
        if not isinstance(action, str) or not action:
            raise ValueError("an audit entry needs an action")
        fields = {
            "at": _timestamp(at),
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": _plain_json(details),
            "address": address,
        }
        for attempt in range(APPEND_ATTEMPTS):
            seq, prev_hash = self._tail or self._read_tail()
            entry = chained_entry(seq + 1, prev_hash, **fields)
            try:
                self.collection.insert_one(entry)
            except DuplicateKeyError:
                # Another worker or replica took that number first.
                self._tail = None
                _back_off(attempt)
                continue
            self._tail = (entry["_id"], entry["hash"])
            return _public(entry)
        raise AuditContention(f"no free audit entry number after {APPEND_ATTEMPTS} attempts")

    def verify(self, batch_size: int = 50) -> AuditVerification:
        """Check the whole chain in seq order, reading `batch_size` entries at a time, and name
        the first entry where it breaks. A log cut short at its end still checks out: compare
        `head()` with an anchor kept elsewhere for that."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        prev_hash, seq = GENESIS_HASH, 0
        for seq, entry in self._in_order(batch_size):
            reason = _fault(entry, seq, prev_hash)
            if reason:
                return AuditVerification(ok=False, checked=seq - 1, first_broken=seq, reason=reason)
            prev_hash = entry["hash"]
        return AuditVerification(ok=True, checked=seq)

    def _in_order(self, batch_size: int) -> Iterator[tuple[int, dict | None]]:
        """(seq, entry) from 1 until the log ends, with None for an entry that is missing.

        Entries are fetched by `_id $in [the next numbers]`: MongoDB and the embedded engine both
        answer that from their `_id` index, whereas a range query makes the embedded engine
        decode the whole collection for every batch. The embedded engine's cost of `$in` also
        grows with the length of the list, hence the small default batch.
        """
        start = 1
        while True:
            seqs = range(start, start + batch_size)
            batch = self.collection.find({"_id": {"$in": list(seqs)}})
            found = {entry["_id"]: entry for entry in batch}
            for seq in seqs:
                entry = found.get(seq)
                if entry is None:
                    if self._ends_before(seq):
                        return
                    # Appended since the batch was read, or really missing.
                    entry = self.collection.find_one({"_id": seq})
                yield seq, entry
            start += batch_size
            # Let other greenlets (and the AMQP heartbeat) run between batches of a long check.
            time.sleep(0)

    def _ends_before(self, seq: int) -> bool:
        """No entry numbered `seq` or higher exists (entries 1 to seq - 1 were all found)."""
        # The count settles the usual case, an intact log, cheaply on both engines; the query
        # behind it makes the embedded engine scan the collection.
        if self.collection.count_documents({}) == seq - 1:
            return True
        return self.collection.find_one({"_id": {"$gte": seq}}, {"_id": 1}) is None

    def head(self) -> dict | None:
        """The last entry (its `seq` and `hash` are what to anchor outside), or None if empty."""
        last = self._last_entry()
        return _public(last) if last else None

    def entries(
        self,
        subject: str | None = None,
        actor: str | None = None,
        limit: int = 100,
        before_seq: int | None = None,
    ) -> list[dict]:
        """Entries newest first, optionally of one subject and/or one actor; page on with
        `before_seq` set to the last seq of the previous page."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        query: dict = {}
        if subject is not None:
            query["subject"] = subject
        if actor is not None:
            query["actor"] = actor
        if before_seq is not None:
            query["_id"] = {"$lt": before_seq}
        found = self.collection.find(query, sort=[("_id", DESCENDING)], limit=limit)
        return [_public(entry) for entry in found]

    def _last_entry(self) -> dict | None:
        # Numbers only: MongoDB sorts strings and other types after numbers, and a stray
        # document must not pass for the head.
        return self.collection.find_one({"_id": {"$gt": 0}}, sort=[("_id", DESCENDING)])

    def _read_tail(self) -> tuple[int, str]:
        last = self._last_entry()
        return (last["_id"], last["hash"]) if last else (0, GENESIS_HASH)


def _fault(entry: dict | None, seq: int, prev_hash: str) -> str | None:
    """Why entry `seq` breaks the chain, or None when it holds."""
    if entry is None:
        return UNEXPECTED_FIRST if seq == 1 else MISSING_ENTRY
    if entry.get("prev_hash") != prev_hash:
        return UNEXPECTED_FIRST if seq == 1 else BROKEN_LINK
    if not _hash_holds(entry):
        return HASH_MISMATCH
    return None


def _hash_holds(entry: dict) -> bool:
    try:
        return entry.get("hash") == entry_hash(entry)
    except (TypeError, ValueError):  # a field edited into something JSON cannot express
        return False


def _plain_json(details: dict | None) -> dict | None:
    """`details` as JSON gives it back (tuples become lists, keys strings), so that the stored
    copy hashes the same after a round trip through the database."""
    if details is None:
        return None
    if not isinstance(details, dict):
        raise TypeError(f"audit details must be a dict, not {type(details).__name__}")
    try:
        return json.loads(json.dumps(details, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as error:  # ValueError: NaN, infinity, circular references
        raise TypeError(f"audit details must be plain JSON: {error}") from error


def _timestamp(at: datetime | None) -> str:
    if at is None:
        return datetime.now(UTC).isoformat()
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(UTC).isoformat()


def _back_off(attempt: int) -> None:
    # A random pause breaks the lockstep of appenders that keep colliding on the same number.
    time.sleep(random.uniform(0, 0.001 * (attempt + 1)))


def _public(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if key != "_id"}


class WorkerAudit:
    """What a worker sees: `record` fills the actor and address from the caller's context."""

    def __init__(self, log: AuditLog, context_data: dict):
        self.log = log
        self.context_data = context_data

    def record(self, action: str, subject: str | None = None, details: dict | None = None) -> dict:
        return self.log.append(
            action=action,
            actor=self.context_data.get("user_id"),
            subject=subject,
            details=details,
            address=self.context_data.get("client_ip"),
        )

    def verify(self) -> AuditVerification:
        return self.log.verify()


class Audit(DependencyProvider):
    """Injects a `WorkerAudit` over the service's own audit log into each worker."""

    def setup(self):
        settings = settings_from_nameko(self.container.config)
        self.log = AuditLog(open_database(settings, self.container.service_name))

    def get_dependency(self, worker_ctx):
        return WorkerAudit(self.log, worker_ctx.context_data)

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        """Every refused access (a role missing, someone else's record) is an audited attempt."""
        error = exc_info[1] if exc_info else None
        if not getattr(error, "denied", False):
            return
        WorkerAudit(self.log, worker_ctx.context_data).record(
            "access_denied",
            subject=error.denied_subject,
            details={
                "method": f"{worker_ctx.service_name}.{worker_ctx.entrypoint.method_name}",
                "error": type(error).__name__,
            },
        )
