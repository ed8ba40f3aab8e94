"""Stand-ins for a service's outbox, audit log and clock, for use cases run without a broker."""

from __future__ import annotations

from chassis.events import new_event


class Events:
    """Records what the outbox would publish."""

    def __init__(self, producer: str = "applications"):
        self.producer = producer
        self.made = []

    def new(self, event_type, data):
        event = new_event(event_type, data, producer=self.producer)
        self.made.append(event)
        return event

    def types(self):
        return [event["event_type"] for event in self.made]


class Audit:
    """Records (action, subject) of each audit entry."""

    def __init__(self):
        self.records = []

    def record(self, action, subject=None, details=None):
        self.records.append((action, subject))


class Clock:
    """A `now` the test moves by hand."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now
