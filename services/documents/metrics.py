"""The documents service's business metrics: uploads by outcome, refusals by reason, bytes."""

from prometheus_client import Counter

UPLOADS = Counter(
    "document_uploads_total", "Uploads by outcome (stored, refused, malformed)", ["outcome"]
)
UPLOAD_REFUSALS = Counter("document_upload_refusals_total", "Refused uploads by reason", ["reason"])
BYTES_STORED = Counter("document_bytes_stored_total", "Bytes of documents stored")
