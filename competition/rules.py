"""The contest's rules as pure functions: ages and divisions, the weighted score, z-score
normalisation per juror, the ranking with ties, departures from it, and the interview schedule.

No database here: services and selectors feed these with plain values, tests call them directly.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MAX_TEAM = 3
MAX_PROJECTS_PER_PERSON = 3
OLDEST_AGE = 21  # "Jugend forscht": 15–21 on 31 December of the registration year
SENIOR_FROM_AGE = 15  # 14 and younger: the junior division
YOUNGEST_AGE = 8  # junior division from grade 4: younger than this is a typing error
ADULT_AGE = 18
RANK_PRECISION = 3  # z-score means equal to three decimals are a tie


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(birth_date: datetime.date, today: datetime.date) -> bool:
    return age_on(birth_date, today) < ADULT_AGE


def division_for_ages(ages: Iterable[int]) -> str:
    """The oldest team member decides: 15 or older → "senior" (Jugend forscht), otherwise "junior"."""
    return "senior" if max(ages) >= SENIOR_FROM_AGE else "junior"


def weighted_total(points: dict[int, int], criteria: Iterable) -> Decimal:
    """0–100: every criterion's share of its maximum, weighted. ``criteria`` have id, weight, max_points."""
    criteria = list(criteria)
    weights = sum(c.weight for c in criteria)
    if not weights:
        return Decimal("0.00")
    score = sum(Decimal(points[c.id]) / Decimal(c.max_points) * c.weight for c in criteria if c.max_points)
    return (score / weights * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- normalisation --------------------------------------------------------------------------------------------------


@dataclass
class Normalised:
    project_id: int
    raw_mean: float | None
    z_mean: float | None
    jurors: int


def juror_stats(scores: Iterable[tuple[int, int, float]]) -> dict[int, tuple[float, float, int]]:
    """Per juror (mean, population standard deviation, count) of the totals they gave."""
    by_juror: dict[int, list[float]] = defaultdict(list)
    for _project, juror, total in scores:
        by_juror[juror].append(float(total))
    stats = {}
    for juror, totals in by_juror.items():
        mean = sum(totals) / len(totals)
        sd = math.sqrt(sum((t - mean) ** 2 for t in totals) / len(totals))
        stats[juror] = (mean, sd, len(totals))
    return stats


def normalise(scores: Iterable[tuple[int, int, float]], project_ids: Iterable[int] = ()) -> dict[int, Normalised]:
    """``scores`` are (project, juror, total). Each juror's totals become z-scores (how far above or below
    that juror's own average, in that juror's own spread), so a strict juror does not sink the projects
    they happened to judge. A juror who scored one project only, or gave everyone the same total, says
    nothing about the order: their z-scores are 0. A project's normalised score is the mean of its z-scores.
    """
    scores = [(p, j, float(t)) for p, j, t in scores]
    stats = juror_stats(scores)
    raw: dict[int, list[float]] = defaultdict(list)
    zs: dict[int, list[float]] = defaultdict(list)
    for project, juror, total in scores:
        mean, sd, count = stats[juror]
        raw[project].append(total)
        zs[project].append((total - mean) / sd if count > 1 and sd > 0 else 0.0)
    result = {}
    for project in dict.fromkeys([*project_ids, *raw]):
        values = raw.get(project, [])
        result[project] = Normalised(
            project_id=project,
            raw_mean=sum(values) / len(values) if values else None,
            z_mean=sum(zs[project]) / len(zs[project]) if values else None,
            jurors=len(values),
        )
    return result


@dataclass(frozen=True)
class Rank:
    position: int | None  # competition ranking: 1, 2, 2, 4 …; None when not scored
    tied: bool
    last_of_tie: int | None  # the lowest position the tie covers (2 for "2, 2")


def ranking(values: dict[int, float | None], precision: int = RANK_PRECISION) -> dict[int, Rank]:
    """Rank by value, highest first; values equal to ``precision`` decimals share a rank (shown as a tie)."""
    scored = sorted(
        ((round(v, precision), pid) for pid, v in values.items() if v is not None), key=lambda item: (-item[0], item[1])
    )
    groups: dict[float, list[int]] = defaultdict(list)
    for value, pid in scored:
        groups[value].append(pid)
    result: dict[int, Rank] = {}
    position = 1
    for value in sorted(groups, reverse=True):
        members = groups[value]
        for pid in members:
            result[pid] = Rank(position, len(members) > 1, position + len(members) - 1)
        position += len(members)
    for pid, value in values.items():
        if value is None:
            result[pid] = Rank(None, False, None)
    return result


def departures(ranks: dict[int, Rank], places: dict[int, int | None]) -> set[int]:
    """Projects whose placing breaks the ranking's order, so the jury must give a reason.

    A project ranked strictly better than another may not end up with a worse place (or none) than it:
    both are departures. Ties never depart among themselves, and equal places (two 3rd prizes) are fine.
    A placed project without any score departs as well.
    """
    result = set()
    for project, place in places.items():
        if not place:
            continue
        rank = ranks.get(project)
        if rank is None or rank.position is None:
            result.add(project)
            continue
        for other, other_rank in ranks.items():
            if other == project or other_rank.position is None or other_rank.last_of_tie >= rank.position:
                continue
            other_place = places.get(other)
            if not other_place or other_place > place:
                result.update({project, other})
    return result


# --- interview schedule ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JuryPlan:
    jury_id: int
    members: tuple[int, ...]
    projects: tuple[int, ...]
    conflicts: frozenset[tuple[int, int]] = frozenset()  # (project, juror) pairs: the juror sits that one out


@dataclass(frozen=True)
class Slot:
    jury_id: int
    project_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    jurors: tuple[int, ...]


def schedule_interviews(plans: Iterable[JuryPlan], *, start: datetime.datetime, minutes: int, gap: int) -> list[Slot]:
    """Each jury interviews its projects one after another, from ``start``; a juror who sits on two juries,
    or a project, is never in two interviews at once: an interview waits for the next time all are free."""
    step = datetime.timedelta(minutes=minutes + gap)
    length = datetime.timedelta(minutes=minutes)
    busy_juror: dict[int, set[int]] = defaultdict(set)
    busy_project: dict[int, set[int]] = defaultdict(set)
    slots = []
    for plan in plans:
        cursor = 0
        for project in plan.projects:
            jurors = tuple(j for j in plan.members if (project, j) not in plan.conflicts)
            index = cursor
            while index in busy_project[project] or any(index in busy_juror[j] for j in jurors):
                index += 1
            busy_project[project].add(index)
            for juror in jurors:
                busy_juror[juror].add(index)
            starts = start + step * index
            slots.append(Slot(plan.jury_id, project, starts, starts + length, jurors))
            cursor = index + 1
    return slots


def clashes(slots: Iterable[Slot]) -> list[tuple[Slot, Slot]]:
    """Pairs of interviews that share a juror or a project and overlap in time (should be none)."""
    slots = sorted(slots, key=lambda s: s.starts_at)
    found = []
    for i, first in enumerate(slots):
        for second in slots[i + 1 :]:
            if second.starts_at >= first.ends_at:
                break
            if first.project_id == second.project_id or set(first.jurors) & set(second.jurors):
                found.append((first, second))
    return found
