"""The one table from our permit lifecycle to OSS RBA's permit status codes (`kd_status`).

Codes and names are OSS's "Data Kode Status Izin" (Lampiran 10 of its integration interface).
Each of our events that OSS should hear of maps to one code; the same event may map to two
codes depending on where the file came from (a first submission and a resubmission) or on the
permit's new status. The service README shows this table; a step missing here is not reported.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OssStatus:
    code: str
    name: str


# (our event type, the state the file left — or the permit's new status — or None for any).
OSS_STATUS = {
    ("application_submitted", "draft"): OssStatus("09", "Telah Melengkapi Persyaratan"),
    ("revision_requested", None): OssStatus("41", "Konfirmasi Persyaratan"),
    ("application_submitted", "revision_requested"): OssStatus("42", "Data Konfirmasi Persyaratan"),
    ("application_verified", None): OssStatus("10", "Dokumen Lengkap"),
    ("survey_scheduled", None): OssStatus("40", "Inspeksi"),
    ("application_recommended", None): OssStatus("45", "Persyaratan terverifikasi"),
    ("fee_assessment_requested", None): OssStatus("30", "Verifikasi Pembayaran"),
    ("application_paid", None): OssStatus("33", "Persetujuan Pembayaran"),
    ("permit_issued", None): OssStatus("50", "Disetujui"),
    ("application_rejected", None): OssStatus("90", "Ditolak"),
    ("permit_status_changed", "suspended"): OssStatus(
        "70", "Penghentian Sementara Kegiatan Berusaha"
    ),
}

REPORTED_EVENTS = frozenset(event_type for event_type, _ in OSS_STATUS)


def oss_status(event_type: str, data: dict) -> OssStatus | None:
    """The OSS status an event reports, or None when OSS is not told of it."""
    detail = data.get("status") if event_type == "permit_status_changed" else data.get("from_state")
    return OSS_STATUS.get((event_type, detail)) or OSS_STATUS.get((event_type, None))
