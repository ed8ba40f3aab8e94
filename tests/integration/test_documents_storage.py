"""The documents service on both object stores: S3 (moto's server over HTTP) and files.
Upload and download through its internal HTTP port, as the gateway does."""

from __future__ import annotations

import contextlib
import hashlib
import uuid

import pytest
import requests
from minio import Minio

from chassis.config import load_settings
from chassis.http import TOKEN_HEADER, caller_headers
from chassis.internal import internal_token
from gateway.rpc import RpcPool
from tests.support import rabbit
from tests.support.moto_s3 import moto_s3_server
from tests.support.processes import ServiceProcess, free_port

APPLICANT = {"user_id": "c0ffee00c0ffee00c0ffee00c0ffee00", "roles": ["applicant"]}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(scope="module", params=["filesystem", "s3"])
def documents(request, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp(request.param)
    vhost = rabbit.create_vhost()
    env = {
        "GASPOL_DATA_DIR": str(tmp_path / "data"),
        "AMQP_URI": rabbit.amqp_uri(vhost),
        "DOCUMENTS_PORT": str(free_port()),
    }
    moto, server = None, contextlib.ExitStack()
    if request.param == "s3":
        moto = server.enter_context(moto_s3_server())
        env.update(
            S3_ENDPOINT=moto.endpoint,
            S3_ACCESS_KEY=moto.access_key,
            S3_SECRET_KEY=moto.secret_key,
            S3_BUCKET=f"docs-{uuid.uuid4().hex[:8]}",
        )
    processes = [
        ServiceProcess(f"services.{name}.service:{cls}", env, tmp_path / f"{name}.log").start()
        for name, cls in (
            ("applications", "ApplicationsService"),
            ("documents", "DocumentsService"),
        )
    ]
    settings = load_settings(env)
    yield {
        "env": env,
        "settings": settings,
        "moto": moto,
        "rpc": RpcPool(env["AMQP_URI"], size=2, timeout=10),
    }
    for process in processes:
        process.stop()
    server.close()
    rabbit.delete_vhost(vhost)


def _internal(documents, method, path, **kwargs):
    settings = documents["settings"]
    headers = {
        **caller_headers(APPLICANT),
        TOKEN_HEADER: internal_token(settings),
        **kwargs.pop("headers", {}),
    }
    return requests.request(
        method,
        f"http://127.0.0.1:{settings['DOCUMENTS_PORT']}{path}",
        headers=headers,
        timeout=30,
        **kwargs,
    )


def test_a_document_round_trips_through_the_configured_store(documents):
    draft = documents["rpc"].call(
        "applications", "create_application", {"permit_type": "PENELITIAN"}, context=APPLICANT
    )
    stored = _internal(
        documents,
        "POST",
        f"/internal/applications/{draft['id']}/documents",
        data={"requirement": "ktp"},
        files={"file": ("ktp.pdf", PDF)},
    )
    assert stored.status_code == 201, stored.text
    document = stored.json()
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()

    back = _internal(documents, "GET", f"/internal/documents/{document['id']}/content")
    assert back.content == PDF
    assert back.headers["Content-Type"] == "application/pdf"
    if documents["moto"]:
        moto = documents["moto"]
        client = Minio(moto.endpoint, moto.access_key, moto.secret_key, secure=False)
        keys = [
            o.object_name
            for o in client.list_objects(documents["env"]["S3_BUCKET"], recursive=True)
        ]
        assert keys == [f"documents/{draft['id']}/{document['id']}"]
    else:
        objects = documents["settings"].data_dir / "objects" / "documents" / draft["id"]
        assert objects.is_dir()


def test_the_internal_port_refuses_a_caller_without_the_token(documents):
    answer = requests.get(
        f"http://127.0.0.1:{documents['settings']['DOCUMENTS_PORT']}/internal/documents/x/content",
        headers=caller_headers(APPLICANT),
        timeout=10,
    )
    assert answer.status_code == 401
    assert answer.headers["Content-Type"] == "application/problem+json"


def test_another_applicants_upload_target_is_not_found(documents):
    draft = documents["rpc"].call(
        "applications", "create_application", {"permit_type": "PENELITIAN"}, context=APPLICANT
    )
    stranger = {"X-Gaspol-User": "0" * 32, "X-Gaspol-Roles": "applicant"}
    answer = _internal(
        documents,
        "POST",
        f"/internal/applications/{draft['id']}/documents",
        data={"requirement": "ktp"},
        files={"file": ("ktp.pdf", PDF)},
        headers=stranger,
    )
    assert answer.status_code == 404
