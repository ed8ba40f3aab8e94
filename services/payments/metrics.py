"""The payments service's business metrics: bank calls, amounts collected, signature failures."""

from prometheus_client import Counter

BANK_CALLS = Counter(
    "bank_calls_total", "SNAP calls from partner banks by service and status", ["service", "status"]
)
COLLECTED = Counter("payments_collected_rupiah_total", "Rupiah applied to invoices", ["bank"])
SIGNATURE_FAILURES = Counter(
    "bank_signature_failures_total",
    "Bank calls refused for a bad signature, timestamp or token",
    ["reason"],
)
