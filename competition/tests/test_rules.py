"""The contest's rules without a database: ages and divisions, scores, normalisation, ranking, schedule."""

import datetime

from competition import rules


def test_age_counts_on_the_reference_day():
    assert rules.age_on(datetime.date(2004, 12, 31), datetime.date(2019, 12, 31)) == 15
    assert rules.age_on(datetime.date(2005, 1, 1), datetime.date(2019, 12, 31)) == 14


def test_the_oldest_member_decides_the_division():
    assert rules.division_for_ages([12, 13, 15]) == "senior"
    assert rules.division_for_ages([9, 14]) == "junior"


class _Criterion:
    def __init__(self, pk, weight, max_points):
        self.id, self.weight, self.max_points = pk, weight, max_points


def test_weighted_total_is_the_weighted_share_of_the_maximum():
    criteria = [_Criterion(1, 3, 10), _Criterion(2, 1, 5)]
    assert str(rules.weighted_total({1: 10, 2: 0}, criteria)) == "75.00"
    assert str(rules.weighted_total({1: 5, 2: 5}, criteria)) == "62.50"


def test_a_strict_juror_does_not_sink_the_project_they_judged():
    """Constructed scores where raw averages and z-scores rank differently.

    Juror 1 is strict (gives 40–60), juror 2 generous (80–100). Project A was judged only by the strict juror
    and is that juror's best; project B only by the generous juror and is that juror's worst. Raw average puts B
    above A; normalised per juror, A (best of its juror) is above B (worst of its juror).
    """
    scores = [
        (1, 1, 60), (2, 1, 50), (3, 1, 40),  # project A=1 is juror 1's best
        (4, 2, 80), (2, 2, 90), (3, 2, 100),  # project B=4 is juror 2's worst
    ]  # fmt: skip
    result = rules.normalise(scores)
    raw_rank = rules.ranking({pid: n.raw_mean for pid, n in result.items()})
    z_rank = rules.ranking({pid: n.z_mean for pid, n in result.items()})
    assert raw_rank[4].position < raw_rank[1].position  # raw: B (80) ahead of A (60)
    assert z_rank[1].position < z_rank[4].position  # normalised: A ahead of B
    assert z_rank[1].position == 1
    assert abs(result[1].z_mean - 1.2247) < 1e-3  # (60 − 50) / 8.165, the strict juror's spread
    assert abs(result[4].z_mean + 1.2247) < 1e-3


def test_a_juror_who_gave_everyone_the_same_total_tells_nothing_about_the_order():
    result = rules.normalise([(1, 9, 70), (2, 9, 70), (1, 8, 90), (2, 8, 50)])
    assert result[1].z_mean > result[2].z_mean
    assert rules.normalise([(1, 9, 70)])[1].z_mean == 0.0


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    ranks = rules.ranking({1: 1.5, 2: 0.2, 3: 0.2, 4: -1.0, 5: None})
    assert (ranks[1].position, ranks[2].position, ranks[3].position, ranks[4].position) == (1, 2, 2, 4)
    assert ranks[2].tied and ranks[3].tied and not ranks[1].tied
    assert ranks[2].last_of_tie == 3
    assert ranks[5].position is None


def test_placing_a_lower_ranked_project_above_a_higher_one_is_a_departure():
    ranks = rules.ranking({1: 2.0, 2: 1.0, 3: 0.0, 4: -1.0})
    assert rules.departures(ranks, {1: 1, 2: 2, 3: 3}) == set()
    assert rules.departures(ranks, {1: 1, 2: 3, 3: 3}) == set()  # two 3rd prizes follow the order
    assert rules.departures(ranks, {1: 2, 2: 1}) == {1, 2}
    assert rules.departures(ranks, {2: 1, 3: 2}) == {1, 2, 3}  # the best project left without a place


def test_a_tie_may_be_placed_either_way():
    ranks = rules.ranking({1: 2.0, 2: 1.0, 3: 1.0})
    assert rules.departures(ranks, {1: 1, 3: 2, 2: 3}) == set()


def test_interviews_never_put_a_juror_or_a_project_in_two_places_at_once():
    start = datetime.datetime(2020, 2, 20, 9, 0)
    plans = [
        rules.JuryPlan(jury_id=1, members=(10, 11), projects=(1, 2, 3)),
        rules.JuryPlan(jury_id=2, members=(11, 12), projects=(4, 5)),  # juror 11 sits on both juries
        rules.JuryPlan(jury_id=3, members=(13, 14), projects=(6,), conflicts=frozenset({(6, 13)})),
    ]
    slots = rules.schedule_interviews(plans, start=start, minutes=15, gap=5)
    assert len(slots) == 6
    assert rules.clashes(slots) == []
    by_project = {slot.project_id: slot for slot in slots}
    assert by_project[1].starts_at == start  # jury 1 starts at once
    assert by_project[4].starts_at > by_project[3].starts_at  # jury 2 waits for juror 11
    assert by_project[6].jurors == (14,)  # the conflicted juror sits that one out


def test_clashes_are_found_when_they_exist():
    start = datetime.datetime(2020, 2, 20, 9, 0)
    end = start + datetime.timedelta(minutes=15)
    slots = [rules.Slot(1, 1, start, end, (10,)), rules.Slot(2, 2, start, end, (10,))]
    assert len(rules.clashes(slots)) == 1
