"""The permit catalogue: seed permit types, validation of an admin's edit, and list summaries."""

from __future__ import annotations

import re
from collections.abc import Callable

# --- the shape of a permit type ---------------------------------------------------------------

FILE_TYPES = ("pdf", "jpeg", "png")
LOCATION_CLASSES = ("A", "B", "C")
# What the applicant (or the officer assessing the fee) enters, per fee kind, in canonical order.
FEE_INPUTS = {
    "free": (),
    "fixed": (),
    "billboard": ("area_m2", "months", "location_class"),
    "building": ("floor_area_m2", "building_index"),
}
FEE_KINDS = tuple(FEE_INPUTS)

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9-]{1,19}$")
REQUIREMENT_CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
REQUIREMENT_CODE_MAX_LENGTH = 40
# Architectural drawing sets of large buildings run to about 100 MB of PDF.
MAX_SIZE_MB = (1, 100)
SLA_WORKING_DAYS = (1, 90)
VALIDITY_MONTHS = (1, 120)

# Error codes, stable for clients: required, unknown_field, type, empty, pattern, duplicate,
# choice, range, inputs.


class CatalogueError(Exception):
    """A permit type document breaks rules; `errors` lists every problem found."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(errors)

    def __str__(self) -> str:
        return "; ".join(f"{e['field']}: {e['message']} ({e['code']})" for e in self.errors)


# --- validation -------------------------------------------------------------------------------


class _Problems:
    """Collects problems so one answer tells the admin everything to fix, not the first thing."""

    def __init__(self):
        self.errors: list[dict] = []

    def add(self, field: str, code: str, message: str) -> None:
        self.errors.append({"field": field, "code": code, "message": message})


Check = Callable[[object, str, _Problems], object]


def validate_permit_type(document: dict) -> dict:
    """The normalised permit type (a fresh copy), or CatalogueError listing every problem.

    Normalising strips surrounding spaces from texts, turns a blank template_url into None and
    puts file types and fee inputs in canonical order. Storage fields (`_id`, `version`) are not
    part of the document: take them off before validating.
    """
    problems = _Problems()
    if not isinstance(document, dict):
        problems.add("", "type", "a permit type must be an object")
        raise CatalogueError(problems.errors)
    normalised = _fields(document, _PERMIT_TYPE_FIELDS, "", problems)
    if problems.errors:
        raise CatalogueError(problems.errors)
    return normalised


def _fields(document: dict, spec: dict[str, Check], path: str, problems: _Problems) -> dict:
    """Check each known field with its checker; every field is required, unknown ones refused."""
    for key in document:
        if key not in spec:
            problems.add(_join(path, key), "unknown_field", "is not a field of this object")
    normalised = {}
    for key, check in spec.items():
        if key in document:
            normalised[key] = check(document[key], _join(path, key), problems)
        else:
            problems.add(_join(path, key), "required", "is required")
    return normalised


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _text(value: object, path: str, problems: _Problems) -> object:
    if not isinstance(value, str):
        problems.add(path, "type", "must be text")
        return value
    if not value.strip():
        problems.add(path, "empty", "must not be empty")
    return value.strip()


def _boolean(value: object, path: str, problems: _Problems) -> object:
    if not isinstance(value, bool):
        problems.add(path, "type", "must be true or false")
    return value


def _integer_in(low: int, high: int | None) -> Check:
    def check(value: object, path: str, problems: _Problems) -> object:
        # bool is an int in Python; true is not a number of days.
        if not isinstance(value, int) or isinstance(value, bool):
            problems.add(path, "type", "must be a whole number")
        elif value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            problems.add(path, "range", f"must be {bounds}")
        return value

    return check


def _optional(check: Check) -> Check:
    def optional(value: object, path: str, problems: _Problems) -> object:
        return None if value is None else check(value, path, problems)

    return optional


def _list_of(item: Check, *, min_items: int) -> Check:
    def check(value: object, path: str, problems: _Problems) -> object:
        if not isinstance(value, list | tuple):
            problems.add(path, "type", "must be a list")
            return value
        if len(value) < min_items:
            problems.add(path, "empty", f"must have at least {min_items} item(s)")
        return [item(entry, f"{path}[{index}]", problems) for index, entry in enumerate(value)]

    return check


def _permit_code(value: object, path: str, problems: _Problems) -> object:
    code = _text(value, path, problems)
    if isinstance(code, str) and code and not CODE_PATTERN.match(code):
        problems.add(
            path,
            "pattern",
            "must be 2-20 upper-case letters, digits or '-', starting with a letter",
        )
    return code


def _requirement_code(value: object, path: str, problems: _Problems) -> object:
    code = _text(value, path, problems)
    too_long = isinstance(code, str) and len(code) > REQUIREMENT_CODE_MAX_LENGTH
    if isinstance(code, str) and code and (too_long or not REQUIREMENT_CODE_PATTERN.match(code)):
        problems.add(
            path,
            "pattern",
            f"must be snake_case (a-z, 0-9, _) of at most {REQUIREMENT_CODE_MAX_LENGTH} characters",
        )
    return code


def _file_types(value: object, path: str, problems: _Problems) -> object:
    types = _list_of(_text, min_items=1)(value, path, problems)
    if not isinstance(types, list):
        return types
    for index, file_type in enumerate(types):
        if isinstance(file_type, str) and file_type and file_type not in FILE_TYPES:
            problems.add(f"{path}[{index}]", "choice", f"must be one of {', '.join(FILE_TYPES)}")
    # Canonical order and no repeats: picking "pdf" twice in a form is harmless.
    return [file_type for file_type in FILE_TYPES if file_type in types]


def _template_url(value: object, path: str, problems: _Problems) -> object:
    if value is None:
        return None
    url = value.strip() if isinstance(value, str) else value
    if url == "":
        return None
    if not isinstance(url, str):
        problems.add(path, "type", "must be text or null")
    elif not url.startswith(("https://", "/")):
        problems.add(path, "pattern", "must be an https:// address or a path on this site")
    return url


_REQUIREMENT_FIELDS: dict[str, Check] = {
    "code": _requirement_code,
    "name": _text,
    "name_en": _text,
    "required": _boolean,
    "file_types": _file_types,
    "max_size_mb": _integer_in(*MAX_SIZE_MB),
    "description": _text,
    "template_url": _template_url,
}


def _requirement(value: object, path: str, problems: _Problems) -> object:
    if not isinstance(value, dict):
        problems.add(path, "type", "a requirement must be an object")
        return value
    return _fields(value, _REQUIREMENT_FIELDS, path, problems)


def _requirements(value: object, path: str, problems: _Problems) -> object:
    requirements = _list_of(_requirement, min_items=1)(value, path, problems)
    if isinstance(requirements, list):
        _refuse_duplicate_codes(requirements, path, problems)
    return requirements


def _refuse_duplicate_codes(requirements: list, path: str, problems: _Problems) -> None:
    # Documents are filed under their requirement code: two requirements cannot share one.
    seen = set()
    for index, requirement in enumerate(requirements):
        code = requirement.get("code") if isinstance(requirement, dict) else None
        if not isinstance(code, str) or not code:
            continue
        if code in seen:
            problems.add(f"{path}[{index}].code", "duplicate", f"'{code}' is used twice")
        seen.add(code)


_POSITIVE = _integer_in(1, None)


def _rates(value: object, path: str, problems: _Problems) -> object:
    if not isinstance(value, dict):
        problems.add(path, "type", "must be an object of rates by location class")
        return value
    return _fields(value, dict.fromkeys(LOCATION_CLASSES, _POSITIVE), path, problems)


def _inputs_of(kind: str) -> Check:
    expected = FEE_INPUTS[kind]

    def check(value: object, path: str, problems: _Problems) -> object:
        if not isinstance(value, list | tuple):
            problems.add(path, "type", "must be a list")
            return value
        if sorted(value, key=str) != sorted(expected):
            problems.add(path, "inputs", f"must be exactly {', '.join(expected)}")
            return list(value)
        return list(expected)

    return check


# Each fee kind's fields besides `kind`.
_FEE_FIELDS: dict[str, dict[str, Check]] = {
    "free": {},
    "fixed": {"amount": _POSITIVE},
    "billboard": {"rates": _rates, "inputs": _inputs_of("billboard")},
    "building": {"unit_price": _POSITIVE, "inputs": _inputs_of("building")},
}


def _fee_rule(value: object, path: str, problems: _Problems) -> object:
    if not isinstance(value, dict):
        problems.add(path, "type", "a fee rule must be an object")
        return value
    kind = value.get("kind")
    if "kind" not in value:
        problems.add(f"{path}.kind", "required", "is required")
        return value
    if kind not in FEE_KINDS:
        problems.add(f"{path}.kind", "choice", f"must be one of {', '.join(FEE_KINDS)}")
        return value
    return _fields(value, {"kind": _text, **_FEE_FIELDS[kind]}, path, problems)


_PERMIT_TYPE_FIELDS: dict[str, Check] = {
    "code": _permit_code,
    "name": _text,
    "name_en": _text,
    "description": _text,
    "description_en": _text,
    "legal_basis": _list_of(_text, min_items=1),
    "requirements": _requirements,
    "sla_working_days": _integer_in(*SLA_WORKING_DAYS),
    "needs_survey": _boolean,
    "needs_technical": _boolean,
    "fee_rule": _fee_rule,
    "fee_summary": _text,
    "fee_summary_en": _text,
    "validity_months": _optional(_integer_in(*VALIDITY_MONTHS)),
    "conditions": _list_of(_text, min_items=0),
}


# --- reading a permit type --------------------------------------------------------------------


def requirement_codes(permit_type: dict, required_only: bool = False) -> frozenset[str]:
    """The codes of the permit type's requirements (only the mandatory ones if asked)."""
    return frozenset(
        requirement["code"]
        for requirement in permit_type["requirements"]
        if requirement["required"] or not required_only
    )


def catalogue_summary(permit_type: dict) -> dict:
    """What the public catalogue list shows of a permit type."""
    return {
        "code": permit_type["code"],
        "name": permit_type["name"],
        "name_en": permit_type["name_en"],
        "description": permit_type["description"],
        "description_en": permit_type["description_en"],
        "sla_working_days": permit_type["sla_working_days"],
        "needs_survey": permit_type["needs_survey"],
        "needs_technical": permit_type["needs_technical"],
        "fee_summary": permit_type["fee_summary"],
        "fee_summary_en": permit_type["fee_summary_en"],
        "requirement_count": len(permit_type["requirements"]),
        "validity_months": permit_type["validity_months"],
    }


# --- seed data --------------------------------------------------------------------------------
# Written for a generic regency ("Kabupaten"). Since UU 1/2022 (HKPD) a regency may levy a permit
# retribusi only for PBG, foreign-worker use and people's mining, so every permit here is free
# except PBG (retribusi) and advertising (pajak reklame, by area, duration and location class).

UU_KESEHATAN = "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan"
PP_KESEHATAN = (
    "Peraturan Pemerintah Nomor 28 Tahun 2024 tentang Peraturan Pelaksanaan "
    "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan"
)
UU_HKPD = (
    "Undang-Undang Nomor 1 Tahun 2022 tentang Hubungan Keuangan antara Pemerintah Pusat "
    "dan Pemerintahan Daerah"
)

FREE = {"kind": "free"}
FREE_SUMMARY = "Gratis, tidak dipungut biaya"
FREE_SUMMARY_EN = "Free of charge"


def _req(
    code: str,
    name: str,
    name_en: str,
    description: str,
    *,
    required: bool = True,
    file_types: tuple[str, ...] = ("pdf",),
    max_size_mb: int = 5,
    template_url: str | None = None,
) -> dict:
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "required": required,
        "file_types": list(file_types),
        "max_size_mb": max_size_mb,
        "description": description,
        "template_url": template_url,
    }


def _ktp(whose: str = "pemohon") -> dict:
    return _req(
        "ktp",
        "Kartu Tanda Penduduk (KTP)",
        "Identity card (KTP)",
        f"Pindaian atau foto KTP elektronik {whose} yang terbaca jelas.",
        file_types=("pdf", "jpeg", "png"),
        max_size_mb=2,
    )


def _pas_foto() -> dict:
    return _req(
        "pas_foto",
        "Pas Foto",
        "Passport photo",
        "Pas foto berwarna terbaru ukuran 4 x 6 cm, tampak depan, dengan latar belakang merah.",
        file_types=("jpeg", "png"),
        max_size_mb=1,
    )


def _nib(required: bool, whose: str) -> dict:
    return _req(
        "nib",
        "Nomor Induk Berusaha (NIB)",
        "Business identification number (NIB)",
        f"NIB {whose} yang diterbitkan melalui sistem OSS.",
        required=required,
    )


def _foto_lokasi(what: str) -> dict:
    return _req(
        "foto_lokasi",
        "Foto Lokasi",
        "Site photographs",
        f"Foto {what} dari beberapa arah, dilengkapi titik koordinat (lintang dan bujur).",
        file_types=("pdf", "jpeg", "png"),
        max_size_mb=10,
    )


def _practice_permit(
    code: str,
    name: str,
    name_en: str,
    profession: str,
    profession_en: str,
    places: str,
    places_en: str,
) -> dict:
    """A practice licence of a medical or health worker: one regime since UU 17/2023.

    The law asks for the STR and a practice place; the professional body's recommendation that
    the old regulations required is no longer a requirement. The STR is valid for life, the SIP
    for five years, renewed on proof of enough professional credit units (SKP).
    """
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "description": (
            f"Izin bagi {profession} untuk menjalankan praktik di {places} di wilayah Kabupaten. "
            "Satu SIP berlaku untuk satu tempat praktik; permohonan diajukan untuk penerbitan "
            "baru, perpanjangan, atau perubahan tempat praktik."
        ),
        "description_en": (
            f"Licence for a {profession_en} to practise at {places_en} in the regency. One licence "
            "covers one practice place; apply for a new licence, a renewal or a change of place."
        ),
        "legal_basis": [UU_KESEHATAN, PP_KESEHATAN],
        "requirements": [
            _ktp(),
            _req(
                "str",
                "Surat Tanda Registrasi (STR)",
                "Registration certificate (STR)",
                "Pindaian STR yang masih berlaku: STR seumur hidup, atau STR terbitan sebelum "
                "UU Nomor 17 Tahun 2023 yang belum habis masa berlakunya.",
            ),
            _req(
                "surat_keterangan_tempat_praktik",
                "Surat Keterangan Tempat Praktik",
                "Statement of practice place",
                "Surat keterangan dari pimpinan fasilitas tempat praktik, atau surat pernyataan "
                "memiliki tempat praktik mandiri yang memuat alamat lengkap tempat praktik.",
                template_url=None,
            ),
            _pas_foto(),
            _req(
                "bukti_skp",
                "Bukti Pemenuhan Kecukupan Satuan Kredit Profesi (SKP)",
                "Proof of sufficient professional credit units (SKP)",
                "Wajib untuk perpanjangan SIP: bukti pemenuhan kecukupan SKP yang tercatat "
                "pada sistem informasi Kementerian Kesehatan.",
                required=False,
            ),
            _req(
                "sip_lama",
                "SIP yang Dimiliki",
                "Licences already held",
                "Untuk perpanjangan atau perubahan, atau bila telah memiliki SIP di tempat "
                "praktik lain: pindaian seluruh SIP yang masih berlaku.",
                required=False,
                max_size_mb=10,
            ),
        ],
        "sla_working_days": 5,
        "needs_survey": False,
        "needs_technical": False,
        "fee_rule": dict(FREE),
        "fee_summary": FREE_SUMMARY,
        "fee_summary_en": FREE_SUMMARY_EN,
        "validity_months": 60,
        "conditions": [
            "SIP ini hanya berlaku untuk tempat praktik yang tercantum di dalamnya.",
            "SIP ini berlaku selama STR masih berlaku dan tempat praktik masih sesuai dengan "
            "yang tercantum dalam SIP.",
            "Pemegang SIP wajib menjalankan praktik sesuai dengan standar profesi, standar "
            "pelayanan, dan standar prosedur operasional.",
            "Pemegang SIP yang berpraktik mandiri wajib memasang papan nama praktik.",
            "Permohonan perpanjangan diajukan sebelum masa berlaku SIP berakhir.",
        ],
    }


SIP_DOKTER = _practice_permit(
    "SIP-DOK",
    "Surat Izin Praktik Dokter",
    "Medical Practice Licence (Physician)",
    "dokter dan dokter spesialis",
    "physician or medical specialist",
    "fasilitas pelayanan kesehatan atau tempat praktik mandiri dokter",
    "a health facility or their own practice",
)

SIP_BIDAN = _practice_permit(
    "SIP-BID",
    "Surat Izin Praktik Bidan",
    "Midwifery Practice Licence",
    "bidan",
    "midwife",
    "fasilitas pelayanan kesehatan atau tempat praktik mandiri bidan",
    "a health facility or their own midwifery practice",
)

SIP_PERAWAT = _practice_permit(
    "SIP-PER",
    "Surat Izin Praktik Perawat",
    "Nursing Practice Licence",
    "perawat",
    "nurse",
    "fasilitas pelayanan kesehatan atau tempat praktik mandiri perawat",
    "a health facility or their own nursing practice",
)

SIPA = _practice_permit(
    "SIPA",
    "Surat Izin Praktik Apoteker",
    "Pharmacist Practice Licence",
    "apoteker",
    "pharmacist",
    "apotek, instalasi farmasi rumah sakit, puskesmas, klinik, atau fasilitas kefarmasian lainnya",
    "a pharmacy, a hospital or clinic pharmacy, a community health centre or another "
    "pharmaceutical facility",
)

REKLAME = {
    "code": "REKLAME",
    "name": "Izin Penyelenggaraan Reklame",
    "name_en": "Advertising (Billboard) Permit",
    "description": (
        "Izin untuk memasang dan menyelenggarakan reklame papan, billboard, videotron, atau "
        "reklame tetap lainnya di wilayah Kabupaten. Petugas meninjau titik lokasi sebelum izin "
        "diterbitkan. Pajak reklame dihitung dari luas bidang reklame, masa tayang, dan kelas "
        "lokasi."
    ),
    "description_en": (
        "Permit to erect and run a board, billboard, video screen or other fixed advertisement "
        "in the regency. Officers inspect the site before issuing it. The advertising tax is "
        "computed from the display area, the display period and the location class."
    ),
    "legal_basis": [
        UU_HKPD,
        "Peraturan Pemerintah Nomor 35 Tahun 2023 tentang Ketentuan Umum Pajak Daerah "
        "dan Retribusi Daerah",
        "Peraturan Daerah Kabupaten tentang Pajak Daerah dan Retribusi Daerah",
    ],
    "requirements": [
        _ktp("pemohon atau penanggung jawab badan usaha"),
        _nib(False, "bagi pemohon badan usaha"),
        _req(
            "desain_reklame",
            "Desain Reklame",
            "Advertisement design",
            "Desain atau visual reklame berwarna beserta naskahnya, dengan ukuran panjang x lebar "
            "bidang reklame dan jumlah sisi.",
            file_types=("pdf", "jpeg", "png"),
            max_size_mb=10,
        ),
        _req(
            "denah_lokasi",
            "Denah Lokasi",
            "Site plan",
            "Denah atau peta titik pemasangan reklame dengan titik koordinat (lintang dan bujur) "
            "dan jarak ke tepi jalan.",
            file_types=("pdf", "jpeg", "png"),
        ),
        _foto_lokasi("titik pemasangan reklame"),
        _req(
            "gambar_konstruksi",
            "Gambar Konstruksi Reklame",
            "Structural drawing",
            "Gambar konstruksi tiang atau rangka reklame beserta perhitungan kekuatan "
            "konstruksinya.",
            max_size_mb=20,
        ),
        _req(
            "persetujuan_pemilik_lahan",
            "Persetujuan Pemilik Lahan atau Bangunan",
            "Landowner's consent",
            "Surat persetujuan pemilik lahan atau bangunan tempat reklame dipasang, atau "
            "perjanjian sewa lokasi.",
        ),
        _req(
            "surat_pernyataan_pembongkaran",
            "Surat Pernyataan Kesanggupan Membongkar",
            "Undertaking to dismantle",
            "Surat pernyataan bermeterai kesanggupan membongkar reklame atas biaya sendiri "
            "setelah masa izin berakhir dan tidak diperpanjang.",
            template_url=None,
        ),
    ],
    "sla_working_days": 7,
    "needs_survey": True,
    "needs_technical": False,
    "fee_rule": {
        "kind": "billboard",
        "rates": {"A": 25_000, "B": 15_000, "C": 10_000},
        "inputs": ["area_m2", "months", "location_class"],
    },
    "fee_summary": (
        "Pajak reklame: luas (m²) x masa tayang (bulan) x tarif kelas lokasi per m² per bulan "
        "(A Rp25.000, B Rp15.000, C Rp10.000)"
    ),
    "fee_summary_en": (
        "Advertising tax: area (m²) x months x rate per m² per month by location class "
        "(A Rp25,000, B Rp15,000, C Rp10,000)"
    ),
    "validity_months": 12,
    "conditions": [
        "Reklame dipasang sesuai dengan ukuran, desain, dan titik lokasi yang disetujui.",
        "Penyelenggara wajib memasang penanda izin pada konstruksi reklame.",
        "Penyelenggara wajib memelihara konstruksi dan bidang reklame agar tetap aman, bersih, "
        "dan tidak membahayakan pengguna jalan.",
        "Materi reklame tidak boleh bertentangan dengan norma kesusilaan, ketertiban umum, dan "
        "ketentuan peraturan perundang-undangan.",
        "Reklame wajib dibongkar oleh penyelenggara paling lambat 7 (tujuh) hari setelah masa "
        "izin berakhir apabila tidak diperpanjang.",
    ],
}

PBG = {
    "code": "PBG",
    "name": "Persetujuan Bangunan Gedung",
    "name_en": "Building Approval (PBG)",
    "description": (
        "Persetujuan untuk membangun baru, mengubah, memperluas, mengurangi, dan/atau merawat "
        "bangunan gedung sesuai dengan standar teknis bangunan gedung. PBG menggantikan Izin "
        "Mendirikan Bangunan (IMB). Retribusi dihitung dari luas total lantai, indeks bangunan, "
        "dan harga satuan retribusi."
    ),
    "description_en": (
        "Approval to build, alter, extend, reduce and/or maintain a building according to the "
        "building technical standards; it replaced the building permit (IMB). The levy is "
        "computed from total floor area, building index and unit price."
    ),
    "legal_basis": [
        "Undang-Undang Nomor 28 Tahun 2002 tentang Bangunan Gedung sebagaimana telah diubah "
        "dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah "
        "Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang",
        "Peraturan Pemerintah Nomor 16 Tahun 2021 tentang Peraturan Pelaksanaan Undang-Undang "
        "Nomor 28 Tahun 2002 tentang Bangunan Gedung",
        UU_HKPD,
    ],
    "requirements": [
        _ktp("pemohon atau pemilik bangunan"),
        _nib(False, "bagi pemohon badan usaha"),
        _req(
            "bukti_kepemilikan_tanah",
            "Bukti Kepemilikan atau Penguasaan Tanah",
            "Proof of land ownership or use",
            "Sertipikat hak atas tanah; bila tanah bukan milik pemohon, lampirkan juga perjanjian "
            "pemanfaatan tanah dengan pemegang hak atas tanah.",
            max_size_mb=10,
        ),
        _req(
            "kkpr",
            "Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR)",
            "Spatial-use conformity (KKPR)",
            "Konfirmasi atau Persetujuan KKPR untuk lokasi bangunan, atau Keterangan Rencana "
            "Kabupaten bagi rumah tinggal.",
            max_size_mb=10,
        ),
        _req(
            "bukti_pbb",
            "Bukti Pembayaran PBB",
            "Land and building tax receipt",
            "Bukti pembayaran Pajak Bumi dan Bangunan Perdesaan dan Perkotaan (PBB-P2) tahun "
            "terakhir atas tanah lokasi bangunan.",
            file_types=("pdf", "jpeg", "png"),
            max_size_mb=2,
        ),
        _req(
            "gambar_arsitektur",
            "Gambar Rencana Arsitektur",
            "Architectural drawings",
            "Gambar situasi, denah, tampak, dan potongan bangunan yang ditandatangani oleh "
            "perencana.",
            max_size_mb=100,
        ),
        _req(
            "gambar_struktur",
            "Gambar dan Perhitungan Struktur",
            "Structural drawings and calculations",
            "Gambar rencana struktur beserta perhitungannya; selain untuk rumah tinggal sederhana, "
            "ditandatangani oleh tenaga ahli bersertifikat.",
            max_size_mb=100,
        ),
        _req(
            "gambar_utilitas",
            "Gambar Rencana Utilitas (MEP)",
            "Utility drawings (MEP)",
            "Gambar rencana mekanikal, elektrikal, dan plambing, termasuk sumur resapan dan "
            "pengelolaan air limbah.",
            max_size_mb=50,
        ),
        _req(
            "persetujuan_lingkungan",
            "Persetujuan Lingkungan",
            "Environmental approval",
            "Bagi bangunan yang kegiatannya wajib memiliki persetujuan lingkungan: SPPL, "
            "UKL-UPL, atau AMDAL sesuai dengan tingkat dampaknya.",
            required=False,
            max_size_mb=20,
        ),
        _foto_lokasi("lahan lokasi bangunan"),
    ],
    # PP 16/2021: planning consultation and issuance within 28 working days at most.
    "sla_working_days": 28,
    "needs_survey": True,
    "needs_technical": True,
    "fee_rule": {
        "kind": "building",
        "unit_price": 30_000,
        "inputs": ["floor_area_m2", "building_index"],
    },
    "fee_summary": (
        "Retribusi PBG: luas total lantai (m²) x indeks bangunan x harga satuan Rp30.000 per m²"
    ),
    "fee_summary_en": (
        "Building approval levy: total floor area (m²) x building index x unit price Rp30,000 "
        "per m²"
    ),
    # A PBG does not expire; the building then needs its certificate of fitness (SLF).
    "validity_months": None,
    "conditions": [
        "Bangunan wajib dibangun sesuai dengan dokumen rencana teknis yang disetujui.",
        "Pemilik wajib memberitahukan dimulainya pelaksanaan konstruksi kepada Pemerintah "
        "Kabupaten.",
        "Setiap perubahan fungsi, bentuk, atau luas bangunan wajib mendapatkan persetujuan "
        "perubahan terlebih dahulu.",
        "Bangunan hanya dapat dimanfaatkan setelah memperoleh Sertifikat Laik Fungsi (SLF).",
    ],
}

IPSP = {
    "code": "IPSP",
    "name": "Izin Penyelenggaraan Satuan Pendidikan",
    "name_en": "Education Unit Operating Permit",
    "description": (
        "Izin bagi yayasan atau badan hukum penyelenggara pendidikan untuk menyelenggarakan "
        "satuan pendidikan anak usia dini, sekolah dasar, sekolah menengah pertama, atau "
        "satuan pendidikan nonformal yang menjadi kewenangan Pemerintah Kabupaten. Dinas "
        "Pendidikan melakukan visitasi dan memberikan rekomendasi teknis."
    ),
    "description_en": (
        "Permit for a foundation or other legal body to run an early-childhood, primary, "
        "lower-secondary or non-formal education unit under the regency's authority. The "
        "education office visits the site and gives a technical recommendation."
    ),
    "legal_basis": [
        "Undang-Undang Nomor 20 Tahun 2003 tentang Sistem Pendidikan Nasional",
        "Peraturan Pemerintah Nomor 17 Tahun 2010 tentang Pengelolaan dan Penyelenggaraan "
        "Pendidikan sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 66 Tahun 2010",
        "Peraturan Menteri Pendidikan dan Kebudayaan Nomor 84 Tahun 2014 tentang Pendirian "
        "Satuan Pendidikan Anak Usia Dini",
        "Peraturan Menteri Pendidikan dan Kebudayaan Nomor 36 Tahun 2014 tentang Pedoman "
        "Pendirian, Perubahan, dan Penutupan Satuan Pendidikan Dasar dan Menengah",
    ],
    "requirements": [
        _ktp("ketua yayasan atau pimpinan badan hukum"),
        _req(
            "akta_pendirian",
            "Akta Pendirian dan Pengesahan Badan Hukum",
            "Deed of establishment and legal-entity approval",
            "Akta pendirian yayasan atau badan hukum penyelenggara beserta keputusan "
            "pengesahannya dari Kementerian Hukum.",
            max_size_mb=10,
        ),
        _req(
            "studi_kelayakan",
            "Hasil Studi Kelayakan",
            "Feasibility study",
            "Studi kelayakan pendirian yang memuat potensi peserta didik, peta satuan pendidikan "
            "di sekitar lokasi, dan rencana pengembangan.",
            max_size_mb=20,
        ),
        _req(
            "kurikulum",
            "Kurikulum dan Rencana Pembelajaran",
            "Curriculum and teaching plan",
            "Kurikulum yang akan digunakan, kalender pendidikan, serta sistem evaluasi peserta "
            "didik.",
            max_size_mb=20,
        ),
        _req(
            "data_pendidik",
            "Data Pendidik dan Tenaga Kependidikan",
            "Teachers and staff",
            "Daftar pendidik dan tenaga kependidikan beserta kualifikasi akademiknya (ijazah) "
            "dan surat kesediaan mengajar.",
            max_size_mb=20,
        ),
        _req(
            "bukti_kepemilikan_tanah",
            "Bukti Kepemilikan atau Penguasaan Tanah dan Bangunan",
            "Proof of land and building ownership or use",
            "Sertipikat tanah atas nama penyelenggara, atau perjanjian sewa atau pinjam pakai "
            "tanah dan bangunan.",
            max_size_mb=10,
        ),
        _req(
            "data_sarana_prasarana",
            "Data Sarana dan Prasarana",
            "Facilities",
            "Daftar sarana dan prasarana pendidikan disertai denah bangunan dan foto ruang kelas, "
            "ruang bermain atau lapangan, serta sanitasi.",
            file_types=("pdf", "jpeg", "png"),
            max_size_mb=20,
        ),
        _req(
            "rencana_pembiayaan",
            "Rencana Pembiayaan",
            "Funding plan",
            "Rencana sumber dan penggunaan dana penyelenggaraan pendidikan paling sedikit untuk "
            "satu tahun ajaran.",
        ),
        _req(
            "pbg",
            "Persetujuan Bangunan Gedung atau IMB",
            "Building approval (PBG) or building permit (IMB)",
            "PBG atau IMB bangunan yang digunakan sebagai tempat penyelenggaraan pendidikan.",
            required=False,
            max_size_mb=10,
        ),
    ],
    "sla_working_days": 14,
    "needs_survey": True,
    "needs_technical": True,
    "fee_rule": dict(FREE),
    "fee_summary": FREE_SUMMARY,
    "fee_summary_en": FREE_SUMMARY_EN,
    "validity_months": None,
    "conditions": [
        "Satuan pendidikan diselenggarakan sesuai dengan jenjang, jenis, dan alamat yang "
        "tercantum dalam izin ini.",
        "Penyelenggara wajib memenuhi Standar Nasional Pendidikan secara bertahap.",
        "Penyelenggara wajib mendaftarkan satuan pendidikan dan memutakhirkan datanya dalam "
        "Data Pokok Pendidikan (Dapodik).",
        "Perubahan penyelenggara, nama, atau alamat satuan pendidikan wajib dilaporkan dan "
        "mendapatkan persetujuan.",
        "Izin ini dapat dicabut apabila penyelenggaraan pendidikan tidak lagi memenuhi "
        "ketentuan peraturan perundang-undangan.",
    ],
}

IOK = {
    "code": "IOK",
    "name": "Izin Operasional Klinik",
    "name_en": "Clinic Operating Permit",
    "description": (
        "Izin operasional bagi klinik pratama dan klinik utama di wilayah Kabupaten. Pemohon "
        "telah memiliki Nomor Induk Berusaha (NIB) melalui sistem OSS. Dinas Kesehatan "
        "melakukan visitasi dan memberikan rekomendasi teknis."
    ),
    "description_en": (
        "Operating permit for a primary or main clinic in the regency. The applicant already "
        "holds a business identification number (NIB) from OSS. The health office visits the "
        "clinic and gives a technical recommendation."
    ),
    "legal_basis": [
        UU_KESEHATAN,
        PP_KESEHATAN,
        "Peraturan Menteri Kesehatan Nomor 14 Tahun 2021 tentang Standar Kegiatan Usaha dan "
        "Produk pada Penyelenggaraan Perizinan Berusaha Berbasis Risiko Sektor Kesehatan",
    ],
    "requirements": [
        _nib(True, "penyelenggara klinik"),
        _ktp("penanggung jawab klinik"),
        _req(
            "profil_klinik",
            "Profil Klinik",
            "Clinic profile",
            "Profil klinik yang memuat struktur organisasi, jenis pelayanan, dan jam operasional.",
            max_size_mb=10,
        ),
        _req(
            "denah_bangunan",
            "Denah Bangunan",
            "Floor plan",
            "Denah bangunan klinik dengan pembagian ruang pelayanan, ruang tunggu, dan sanitasi.",
            file_types=("pdf", "jpeg", "png"),
            max_size_mb=10,
        ),
        _req(
            "bukti_kepemilikan_bangunan",
            "Bukti Kepemilikan atau Sewa Bangunan",
            "Proof of building ownership or lease",
            "Sertipikat atau perjanjian sewa bangunan klinik yang masih berlaku.",
            max_size_mb=10,
        ),
        _req(
            "pbg_slf",
            "PBG dan Sertifikat Laik Fungsi",
            "Building approval and certificate of fitness",
            "PBG atau IMB serta Sertifikat Laik Fungsi (SLF) bangunan klinik.",
            max_size_mb=10,
        ),
        _req(
            "persetujuan_lingkungan",
            "Persetujuan Lingkungan",
            "Environmental approval",
            "Surat Pernyataan Kesanggupan Pengelolaan dan Pemantauan Lingkungan Hidup (SPPL) "
            "atau UKL-UPL sesuai dengan tingkat dampaknya.",
            max_size_mb=20,
        ),
        _req(
            "daftar_tenaga",
            "Daftar Tenaga Medis dan Tenaga Kesehatan",
            "Medical and health staff",
            "Daftar tenaga medis dan tenaga kesehatan beserta pindaian STR dan SIP masing-masing.",
            max_size_mb=20,
        ),
        _req(
            "daftar_peralatan",
            "Daftar Sarana, Prasarana, dan Peralatan",
            "Facilities and equipment",
            "Daftar sarana, prasarana, dan peralatan kesehatan sesuai dengan jenis pelayanan.",
            max_size_mb=10,
        ),
        _req(
            "kerja_sama_limbah",
            "Perjanjian Pengelolaan Limbah Medis",
            "Medical-waste contract",
            "Perjanjian kerja sama pengelolaan limbah bahan berbahaya dan beracun (B3) medis "
            "dengan pihak yang berizin.",
        ),
    ],
    "sla_working_days": 14,
    "needs_survey": True,
    "needs_technical": True,
    "fee_rule": dict(FREE),
    "fee_summary": FREE_SUMMARY,
    "fee_summary_en": FREE_SUMMARY_EN,
    "validity_months": 60,
    "conditions": [
        "Klinik diselenggarakan sesuai dengan jenis, pelayanan, dan alamat yang tercantum dalam "
        "izin ini.",
        "Klinik wajib dipimpin oleh penanggung jawab teknis yang memiliki STR dan SIP.",
        "Setiap tenaga medis dan tenaga kesehatan yang berpraktik di klinik wajib memiliki SIP "
        "yang berlaku.",
        "Klinik wajib mengelola limbah medis sesuai dengan ketentuan peraturan perundang-undangan.",
        "Perubahan pemilik, nama, alamat, atau jenis klinik wajib dilaporkan dan mendapatkan "
        "persetujuan.",
    ],
}

PENELITIAN = {
    "code": "PENELITIAN",
    "name": "Izin Penelitian",
    "name_en": "Research Permit",
    "description": (
        "Surat keterangan penelitian bagi mahasiswa, peneliti, dan lembaga yang akan melakukan "
        "penelitian di wilayah Kabupaten atau di lingkungan perangkat daerah. Peneliti asing "
        "mengajukan izin melalui Badan Riset dan Inovasi Nasional (BRIN)."
    ),
    "description_en": (
        "Research clearance letter for students, researchers and institutions conducting "
        "research in the regency or in its government offices. Foreign researchers apply to "
        "the National Research and Innovation Agency (BRIN)."
    ),
    "legal_basis": [
        "Undang-Undang Nomor 11 Tahun 2019 tentang Sistem Nasional Ilmu Pengetahuan dan Teknologi",
        "Peraturan Menteri Dalam Negeri Nomor 3 Tahun 2018 tentang Penerbitan Surat "
        "Keterangan Penelitian",
    ],
    "requirements": [
        _ktp("peneliti"),
        _req(
            "surat_pengantar",
            "Surat Pengantar",
            "Covering letter",
            "Surat pengantar dari perguruan tinggi, lembaga penelitian, atau instansi asal "
            "peneliti yang menyebutkan judul dan lokasi penelitian.",
        ),
        _req(
            "proposal_penelitian",
            "Proposal Penelitian",
            "Research proposal",
            "Proposal yang memuat judul, latar belakang, tujuan, metode, lokasi, dan jadwal "
            "penelitian.",
            max_size_mb=10,
        ),
        _req(
            "surat_pernyataan",
            "Surat Pernyataan Peneliti",
            "Researcher's undertaking",
            "Surat pernyataan bermeterai bersedia menaati ketentuan yang berlaku dan "
            "menyerahkan hasil penelitian kepada Pemerintah Kabupaten.",
            template_url=None,
        ),
        _req(
            "daftar_anggota",
            "Daftar Anggota Tim Peneliti",
            "Research team members",
            "Daftar nama dan nomor identitas anggota tim, bila penelitian dilakukan secara "
            "berkelompok.",
            required=False,
            max_size_mb=2,
        ),
    ],
    "sla_working_days": 3,
    "needs_survey": False,
    "needs_technical": False,
    "fee_rule": dict(FREE),
    "fee_summary": FREE_SUMMARY,
    "fee_summary_en": FREE_SUMMARY_EN,
    "validity_months": 6,
    "conditions": [
        "Penelitian dilaksanakan sesuai dengan judul, lokasi, dan jangka waktu yang tercantum "
        "dalam surat keterangan ini.",
        "Peneliti wajib melapor kepada pimpinan instansi, camat, atau kepala desa setempat "
        "sebelum memulai penelitian.",
        "Penelitian tidak boleh mengganggu ketertiban umum dan tidak boleh menyimpang dari "
        "tujuan yang dinyatakan.",
        "Peneliti wajib menyerahkan salinan hasil penelitian kepada Pemerintah Kabupaten "
        "melalui DPMPTSP setelah penelitian selesai.",
        "Surat keterangan ini batal apabila peneliti tidak menaati ketentuan di atas.",
    ],
}

SEED_PERMIT_TYPES: tuple[dict, ...] = (
    SIP_DOKTER,
    SIP_BIDAN,
    SIP_PERAWAT,
    SIPA,
    REKLAME,
    PBG,
    IPSP,
    IOK,
    PENELITIAN,
)
