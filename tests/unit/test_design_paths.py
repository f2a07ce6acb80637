"""The design is used in every path: strata and clusters without weights, the
finite-population correction from population sizes, census strata, strata with one PSU
(R survey's rules), design effects of composites and intervals of unweighted composites.

Every expected value is computed by hand in the test's docstring from the formulas of
:mod:`analysis.estimation` (Wolter 2007 §6.11; Korn & Graubard 1999 §5.2; R survey's
``svyrecvar`` and ``survey.lonely.psu``)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from scipy import stats
from typer.testing import CliRunner

from analysis import Respondent, analyse, tabulate
from analysis.estimation import LonelyPsu, LonelyPsuError
from app.cli.main import cli
from questionnaires import Questionnaire, bundled_path, load_questionnaire_file

CRITERIA = [f"S{n}" for n in range(24, 37)]
CLUSTERS = {"a1": [5, 5, 1], "a2": [4, 2, 2], "a3": [5, 4, 5]}
"""One stratum of three clusters: satisfied 2, 1 and 3 of 3, so p = 6/9 = 2/3."""


def form() -> Questionnaire:
    return load_questionnaire_file(bundled_path("unit-service"))


def answers(score: int) -> dict[str, object]:
    base: dict[str, object] = dict.fromkeys(CRITERIA, score)
    base.update({"GATE_PAKN": "2", "R_SEX": "1", "R_AGE": "2", "R_AREA": "1"})
    base.update({f"X{i:02d}": 2 for i in range(1, 11)})
    return base


def people(clusters: dict[str, list[int]], stratum: str = "a") -> list[Respondent]:
    return [
        Respondent(answers(score), stratum=stratum, psu=psu)
        for psu, scores in clusters.items()
        for score in scores
    ]


def logit_ci(p: float, variance: float, df: int) -> tuple[float, float]:
    t = stats.t.ppf(0.975, df)
    centre, spread = math.log(p / (1 - p)), t * math.sqrt(variance) / (p * (1 - p))
    return 100 / (1 + math.exp(-(centre - spread))), 100 / (1 + math.exp(-(centre + spread)))


def write_csv(tmp_path: Path, rows: list[tuple[int, str, str, str]]) -> Path:
    header = [*CRITERIA, "GATE_PAKN", "R_SEX", "R_AGE", "R_AREA", "stratum", "psu", "N"]
    lines = [",".join(header)]
    for score, stratum, psu, population in rows:
        lines.append(",".join([*(str(score) for _ in CRITERIA), "2", "1", "2", "1"]))
        lines[-1] += f",{stratum},{psu},{population}"
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def analyze(path: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            *("--questionnaire", "unit-service", "--answers", str(path)),
            *("--stratum-column", "stratum", "--psu-column", "psu"),
            *extra,
        ],
    )
    return (
        result.exit_code,
        json.loads(result.stdout) if result.exit_code == 0 else {},
        result.stderr,
    )


def clustered_rows(population: str = "") -> list[tuple[int, str, str, str]]:
    return [(s, "a", psu, population) for psu, scores in CLUSTERS.items() for s in scores]


def test_strata_and_clusters_without_weights_use_the_design_not_wilson(tmp_path: Path) -> None:
    """Weights of 1. z_i = (y_i − 2/3)/9; cluster totals 0, −1/9, 1/9 (mean 0);
    V = 3/2 · (0 + 1/81 + 1/81) = 1/27; logit interval, t at 3 − 1 = 2 df (what R gives
    with svydesign(ids = ~psu, data) and svyciprop(method = "logit"))."""
    path = write_csv(tmp_path, clustered_rows())
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    code, data, err = analyze(path)
    assert code == 0, err
    cell = data["criteria"]["S25"]  # type: ignore[index]
    assert cell["rate"] == pytest.approx(200 / 3)
    assert cell["se"] == pytest.approx(100 * math.sqrt(1 / 27), rel=1e-12)
    low, high = logit_ci(2 / 3, 1 / 27, 2)
    assert cell["ci"] == [pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12)]
    assert data["design"]["degrees_of_freedom"] == 2  # type: ignore[index]


def test_population_column_gives_the_finite_population_correction(tmp_path: Path) -> None:
    """Ten clusters in the population, three sampled: f = 3/10, V = 0.7 · 1/27."""
    code, data, err = analyze(write_csv(tmp_path, clustered_rows("10")), "--population-column", "N")
    assert code == 0, err
    cell = data["criteria"]["S25"]  # type: ignore[index]
    assert cell["se"] == pytest.approx(100 * math.sqrt(0.7 / 27), rel=1e-12)


def test_a_population_below_the_sample_is_refused_naming_the_stratum(tmp_path: Path) -> None:
    code, _, err = analyze(write_csv(tmp_path, clustered_rows("2")), "--population-column", "N")
    assert code == 1
    assert "stratum 'a': population size 2 is below its 3 sampled units" in err


def test_a_census_stratum_adds_no_variance() -> None:
    """Stratum b is a census (f = 1): the variance is stratum a's alone. With p over both
    strata p = (6 + 1)/12, stratum a's cluster totals (Σy − 3p)/12 are 0.25/12,
    −0.75/12, 1.25/12: V = 3/2 · 2/144 = 1/48."""
    group = people(CLUSTERS) + people({"b1": [5, 1, 1]}, "b")
    table = tabulate(form(), group, sampling_fractions={"b": 1.0})
    cell = analyse(form(), table).overall.criteria["S25"]
    assert cell.se == pytest.approx(100 * math.sqrt(1 / 48), rel=1e-12)


@pytest.mark.parametrize(
    ("rule", "variance"),
    [
        # stratum a as above, V_a = 1/48; stratum b's one PSU total U = (1 − 21/12)/12 = −1/16
        (LonelyPsu.CERTAINTY, 1 / 48),  # b adds nothing
        (LonelyPsu.ADJUST, 1 / 48 + 1 / 256),  # (U − Σ totals / 4 PSUs)² = (−1/16 − 0)²
        (LonelyPsu.AVERAGE, 2 / 1 * 1 / 48),  # scaled by H / (H − L) = 2 / 1
    ],
)
def test_a_stratum_with_one_psu_follows_the_chosen_rule(rule: LonelyPsu, variance: float) -> None:
    group = people(CLUSTERS) + people({"b1": [5, 1, 1]}, "b")
    result = analyse(form(), tabulate(form(), group, lonely_psu=rule))
    cell = result.overall.criteria["S25"]
    assert cell.rate == pytest.approx(700 / 12)
    assert cell.se == pytest.approx(100 * math.sqrt(variance), rel=1e-12)
    assert result.degrees_of_freedom == 4 - 2
    low, high = logit_ci(7 / 12, variance, 2)
    assert [cell.ci_low, cell.ci_high] == pytest.approx([low, high])


def test_a_stratum_with_one_psu_is_an_error_naming_it_unless_a_rule_is_chosen(
    tmp_path: Path,
) -> None:
    group = people(CLUSTERS) + people({"b1": [5, 1, 1]}, "b")
    with pytest.raises(LonelyPsuError, match="stratum 'b' has only one primary sampling unit"):
        tabulate(form(), group)
    rows = [*clustered_rows(), (5, "b", "b1", ""), (1, "b", "b1", "")]
    path = write_csv(tmp_path, rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    code, _, err = analyze(path)
    assert code == 1
    assert "stratum 'b' has only one primary sampling unit" in err
    code, _, err = analyze(path, "--lonely-psu", "certainty")
    assert code == 0, err


def test_composite_design_effect_is_against_srs_of_the_same_n() -> None:
    """One stratum, weights 1, no clusters: the design *is* simple random sampling, whose
    variance n/(n−1) Σ z_i² (z summing to 0) against Σ z_i² gives deff = n/(n−1) for
    every figure, the overall index included (before: 0.03 or 1.0 with effective n
    409 for n = 7)."""
    scores = [5, 4, 1, 2, 5, 5, 3]
    group = [Respondent(answers(s), stratum="all") for s in scores]
    group[1] = Respondent({**answers(4), "S24": 1, "S30": 2}, stratum="all")
    result = analyse(form(), tabulate(form(), group))
    for cell in (
        result.overall.sipas,
        result.overall.subindices["G"],
        result.overall.criteria["S24"],
    ):
        assert cell.design_effect == pytest.approx(7 / 6, rel=1e-12)
        assert cell.n_effective == pytest.approx(6.0, rel=1e-12)


def test_unweighted_composites_use_their_standard_error_with_t_and_n_over_n_minus_1() -> None:
    """No design. Seven people answer every criterion alike, five satisfied: the
    sub-index G has p = 5/7 and z_i = (y_i − p)/7 (the mean of four equal criteria), so
    V = 7/6 · Σ z_i² = p(1−p)/6 and the interval is the logit one at t(6); a criterion
    keeps Wilson's interval at n = 7."""
    group = [Respondent(answers(s), unit="u") for s in (5, 5, 4, 4, 5, 2, 1)]
    result = analyse(form(), tabulate(form(), group))
    p = 5 / 7
    for cell in (result.units["u"].subindices["G"], result.units["u"].sipas):
        assert cell.se == pytest.approx(100 * math.sqrt(p * (1 - p) / 6), rel=1e-12)
        low, high = logit_ci(p, p * (1 - p) / 6, 6)
        assert [cell.ci_low, cell.ci_high] == pytest.approx([low, high])
        assert (cell.n_effective, cell.design_effect) == (7.0, 1.0)
    z = stats.norm.ppf(0.975)
    criterion = result.units["u"].criteria["S25"]
    centre = (p + z * z / 14) / (1 + z * z / 7)
    assert criterion.ci_low is not None
    assert criterion.ci_high is not None
    assert (criterion.ci_low + criterion.ci_high) / 2 == pytest.approx(100 * centre)
