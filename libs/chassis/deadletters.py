"""Dead letters: messages parked after their last retry, kept with the error, replayable."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from nameko.amqp.publish import Publisher

from chassis.metrics import DEAD_LETTERS


class DeadLetterStore:
    """The `dead_letters` collection in the service's own database."""

    def __init__(self, database, service: str):
        self.collection = database["dead_letters"]
        self.service = service
        self.collection.create_index("parked_at")
        self.refresh_gauge()

    def park(self, *, queue, event_type, envelope, headers, error, attempts) -> str:
        letter_id = uuid.uuid4().hex
        self.collection.insert_one(
            {
                "_id": letter_id,
                "queue": queue,
                "event_type": event_type,
                "envelope": envelope,
                "headers": headers,
                "error": error,
                "attempts": attempts,
                "parked_at": datetime.now(UTC),
            }
        )
        self.refresh_gauge()
        return letter_id

    def list(self, limit: int = 100) -> list[dict]:
        letters = self.collection.find({}).sort("parked_at", 1).limit(limit)
        return [_public(letter) for letter in letters]

    def replay(self, amqp_uri: str, ids: list[str] | None = None) -> int:
        """Send parked messages back to their handler's queue (fresh retries), then forget them."""
        query = {"_id": {"$in": list(ids)}} if ids else {}
        publisher = Publisher(amqp_uri, use_confirms=True, serializer="json")
        replayed = 0
        for letter in list(self.collection.find(query)):
            publisher.publish(
                letter["envelope"],
                exchange="",
                routing_key=letter["queue"],
                headers=letter.get("headers") or {},
            )
            # Deleted only after the broker confirmed: a crash here replays twice, never zero
            # times, and the handler's event-id check absorbs the second one.
            self.collection.delete_one({"_id": letter["_id"]})
            replayed += 1
        self.refresh_gauge()
        return replayed

    def refresh_gauge(self) -> None:
        DEAD_LETTERS.labels(self.service).set(self.collection.count_documents({}))


def _public(letter: dict) -> dict:
    return {
        "id": letter["_id"],
        "queue": letter["queue"],
        "event_type": letter["event_type"],
        "event_id": (letter.get("envelope") or {}).get("event_id"),
        "error": letter["error"],
        "attempts": letter["attempts"],
        "parked_at": letter["parked_at"].isoformat(),
    }


def main(argv: list[str] | None = None) -> int:
    """`python -m chassis.deadletters list|replay SERVICE [--id ID ...]` (asks the service by RPC,
    since only the service may touch its own database)."""
    import argparse
    import json

    from nameko.standalone.rpc import ClusterRpcProxy

    from chassis.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m chassis.deadletters", description=main.__doc__)
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("service")
    parser.add_argument("--id", dest="ids", action="append", help="only these (repeatable)")
    args = parser.parse_args(argv)
    settings = load_settings()
    with ClusterRpcProxy(
        {"AMQP_URI": settings["AMQP_URI"]}, timeout=settings["RPC_TIMEOUT"] * 6
    ) as cluster:
        service = getattr(cluster, args.service)
        if args.command == "list":
            print(json.dumps(service.list_dead_letters(), indent=2, ensure_ascii=False))
        else:
            print(f"replayed {service.replay_dead_letters(args.ids)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
