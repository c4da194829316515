"""Priority questions against a 5,000-priority register on SQLite: p50/p95/p99 answer times.

Run:  .venv/bin/python bench/priorities_bench.py [--priorities 5000] [--questions 2000]

Each question is answered in a fresh session, the way the bot answers a chat message; the first
question (which builds the in-memory index) is reported on its own.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.priorities import answer
from store.db import make_engine, make_session_factory, transaction
from store.migrate import upgrade
from store.models import Action, Group, Member, utcnow
from store.models.priorities import LEAD, RISK_CRITERIA, SUPPORT, Priority, PriorityGroup
from store.priorities import bump_version, risk_total
from store.priorities_yaml import PriorityIn

SUBGROUPS = ["Safer Borough", "Children and Young People", "Managing Offenders",
             "Hate, Intolerance & Extremism", "Violence against Women and Girls"]  # fmt: skip
TOPICS = """knife crime, serious youth violence, domestic abuse, anti-social behaviour, burglary,
robbery, hate crime, tension monitoring, alcohol misuse, drug dealing, county lines, fraud,
scams against older people, shoplifting, vehicle crime, moped crime, arson, fly-tipping,
noise nuisance, street drinking, begging, modern slavery, child exploitation, sexual violence,
stalking, harassment, cyber crime, road safety, reoffending, first time entrants, prevent,
gang violence, weapon carrying, violence with injury, criminal damage, graffiti, drug litter,
rough sleeping, honour based abuse, elder abuse""".replace("\n", " ").split(", ")
PLACES = [f"{side} {ward}" for side in ("North", "South", "East", "West", "Central")
          for ward in ("Abbey", "Alibon", "Becontree", "Chadwell", "Eastbury", "Gascoigne",
                       "Goresbrook", "Heath", "Longbridge", "Mayesbrook", "Parsloes", "Thames",
                       "Valence", "Village", "Whalebone", "Riverside", "Eastbrook", "Marks Gate",
                       "Barking", "Dagenham", "Rush Green", "Castle", "Clock House", "Beam",
                       "Harts Lane")]  # fmt: skip


def generate(count: int, rng: random.Random) -> list[PriorityIn]:
    """``count`` distinct, plausible priorities ("Knife crime in North Abbey", acronyms, scores)."""
    items = []
    for number in range(count):
        topic = TOPICS[number % len(TOPICS)]
        place = PLACES[(number // len(TOPICS)) % len(PLACES)]
        name = f"{topic.capitalize()} in {place}" + (
            f" ({number // (len(TOPICS) * len(PLACES)) + 1})"
            if number >= len(TOPICS) * len(PLACES) else ""
        )  # fmt: skip
        initials = "".join(w[0] for w in (topic + " " + place).split()).upper()
        scores = dict(zip(RISK_CRITERIA, (rng.randint(0, 5) for _ in RISK_CRITERIA), strict=True))
        items.append(PriorityIn(
            name=name, acronyms=(f"{initials}{number}",), aliases=(f"{place} {topic}",),
            leads=(rng.choice(SUBGROUPS),) if rng.random() > 0.02 else (),
            supporting=(rng.choice(SUBGROUPS),) if rng.random() > 0.5 else (),
            targets=(f"Reduce {topic} in {place} by 10%",),
            scores=scores if rng.random() > 0.3 else None,
        ))  # fmt: skip
    return items


def questions(items: list[PriorityIn], count: int, rng: random.Random) -> list[str]:
    """A mix like real traffic: exact, misspelt, reordered, acronyms, subgroups, lists, unknown."""

    def typo(text: str) -> str:
        i = rng.randrange(1, len(text) - 1)
        return text[:i] + text[i + 1 :]

    forms: list[Callable[[PriorityIn], str]] = [
        lambda p: f"who leads on {p.name}?",
        lambda p: f"who owns {typo(p.name.lower())}?",
        lambda p: f"which subgroup is responsible for {' '.join(reversed(p.name.split()))}?",
        lambda p: f"who is the lead for {p.acronyms[0]}?",
        lambda p: f"where does {p.aliases[0]} sit?",
        lambda p: f"who leads on {p.name.split(' in ')[0]}?",  # ambiguous: many places
        lambda p: "who leads on quantum basket weaving?",
        lambda p: f"what does {rng.choice(SUBGROUPS)} own?",
        lambda p: "what are our priorities?",
        lambda p: "top priorities by risk score",
        lambda p: "overlaps",
    ]
    return [rng.choice(forms)(rng.choice(items)) for _ in range(count)]


def load(session: Session, items: list[PriorityIn], rng: random.Random) -> None:
    """Bulk-insert the register (the YAML import audits row by row; too slow for 5,000)."""
    groups = {}
    for name in SUBGROUPS:
        groups[name] = Group(name=name, kind="subgroup", lead=Member(name=f"Lead of {name}"))
        session.add(groups[name])
    session.flush()
    rows = [
        {"id": number, "name": item.name, "acronyms": list(item.acronyms),
         "aliases": list(item.aliases), "targets": list(item.targets), "period": "2026-27",
         "scores": item.scores, "risk_total": risk_total(item.scores), "created_at": utcnow(),
         "updated_at": utcnow()}
        for number, item in enumerate(items, start=1)
    ]  # fmt: skip
    session.execute(insert(Priority), rows)
    links = [
        {"priority_id": number, "group_id": groups[name].id, "role": role, "position": position}
        for number, item in enumerate(items, start=1)
        for position, (name, role) in enumerate(
            [(n, LEAD) for n in item.leads]
            + [(n, SUPPORT) for n in item.supporting if n not in item.leads]
        )
    ]
    session.execute(insert(PriorityGroup), links)
    session.execute(insert(Action), [
        {"text": f"action {n}", "source_kind": "cli", "priority_id": rng.randint(1, len(items)),
         "status": "open", "due_unresolved": False, "restricted": False,
         "created_at": utcnow(), "updated_at": utcnow()}
        for n in range(len(items))
    ])  # fmt: skip
    bump_version(session)


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(
    sessions: sessionmaker[Session], asked: list[str]
) -> tuple[float, dict[str, list[float]]]:
    """Answer each question in its own transaction: first-answer ms, and ms by kind (and CPU)."""
    timings: dict[str, list[float]] = {"all": [], "cpu": []}
    first = -1.0
    for text in asked:
        with transaction(sessions) as session:
            began, began_cpu = time.perf_counter(), time.process_time()
            reply = answer(session, text, viewer_member_id=None)
            took = (time.perf_counter() - began) * 1000
            took_cpu = (time.process_time() - began_cpu) * 1000
        assert reply is not None, text
        if first < 0:
            first = took
            continue
        timings["cpu"].append(took_cpu)
        timings["all"].append(took)
        timings.setdefault(text.split()[0], []).append(took)
    return first, timings


def report(first: float, timings: dict[str, list[float]]) -> None:
    """Print the table: p50/p95/p99/max per kind of question, wall clock, then CPU."""
    print(f"first question (builds the index): {first:.1f} ms")
    print(f"{'questions':<12}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    order = sorted(timings, key=lambda kind: (kind == "cpu", kind != "all", kind))
    for kind in order:
        values = timings[kind]
        label = "all (CPU)" if kind == "cpu" else kind
        print(f"{label:<12}{len(values):>6}{statistics.median(values):>9.2f}"
              f"{percentile(values, 0.95):>9.2f}{percentile(values, 0.99):>9.2f}"
              f"{max(values):>9.2f}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--priorities", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        sessions = make_session_factory(engine)
        items = generate(args.priorities, rng)
        started = time.perf_counter()
        with transaction(sessions) as session:
            load(session, items, rng)
        print(f"loaded {args.priorities} priorities in {time.perf_counter() - started:.1f} s")
        first, timings = measure(sessions, questions(items, args.questions, rng))
        engine.dispose()
    report(first, timings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
