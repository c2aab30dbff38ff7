"""Meet-the-Boss: who meets whom, and in which round.

Pure functions, no database. Two steps:

1. **Pairs** by a min-cost flow: source → student → boss → sink. Every student
   first gets a *fair share* ``q = min(rounds, bosses, ⌊seats / students⌋)``
   (those units cost −BIG, so a max flow that gives everyone ``q`` always wins),
   then at most one more meeting where seats are left; each boss hosts at most
   ``rounds × seats_per_table`` meetings; a pair meets at most once. Among these
   flows the one with the most matched interests (sector and occupation field
   overlap) is chosen.
2. **Rounds** by bipartite edge colouring (König: a bipartite graph of maximum
   degree Δ has a proper Δ-edge-colouring). A boss with ``c`` seats a round is
   split into ``c`` virtual seats; a student meets nobody twice in a round.
"""

from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    id: int
    sectors: frozenset = frozenset()
    fields: frozenset = frozenset()


@dataclass(frozen=True)
class Slot:
    round: int  # 1-based
    boss_id: int
    student_id: int
    score: int


@dataclass
class Plan:
    slots: list[Slot]
    fair_share: int
    per_student: dict[int, int] = field(default_factory=dict)
    total_score: int = 0


def score(student: Person, boss: Person) -> int:
    return len(student.sectors & boss.sectors) + len(student.fields & boss.fields)


class _Flow:
    """Successive shortest paths (SPFA) min-cost max-flow; small graphs only."""

    def __init__(self, size: int):
        self.graph: list[list[list[int]]] = [[] for _ in range(size)]  # [to, cap, cost, rev]

    def add(self, u: int, v: int, cap: int, cost: int) -> list[int]:
        forward = [v, cap, cost, len(self.graph[v])]
        self.graph[u].append(forward)
        self.graph[v].append([u, 0, -cost, len(self.graph[u]) - 1])
        return forward

    def run(self, source: int, sink: int) -> None:
        size = len(self.graph)
        while True:
            dist = [None] * size
            in_queue = [False] * size
            previous: list[tuple[int, int] | None] = [None] * size
            dist[source] = 0
            queue = deque([source])
            while queue:
                u = queue.popleft()
                in_queue[u] = False
                for index, (v, cap, cost, _rev) in enumerate(self.graph[u]):
                    if cap > 0 and (dist[v] is None or dist[u] + cost < dist[v]):
                        dist[v] = dist[u] + cost
                        previous[v] = (u, index)
                        if not in_queue[v]:
                            in_queue[v] = True
                            queue.append(v)
            if dist[sink] is None:
                return
            push, node = None, sink
            while node != source:
                u, index = previous[node]
                cap = self.graph[u][index][1]
                push = cap if push is None else min(push, cap)
                node = u
            node = sink
            while node != source:
                u, index = previous[node]
                edge = self.graph[u][index]
                edge[1] -= push
                self.graph[node][edge[3]][1] += push
                node = u


def _pairs(students: list[Person], bosses: list[Person], rounds: int, seats_per_table: int) -> tuple[list, int]:
    n_students, n_bosses = len(students), len(bosses)
    capacity = rounds * seats_per_table
    hi = min(rounds, n_bosses)
    fair = min(hi, (n_bosses * capacity) // n_students) if n_students else 0
    big = 1 + 20 * n_students * hi  # more than any sum of scores
    source, sink = 0, 1 + n_students + n_bosses
    flow = _Flow(sink + 1)
    for i in range(n_students):
        if fair:
            flow.add(source, 1 + i, fair, -big)
        if hi > fair:
            flow.add(source, 1 + i, 1, 0)
    pair_edges = []
    for i, student in enumerate(students):
        for j, boss in enumerate(bosses):
            points = score(student, boss)
            pair_edges.append((i, j, points, flow.add(1 + i, 1 + n_students + j, 1, -points)))
    for j in range(n_bosses):
        flow.add(1 + n_students + j, sink, capacity, 0)
    flow.run(source, sink)
    return [(i, j, points) for i, j, points, edge in pair_edges if edge[1] == 0], fair


def _colour(edges: list[tuple[int, int]], colours: int) -> list[int]:
    """Proper edge colouring of a bipartite graph with max degree ≤ colours (alternating paths)."""
    at_left: dict[int, dict[int, int]] = {}
    at_right: dict[int, dict[int, int]] = {}
    for left, right in edges:
        lmap = at_left.setdefault(left, {})
        rmap = at_right.setdefault(right, {})
        alpha = next(c for c in range(colours) if c not in lmap)
        beta = next(c for c in range(colours) if c not in rmap)
        if alpha in rmap:
            # flip the alpha/beta path that starts at `right` with an alpha edge
            path, node, on_right, colour = [], right, True, alpha
            while True:
                here = at_right if on_right else at_left
                if colour not in here.get(node, {}):
                    break
                other = here[node][colour]
                path.append((node, other, on_right, colour))
                node, on_right, colour = other, not on_right, beta if colour == alpha else alpha
            for a, b, a_is_right, colour in path:
                (at_right if a_is_right else at_left)[a].pop(colour, None)
                (at_left if a_is_right else at_right)[b].pop(colour, None)
            for a, b, a_is_right, colour in path:
                swapped = beta if colour == alpha else alpha
                (at_right if a_is_right else at_left)[a][swapped] = b
                (at_left if a_is_right else at_right)[b][swapped] = a
        lmap[alpha] = right
        rmap[alpha] = left
    result = []
    for left, right in edges:
        result.append(next(c for c, r in at_left[left].items() if r == right))
    return result


def plan_meetings(students: list[Person], bosses: list[Person], *, rounds: int, seats_per_table: int = 1) -> Plan:
    if not students or not bosses or rounds < 1 or seats_per_table < 1:
        return Plan(slots=[], fair_share=0, per_student={s.id: 0 for s in students})
    pairs, fair = _pairs(students, bosses, rounds, seats_per_table)
    # split each boss into `seats_per_table` virtual seats, round-robin
    per_boss: dict[int, int] = {}
    edges, meta = [], []
    for i, j, points in pairs:
        k = per_boss.get(j, 0)
        per_boss[j] = k + 1
        edges.append((i, j * seats_per_table + k % seats_per_table))
        meta.append((i, j, points))
    colours = _colour(edges, rounds)
    slots = [
        Slot(round=colour + 1, boss_id=bosses[j].id, student_id=students[i].id, score=points)
        for (i, j, points), colour in zip(meta, colours, strict=True)
    ]
    slots.sort(key=lambda slot: (slot.round, slot.boss_id, slot.student_id))
    per_student = {student.id: 0 for student in students}
    for slot in slots:
        per_student[slot.student_id] += 1
    return Plan(slots=slots, fair_share=fair, per_student=per_student, total_score=sum(s.score for s in slots))
