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

* **Unweighted** (no design given): each domain's respondents are taken as a simple
  random sample of it. A criterion has :math:`V = \\sum z_i^2 = \\hat p(1-\\hat p)/n`
  and Wilson's score interval (Wilson 1927) at its n. A composite (sub-index, half,
  overall) is a mean of rates, not a proportion, so its interval comes from its
  standard error: :math:`V = \\frac{n}{n-1} \\sum z_i^2` and a logit interval with
  Student's t at :math:`n - 1` degrees of freedom. Effective n is n and the design
  effect 1.
* **Design-based** (weights, strata, optional clusters, finite-population correction):
  with :math:`U_{hj}` the sum of :math:`z_i` in PSU :math:`j` of stratum :math:`h`,
  :math:`m_h` PSUs in the stratum and sampling fraction :math:`f_h`,

  .. math:: V = \\sum_h (1 - f_h) \\frac{m_h}{m_h - 1} \\sum_j (U_{hj} - \\bar U_h)^2

  (Wolter 2007, §6.11; each respondent is its own PSU when there are no clusters). A
  census stratum (:math:`f_h = 1`) adds no variance. A stratum with a single PSU has no
  variance estimate: it is an error naming the stratum unless a rule is chosen, named
  as R's ``survey`` package names them (Lumley 2010, §3.2; ``survey.lonely.psu``):
  ``certainty`` (it adds nothing), ``adjust`` (its PSU total is centred at the mean
  PSU total of the whole design, :math:`\\sum_{hj} U_{hj} / \\sum_h m_h`, instead of
  its own) or ``average`` (the variance is scaled by :math:`H / (H - L)` for
  :math:`L` such strata among :math:`H`). The 95% interval is computed on the logit
  scale with Student's t at :math:`\\text{PSUs} - \\text{strata}` degrees of freedom
  and transformed back, so it stays inside [0, 1] for rates near 100% (Korn & Graubard
  1999, §5.2; the default of samplics and of Stata's ``svy: proportion``).

  The design effect (Kish 1965, §8.2) is :math:`V / V_{SRS}` where :math:`V_{SRS}` is
  the variance of the *same* estimator under simple random sampling of the same n,
  with the population moments estimated with the weights:
  :math:`V_{SRS} = \\sum_i (w_i / \\bar w) \\check z_i^2`, :math:`\\check z_i` being the
  linearised value with every weight 1 (:math:`v_i (y_i - \\hat p)/n` for a criterion,
  the mean of its criteria's for a composite) and :math:`\\bar w` the mean weight of
  the respondents counted in n. For a criterion this is :math:`\\hat p(1-\\hat p)/n`;
  for a composite it accounts for the correlation of a respondent's answers, so a
  self-weighting unclustered sample has a design effect near 1. Effective n is
  :math:`n / \\text{deff}`. A rate of exactly 0 or 1 has :math:`V = 0`; its interval is
  Wilson's at the nominal n.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. JASA 22, 209–212.
Woodruff, R. S. (1971). A simple method for approximating the variance of a complicated
estimate. JASA 66, 411–414.
Kish, L. (1965). Survey Sampling. Wiley.
Korn, E. L., Graubard, B. I. (1999). Analysis of Health Surveys. Wiley.
Wolter, K. M. (2007). Introduction to Variance Estimation, 2nd ed. Springer.
Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CONFIDENCE = 0.95


class LonelyPsu(StrEnum):
    """What a stratum with a single primary sampling unit contributes to the variance
    (R ``survey``'s ``survey.lonely.psu`` names)."""

    FAIL = "fail"
    """Refuse to estimate, naming the stratum."""
    CERTAINTY = "certainty"
    """Nothing, as if the PSU had been selected with certainty."""
    AVERAGE = "average"
    """The average contribution of the other strata."""
    ADJUST = "adjust"
    """Its PSU total centred at the mean PSU total of the whole design."""


class LonelyPsuError(ValueError):
    """A stratum with a single PSU and no rule chosen; ``stratum`` names it."""

    def __init__(self, stratum: str) -> None:
        super().__init__(
            f"stratum {stratum!r} has only one primary sampling unit, so its variance "
            "cannot be estimated; choose a rule for such strata (lonely PSU: "
            "certainty, average or adjust)"
        )
        self.stratum = stratum


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
        :math:`1 - f_h`; zeros when the population is taken as infinite, one for a
        census stratum.
    stratum_names
        The strata's names, for reports.
    lonely_psu
        The rule for strata with a single PSU.
    """

    weights: FloatArray
    strata: IntArray
    psus: IntArray | None
    sampling_fractions: FloatArray
    stratum_names: tuple[str, ...]
    lonely_psu: LonelyPsu = LonelyPsu.FAIL

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

    def psus_per_stratum(self) -> FloatArray:
        """:math:`m_h`, the number of PSUs of each stratum."""
        psus = self.psus if self.psus is not None else np.arange(self.weights.size)
        pairs = np.unique(np.stack((self.strata, psus)), axis=1)
        return np.bincount(pairs[0], minlength=self.n_strata).astype(np.float64)

    def lonely(self) -> BoolArray:
        """Strata with a single PSU that are not a census."""
        return np.asarray(
            (self.psus_per_stratum() == 1) & (self.sampling_fractions < 1), dtype=np.bool_
        )


def build_design(
    weights: Sequence[float] | FloatArray,
    strata: Sequence[str] | None = None,
    psus: Sequence[str] | None = None,
    sampling_fractions: Mapping[str, float] | None = None,
    lonely_psu: LonelyPsu = LonelyPsu.FAIL,
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
        Sampling fraction per stratum label, in [0, 1] (1: a census stratum); strata
        not listed get 0.
    lonely_psu
        The rule for strata with a single PSU.

    Raises
    ------
    LonelyPsuError
        When a stratum has a single PSU, is not a census and ``lonely_psu`` is ``fail``.
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
        if not 0 <= fraction <= 1:
            raise ValueError(f"sampling_fractions[{name!r}] must be in [0, 1], got {fraction}")
        if name in stratum_names:
            fractions[stratum_names.index(name)] = fraction
    design = Design(
        weights=w,
        strata=stratum_index.astype(np.int64),
        psus=psu_index,
        sampling_fractions=fractions,
        stratum_names=stratum_names,
        lonely_psu=LonelyPsu(lonely_psu),
    )
    if design.lonely_psu is LonelyPsu.FAIL and w.size:
        lonely = np.flatnonzero(design.lonely())
        if lonely.size:
            raise LonelyPsuError(stratum_names[int(lonely[0])])
    return design


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
    p: FloatArray, se: FloatArray, df: int | IntArray, confidence: float = CONFIDENCE
) -> tuple[FloatArray, FloatArray]:
    """Interval for ``p`` built on the logit scale with Student's t at ``df`` degrees of
    freedom (one value, or one per estimate); unbounded where ``df`` is below 1."""
    degrees = np.asarray(df)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(degrees > 0, stats.t.ppf(0.5 + confidence / 2, np.maximum(degrees, 1)), np.inf)
        centre = np.log(p / (1 - p))
        spread = t * se / (p * (1 - p))
        low = 1 / (1 + np.exp(-(centre - spread)))
        high = 1 / (1 + np.exp(-(centre + spread)))
    return low, high


BLOCK_ROWS = 16384
"""Respondents handled at once by :meth:`Engine.estimate`: its working arrays are a
block of rows, so their memory does not grow with the sample."""


class Engine:
    """Estimates criteria and composites of them, in any domain, for one data set.

    Built once per data set; :meth:`estimate` is then called per domain. Rows are
    sorted by stratum and PSU once so that per-domain PSU totals are contiguous sums.
    Every sum over respondents is taken block by block (:data:`BLOCK_ROWS` rows at a
    time), reading the scores where they are: beyond the scores the engine keeps one
    byte per respondent and column (who answered) and, with a design, five numbers per
    respondent (its place in the sorted order and back, weight, stratum, PSU).

    Parameters
    ----------
    scores
        ``(n, K)`` score of each respondent on each criterion: 1/0 (satisfied or not)
        for top-two-box, the rescaled mean score in [0, 1] otherwise; ``nan`` where the
        answer is not valid (not asked, skipped, or "not applicable"). Read, never
        changed or copied whole.
    composites
        ``(K, C)`` 0/1 membership of criteria in composites (sub-indices, halves, the
        overall index).
    design
        ``None`` for an unweighted analysis.
    block_rows
        Rows per block (:data:`BLOCK_ROWS`); results do not depend on it beyond the
        last bits of floating-point sums.
    """

    def __init__(
        self,
        scores: FloatArray,
        composites: FloatArray,
        design: Design | None = None,
        *,
        block_rows: int = BLOCK_ROWS,
    ) -> None:
        n, k = scores.shape
        self._scores = scores
        self._composites = composites
        self._design = design
        self._block = max(int(block_rows), 1)
        self._clustered = design is not None and design.psus is not None
        self._order: IntArray | None = None
        self._rank: IntArray | None = None
        self._weights: FloatArray | None = None
        if design is not None:
            order = np.lexsort(
                (design.psus if design.psus is not None else np.arange(n), design.strata)
            )
            self._order = order
            self._rank = np.empty(n, dtype=np.int64)
            self._rank[order] = np.arange(n)
            self._weights = design.weights[order]
            self._strata = design.strata[order]
            if design.psus is not None:
                self._psus = design.psus[order]
                self._psu_strata = np.zeros(int(design.psus.max()) + 1, dtype=np.int64)
                self._psu_strata[design.psus] = design.strata
            self._psus_per_stratum = design.psus_per_stratum()
            self._lonely = design.lonely()
            self._df = design.degrees_of_freedom
        # Who answered each criterion and each composite (any of its criteria), in the
        # engine's row order: one byte per respondent and column.
        self._answered = np.empty((n, k + composites.shape[1]), dtype=np.int8)
        for start in range(0, n, self._block):
            rows = np.arange(start, min(start + self._block, n))
            valid = ~np.isnan(self._scores_of(rows))
            self._answered[rows, :k] = valid
            self._answered[rows, k:] = valid.astype(np.float64) @ composites > 0

    @property
    def degrees_of_freedom(self) -> int | None:
        return self._df if self._design is not None else None

    def rows(self, mask: BoolArray | None) -> IntArray:
        """Sorted internal row positions of a domain given as a mask in input order."""
        if mask is None:
            return np.arange(self._answered.shape[0])
        if self._rank is None:
            return np.flatnonzero(mask)
        return np.sort(self._rank[np.flatnonzero(mask)])

    def _blocks(self, rows: IntArray) -> list[IntArray]:
        return [rows[i : i + self._block] for i in range(0, rows.size, self._block)]

    def _scores_of(self, rows: IntArray) -> FloatArray:
        """Scores of internal rows (a view when they are consecutive input rows)."""
        if self._order is not None:
            return np.asarray(self._scores[self._order[rows]], dtype=np.float64)
        return np.asarray(_take(self._scores, rows), dtype=np.float64)

    def _weighted(self, rows: IntArray) -> tuple[FloatArray, FloatArray]:
        """``w v`` and ``w v y`` of a block of rows (``v`` 1 for a valid answer)."""
        scores = self._scores_of(rows)
        valid = ~np.isnan(scores)
        wv = valid.astype(np.float64)
        wy = np.where(valid, scores, 0.0)
        if self._weights is not None:
            w = _take(self._weights, rows)[:, None]
            wv *= w
            wy *= w
        return wv, wy

    def estimate(self, rows: IntArray) -> Estimates:
        """Rates, n, standard errors, 95% intervals, effective n and design effects.

        ``rows`` come from :meth:`rows`. Composite rates are the mean of their
        criteria that have at least one valid answer in the domain.
        """
        blocks = self._blocks(rows)
        k = self._composites.shape[0]
        totals = np.zeros(k)
        weighted_scores = np.zeros(k)
        n = np.zeros(k + self._composites.shape[1], dtype=np.int64)
        weighted: tuple[FloatArray, FloatArray] | None = None
        for block in blocks:
            weighted = self._weighted(block)
            totals += weighted[0].sum(axis=0)
            weighted_scores += weighted[1].sum(axis=0)
            n += _take(self._answered, block).sum(axis=0, dtype=np.int64)
        defined = totals > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            p_criteria = np.where(defined, weighted_scores / totals, np.nan)
            inverse = np.where(defined, 1 / totals, 0.0)
        membership = self._composites * defined[:, None]
        sizes = membership.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            mixing = np.where(sizes > 0, membership / sizes, 0.0)
            p_composites = np.where(sizes > 0, np.nan_to_num(p_criteria) @ mixing, np.nan)
        rate = np.concatenate((p_criteria, p_composites))
        n_float = n.astype(np.float64)
        composite = np.arange(rate.size) >= k
        sums = _Sums(self, np.nan_to_num(p_criteria), inverse, mixing, totals, n_float)
        for block in blocks:
            # A domain of one block (most units, strata) reuses its weighted scores.
            sums.add(block, weighted if len(blocks) == 1 else None)

        variance = sums.variance()
        spread = rate * (1 - rate)
        degenerate = (variance <= 0) | ~(spread > 0)
        if self._design is None:
            with np.errstate(divide="ignore", invalid="ignore"):
                variance = np.where(composite & (n > 1), variance * n / (n - 1), variance)
            se = np.sqrt(variance)
            low, high = wilson_interval(rate, n_float)
            t_low, t_high = logit_interval(rate, se, n - 1)
            use_t = composite & ~degenerate
            low = np.where(use_t, t_low, low)
            high = np.where(use_t, t_high, high)
            n_eff = np.where(n > 0, n_float, np.nan)
            deff = np.where(n > 0, 1.0, np.nan)
        else:
            se = np.sqrt(variance)
            low, high = logit_interval(rate, se, self._df)
            w_low, w_high = wilson_interval(rate, n_float)
            low = np.where(degenerate, w_low, low)
            high = np.where(degenerate, w_high, high)
            srs = sums.srs_variance()
            with np.errstate(divide="ignore", invalid="ignore"):
                deff = np.where(degenerate | (n == 0) | ~(srs > 0), np.nan, variance / srs)
                n_eff = np.where(np.isfinite(deff), n_float / deff, n_float)
            n_eff = np.where(n > 0, n_eff, np.nan)
        return Estimates(
            rate=rate,
            n=n,
            se=np.where(n > 0, se, np.nan),
            ci_low=low,
            ci_high=high,
            n_effective=n_eff,
            design_effect=deff,
        )


class _Sums:
    """The variance sums of one domain, taken block by block over its rows.

    Without a design: :math:`\\sum_i z_i^2`. With one: per stratum, the sum and the sum
    of squares of the PSU totals :math:`U_{hj}` (each respondent is its own PSU without
    clusters; with clusters the totals are gathered per PSU first, so a PSU split
    between blocks is one total), and for the design effect :math:`\\sum_i u_i^2/w_i`
    and :math:`\\sum_i w_i` over the respondents counted in n.
    """

    def __init__(
        self,
        engine: Engine,
        p: FloatArray,
        inverse: FloatArray,
        mixing: FloatArray,
        totals: FloatArray,
        n: FloatArray,
    ) -> None:
        self._engine = engine
        self._p = p
        self._inverse = inverse
        self._mixing = mixing
        self._n = n
        columns = p.size + mixing.shape[1]
        self._squares = np.zeros(columns)
        design = engine._design
        if design is None:
            return
        k = p.size
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(n[:k] > 0, totals / n[:k], 0.0)
        self._scale = scale
        self._scaled_mixing = scale[:, None] * mixing
        self._stratum_sums = np.zeros((design.n_strata, columns))
        self._stratum_squares = np.zeros((design.n_strata, columns))
        if engine._clustered:
            self._psu_totals = np.zeros((engine._psu_strata.size, columns))
        self._srs = np.zeros(columns)
        self._answered_weight = np.zeros(columns)

    def _linearised(self, wv: FloatArray, wy: FloatArray) -> FloatArray:
        """Linearised values of the criteria, then of the composites (Woodruff 1971)."""
        k = self._p.size
        z_all = np.empty((wv.shape[0], k + self._mixing.shape[1]))
        z = z_all[:, :k]
        np.multiply(wv, self._p, out=z)
        np.subtract(wy, z, out=z)
        z *= self._inverse
        np.matmul(z, self._mixing, out=z_all[:, k:])
        return z_all

    def add(self, rows: IntArray, weighted: tuple[FloatArray, FloatArray] | None = None) -> None:
        """Add the rows of a block (``weighted``: their ``w v`` and ``w v y`` if known)."""
        engine = self._engine
        z = self._linearised(*(weighted or engine._weighted(rows)))
        if engine._design is None:
            self._squares += np.einsum("ij,ij->j", z, z)
            return
        if engine._clustered:
            psus = _take(engine._psus, rows)
            starts = np.flatnonzero(np.r_[True, np.diff(psus) != 0])
            self._psu_totals[psus[starts]] += np.add.reduceat(z, starts, axis=0)
        else:
            strata = _take(engine._strata, rows)
            starts = np.flatnonzero(np.r_[True, np.diff(strata) != 0])
            self._stratum_sums[strata[starts]] += np.add.reduceat(z, starts, axis=0)
            self._stratum_squares[strata[starts]] += np.add.reduceat(z * z, starts, axis=0)
        self._add_srs(rows, z)

    def _add_srs(self, rows: IntArray, z: FloatArray) -> None:
        """:math:`V_{SRS}` sums: with every weight 1 a criterion's linearised value is
        :math:`\\check z_{ik} = z_{ik} W_k / (n_k w_i)` (:math:`W_k` its weighted valid
        total), so :math:`u_i = w_i \\check z_i` is a column scaling of ``z`` (and of the
        mixing for composites) and :math:`V_{SRS} = \\sum_i u_i^2 / w_i / \\bar w`."""
        engine = self._engine
        assert engine._weights is not None  # a design's weights
        k = self._p.size
        u = np.empty_like(z)
        np.multiply(z[:, :k], self._scale, out=u[:, :k])
        np.matmul(z[:, :k], self._scaled_mixing, out=u[:, k:])
        weights = _take(engine._weights, rows)
        self._srs += np.einsum("i,ij,ij->j", 1 / weights, u, u)
        self._answered_weight += weights @ _take(engine._answered, rows)

    def variance(self) -> FloatArray:
        engine = self._engine
        design = engine._design
        if design is None:
            return self._squares
        if engine._clustered:
            strata = engine._psu_strata
            np.add.at(self._stratum_sums, strata, self._psu_totals)
            np.add.at(self._stratum_squares, strata, self._psu_totals * self._psu_totals)
        sums, squares = self._stratum_sums, self._stratum_squares
        m = engine._psus_per_stratum[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            within = np.where(m > 1, (squares - sums * sums / m) * m / (m - 1), 0.0)
        fpc = (1 - design.sampling_fractions)[:, None]
        variance = (fpc * within).sum(axis=0)
        if engine._lonely.any():
            variance = self._lonely_strata(variance)
        return np.asarray(np.maximum(variance, 0.0), dtype=np.float64)

    def _lonely_strata(self, variance: FloatArray) -> FloatArray:
        """Apply the design's rule for strata with one PSU (module docstring)."""
        engine = self._engine
        design = engine._design
        assert design is not None
        if design.lonely_psu is LonelyPsu.AVERAGE:
            strata_count, lonely_count = design.n_strata, int(engine._lonely.sum())
            if strata_count > lonely_count:
                return variance * strata_count / (strata_count - lonely_count)
            return variance
        if design.lonely_psu is LonelyPsu.ADJUST:
            totals = self._stratum_sums
            centre = totals.sum(axis=0) / engine._psus_per_stratum.sum()
            lonely = np.flatnonzero(engine._lonely)
            fpc = (1 - design.sampling_fractions[lonely])[:, None]
            adjusted = variance + (fpc * (totals[lonely] - centre) ** 2).sum(axis=0)
            return np.asarray(adjusted, dtype=np.float64)
        return variance

    def srs_variance(self) -> FloatArray:
        """:math:`V_{SRS}` of every column (module docstring)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            mean_weight = self._answered_weight / self._n
            return np.asarray(
                np.where(self._n > 0, self._srs / mean_weight, np.nan), dtype=np.float64
            )


def _take(array: npt.NDArray[Any], rows: IntArray) -> npt.NDArray[Any]:
    """``array[rows]``, as a view when the rows are consecutive (a stratum, a unit)."""
    if rows.size and int(rows[-1]) - int(rows[0]) + 1 == rows.size:
        return array[int(rows[0]) : int(rows[-1]) + 1]
    return array[rows]
