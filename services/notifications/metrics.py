"""The notifications service's business metrics: messages by channel and outcome."""

from prometheus_client import Counter

DELIVERIES = Counter(
    "notifications_total",
    "Messages by channel and outcome (delivered, retried, failed)",
    ["channel", "outcome"],
)
