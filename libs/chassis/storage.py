"""Storage provider: each service gets its own pymongo Database, MongoDB or the embedded engine."""

from __future__ import annotations

import threading
from pathlib import Path

from nameko.extensions import DependencyProvider
from pymongo import ReturnDocument
from pymongo.collection import Collection

from chassis.config import Settings, settings_from_nameko

_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


def _client_for(mongo_uri: str | None, data_dir: Path):
    """One client per backend per process: pymongo clients pool connections and are thread-safe."""
    key = mongo_uri or f"embedded:{data_dir}"
    with _clients_lock:
        if key not in _clients:
            _clients[key] = _new_client(mongo_uri, data_dir)
        return _clients[key]


def _new_client(mongo_uri: str | None, data_dir: Path):
    if mongo_uri:
        if not mongo_uri.startswith("mongodb://"):
            # pymongo's +srv resolution goes through dnspython, which eventlet's green DNS breaks.
            raise ValueError("MONGO_URI must be a mongodb:// URI (mongodb+srv:// is not supported)")
        import pymongo

        return pymongo.MongoClient(mongo_uri, tz_aware=True, connect=False)
    import litemongo
    from litemongo.client import create_store

    # litemongo keeps each collection in an SQLite file under the data dir: persistent across
    # restarts, and safe for several processes (it reloads when another connection writes).
    # It checks, then creates its directory, which races when services start together on a
    # fresh data dir; creating it here first (exist_ok) removes the race.
    (data_dir / "db").mkdir(parents=True, exist_ok=True)
    return litemongo.MongoClient(create_store(str(data_dir / "db")), tz_aware=True)


def open_database(settings: Settings, name: str):
    """The pymongo-compatible Database called `name` on the configured backend."""
    return _client_for(settings["MONGO_URI"], settings.data_dir)[name]


def close_all() -> None:
    """Close every client of this process (tests and orderly shutdown)."""
    with _clients_lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


def ping(database) -> None:
    """Raise if the database cannot be reached; cheap enough for a readiness probe."""
    database.command("ping")


class Database(DependencyProvider):
    """Injects the service's own Database (named after the service) into each worker."""

    def setup(self):
        settings = settings_from_nameko(self.container.config)
        self.database = open_database(settings, self.container.service_name)

    def get_dependency(self, worker_ctx):
        return self.database


def next_in_series(database, series: str) -> int:
    """The next number of a named series (receipts, permits, invoices) in the service's own
    `counters` collection; MongoDB's atomic $inc gives every caller a number of its own."""
    record = database["counters"].find_one_and_update(
        {"_id": series}, {"$inc": {"seq": 1}}, upsert=True, return_document=ReturnDocument.AFTER
    )
    return record["seq"]


def find_page(collection, query: dict, sort: list[tuple[str, int]], skip: int, limit: int):
    """One sorted page of a query's matches, and how many match in all.

    MongoDB serves the page from an index (declare one on the query's and the sort's fields).
    The embedded engine has no ordered index and copies every match in full before it skips,
    which made a 1,000-file queue take 0.2 s and grew with the queue; there the matches are
    ranked on their sort fields alone, and only the page's documents are read whole.
    """
    if isinstance(collection, Collection):
        page = collection.find(query).sort(sort).skip(skip).limit(limit)
        return list(page), collection.count_documents(query)
    ranked = list(collection.find(query, {field: 1 for field, _ in sort}).sort(sort))
    ids = [document["_id"] for document in ranked[skip : skip + limit]]
    # Still matching: a document may have moved on between the ranking and this read.
    found = {
        document["_id"]: document
        for document in collection.find({"$and": [query, {"_id": {"$in": ids}}]})
    }
    return [found[i] for i in ids if i in found], len(ranked)
