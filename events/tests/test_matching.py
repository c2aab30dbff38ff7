"""Meet-the-Boss plans: fair share, interests respected, no double booking, hand edits checked."""

import random
from collections import Counter

import pytest

from core.models import OutgoingMail
from events import services
from events.matching import Person, plan_meetings, score
from events.models import Meeting
from events.tests.factories import RegistrationFactory, meet_the_boss

SECTORS = ["maschinenbau", "kunststoff", "metall", "elektro", "energie"]
FIELDS = ["entwicklung", "produktion", "it", "vertrieb"]


def _random_people(rng, count, offset=0):
    return [
        Person(offset + i, frozenset(rng.sample(SECTORS, 2)), frozenset(rng.sample(FIELDS, rng.randint(1, 2))))
        for i in range(count)
    ]


def _check(plan, students, bosses, rounds, seats):
    seen_round, pairs, tables = set(), set(), Counter()
    for slot in plan.slots:
        assert 1 <= slot.round <= rounds
        assert (slot.round, slot.student_id) not in seen_round  # one place per round
        seen_round.add((slot.round, slot.student_id))
        assert (slot.boss_id, slot.student_id) not in pairs  # nobody twice
        pairs.add((slot.boss_id, slot.student_id))
        tables[(slot.round, slot.boss_id)] += 1
    assert max(tables.values(), default=0) <= seats
    counts = plan.per_student.values()
    # fair: everyone gets the fair share, nobody more than one above it
    assert min(counts) >= plan.fair_share and max(counts) <= plan.fair_share + 1


@pytest.mark.parametrize("seed", range(30))
def test_fair_share_for_random_events(seed):
    rng = random.Random(seed)
    rounds, seats = rng.randint(1, 6), rng.randint(1, 3)
    students, bosses = _random_people(rng, rng.randint(1, 40)), _random_people(rng, rng.randint(1, 12), 1000)
    plan = plan_meetings(students, bosses, rounds=rounds, seats_per_table=seats)
    _check(plan, students, bosses, rounds, seats)
    expected = min(rounds, len(bosses), len(bosses) * rounds * seats // len(students))
    assert plan.fair_share == expected


def test_every_student_gets_the_configured_minimum_when_seats_allow():
    rng = random.Random(7)
    students, bosses = _random_people(rng, 20), _random_people(rng, 8, 100)
    plan = plan_meetings(students, bosses, rounds=4, seats_per_table=3)
    assert len(plan.per_student) == 20 and min(plan.per_student.values()) >= 3


def test_interests_are_respected():
    # two students, two bosses, one round: each student must land with the boss that matches
    students = [Person(1, frozenset({"metall"})), Person(2, frozenset({"energie"}), frozenset({"it"}))]
    bosses = [Person(10, frozenset({"energie"}), frozenset({"it"})), Person(11, frozenset({"metall"}))]
    plan = plan_meetings(students, bosses, rounds=1)
    assert {(s.student_id, s.boss_id) for s in plan.slots} == {(1, 11), (2, 10)}
    assert plan.total_score == 3


def test_plan_beats_random_assignment_on_interests():
    rng = random.Random(3)
    students, bosses = _random_people(rng, 24), _random_people(rng, 8, 100)
    plan = plan_meetings(students, bosses, rounds=3, seats_per_table=3)
    # the best possible for each student is the sum of their top-3 boss scores
    best = sum(sum(sorted((score(s, b) for b in bosses), reverse=True)[:3]) for s in students)
    shuffled = sum(score(s, rng.choice(bosses)) for s in students for _ in range(3))
    assert plan.total_score > shuffled
    assert plan.total_score >= 0.8 * best


@pytest.mark.django_db
def test_service_plan_hand_edit_and_schedules(company_a):
    event, bosses, students = meet_the_boss(boss_quota=5, student_quota=10, rounds=3, seats_per_table=2)
    boss_regs = [
        RegistrationFactory(audience=bosses, sectors=[s], email=f"b{i}@example.org") for i, s in enumerate(SECTORS[:3])
    ]
    student_regs = [
        RegistrationFactory(audience=students, sectors=[SECTORS[i % 3]], email=f"s{i}@example.org") for i in range(6)
    ]
    plan = services.meeting_plan_generate(event=event)
    assert min(plan.per_student.values()) >= 2
    meetings = Meeting.objects.filter(event=event)
    assert meetings.count() == len(plan.slots)
    grid = {(m.student_id, m.round): m.boss_id for m in meetings}
    # a table too full is refused, nothing changes
    crowded = {(s.pk, 1): boss_regs[0].pk for s in student_regs}
    with pytest.raises(services.RegistrationRefused, match="zu viele"):
        services.meeting_plan_replace(event=event, grid=crowded)
    assert Meeting.objects.filter(event=event).count() == len(plan.slots)
    # meeting the same boss twice is refused
    twice = {(student_regs[0].pk, 1): boss_regs[0].pk, (student_regs[0].pk, 2): boss_regs[0].pk}
    with pytest.raises(services.RegistrationRefused, match="mehr als einmal"):
        services.meeting_plan_replace(event=event, grid=twice)
    # a valid hand edit: drop one meeting
    key = next(iter(grid))
    grid[key] = None
    assert services.meeting_plan_replace(event=event, grid=grid) == len(plan.slots) - 1
    people = {student for (student, _round), boss in grid.items() if boss} | {boss for boss in grid.values() if boss}
    assert services.meeting_schedules_send(event=event) == len(people)
    mail = OutgoingMail.objects.filter(template="mtb_schedule", to_email="s1@example.org").first()
    assert mail is not None and "Runde" in mail.body_text
