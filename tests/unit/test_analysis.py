"""Hand-built answer sets whose rates can be counted by hand, and the intervals."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

import numpy as np
import pytest
from scipy import stats

from analysis import (
    Respondent,
    SampledPerson,
    adjust_for_nonresponse,
    analyse,
    public,
    result_dict,
    tabulate,
    year_on_year,
)
from analysis.estimation import wilson_interval
from questionnaires import Questionnaire, bundled_path, load_questionnaire, load_questionnaire_file

SERVICE = ["S24", "S25", "S26", "S27", "S28", "S29", "S30", "S31", "S32", "S33", "S34", "S35"]


def form() -> Questionnaire:
    return load_questionnaire_file(bundled_path("unit-service"))


def answers(score: int, **extra: object) -> dict[str, object]:
    """Every criterion 24–36 answered ``score``; the feedback gate closed unless given."""
    base: dict[str, object] = dict.fromkeys([*SERVICE, "S36"], score)
    base.update({"GATE_PAKN": "2", "R_SEX": "1", "R_AGE": "2", "R_AREA": "1"})
    base.update({f"X{i:02d}": 2 for i in range(1, 11)})
    base.update(extra)
    return base


def hand_set() -> list[Respondent]:
    """Five people at two units. Counted by hand:

    * S24: answers 5, 4, 3, na, 1 → 2 satisfied of 4 valid = 50%;
    * S25–S36: 5, 4, 3, 2, 1 → 2 of 5 = 40%;
    * K (S37–S39): only the two who filed feedback (gate 1) are asked: 5 and 3 → 50%.
    """
    return [
        Respondent(answers(5, GATE_PAKN="1", S37=5, S38=5, S39=5), unit="u1", mode="interview"),
        Respondent(answers(4, R_SEX="2"), unit="u1", mode="interview"),
        Respondent(answers(3, GATE_PAKN="1", S37=3, S38=3, S39=3), unit="u2", mode="self"),
        Respondent(answers(2, R_SEX="2", S24="na"), unit="u2", mode="paper"),
        Respondent(answers(1, R_SEX="2", R_AREA="2", S24=1), unit="u2", mode="paper"),
    ]


def test_hand_counted_rates() -> None:
    result = analyse(form(), tabulate(form(), hand_set()))
    overall = result.overall
    assert overall.criteria["S24"].rate == pytest.approx(50.0)
    assert overall.criteria["S24"].n == 4  # "na" is not a valid answer
    assert overall.criteria["S25"].rate == pytest.approx(40.0)
    assert overall.criteria["S37"].rate == pytest.approx(50.0)
    assert overall.criteria["S37"].n == 2
    assert overall.subindices["E"].rate == pytest.approx((50 + 40 + 40) / 3)
    assert overall.subindices["K"].rate == pytest.approx(50.0)
    assert overall.subindices["K"].n == 2
    # 16 criteria: S24 50%, S25–S36 40% each, S37–S39 50% each
    assert overall.sipas.rate == pytest.approx((50 + 12 * 40 + 3 * 50) / 16)  # 42.5
    assert overall.halves["service"].rate == pytest.approx(42.5)
    assert overall.sipas.n == 5
    assert result.units["u1"].criteria["S25"].rate == pytest.approx(100.0)
    assert result.units["u2"].criteria["S25"].rate == pytest.approx(0.0)
    assert result.units["u2"].criteria["S37"].n == 1
    assert result.profiles["sex"]["Nữ"].criteria["S25"].rate == pytest.approx(100 / 3)
    assert set(result.profiles["mode"]) == {"interview", "paper", "self"}


def test_na_and_gated_items_are_not_zeros() -> None:
    people = [
        Respondent(answers(5, S24="na")),
        Respondent(answers(5)),
    ]
    result = analyse(form(), tabulate(form(), people))
    assert result.overall.criteria["S24"].rate == pytest.approx(100.0)
    assert result.overall.criteria["S24"].n == 1
    assert result.overall.criteria["S37"].rate is None  # nobody filed feedback
    assert result.overall.criteria["S37"].n == 0
    assert result.overall.sipas.rate == pytest.approx(100.0)  # K left out of the mean


def test_wilson_interval_for_a_criterion() -> None:
    people = [Respondent(answers(5 if i < 8 else 2)) for i in range(10)]
    cell = analyse(form(), tabulate(form(), people)).overall.criteria["S25"]
    assert cell.rate == pytest.approx(80.0)
    # Wilson 95% for 8 of 10, written out: (p + z²/2n ± z√(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    z = stats.norm.ppf(0.975)
    p, n = 0.8, 10
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert cell.ci_low == pytest.approx((centre - half) * 100)
    assert cell.ci_high == pytest.approx((centre + half) * 100)
    assert cell.ci_low == pytest.approx(49.02, abs=0.005)
    assert cell.ci_high == pytest.approx(94.33, abs=0.005)
    assert cell.n_effective == pytest.approx(10)
    assert cell.design_effect == pytest.approx(1.0)


def test_wilson_at_zero_and_hundred_percent_stays_in_range() -> None:
    low, high = wilson_interval(np.array([0.0, 1.0]), np.array([12.0, 12.0]))
    assert low[0] == pytest.approx(0.0, abs=1e-12)
    assert 0 < high[0] < 0.3
    assert 0.7 < low[1] < 1
    assert high[1] == pytest.approx(1.0)


def test_mean_rescaled_rule() -> None:
    text = bundled_path("unit-service").read_text(encoding="utf-8")
    rescaled = load_questionnaire(text.replace("rule: top_two_box", "rule: mean_rescaled"))
    people = [Respondent(answers(score)) for score in (5, 4, 3, 2, 1)]
    result = analyse(rescaled, tabulate(rescaled, people))
    # mean answer 3 → (3 − 1) / 4 × 100 = 50
    assert result.overall.criteria["S25"].rate == pytest.approx(50.0)
    assert result.scoring_rule == "mean_rescaled"


def _independent_taylor(
    people: list[Respondent],
    codes: list[str],
    domain: Callable[[Respondent], bool],
    fractions: dict[str, float],
) -> tuple[float, float]:
    """A straightforward loop implementation of the stratified, clustered Taylor variance
    of a mean of criterion rates in a domain (Wolter 2007, §6.11)."""
    rates: dict[str, float] = {}
    z: defaultdict[int, float] = defaultdict(float)
    for code in codes:
        rows = [
            (i, p)
            for i, p in enumerate(people)
            if domain(p) and isinstance(p.answers.get(code), int)
        ]
        total = sum(p.weight or 0.0 for _, p in rows)
        rate = sum(p.weight or 0.0 for _, p in rows if p.answers[code] >= 4) / total
        rates[code] = rate
        for i, p in rows:
            z[i] += (
                (p.weight or 0.0)
                * ((1.0 if p.answers[code] >= 4 else 0.0) - rate)
                / total
                / len(codes)
            )
    psu_totals: defaultdict[tuple[str | None, str | None], float] = defaultdict(float)
    psus_of: defaultdict[str | None, set[str | None]] = defaultdict(set)
    for i, p in enumerate(people):
        psus_of[p.stratum].add(p.psu)
        psu_totals[(p.stratum, p.psu)] += z.get(i, 0.0)
    variance = 0.0
    for stratum, psus in psus_of.items():
        m = len(psus)
        values = [psu_totals[(stratum, psu)] for psu in psus]
        mean = sum(values) / m
        variance += (
            (1 - fractions.get(stratum or "", 0))
            * m
            / (m - 1)
            * sum((v - mean) ** 2 for v in values)
        )
    return sum(rates.values()) / len(codes), variance


def _independent_srs_variance(
    people: list[Respondent], codes: list[str], domain: Callable[[Respondent], bool]
) -> float:
    """The same estimator's variance under simple random sampling of the same n, with
    weighted population moments (Kish 1965 §8.2), by loops: z_i with every weight 1 and
    the weighted rates, each respondent weighted by w_i over the mean weight of n."""
    counted = [
        p for p in people if domain(p) and any(isinstance(p.answers.get(c), int) for c in codes)
    ]
    mean_weight = sum(p.weight or 0.0 for p in counted) / len(counted)
    rates, sizes = {}, {}
    for code in codes:
        rows = [p for p in counted if isinstance(p.answers.get(code), int)]
        sizes[code] = len(rows)
        total = sum(p.weight or 0.0 for p in rows)
        rates[code] = sum(p.weight or 0.0 for p in rows if p.answers[code] >= 4) / total
    variance = 0.0
    for p in counted:
        z = sum(
            ((1.0 if p.answers[code] >= 4 else 0.0) - rates[code]) / sizes[code] / len(codes)
            for code in codes
            if isinstance(p.answers.get(code), int)
        )
        variance += (p.weight or 0.0) / mean_weight * z * z
    return variance


def _weighted_people(seed: int = 7) -> list[Respondent]:
    rng = np.random.default_rng(seed)
    people = []
    for stratum, weight in (("a", 12.0), ("b", 30.0), ("c", 5.5)):
        for cluster in range(4):
            for _ in range(int(rng.integers(3, 7))):
                scores = rng.integers(1, 6, size=16)
                extra: dict[str, object] = {
                    c: int(s) for c, s in zip([*SERVICE, "S36"], scores, strict=False)
                }
                if rng.random() < 0.3:
                    extra["S24"] = "na"
                person = answers(3, **extra)
                people.append(
                    Respondent(
                        person,
                        unit=f"u{cluster % 2}",
                        stratum=stratum,
                        weight=weight * float(rng.uniform(0.8, 1.25)),
                        psu=f"{stratum}{cluster}",
                    )
                )
    return people


def test_design_based_estimates_match_an_independent_computation() -> None:
    people = _weighted_people()
    fractions = {"a": 0.1, "b": 0.02, "c": 0.25}
    table = tabulate(form(), people, sampling_fractions=fractions)
    result = analyse(form(), table)
    assert result.weighted
    assert result.psus == 12
    assert result.degrees_of_freedom == 12 - 3
    t = stats.t.ppf(0.975, 9)
    cases = [
        (result.overall.criteria["S24"], ["S24"], lambda p: True),
        (result.overall.subindices["G"], ["S27", "S28", "S29", "S30"], lambda p: True),
        (result.units["u1"].criteria["S31"], ["S31"], lambda p: p.unit == "u1"),
        (result.units["u0"].subindices["E"], ["S24", "S25", "S26"], lambda p: p.unit == "u0"),
    ]
    for cell, codes, domain in cases:
        rate, variance = _independent_taylor(people, codes, domain, fractions)
        assert cell.rate == pytest.approx(rate * 100, rel=1e-12)
        assert cell.se == pytest.approx(math.sqrt(variance) * 100, rel=1e-9)
        logit, spread = math.log(rate / (1 - rate)), t * math.sqrt(variance) / (rate * (1 - rate))
        assert cell.ci_low == pytest.approx(100 / (1 + math.exp(-(logit - spread))), rel=1e-9)
        assert cell.ci_high == pytest.approx(100 / (1 + math.exp(-(logit + spread))), rel=1e-9)
        srs = _independent_srs_variance(people, codes, domain)
        if len(codes) == 1:
            assert srs == pytest.approx(rate * (1 - rate) / cell.n, rel=1e-12)
        assert cell.design_effect == pytest.approx(variance / srs, rel=1e-9)
        assert cell.n_effective == pytest.approx(cell.n * srs / variance, rel=1e-9)


def test_weights_for_some_but_not_all_are_refused() -> None:
    people = [Respondent(answers(5), weight=2.0), Respondent(answers(4))]
    with pytest.raises(ValueError, match="respondent 2 has no weight"):
        tabulate(form(), people)


def test_nonresponse_adjustment_within_strata() -> None:
    people = [
        SampledPerson("a", 10.0, 0.1, "completed", key=1),
        SampledPerson("a", 10.0, 0.1, "completed", key=2),
        SampledPerson("a", 10.0, 0.1, "refused", key=3),
        SampledPerson("a", 10.0, 0.1, "ineligible", key=4),
        SampledPerson("a", 10.0, 0.1, "replaced", key=5),
        SampledPerson("a", 10.0, 0.1, "completed", is_reserve=True, key=6, replaces=5),
        SampledPerson("a", 10.0, 0.1, "pending", is_reserve=True, key=7),
        SampledPerson("b", 4.0, 0.25, "completed", key=8),
        SampledPerson("b", 4.0, 0.25, "not_reachable", key=9),
    ]
    adjusted = adjust_for_nonresponse(people)
    # a: slots 1, 2, 3, 5 (held by reserve 6) eligible = 40; responded 30 → factor 4/3
    assert adjusted.factors["a"] == pytest.approx(4 / 3)
    assert adjusted.weights[0] == pytest.approx(40 / 3)
    assert adjusted.weights[2] is None
    assert adjusted.weights[4] is None
    assert adjusted.weights[5] == pytest.approx(40 / 3)
    assert adjusted.weights[6] is None
    assert adjusted.factors["b"] == pytest.approx(2.0)
    assert adjusted.response_rates == {"a": 0.75, "b": 0.5}
    assert adjusted.sampling_fractions == {"a": pytest.approx(0.1), "b": pytest.approx(0.25)}
    total_a = sum(
        w for w, p in zip(adjusted.weights, people, strict=False) if w and p.stratum == "a"
    )
    assert total_a == pytest.approx(40.0)


def test_a_pending_released_reserve_keeps_the_slot_weight_and_counts_in_the_rate() -> None:
    """The issue's case: N_h = 100, ten drawn (d = 10): 8 complete, 1 refused, 1 replaced
    by a reserve who is still pending. The slot stays: weights add up to 100 and the
    response rate is 8/10 (before: 90 and 8/9)."""
    people = [SampledPerson("h", 10.0, 0.1, "completed", key=k) for k in range(8)]
    people += [
        SampledPerson("h", 10.0, 0.1, "refused", key=8),
        SampledPerson("h", 10.0, 0.1, "replaced", key=9),
        SampledPerson("h", 10.0, 0.1, "pending", is_reserve=True, key=10, replaces=9),
        SampledPerson("h", 10.0, 0.1, "pending", is_reserve=True, key=11),
    ]
    adjusted = adjust_for_nonresponse(people)
    assert sum(w for w in adjusted.weights if w is not None) == pytest.approx(100.0)
    assert adjusted.response_rates["h"] == pytest.approx(0.8)
    assert adjusted.weights[0] == pytest.approx(12.5)


def test_small_cells_are_flagged_and_withheld_from_public_output() -> None:
    people = [Respondent(answers(5), unit="big") for _ in range(10)]
    people.append(Respondent(answers(4), unit="tiny"))
    result = analyse(form(), tabulate(form(), people))
    assert not result.units["big"].sipas.small
    assert result.units["tiny"].sipas.small
    assert result.units["tiny"].sipas.rate == pytest.approx(100.0)
    shown = public(result)
    assert shown.units["tiny"].sipas.rate is None
    assert shown.units["tiny"].sipas.n == 1
    assert shown.units["tiny"].criteria["S25"].ci_low is None
    assert shown.units["big"].sipas.rate == pytest.approx(100.0)


def test_expectations_ranked_by_share_answering_very_much() -> None:
    people = [Respondent(answers(5, X07=1, X03=1 if i < 2 else 3, P19="2")) for i in range(4)]
    result = analyse(form(), tabulate(form(), people))
    ranked = [(t.item, t.rank) for t in result.expectations[:2]]
    assert ranked == [("X07", 1), ("X03", 2)]
    x03 = result.expectations[1]
    assert [s.share for s in x03.shares] == [50.0, 0.0, 50.0]
    assert result.harassment is None  # the unit form has no perception block


def test_harassment_and_informal_payment_shares() -> None:
    national = load_questionnaire_file(bundled_path("national-2024"))
    people = [
        Respondent({"P19": "1", "P20": "1"}),
        Respondent({"P19": "2", "P20": "1"}),
        Respondent({"P19": "3", "P20": "1"}),
        Respondent({"P19": "1", "P20": "2"}),
    ]
    result = analyse(national, tabulate(national, people))
    assert result.harassment is not None
    assert result.informal_payment is not None
    assert [s.share for s in result.harassment.shares] == [50.0, 25.0, 25.0]
    assert [s.count for s in result.informal_payment.shares] == [3, 1, 0]
    assert result.perception[0].item == "P01"


def test_year_on_year_change() -> None:
    before = result_dict(analyse(form(), tabulate(form(), hand_set())))
    now_people = [Respondent(answers(5), unit="u1") for _ in range(4)]
    now = result_dict(analyse(form(), tabulate(form(), now_people)))
    change = year_on_year(now, before)
    assert change["criteria"]["S25"]["change"] == pytest.approx(60.0)
    assert change["units"]["u1"]["sipas"]["previous"] == before["units"]["u1"]["sipas"]["rate"]
    assert change["criteria"]["S37"]["change"] is None  # no feedback this year


def test_result_dict_holds_no_answers_or_free_text() -> None:
    people = [Respondent(answers(5, X_OTHER="Số điện thoại của tôi 0912345678"))]
    text = str(result_dict(analyse(form(), tabulate(form(), people))))
    assert "0912345678" not in text
