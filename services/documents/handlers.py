"""The documents use cases: streaming uploads, versions, review, downloads, certificates."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from chassis.auth import Caller
from chassis.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from chassis.objectstore import ObjectNotFound, ObjectStore
from services.documents import certificate, domain
from services.documents.metrics import BYTES_STORED, UPLOAD_REFUSALS, UPLOADS
from services.documents.store import DocumentStore, VersionTaken
from services.documents.upload import MalformedUpload, MultipartFile

OFFICERS = ("frontdesk", "surveyor", "technical", "head", "treasurer", "admin", "auditor")
MB = 1024 * 1024
# Archived records keep their files this long (the office's retention rule for permit files).
RETENTION = timedelta(days=365 * 10)


@dataclass(frozen=True)
class Office:
    """What certificates print and sign with."""

    key: object
    public_base_url: str
    regency_name: str
    office_name: str
    signer_title: str
    signer_name: str
    # Keys rotated out, by key id: what they signed still verifies.
    earlier_keys: dict = field(default_factory=dict)


class DocumentUseCases:
    def __init__(
        self,
        store: DocumentStore,
        objects: ObjectStore,
        *,
        events,
        audit,
        caller: Caller,
        applications=None,
        office: Office | None = None,
        now=lambda: datetime.now(UTC),
    ):
        self.store = store
        self.objects = objects
        self.events = events
        self.audit = audit
        self.caller = caller
        self.applications = applications
        self.office = office
        self.now = now

    # --- uploads

    def upload(self, *, application_id: str, body, boundary: bytes) -> dict:
        """Stream one requirement's file from a multipart body into the object store.

        The bytes go from the request straight to storage through the inspector, which refuses
        the file as soon as it can (size, type, executable); the end-of-file checks (truncated,
        polyglot, active content) run after, and a refused file's object is deleted at once.
        """
        try:
            return self._upload(application_id, body, boundary)
        except domain.UploadRefused as refused:
            UPLOAD_REFUSALS.labels(refused.code).inc()
            UPLOADS.labels("refused").inc()
            raise ValidationFailed(
                refused.message,
                code=f"upload_{refused.code}",
                errors=[{"field": "file", "code": refused.code, "message": refused.message}],
            ) from None
        except MalformedUpload as malformed:
            UPLOADS.labels("malformed").inc()
            raise ValidationFailed(str(malformed), code="upload_malformed") from None

    def _upload(self, application_id, body, boundary) -> dict:
        caller = self.caller.require_role("applicant")
        multipart = MultipartFile(body, boundary)
        requirement = multipart.fields().get("requirement", "").strip()
        rules = self.applications.call(
            "upload_rules", application_id=application_id, requirement=requirement
        )
        inspector = domain.UploadInspector(
            frozenset(rules["file_types"]), rules["max_size_mb"] * MB
        )
        multipart.on_chunk = inspector.feed
        document_id = uuid.uuid4().hex
        key = domain.storage_key(application_id, document_id)
        stored = self.objects.put(key, multipart, content_type="application/octet-stream")
        try:
            inspection = inspector.finish()
        except domain.UploadRefused:
            self.objects.delete(key)
            raise
        if inspection.sha256 != stored.sha256:  # the store and the inspector read other bytes
            self.objects.delete(key)
            raise ServiceUnavailable("the upload was damaged on its way; send it again")
        document = self._record(
            application_id, requirement, document_id, key, inspection, multipart.filename, caller
        )
        UPLOADS.labels("stored").inc()
        BYTES_STORED.inc(inspection.size)
        return _public(document)

    def _record(
        self, application_id, requirement, document_id, key, inspection, filename, caller
    ) -> dict:
        for _ in range(5):
            version = self.store.latest_version(application_id, requirement) + 1
            document = {
                "_id": document_id,
                "application_id": application_id,
                "requirement": requirement,
                "version": version,
                "owner_id": caller.user_id,
                "filename": domain.sanitize_filename(filename or "", inspection.kind),
                "content_type": inspection.content_type,
                "size": inspection.size,
                "sha256": inspection.sha256,
                "storage_key": key,
                "status": "uploaded",
                "reason": None,
                "uploaded_at": self.now(),
                "uploaded_by": caller.user_id,
            }
            event = self.events.new(
                "document_uploaded",
                {
                    "application_id": application_id,
                    "requirement": requirement,
                    "document_id": document_id,
                    "version": version,
                    "filename": document["filename"],
                    "content_type": inspection.content_type,
                    "size": inspection.size,
                    "sha256": inspection.sha256,
                    "uploaded_by": caller.user_id,
                },
            )
            try:
                self.store.insert(document, [event])
                return document
            except VersionTaken:
                continue
        self.objects.delete(key)
        raise Conflict(
            "another upload for this requirement is in progress; try again",
            code="concurrent_upload",
        )

    # --- review and listing

    def review(self, *, document_id: str, decision: str, note: str | None) -> dict:
        officer = self.caller.require_role("frontdesk")
        if decision not in ("accept", "reject"):
            raise ValidationFailed(
                "decision must be accept or reject",
                errors=[
                    {"field": "decision", "code": "decision_invalid", "message": str(decision)}
                ],
            )
        note = (note or "").strip() or None
        if decision == "reject" and not note:
            raise ValidationFailed(
                "say why the document is rejected",
                errors=[{"field": "note", "code": "reason_required", "message": "required"}],
            )
        document = self._document(document_id)
        verdict = "accepted" if decision == "accept" else "rejected"
        event = self.events.new(
            "document_reviewed",
            {
                "application_id": document["application_id"],
                "requirement": document["requirement"],
                "document_id": document_id,
                "version": document["version"],
                "decision": verdict,
                "reason": note,
                "reviewer_id": officer.user_id,
            },
        )
        reviewed = self.store.review(
            document_id,
            {
                "status": verdict,
                "reason": note,
                "reviewed_by": officer.user_id,
                "reviewed_at": self.now(),
            },
            [event],
        )
        if reviewed is None:
            raise Conflict("this version was already reviewed", code="already_reviewed")
        self.audit.record(
            f"document_{verdict}",
            subject=document["application_id"],
            details={"document_id": document_id, "version": document["version"]},
        )
        return _public(reviewed)

    def list(self, *, application_id: str) -> list[dict]:
        documents = self._visible_file_documents(application_id)
        return [_public(d) for d in documents if d["requirement"] != "certificate"]

    def _visible_file_documents(self, application_id: str) -> list[dict]:
        """The file's documents, if the caller owns the file or is an officer; someone else's
        file is a refused (audited) attempt. All of a file's documents carry its owner."""
        documents = self.store.of_application(application_id)
        if documents:
            self.caller.visible(documents[0], *OFFICERS, what="application")
        else:
            self.caller.require_signed_in()
        return documents

    # --- downloads

    def open(self, *, document_id: str):
        """(record, chunks) of a document its owner or an officer may read."""
        document = self._document(document_id)
        return document, self._chunks(document)

    def open_certificate(self, *, application_id: str):
        # The file first: asking for someone else's certificate before it is issued is refused
        # (and audited) as well, not just "not ready yet".
        self._visible_file_documents(application_id)
        document = self.caller.visible(
            self.store.certificate_of(application_id),
            *OFFICERS,
            what="certificate (or it is not ready yet)",
        )
        return document, self._chunks(document)

    def _chunks(self, document: dict):
        try:
            return self.objects.iter_chunks(document["storage_key"])
        except ObjectNotFound:
            raise NotFound("the file is missing from storage", code="file_missing") from None

    # --- certificates

    def issue_certificate(self, *, event: dict) -> dict | None:
        """Render, sign and store the permit's certificate (once per application)."""
        data = event["data"]
        if self.store.certificate_of(data["application_id"]) is not None:
            return None
        permit = data["permit"]
        pdf = certificate.render_off_hub(self._certificate_data(data, permit))
        signature = certificate.sign_document(pdf, self.office.key)
        document_id = uuid.uuid4().hex
        key = domain.storage_key(data["application_id"], document_id)
        self.objects.put(key, _Bytes(pdf), content_type="application/pdf", length=len(pdf))
        record = {
            "_id": document_id,
            "application_id": data["application_id"],
            "requirement": "certificate",
            "version": 1,
            "owner_id": data["owner_id"],
            "filename": f"izin-{permit['number'].replace('/', '-')}.pdf",
            "content_type": "application/pdf",
            "size": len(pdf),
            "sha256": hashlib.sha256(pdf).hexdigest(),
            "storage_key": key,
            "status": "issued",
            "signature": signature.to_dict(),
            "verification_code": permit["verification_code"],
            "uploaded_at": self.now(),
        }
        issued = self.events.new(
            "certificate_issued",
            {
                "application_id": data["application_id"],
                "document_id": document_id,
                "permit_number": permit["number"],
                "sha256": record["sha256"],
                "signature": signature.to_dict(),
            },
        )
        try:
            self.store.insert(record, [issued])
        except VersionTaken:  # a redelivered event raced the first: one certificate only
            self.objects.delete(key)
            return None
        return record

    def check_certificate(self, *, application_id: str) -> dict:
        """Is the stored certificate the one the office signed? Reads the bytes back to see."""
        record = self.store.certificate_of(application_id)
        if record is None:
            return {"present": False, "genuine": False, "reason": "not_issued"}
        pdf = b"".join(self.objects.iter_chunks(record["storage_key"]))
        verification = certificate.verify_document(
            pdf,
            certificate.Signature.from_dict(record["signature"]),
            {**self.office.earlier_keys, self.office.key.key_id: self.office.key.public_pem()},
        )
        return {
            "present": True,
            "genuine": verification.genuine,
            "reason": verification.reason,
            "sha256": record["sha256"],
            "key_id": record["signature"]["key_id"],
            "document_id": record["_id"],
        }

    def _certificate_data(self, data: dict, permit: dict):
        return certificate.CertificateData(
            permit_number=permit["number"],
            permit_name=data["permit_name"],
            holder_name=permit["holder_name"] or "-",
            valid_from=date.fromisoformat(permit["valid_from"]),
            valid_until=date.fromisoformat(permit["valid_until"])
            if permit.get("valid_until")
            else None,
            conditions=list(permit.get("conditions") or []),
            office_name=self.office.office_name,
            regency_name=self.office.regency_name,
            signer_title=self.office.signer_title,
            signer_name=self.office.signer_name,
            issued_on=date.fromisoformat(permit["valid_from"]),
            verification_url=f"{self.office.public_base_url.rstrip('/')}/verify/"
            f"{permit['verification_code']}",
            verification_code=permit["verification_code"],
            receipt_number=data["receipt_number"],
        )

    # --- archive

    def archive(self, *, application_id: str) -> int:
        """Move a finished file's documents under the archive prefix, marked with retention."""
        retain_until = (self.now() + RETENTION).date().isoformat()
        moved = 0
        for document in self.store.of_application(application_id):
            if document.get("archived"):
                continue
            target = domain.storage_key(application_id, document["_id"], archived=True)
            self.objects.copy(
                document["storage_key"],
                target,
                metadata={"retain-until": retain_until, "immutable": "true"},
            )
            self.store.mark_archived(document["_id"], target, retain_until)
            self.objects.delete(document["storage_key"])
            moved += 1
        return moved

    def _document(self, document_id: str) -> dict:
        return self.caller.visible(self.store.get(str(document_id)), *OFFICERS, what="document")


class _Bytes:
    """A file-like over bytes already in memory (a rendered certificate is small)."""

    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


def _public(document: dict) -> dict:
    return {
        "id": document["_id"],
        "application_id": document["application_id"],
        "requirement": document["requirement"],
        "version": document["version"],
        "filename": document["filename"],
        "content_type": document["content_type"],
        "size": document["size"],
        "sha256": document["sha256"],
        "status": document["status"],
        "reason": document.get("reason"),
        "uploaded_at": document["uploaded_at"].isoformat() if document.get("uploaded_at") else None,
        "reviewed_by": document.get("reviewed_by"),
    }
