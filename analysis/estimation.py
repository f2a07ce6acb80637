"""Rates and their 95% intervals: unweighted (Wilson) and design-based (Taylor linearisation).

All rates here are fractions in [0, 1]; :mod:`analysis.results` turns them into
percentages. An estimate is a ratio of weighted sums over the respondents who gave a
valid answer (spec §3: satisfied / valid × 100, with weights 1 for a simple sample).

Variance
--------
A criterion rate is the ratio :math:`\\hat p = \\sum w_i v_i y_i / \\sum w_i v_i`
(:math:`v_i = 1` for a valid answer). Its linearised value (Woodruff 1971) is
:math:`z_i = w_i v_i (y_i - \\hat p) / \\sum w_i v_i`, zero for respondents without a
valid answer or outside the domain, so that domains (units, strata, profiles) keep the
whole sample's design (domain estimation, Cochran 1977 §2.13). Sub-indices, halves and
the SIPAS overall are means of criterion rates, so their linearised values are the same
means of the criteria's :math:`z_i`: correlation between the criteria of one respondent
is accounted for.

* **Unweighted** (no design given): :math:`V = \\sum z_i^2` (simple random sampling with
  replacement; for one criterion this is exactly :math:`\\hat p(1-\\hat p)/n`). The
  interval is Wilson's score interval (Wilson 1927) at the effective sample size
  :math:`n^* = \\hat p(1-\\hat p)/V`, which is the nominal :math:`n` for a criterion.
* **Design-based** (weights, strata, optional clusters, finite-population correction):
  with :math:`U_{hj}` the sum of :math:`z_i` in PSU :math:`j` of stratum :math:`h`,
  :math:`m_h` PSUs in the stratum and sampling fraction :math:`f_h`,

  .. math:: V = \\sum_h (1 - f_h) \\frac{m_h}{m_h - 1} \\sum_j (U_{hj} - \\bar U_h)^2

  (Wolter 2007, §6.11; each respondent is its own PSU when there are no clusters). The
  95% interval is computed on the logit scale with Student's t at
  :math:`\\text{PSUs} - \\text{strata}` degrees of freedom and transformed back, so it
  stays inside [0, 1] for rates near 100% (Korn & Graubard 1999, §5.2; the default of
  samplics and of Stata's ``svy: proportion``). Effective n is
  :math:`n^* = \\hat p(1-\\hat p)/V` and the design effect :math:`n / n^*` (Kish 1965).
  A rate of exactly 0 or 1 has :math:`V = 0`; its interval is Wilson's at the nominal n.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. JASA 22, 209–212.
Woodruff, R. S. (1971). A simple method for approximating the variance of a complicated
estimate. JASA 66, 411–414.
Kish, L. (1965). Survey Sampling. Wiley.
Korn, E. L., Graubard, B. I. (1999). Analysis of Health Surveys. Wiley.
Wolter, K. M. (2007). Introduction to Variance Estimation, 2nd ed. Springer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Design:
    """How the respondents were selected, row-aligned with the answers.

    Parameters
    ----------
    weights
        Design weights (after any non-response adjustment), all positive.
    strata
        Stratum index of each row (``0 .. H-1``).
    psus
        Primary sampling unit index of each row, unique across strata; ``None`` when
        every respondent is its own PSU (no clustering).
    sampling_fractions
        :math:`f_h` per stratum index for the finite-population correction
        :math:`1 - f_h`; zeros when the population is taken as infinite.
    stratum_names
        The strata's names, for reports.
    """

    weights: FloatArray
    strata: IntArray
    psus: IntArray | None
    sampling_fractions: FloatArray
    stratum_names: tuple[str, ...]

    @property
    def n_psus(self) -> int:
        if self.psus is None:
            return int(self.weights.size)
        return int(np.unique(self.psus).size)

    @property
    def n_strata(self) -> int:
        return len(self.stratum_names)

    @property
    def degrees_of_freedom(self) -> int:
        """PSUs − strata (Korn & Graubard 1999, §5.2)."""
        return self.n_psus - self.n_strata


def build_design(
    weights: Sequence[float] | FloatArray,
    strata: Sequence[str] | None = None,
    psus: Sequence[str] | None = None,
    sampling_fractions: Mapping[str, float] | None = None,
) -> Design:
    """Check and index a design given by per-row labels.

    Parameters
    ----------
    weights
        Positive, finite design weight per row.
    strata
        Stratum label per row; ``None`` for one stratum.
    psus
        Cluster label per row (e.g. the hamlet of an area sample); labels are taken
        within their stratum. ``None`` when respondents were selected individually.
    sampling_fractions
        Sampling fraction per stratum label, in [0, 1); strata not listed get 0.

    Raises
    ------
    ValueError
        Naming the parameter that is wrong.
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError("weights must be one value per respondent")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError("weights must be positive finite numbers")
    labels = list(strata) if strata is not None else ["all"] * w.size
    if len(labels) != w.size:
        raise ValueError("strata must have one label per respondent")
    names, stratum_index = np.unique(np.asarray(labels, dtype=object), return_inverse=True)
    stratum_names = tuple(str(n) for n in names)
    psu_index: IntArray | None = None
    if psus is not None:
        if len(psus) != w.size:
            raise ValueError("psus must have one label per respondent")
        keys = np.asarray([f"{s}\x1f{p}" for s, p in zip(labels, psus, strict=True)], dtype=object)
        psu_index = np.unique(keys, return_inverse=True)[1].astype(np.int64)
    fractions = np.zeros(len(stratum_names))
    for name, fraction in (sampling_fractions or {}).items():
        if not 0 <= fraction < 1:
            raise ValueError(f"sampling_fractions[{name!r}] must be in [0, 1), got {fraction}")
        if name in stratum_names:
            fractions[stratum_names.index(name)] = fraction
    return Design(
        weights=w,
        strata=stratum_index.astype(np.int64),
        psus=psu_index,
        sampling_fractions=fractions,
        stratum_names=stratum_names,
    )


@dataclass(frozen=True)
class Estimates:
    """Rates of several columns (criteria, then composites) in one domain.

    Every array has one value per column; ``rate`` and the interval are fractions in
    [0, 1] and ``nan`` where the column has no valid answer in the domain.
    """

    rate: FloatArray
    n: IntArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    n_effective: FloatArray
    design_effect: FloatArray


def wilson_interval(
    p: FloatArray, n: FloatArray, confidence: float = CONFIDENCE
) -> tuple[FloatArray, FloatArray]:
    """Wilson's score interval for proportions ``p`` observed on ``n`` (possibly effective) trials.

    Returns ``nan`` where ``n`` is 0.

    Examples
    --------
    >>> low, high = wilson_interval(np.array([0.8]), np.array([10.0]))
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.4902, 0.9433)
    """
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return centre - half, centre + half


def logit_interval(
    p: FloatArray, se: FloatArray, df: int, confidence: float = CONFIDENCE
) -> tuple[FloatArray, FloatArray]:
    """Interval for ``p`` built on the logit scale with Student's t at ``df`` degrees of freedom."""
    t = float(stats.t.ppf(0.5 + confidence / 2, df)) if df > 0 else np.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.log(p / (1 - p))
        spread = t * se / (p * (1 - p))
        low = 1 / (1 + np.exp(-(centre - spread)))
        high = 1 / (1 + np.exp(-(centre + spread)))
    return low, high


class Engine:
    """Estimates criteria and composites of them, in any domain, for one data set.

    Built once per data set; :meth:`estimate` is then called per domain. Rows are
    sorted by stratum and PSU once so that per-domain PSU totals are contiguous sums.

    Parameters
    ----------
    scores
        ``(n, K)`` score of each respondent on each criterion: 1/0 (satisfied or not)
        for top-two-box, the rescaled mean score in [0, 1] otherwise; ``nan`` where the
        answer is not valid (not asked, skipped, or "not applicable").
    composites
        ``(K, C)`` 0/1 membership of criteria in composites (sub-indices, halves, the
        overall index).
    design
        ``None`` for an unweighted analysis.
    """

    def __init__(
        self, scores: FloatArray, composites: FloatArray, design: Design | None = None
    ) -> None:
        n = scores.shape[0]
        if design is not None:
            order = np.lexsort(
                (design.psus if design.psus is not None else np.arange(n), design.strata)
            )
        else:
            order = np.arange(n)
        self._order = order
        self._rank = np.empty(n, dtype=np.int64)
        self._rank[order] = np.arange(n)
        scores = scores[order]
        valid = ~np.isnan(scores)
        weights = design.weights[order] if design is not None else np.ones(n)
        self._wv = valid * weights[:, None]
        self._wy = np.where(valid, scores, 0.0) * weights[:, None]
        answered = np.hstack((valid, valid.astype(np.float64) @ composites > 0))
        self._answered = answered.astype(np.int8)
        self._composites = composites
        self._design = design
        self._clustered = design is not None and design.psus is not None
        if design is not None:
            self._strata = design.strata[order]
            self._psus = design.psus[order] if design.psus is not None else np.arange(n)
            per_stratum = np.zeros(design.n_strata)
            first_of_psu = np.r_[True, np.diff(self._psus) != 0]
            np.add.at(per_stratum, self._strata[first_of_psu], 1.0)
            self._psus_per_stratum = per_stratum
            self._df = design.degrees_of_freedom

    @property
    def degrees_of_freedom(self) -> int | None:
        return self._df if self._design is not None else None

    def rows(self, mask: BoolArray | None) -> IntArray:
        """Sorted internal row positions of a domain given as a mask in input order."""
        if mask is None:
            return np.arange(self._order.size)
        return np.sort(self._rank[np.flatnonzero(mask)])

    def estimate(self, rows: IntArray) -> Estimates:
        """Rates, n, standard errors, 95% intervals, effective n and design effects.

        ``rows`` come from :meth:`rows`. Composite rates are the mean of their
        criteria that have at least one valid answer in the domain.
        """
        wv = self._take(self._wv, rows)
        wy = self._take(self._wy, rows)
        totals = wv.sum(axis=0)
        defined = totals > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            p_criteria = np.where(defined, wy.sum(axis=0) / totals, np.nan)
            inverse = np.where(defined, 1 / totals, 0.0)
        k = p_criteria.size
        z_all = np.empty((wv.shape[0], k + self._composites.shape[1]))
        z = z_all[:, :k]
        np.multiply(wv, np.nan_to_num(p_criteria), out=z)
        np.subtract(wy, z, out=z)
        z *= inverse
        membership = self._composites * defined[:, None]
        sizes = membership.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            mixing = np.where(sizes > 0, membership / sizes, 0.0)
            p_composites = np.where(sizes > 0, np.nan_to_num(p_criteria) @ mixing, np.nan)
        np.matmul(z, mixing, out=z_all[:, k:])
        rate = np.concatenate((p_criteria, p_composites))
        n = self._take(self._answered, rows).sum(axis=0, dtype=np.int64)

        variance = self._variance(rows, z_all)
        se = np.sqrt(variance)
        spread = rate * (1 - rate)
        with np.errstate(divide="ignore", invalid="ignore"):
            n_eff = np.where(variance > 0, spread / variance, n.astype(np.float64))
        n_eff = np.where(n > 0, n_eff, np.nan)
        degenerate = (variance <= 0) | (spread <= 0)
        if self._design is None:
            low, high = wilson_interval(rate, n_eff)
            deff = np.where(n > 0, 1.0, np.nan)
        else:
            low, high = logit_interval(rate, se, self._df)
            w_low, w_high = wilson_interval(rate, n.astype(np.float64))
            low = np.where(degenerate, w_low, low)
            high = np.where(degenerate, w_high, high)
            with np.errstate(divide="ignore", invalid="ignore"):
                deff = np.where(degenerate | (n == 0), np.nan, n / n_eff)
        return Estimates(
            rate=rate,
            n=n,
            se=np.where(n > 0, se, np.nan),
            ci_low=low,
            ci_high=high,
            n_effective=n_eff,
            design_effect=deff,
        )

    @staticmethod
    def _take(array: npt.NDArray[Any], rows: IntArray) -> npt.NDArray[Any]:
        """``array[rows]``, as a view when the rows are consecutive (a stratum, a unit)."""
        if rows.size and int(rows[-1]) - int(rows[0]) + 1 == rows.size:
            return array[int(rows[0]) : int(rows[-1]) + 1]
        return array[rows]

    def _variance(self, rows: IntArray, z: FloatArray) -> FloatArray:
        if self._design is None or rows.size == 0:
            return np.asarray(np.einsum("ij,ij->j", z, z), dtype=np.float64)
        strata = self._take(self._strata, rows)
        if self._clustered:
            psus = self._take(self._psus, rows)
            starts = np.flatnonzero(np.r_[True, np.diff(psus) != 0])
            psu_totals = np.add.reduceat(z, starts, axis=0)
            psu_strata = strata[starts]
        else:
            psu_totals, psu_strata = z, strata
        stratum_starts = np.flatnonzero(np.r_[True, np.diff(psu_strata) != 0])
        strata = psu_strata[stratum_starts]
        sums = np.add.reduceat(psu_totals, stratum_starts, axis=0)
        squares = np.add.reduceat(psu_totals * psu_totals, stratum_starts, axis=0)
        m = self._psus_per_stratum[strata][:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            within = np.where(m > 1, (squares - sums * sums / m) * m / (m - 1), 0.0)
        fpc = (1 - self._design.sampling_fractions[strata])[:, None]
        return np.asarray(np.maximum((fpc * within).sum(axis=0), 0.0), dtype=np.float64)
