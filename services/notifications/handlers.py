"""The notifications use cases: who hears of an event, on which channels, and delivery with
retries; the inbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chassis.auth import Caller
from chassis.errors import NotFound
from services.notifications import messages
from services.notifications.channels import PermanentFailure, TemporaryFailure
from services.notifications.metrics import DELIVERIES
from services.notifications.store import NotificationStore

log = logging.getLogger(__name__)

# A sender that died mid-send gives its message back after this long.
SEND_LEASE = timedelta(minutes=2)
EXTERNAL_CHANNELS = ("email", "sms", "whatsapp")
# Which contact a channel needs verified before anything but a verification code goes there.
CONTACT_OF = {"email": "email", "sms": "phone", "whatsapp": "phone"}


@dataclass(frozen=True)
class Delivery:
    """How the office sends: its channels, the public address links point to, retries."""

    channels: dict
    public_base_url: str
    retry_delays: tuple[float, ...]


class NotificationUseCases:
    def __init__(
        self,
        store: NotificationStore,
        delivery: Delivery,
        *,
        caller: Caller,
        now=lambda: datetime.now(UTC),
    ):
        self.store = store
        self.delivery = delivery
        self.caller = caller
        self.now = now

    # --- what identity tells about people

    def remember_user(self, data: dict) -> None:
        self.store.upsert_recipient(
            data["user_id"],
            {
                "name": data["name"],
                "email": data["email"],
                "phone": data.get("phone"),
                "roles": data["roles"],
                "language": data.get("language", "id"),
            },
        )

    def contact_verified(self, data: dict) -> None:
        self.store.upsert_recipient(data["user_id"], {f"verified.{data['channel']}": True})

    def user_updated(self, data: dict) -> None:
        changes = {key: data[key] for key in ("roles", "disabled") if key in data}
        if changes:
            self.store.upsert_recipient(data["user_id"], changes)

    def preferences_changed(self, data: dict) -> None:
        self.store.upsert_recipient(
            data["user_id"], {"language": data["language"], "channels": data["channels"]}
        )

    # --- events to messages

    def verification_code(self, event: dict) -> int:
        """The code goes only to the address it proves, on that channel, never to an inbox."""
        data = event["data"]
        channel = "email" if data["channel"] == "email" else "sms"
        return self._queue(
            event,
            user_id=data["user_id"],
            to=data["destination"],
            channel=channel,
            language=data.get("language", "id"),
            audience="applicant",
        )

    def password_reset(self, event: dict) -> int:
        data = event["data"]
        return self._queue(
            event,
            user_id=data["user_id"],
            to=data["email"],
            channel="email",
            language=data.get("language", "id"),
            audience="applicant",
        )

    def tell_applicant(self, event: dict) -> int:
        """The file's owner: the inbox always, and the channels they chose and verified."""
        recipient = self.store.recipient(event["data"]["owner_id"])
        if recipient is None:
            log.warning("no contact data for %s; inbox only", event["data"]["owner_id"])
            recipient = {"_id": event["data"]["owner_id"], "language": "id"}
        return self._to_person(event, recipient, audience="applicant")

    def tell_queue(self, event: dict) -> int:
        """Everyone holding the role whose queue the file is in now."""
        role = event["data"].get("queue_role")
        if not role:
            return 0
        return sum(
            self._to_person(event, officer, audience="officer")
            for officer in self.store.holders_of(role)
        )

    def _to_person(self, event: dict, recipient: dict, audience: str) -> int:
        language = recipient.get("language", "id")
        queued = self._queue(
            event,
            user_id=recipient["_id"],
            to=None,
            channel="inbox",
            language=language,
            audience=audience,
        )
        for channel in EXTERNAL_CHANNELS:
            address = _address(recipient, channel)
            if address:
                queued += self._queue(
                    event,
                    user_id=recipient["_id"],
                    to=address,
                    channel=channel,
                    language=language,
                    audience=audience,
                )
        return queued

    def _queue(self, event, *, user_id, to, channel, language, audience) -> int:
        template_channel = "sms" if channel == "whatsapp" else channel
        message = messages.render(
            event["event_type"],
            event["data"],
            audience=audience,
            channel=template_channel,
            language=language,
            public_base_url=self.delivery.public_base_url,
        )
        if message is None:
            return 0
        now = self.now()
        inbox = channel == "inbox"
        added = self.store.add(
            {
                # One message per (event, recipient, channel): a redelivered event adds nothing.
                "_id": f"{event['event_id']}:{user_id}:{channel}",
                "event_id": event["event_id"],
                "event_type": event["event_type"],
                "user_id": user_id,
                "channel": channel,
                "to": to,
                "subject": message.subject,
                "body": message.body,
                "link": message.link,
                "language": language,
                "status": "delivered" if inbox else "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "read_at": None,
            }
        )
        if added and inbox:
            DELIVERIES.labels("inbox", "delivered").inc()
        return int(added)

    # --- delivery

    def deliver_due(self) -> int:
        """Send what is due; a provider failure waits longer each time, then fails for good."""
        sent = 0
        for message in self.store.due(self.now()):
            if self.store.claim(message, self.now() + SEND_LEASE):
                sent += self._attempt(message)
        return sent

    def _attempt(self, message: dict) -> int:
        channel = self.delivery.channels[message["channel"]]
        attempts = message["attempts"] + 1
        try:
            channel.send(
                message["to"], message["subject"], message["body"], message_id=message["_id"]
            )
        except TemporaryFailure as failure:
            if attempts > len(self.delivery.retry_delays):
                return self._fail(message, attempts, failure.reason)
            delay = self.delivery.retry_delays[attempts - 1]
            DELIVERIES.labels(message["channel"], "retried").inc()
            self.store.settle(
                message["_id"],
                {
                    "status": "pending",
                    "attempts": attempts,
                    "last_error": failure.reason,
                    "next_attempt_at": self.now() + timedelta(seconds=delay),
                },
            )
            return 0
        except PermanentFailure as failure:
            return self._fail(message, attempts, failure.reason)
        DELIVERIES.labels(message["channel"], "delivered").inc()
        self.store.settle(
            message["_id"],
            {"status": "delivered", "attempts": attempts, "delivered_at": self.now()},
        )
        return 1

    def _fail(self, message: dict, attempts: int, reason: str) -> int:
        log.warning(
            "giving up on a %s message after %s attempts: %s", message["channel"], attempts, reason
        )
        DELIVERIES.labels(message["channel"], "failed").inc()
        self.store.settle(
            message["_id"], {"status": "failed", "attempts": attempts, "last_error": reason}
        )
        return 0

    # --- the inbox and the delivery log

    def inbox(self, *, page=1, per_page=20, unread_only=False) -> dict:
        caller = self.caller.require_signed_in()
        page, per_page = max(1, int(page)), min(100, max(1, int(per_page)))
        items, total, unread = self.store.inbox(
            caller.user_id, bool(unread_only), (page - 1) * per_page, per_page
        )
        return {
            "items": [_inbox_item(m) for m in items],
            "page": page,
            "per_page": per_page,
            "total": total,
            "unread": unread,
        }

    def mark_read(self, *, message_id: str) -> dict:
        caller = self.caller.require_signed_in()
        message = self.store.mark_read(str(message_id), caller.user_id, self.now())
        if message is None:
            # Someone else's message is a refused (audited) attempt; both answer "not found".
            caller.visible(self.store.message(str(message_id)), what="message", owner_key="user_id")
            raise NotFound("no such message")
        return _inbox_item(message)

    def deliveries(self, *, status=None, page=1, per_page=50) -> dict:
        self.caller.require_role("admin", "auditor")
        page, per_page = max(1, int(page)), min(200, max(1, int(per_page)))
        items, total = self.store.deliveries(status, (page - 1) * per_page, per_page)
        return {
            "items": [_delivery(m) for m in items],
            "page": page,
            "per_page": per_page,
            "total": total,
        }


def _address(recipient: dict, channel: str) -> str | None:
    """Where a channel reaches this person, if they chose it and verified the contact."""
    wanted = (recipient.get("channels") or {"email": True}).get(channel, False)
    contact = CONTACT_OF[channel]
    verified = (recipient.get("verified") or {}).get(contact, False)
    return recipient.get(contact) if wanted and verified else None


def _iso(moment) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _inbox_item(message: dict) -> dict:
    return {
        "id": message["_id"],
        "event_type": message["event_type"],
        "title": message["subject"],
        "body": message["body"],
        "link": message["link"],
        "created_at": _iso(message["created_at"]),
        "read_at": _iso(message.get("read_at")),
    }


def _delivery(message: dict) -> dict:
    return {
        "id": message["_id"],
        "event_type": message["event_type"],
        "channel": message["channel"],
        "user_id": message["user_id"],
        "status": message["status"],
        "attempts": message["attempts"],
        "last_error": message.get("last_error"),
        "created_at": _iso(message["created_at"]),
    }
