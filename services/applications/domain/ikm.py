"""The community satisfaction index (IKM) of PermenPANRB 14/2017, and the figures reports use."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# The nine elements (unsur) of the regulation, in its order.
ELEMENTS = (
    "requirements",  # persyaratan
    "procedure",  # sistem, mekanisme, dan prosedur
    "time",  # waktu penyelesaian
    "cost",  # biaya/tarif
    "product",  # produk spesifikasi jenis pelayanan
    "competence",  # kompetensi pelaksana
    "behaviour",  # perilaku pelaksana
    "complaints",  # penanganan pengaduan, saran dan masukan
    "facilities",  # sarana dan prasarana
)
SCORES = (1, 2, 3, 4)
# The regulation converts the mean of element means (1..4) to 25..100 by multiplying by 25.
CONVERSION = 25
# Quality bands on the converted index, lowest bound first met from the top.
BANDS = (("A", 88.31), ("B", 76.61), ("C", 65.00), ("D", 25.00))
# A respondent is satisfied when their own mean is "Baik" (3) or better: the office's 90 % goal.
SATISFIED_FROM = 3.0
# A mean below "Kurang baik/Baik" halfway, or any element at its lowest, opens a complaint.
LOW_MEAN_BELOW = 2.5
LOWEST_SCORE = 1
COMMENT_MAX = 2000


class SurveyInvalid(ValueError):
    """The answers do not make a survey response; `errors` names each field."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Response:
    """One respondent's checked answers."""

    scores: dict[str, int]
    comment: str
    marked_complaint: bool

    @property
    def average(self) -> float:
        return round(sum(self.scores.values()) / len(ELEMENTS), 2)

    @property
    def satisfied(self) -> bool:
        return self.average >= SATISFIED_FROM

    @property
    def complaint_reason(self) -> str | None:
        """Why this response opens a complaint for the office, if it does."""
        if self.marked_complaint:
            return "marked"
        if self.average < LOW_MEAN_BELOW or LOWEST_SCORE in self.scores.values():
            return "low_score"
        return None


def check_response(scores: object, comment: object, complaint: object) -> Response:
    """The response, or SurveyInvalid naming every field that is wrong."""
    errors = []
    if not isinstance(scores, Mapping):
        errors.append(_error("scores", "type", "an object with a score for each element"))
        scores = {}
    checked = {}
    for element in ELEMENTS:
        value = scores.get(element)
        if value is None:
            errors.append(_error(f"scores.{element}", "required", "required"))
        elif isinstance(value, bool) or value not in SCORES:
            errors.append(_error(f"scores.{element}", "range", "a score from 1 to 4"))
        else:
            checked[element] = int(value)
    for unknown in sorted(set(scores) - set(ELEMENTS)):
        errors.append(_error(f"scores.{unknown}", "unknown_field", "not an element of the survey"))
    text = comment if isinstance(comment, str) else ""
    if comment is not None and not isinstance(comment, str):
        errors.append(_error("comment", "type", "must be text"))
    elif len(text) > COMMENT_MAX:
        errors.append(_error("comment", "maxLength", f"at most {COMMENT_MAX} characters"))
    if complaint is not None and not isinstance(complaint, bool):
        errors.append(_error("complaint", "type", "must be true or false"))
    if errors:
        raise SurveyInvalid(errors)
    return Response(checked, text.strip(), bool(complaint))


def _error(field: str, code: str, message: str) -> dict:
    return {"field": field, "code": code, "message": message}


@dataclass(frozen=True)
class Index:
    """The IKM of a set of responses."""

    respondents: int
    element_scores: dict[str, float]
    ikm: float | None
    band: str | None
    satisfied_percent: float | None


def index_of(responses: Sequence[Mapping[str, int]]) -> Index:
    """Element means, the index (mean of element means times 25), its band, the share satisfied."""
    if not responses:
        return Index(0, {}, None, None, None)
    means = {e: sum(r[e] for r in responses) / len(responses) for e in ELEMENTS}
    ikm = round(sum(means.values()) / len(ELEMENTS) * CONVERSION, 2)
    satisfied = sum(1 for r in responses if sum(r.values()) / len(ELEMENTS) >= SATISFIED_FROM)
    return Index(
        respondents=len(responses),
        element_scores={e: round(mean, 2) for e, mean in means.items()},
        ikm=ikm,
        band=band_of(ikm),
        satisfied_percent=round(100 * satisfied / len(responses), 1),
    )


def band_of(ikm: float) -> str:
    """The quality band of a converted index (two decimals, as the regulation publishes it)."""
    for band, lowest in BANDS:
        if round(ikm, 2) >= lowest:
            return band
    raise ValueError(f"an IKM of {ikm} is below the scale's 25")


# --- figures of a list of durations (working days) ---------------------------------------------


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile (0..100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(value, 2)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
