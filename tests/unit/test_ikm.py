"""The IKM of PermenPANRB 14/2017 against worked examples, its bands at their boundaries, the
checks on an answer, and the percentiles the reports use."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.applications.domain import ikm

ALL = dict.fromkeys(ikm.ELEMENTS, 3)


def answers(*rows: tuple[int, ...]) -> list[dict[str, int]]:
    return [dict(zip(ikm.ELEMENTS, row, strict=True)) for row in rows]


def test_a_worked_example_of_four_respondents():
    # Element means: 3.25, 3.0, 2.5, 4.0, 3.5, 3.75, 3.75, 2.75, 3.0 -> mean 3.2778 -> x25 = 81.94
    index = ikm.index_of(
        answers(
            (3, 3, 2, 4, 4, 4, 4, 3, 3),
            (4, 3, 3, 4, 3, 4, 4, 2, 3),
            (3, 3, 2, 4, 3, 3, 3, 3, 3),
            (3, 3, 3, 4, 4, 4, 4, 3, 3),
        )
    )
    assert index.respondents == 4
    assert index.element_scores["requirements"] == 3.25
    assert index.element_scores["time"] == 2.5
    assert index.element_scores["complaints"] == 2.75
    assert index.ikm == 81.94
    assert index.band == "B"
    # Respondent means: 3.33, 3.33, 3.0, 3.56 -> all four satisfied.
    assert index.satisfied_percent == 100.0


def test_the_extremes_of_the_scale():
    assert ikm.index_of(answers((4,) * 9)).ikm == 100.0
    lowest = ikm.index_of(answers((1,) * 9))
    assert (lowest.ikm, lowest.band, lowest.satisfied_percent) == (25.0, "D", 0.0)


def test_the_share_satisfied_counts_respondents_not_scores():
    # One very happy respondent cannot make up for two unhappy ones.
    index = ikm.index_of(answers((4,) * 9, (2,) * 9, (2, 2, 2, 2, 2, 3, 3, 3, 3)))
    assert index.satisfied_percent == 33.3
    assert index.ikm == round((4 + 2 + 22 / 9) / 3 * 25, 2)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (100.0, "A"),
        (88.31, "A"),
        (88.30, "B"),
        (76.61, "B"),
        (76.60, "C"),
        (65.00, "C"),
        (64.99, "D"),
        (25.00, "D"),
    ],
)
def test_band_boundaries(value, band):
    assert ikm.band_of(value) == band


def test_below_the_scale_is_not_a_band():
    with pytest.raises(ValueError):
        ikm.band_of(24.99)


def test_no_respondents_no_index():
    index = ikm.index_of([])
    assert (index.respondents, index.ikm, index.band, index.satisfied_percent) == (
        0,
        None,
        None,
        None,
    )


@given(st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=40))
def test_the_index_is_the_mean_of_element_means_times_25(rows):
    responses = answers(*map(tuple, rows))
    means = [statistics.fmean(r[e] for r in responses) for e in ikm.ELEMENTS]
    assert ikm.index_of(responses).ikm == pytest.approx(statistics.fmean(means) * 25, abs=0.006)
    assert 25 <= ikm.index_of(responses).ikm <= 100


# --- one answer ---------------------------------------------------------------------------------


def test_an_answer_needs_all_nine_scores_from_1_to_4():
    with pytest.raises(ikm.SurveyInvalid) as refused:
        ikm.check_response({**ALL, "time": 5, "cost": None, "extra": 3}, None, None)
    fields = {(e["field"], e["code"]) for e in refused.value.errors}
    assert fields == {
        ("scores.time", "range"),
        ("scores.cost", "required"),
        ("scores.extra", "unknown_field"),
    }


@pytest.mark.parametrize("bad", [True, 2.5, "3", 0])
def test_a_score_is_a_whole_number_not_a_lookalike(bad):
    with pytest.raises(ikm.SurveyInvalid):
        ikm.check_response({**ALL, "behaviour": bad}, None, None)


def test_the_comment_and_the_complaint_flag_are_checked():
    with pytest.raises(ikm.SurveyInvalid) as refused:
        ikm.check_response(ALL, "x" * (ikm.COMMENT_MAX + 1), "yes")
    assert {e["field"] for e in refused.value.errors} == {"comment", "complaint"}


@pytest.mark.parametrize(
    ("scores", "marked", "reason"),
    [
        (ALL, False, None),
        ({**ALL, "time": 1}, False, "low_score"),  # one element at its lowest
        (dict.fromkeys(ikm.ELEMENTS, 2), False, "low_score"),  # a mean below 2.5
        ({**dict.fromkeys(ikm.ELEMENTS, 2), "cost": 4, "time": 4, "product": 3}, False, None),
        (ALL, True, "marked"),
    ],
)
def test_which_answers_open_a_complaint(scores, marked, reason):
    assert ikm.check_response(scores, "", marked).complaint_reason == reason


def test_satisfied_means_a_mean_of_three_or_more():
    assert ikm.check_response(ALL, None, None).satisfied
    assert not ikm.check_response({**ALL, "facilities": 2}, None, None).satisfied


# --- percentiles --------------------------------------------------------------------------------


@given(st.lists(st.floats(0, 90, allow_nan=False), min_size=2, max_size=200))
def test_percentiles_match_the_standard_librarys_inclusive_method(values):
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    assert ikm.percentile(values, 90) == pytest.approx(deciles[8], abs=0.006)
    assert ikm.percentile(values, 50) == pytest.approx(statistics.median(values), abs=0.006)


def test_no_values_no_percentile():
    assert ikm.percentile([], 50) is None
    assert ikm.percentile([4.0], 90) == 4.0
