"""The texts of notifications: each event's message per audience, channel and language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2

TEMPLATES_DIR = Path(__file__).parent / "templates"
LANGUAGES = ("id", "en")
AUDIENCES = ("applicant", "officer")
# SMS and WhatsApp share the "sms" texts: one short paragraph, at most SMS_MAX_CHARS.
CHANNELS = ("inbox", "email", "sms")
SMS_MAX_CHARS = 160
JAKARTA = ZoneInfo("Asia/Jakarta")

# (producer, event type) -> {audience: channels with a template}. A verification code never
# goes to the inbox (it is needed before one can sign in); a reset link goes by email only.
TEMPLATED_EVENTS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("identity", "verification_code_issued"): {"applicant": ("email", "sms")},
    ("identity", "password_reset_requested"): {"applicant": ("email",)},
    ("applications", "application_submitted"): {"applicant": CHANNELS, "officer": CHANNELS},
    ("applications", "revision_requested"): {"applicant": CHANNELS},
    ("applications", "survey_scheduled"): {"applicant": CHANNELS},
    ("payments", "invoice_issued"): {"applicant": CHANNELS},
    ("payments", "payment_received"): {"applicant": CHANNELS},
    ("applications", "permit_issued"): {"applicant": CHANNELS},
    ("applications", "application_rejected"): {"applicant": CHANNELS},
    ("applications", "permit_status_changed"): {"applicant": CHANNELS},
    ("applications", "complaint_answered"): {"applicant": CHANNELS},
    ("applications", "application_verified"): {"officer": CHANNELS},
    ("applications", "survey_reported"): {"officer": CHANNELS},
    ("applications", "application_recommended"): {"officer": CHANNELS},
    ("applications", "fee_assessment_requested"): {"officer": CHANNELS},
    ("applications", "application_paid"): {"officer": CHANNELS},
    ("applications", "sla_warning"): {"officer": CHANNELS},
    ("applications", "sla_breached"): {"officer": CHANNELS},
}
_BY_EVENT = {event_type: spec for (_, event_type), spec in TEMPLATED_EVENTS.items()}

# Optional payload fields the templates test; absent ones read as empty, not as an error.
_OPTIONAL_FIELDS = {"note": None, "queue_role": None, "sla_due_at": None, "requirements": {}}

_SUBJECT_PREFIX = "Subject: "

MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


@dataclass(frozen=True)
class Message:
    """One rendered notification: `subject` is the email subject or inbox title ("" for sms)."""

    channel: str
    subject: str
    body: str
    link: str | None


def render(
    event_type: str,
    data: dict,
    *,
    audience: str,
    channel: str,
    language: str,
    public_base_url: str,
) -> Message | None:
    """The message telling `audience` about the event, or None when there is none to send.

    None when no template covers (event, audience, channel), when a verification code is asked
    for on another channel than the one it proves, and when an officer message has no queue
    role to go to. An audience, channel or language outside the known ones is a caller's bug:
    ValueError. A payload missing a field its template needs raises jinja2.UndefinedError.
    """
    _check_choice("audience", audience, AUDIENCES)
    _check_choice("channel", channel, CHANNELS)
    _check_choice("language", language, LANGUAGES)
    if channel not in _BY_EVENT.get(event_type, {}).get(audience, ()):
        return None
    if not _addressed(event_type, data, audience, channel):
        return None
    base_url = public_base_url.rstrip("/")
    link = _link(event_type, data, base_url)
    folder = "officer/" if audience == "officer" else ""
    template = _environment(language).get_template(f"{folder}{event_type}.{channel}.txt")
    text = template.render({**_OPTIONAL_FIELDS, **data, "link": link, "base_url": base_url})
    if channel == "sms":
        # Templates wrap lines for reading; an SMS is one paragraph, and every space counts.
        return Message(channel, "", " ".join(text.split()), link)
    subject, body = _split_subject(text)
    return Message(channel, subject, body, link)


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")


def _addressed(event_type: str, data: dict, audience: str, channel: str) -> bool:
    if event_type == "verification_code_issued":
        # The code proves one address: it goes there, on that channel, and nowhere else.
        return channel == ("email" if data.get("channel") == "email" else "sms")
    if audience == "officer":
        # While the applicant holds the file, no officer queue is waiting for it.
        return bool(data.get("queue_role"))
    return True


def _link(event_type: str, data: dict, base_url: str) -> str | None:
    if event_type == "password_reset_requested":
        return f"{base_url}/reset-password?token={quote(data['token'], safe='')}"
    if data.get("application_id"):
        return f"{base_url}/applications/{quote(data['application_id'], safe='')}"
    return None


def _split_subject(text: str) -> tuple[str, str]:
    first, _, rest = text.lstrip().partition("\n")
    if not first.startswith(_SUBJECT_PREFIX):
        raise ValueError(f"an inbox or email template must start with {_SUBJECT_PREFIX!r}")
    lines = [line.rstrip() for line in rest.strip().splitlines()]
    # An optional block left out leaves blank lines behind; one blank line between paragraphs.
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return first.removeprefix(_SUBJECT_PREFIX).strip(), body


@cache
def _environment(language: str) -> jinja2.Environment:
    # One environment per language: templates are named alike in id/ and en/, and the date
    # filters speak the language of the folder they render.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / language),
        autoescape=False,  # plain text, never HTML
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        rupiah=rupiah,
        wib=partial(wib, language=language),
        tanggal=partial(tanggal, language=language),
        persen=partial(persen, language=language),
    )
    return environment


# --- filters ---------------------------------------------------------------------------------


def rupiah(amount: int) -> str:
    """Whole rupiah the Indonesian way, in every language: 1800000 -> "Rp 1.800.000"."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"an amount of rupiah is a whole number, got {amount!r}")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


def wib(value, language: str = "id") -> str:
    """An ISO date-time as Jakarta wall time: "11 Desember 2026 23.59 WIB" (en: "23:59").

    A time without offset is taken as already in WIB (what an officer types for a survey); a
    date alone shows as a date; any other text shows as written, since a survey's time is free
    text that a surveyor may fill with "Senin pagi".
    """
    moment = _moment(value)
    if moment is None:
        return str(value)
    if not isinstance(moment, datetime):
        return _date_text(moment, language)
    separator = "." if language == "id" else ":"
    clock = f"{moment:%H}{separator}{moment:%M}"
    return f"{_date_text(moment.date(), language)} {clock} WIB"


def tanggal(value, language: str = "id") -> str:
    """The Jakarta calendar date of an ISO date or date-time: "1 Januari 2027"."""
    moment = _moment(value)
    if moment is None:
        return str(value)
    return _date_text(moment.date() if isinstance(moment, datetime) else moment, language)


def persen(value: float, language: str = "id") -> str:
    """A share in percent with at most one decimal: 82.5 -> "82,5%" (id) or "82.5%" (en)."""
    text = f"{round(float(value), 1):.1f}".removesuffix(".0")
    return (text.replace(".", ",") if language == "id" else text) + "%"


def _moment(value) -> datetime | date | None:
    """A Jakarta wall-clock datetime, a date, or None for text that is neither."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    else:
        text = str(value).strip()
        try:
            # date.fromisoformat first: datetime.fromisoformat would read a date as midnight.
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(JAKARTA).replace(tzinfo=None)


def _date_text(day: date, language: str) -> str:
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"
