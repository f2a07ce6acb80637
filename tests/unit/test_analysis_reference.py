"""Published reference figures, reproduced at their published precision (spec §3–4).

Sources (OCR of the original reports, copied here so tests never read them):
* Sóc Trăng 2024: Báo cáo PAR Index, SIPAS 2024 tỉnh Sóc Trăng — SIPAS 81,62%; national
  PAR index criteria (23)–(27): 1,2375; 1,2375; 2,0808; 2,0720; 1,6074 = 8,2352. Sub-index
  rates A 80.85, B 80.23, C 80.98, D 81.52, E 82.50, G 82.50, H 83.23, I 82.88, K 80.37
  with 2, 2, 9, 10, 3, 4, 3, 3, 3 criteria (spec §3).
* An Giang 2023: Báo cáo 947/BC-SNV (21/5/2024), Phần hai — departments' SIPAS 88,56% ↔
  28,34 of 32 points.
* Sóc Trăng 2023: Báo cáo kết quả Chỉ số CCHC năm 2023 (Sở Nội vụ, 3/2024): its PAR
  tables are reproduced by ``test_par_seed_001.py``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from analysis import (
    Respondent,
    SipasResult,
    WeightScheme,
    analyse,
    bundled_scheme,
    percent,
    points,
    sipas_points,
    tabulate,
)
from analysis.rounding import round_half_up
from questionnaires import Questionnaire, bundled_path, load_questionnaire_file

SOC_TRANG_2024 = {
    "A": "80.85", "B": "80.23", "C": "80.98", "D": "81.52", "E": "82.50",
    "G": "82.50", "H": "83.23", "I": "82.88", "K": "80.37",
}  # fmt: skip
SOC_TRANG_2024_POINTS = ["1.2375", "1.2375", "2.0808", "2.0720", "1.6074"]
RESPONDENTS = 10_000
"""Every published rate has 2 decimals, so it is exactly k / 10,000 for a whole k."""


@pytest.fixture(scope="module")
def soc_trang_2024() -> tuple[Questionnaire, SipasResult]:
    """10,000 answer sets in which every criterion of a sub-index has its published rate."""
    form = load_questionnaire_file(bundled_path("national-2024"))
    satisfied = {
        item.code: int(Decimal(SOC_TRANG_2024[item.subindex or ""]) * RESPONDENTS / 100)
        for item in form.criteria()
    }
    respondents = []
    for i in range(RESPONDENTS):
        answers: dict[str, object] = {"GATE_TTHC": "1", "GATE_PAKN": "1"}
        answers.update({code: 5 if i < k else 2 for code, k in satisfied.items()})
        respondents.append(Respondent(answers))
    return form, analyse(
        form, tabulate(form, respondents), scheme=bundled_scheme("national-province")
    )


def shown(value: float | None, places: str = "percent") -> Decimal:
    """A computed figure as published; the figure must exist."""
    assert value is not None
    return percent(value) if places == "percent" else points(value)


def band_code(scheme: WeightScheme, value: float | Decimal) -> str:
    band = scheme.band(value)
    assert band is not None
    return band.code


def test_soc_trang_2024_overall_is_the_mean_of_all_39_criteria(
    soc_trang_2024: tuple[Questionnaire, SipasResult],
) -> None:
    form, result = soc_trang_2024
    counts = {code: len(items) for code, items in form.criteria_by_subindex().items()}
    assert counts == {"A": 2, "B": 2, "C": 9, "D": 10, "E": 3, "G": 4, "H": 3, "I": 3, "K": 3}
    for code, published in SOC_TRANG_2024.items():
        assert shown(result.overall.subindices[code].rate) == Decimal(published)
    assert shown(result.overall.sipas.rate) == Decimal("81.62")
    plain_mean = sum(float(v) for v in SOC_TRANG_2024.values()) / 9
    assert percent(plain_mean) == Decimal("81.67")  # what a mean of sub-indices would give


def test_soc_trang_2024_national_par_points(
    soc_trang_2024: tuple[Questionnaire, SipasResult],
) -> None:
    _, result = soc_trang_2024
    par = result.overall.par_points
    assert par is not None
    assert par.total is not None
    assert [str(shown(c.points, "points")) for c in par.components] == SOC_TRANG_2024_POINTS
    assert points(par.total) == Decimal("8.2352")
    assert par.max_points == Decimal("10.0")


def test_an_giang_2023_departments_points() -> None:
    scheme = bundled_scheme("an-giang-unit")
    par = sipas_points(scheme, overall=88.56, halves={}, subindices={})
    assert par.total is not None
    assert round_half_up(par.total, 2) == Decimal("28.34")
    assert par.max_points == Decimal(32)
    assert band_code(scheme, 90) == "A"
    assert band_code(scheme, 89.99) == "B"
    assert band_code(scheme, 79.99) == "C"


def test_soc_trang_bands_edges() -> None:
    scheme = bundled_scheme("soc-trang-unit")
    assert band_code(scheme, 90) == "2"  # group 1 is strictly above 90%
    assert band_code(scheme, 90.01) == "1"
    assert band_code(scheme, 65) == "3"
    assert band_code(scheme, 64.99) == "4"
    assert band_code(scheme, 49.99) == "5"
    assert scheme.components == ()


def test_rounding_is_half_up_on_the_decimal_value() -> None:
    assert Decimal.from_float(2.675) < Decimal("2.675")  # the binary float is 2.67499…
    assert points(2.08075) == Decimal("2.0808")
    assert points(2.5 * 83.23 / 100) == Decimal("2.0808")
    assert percent(0.125 * 100 + 0.0) == Decimal("12.50")
    assert percent(Decimal("81.625")) == Decimal("81.63")
    assert round(2.675, 2) == 2.67  # what Python would publish
    assert round_half_up(2.675, 2) == Decimal("2.68")
    with pytest.raises(ValueError, match="places"):
        round_half_up(1.0, -1)
