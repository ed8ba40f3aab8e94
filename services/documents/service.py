"""The documents service's nameko entrypoints: internal HTTP for bytes, RPC, event handlers."""

from __future__ import annotations

import json
from pathlib import Path

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from werkzeug.http import parse_options_header
from werkzeug.wrappers import Response

from chassis.config import settings_from_nameko
from chassis.errors import EXPECTED, ValidationFailed
from chassis.http import internal_http
from chassis.messaging import event_handler
from chassis.metrics import record_signing_key
from chassis.objectstore import ObjectStorage
from chassis.outbox import Outbox
from chassis.rpc import ServiceRpc
from chassis.service import ServiceBase, on_start
from services.documents import certificate, domain
from services.documents.certificate import OfficeKey
from services.documents.handlers import DocumentUseCases, Office
from services.documents.store import DocumentStore


class CertificateOffice(DependencyProvider):
    """The office's signing key and what its certificates print, loaded once at start."""

    def setup(self):
        settings = settings_from_nameko(self.container.config)
        configured = settings["CERTIFICATE_KEY_FILE"]
        if configured:
            path = Path(configured)
            key = OfficeKey.from_pem(path.read_bytes())
        elif settings["GASPOL_ENV"] == "development":
            path = settings.data_dir / "keys" / "certificate-signing.pem"
            key = OfficeKey.load_or_create(path)
        else:
            raise RuntimeError("CERTIFICATE_KEY_FILE is required in production")
        record_signing_key("certificate", path)
        self.office = Office(
            key=key,
            public_base_url=settings["PUBLIC_BASE_URL"],
            regency_name=settings["REGENCY_NAME"],
            office_name=settings["OFFICE_NAME"],
            signer_title=settings["SIGNER_TITLE"],
            signer_name=settings["SIGNER_NAME"],
            earlier_keys=certificate.public_keys_of(
                [Path(name).read_bytes() for name in _file_list(settings)]
            ),
        )

    def get_dependency(self, worker_ctx):
        return self.office


class DocumentsService(ServiceBase):
    """See the package docstring and README.md for what this service owns."""

    name = "documents"
    http_port_setting = "DOCUMENTS_PORT"

    outbox = Outbox(collections=["documents"])
    objects = ObjectStorage()
    office = CertificateOffice()
    applications = ServiceRpc("applications")

    # --- bytes, over internal HTTP (never over RabbitMQ)

    @internal_http("POST", "/internal/applications/<application_id>/documents")
    def upload(self, request, application_id):
        boundary = _boundary(request.headers.get("Content-Type", ""))
        # eventlet's own input decodes a chunked body; werkzeug's stream would read nothing of
        # one, since eventlet does not mark its input as terminated.
        document = self._use_cases().upload(
            application_id=application_id, body=request.environ["wsgi.input"], boundary=boundary
        )
        return 201, {"Content-Type": "application/json"}, json.dumps(document)

    @internal_http("GET", "/internal/documents/<document_id>/content")
    def download(self, request, document_id):
        return _file_response(*self._use_cases().open(document_id=document_id))

    @internal_http("GET", "/internal/applications/<application_id>/certificate")
    def certificate(self, request, application_id):
        return _file_response(*self._use_cases().open_certificate(application_id=application_id))

    # --- RPC

    @rpc(expected_exceptions=EXPECTED)
    def review_document(self, document_id, decision, note=None):
        return self._use_cases().review(document_id=document_id, decision=decision, note=note)

    @rpc(expected_exceptions=EXPECTED)
    def list_documents(self, application_id):
        return self._use_cases().list(application_id=application_id)

    @rpc(expected_exceptions=EXPECTED)
    def certificate_status(self, application_id):
        return self._use_cases().check_certificate(application_id=application_id)

    # --- what other services tell

    @event_handler("applications", "permit_issued")
    def on_permit_issued(self, event):
        self._use_cases().issue_certificate(event=event)

    @event_handler("applications", "application_archived")
    def on_application_archived(self, event):
        self._use_cases().archive(application_id=event["data"]["application_id"])

    @on_start
    def prepare(self):
        DocumentStore(self.db).create_indexes()

    def _use_cases(self) -> DocumentUseCases:
        return DocumentUseCases(
            DocumentStore(self.db),
            self.objects,
            events=self.outbox,
            audit=self.audit,
            caller=self.caller,
            applications=self.applications,
            office=self.office,
        )


def _boundary(content_type: str) -> bytes:
    kind, options = parse_options_header(content_type)
    if kind != "multipart/form-data" or not options.get("boundary"):
        raise ValidationFailed("send the file as multipart/form-data", code="upload_malformed")
    return options["boundary"].encode()


def _file_response(document: dict, chunks) -> Response:
    """Stream the stored bytes as an attachment, with the type decided at upload."""
    return Response(
        chunks,
        headers={
            "Content-Type": document["content_type"],
            "Content-Length": str(document["size"]),
            "Content-Disposition": domain.content_disposition(document["filename"]),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def _file_list(settings) -> list[str]:
    """The earlier certificate keys' files, rotated out but still trusted for what they signed."""
    names = settings["CERTIFICATE_PREVIOUS_KEY_FILES"].split(",")
    return [name.strip() for name in names if name.strip()]
