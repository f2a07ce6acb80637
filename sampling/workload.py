"""Balancing fieldwork: giving groups of respondents to surveyors (điều tra viên).

Respondents are handed out in groups (all of a unit, or of a commune) so that
one surveyor covers one place, and groups go to surveyors so that workloads are
as even as the groups allow: the longest-processing-time rule (Graham 1969),
largest group first to the surveyor with the least work, which is within 4/3 of
the best possible maximum load.

References
----------
.. [1] Graham, R. L. (1969). Bounds on multiprocessing timing anomalies.
   SIAM Journal on Applied Mathematics 17(2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def balance_groups(
    groups: Mapping[str, int],
    workers: Sequence[int],
    *,
    current: Mapping[int, int] | None = None,
    preferred: Mapping[str, Sequence[int]] | None = None,
) -> dict[str, int]:
    """Give each group to one worker, evening out the loads.

    Parameters
    ----------
    groups : Mapping[str, int]
        Group name → number of respondents.
    workers : sequence of int
        Worker ids.
    current : Mapping[int, int], optional
        Work each worker already has.
    preferred : Mapping[str, sequence of int], optional
        For a group, the workers who should take it (e.g. surveyors based in that
        unit): the least loaded of them gets it. A worker preferred for some group is
        *tied* to those groups: tied workers get their own groups first and no other
        group while some worker is tied to none; groups nobody is preferred for go to
        the least loaded of the untied workers (of all workers when every one is tied).

    Returns
    -------
    dict
        Group name → worker id. Ties go to the lower worker id; groups are taken
        largest first, then by name, so the result is deterministic.

    Examples
    --------
    A surveyor of Mỹ Xuyên takes Mỹ Xuyên only; the untied surveyor takes the rest:

    >>> balance_groups({"my-xuyen": 2, "tu-phap": 10, "cong-an": 4, "ke-sach": 4}, [1, 2],
    ...                preferred={"my-xuyen": [1]})
    {'my-xuyen': 1, 'tu-phap': 2, 'cong-an': 2, 'ke-sach': 2}
    """
    if not workers:
        raise ValueError("at least one worker is needed")
    load = {worker: (current or {}).get(worker, 0) for worker in workers}
    preferred = preferred or {}
    own = {g: [w for w in preferred.get(g, ()) if w in load] for g in groups}
    tied = {w for candidates in own.values() for w in candidates}
    untied = [w for w in load if w not in tied] or list(load)
    result: dict[str, int] = {}
    bound = {g for g in groups if own[g]}
    for batch in (bound, set(groups) - bound):
        for name in sorted(batch, key=lambda g: (-groups[g], g)):
            chosen = min(own[name] or untied, key=lambda w: (load[w], w))
            result[name] = chosen
            load[chosen] += groups[name]
    return result
