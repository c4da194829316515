"""Journeys: each question form from the issue, against the shipped example register."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from handlers.messages import Mention
from handlers.priorities import answer
from store.db import transaction
from store.models import Action
from store.priorities import by_name
from tests.priorities.conftest import ask

KNIFE = "Knife crime: lead Children and Young People (@Angie Fuller); no open actions"


WHO_LEADS = [
    ("who leads on knife crime?", KNIFE),
    ("Who leads on knife crimes", KNIFE),  # plural
    ("who leads on crime knife?", KNIFE),  # word order
    ("who leads on knive crim?", KNIFE),  # misspelt
    (
        "who owns SYV?",
        "Serious youth violence: lead Children and Young People (@Angie Fuller); no open actions",
    ),
    (
        "which subgroup is responsible for hate crime?",
        "Hate crime: lead Hate, Intolerance & Extremism (@Rita Chadha); no open actions",
    ),
    (
        "who is the lead for VAWG?",
        "Violence against women and girls: lead Violence against "
        "Women and Girls (@Melody Williams); no open actions",
    ),
    (
        "who's the lead for vwag",
        "Violence against women and girls: lead Violence against "
        "Women and Girls (@Melody Williams); no open actions",
    ),  # swapped letters
    ("where does prevent sit?", "Prevent: lead LSCB; no open actions"),
    (
        "who owns the MARAC?",
        "Domestic abuse: lead Violence against Women and Girls (@Melody Williams); no open actions",
    ),
    (
        "who deals with anti social behavior?",
        "Anti-social behaviour: lead Safer Borough (@Tim Barfoot); no open actions",
    ),
    (
        "which group covers PSPOs?",
        "Public space protection orders: lead Safer Borough (@Tim Barfoot); no open actions",
    ),
    (
        "who leads on IOM?",
        "Reducing re-offending: lead Managing Offenders (@Greg Tillett); no open actions",
    ),
    ("who leads on substance misuse?", "Substance misuse: no lead subgroup yet; no open actions"),
]


def test_who_leads(loaded: sessionmaker[Session]) -> None:
    """Every "who leads" form (one database for the lot: the table is the test)."""
    seen = {}
    for question, _ in WHO_LEADS:
        reply = ask(loaded, question)
        seen[question] = reply.splitlines()[0] if reply else None
    assert seen == dict(WHO_LEADS)


def _answer_names_supporters_targets_score_and_notes(loaded: sessionmaker[Session]) -> None:
    reply = ask(loaded, "who leads on reoffending?")
    assert reply == (
        "Reducing re-offending: lead Managing Offenders (@Greg Tillett); no open actions\n"
        "Targets: Support offenders' objectives on drugs, alcohol and housing; "
        "Review statutory support for victims (no duplication of service)\n"
        "Risk score: 59/80 (the assessment states 64)\n"
        "Period: 2011-12\n"
    )
    prevent = ask(loaded, "where does prevent sit?")
    assert prevent is not None
    assert "Supporting: Hate, Intolerance & Extremism" in prevent
    assert "Currently agreed to be included within LSCB." in prevent


def _lead_is_a_real_mention(loaded: sessionmaker[Session]) -> None:
    with transaction(loaded) as session:
        message = answer(session, "who leads on knife crime?", viewer_member_id=None)
    assert message is not None
    assert message.summary == (
        "Knife crime: lead Children and Young People (Angie Fuller); no open actions"
    )
    mentions = [
        p for b in message.blocks for p in getattr(b, "parts", ()) if isinstance(p, Mention)
    ]
    assert [(m.name, m.slack_user_id) for m in mentions] == [("Angie Fuller", "U004")]


def test_open_actions_are_shown_with_the_priority(loaded: sessionmaker[Session]) -> None:
    with transaction(loaded) as session:
        knife = by_name(session, "Knife crime")
        assert knife is not None
        for text, status, restricted in [
            ("Angie Fuller to invite John Poynton from Red Thread", "open", False),
            ("Rob Harris to recruit support workers", "open", False),
            ("Confidential referral review", "open", True),
            ("Schools programme report", "done", False),
        ]:
            session.add(
                Action(
                    text=text,
                    source_kind="cli",
                    status=status,
                    restricted=restricted,
                    priority_id=knife.id,
                    due_date=dt.date(2018, 10, 31),
                )
            )
    reply = ask(loaded, "who leads on knife crime?")
    assert reply is not None
    lines = reply.splitlines()
    assert lines[0] == "Knife crime: lead Children and Young People (@Angie Fuller); 3 open actions"
    shown = [line for line in lines if line.startswith("A-")]
    assert [line.split(" ", 1)[1] for line in shown] == [
        "Angie Fuller to invite John Poynton from Red Thread (due 31 Oct 2018)",
        "Rob Harris to recruit support workers (due 31 Oct 2018)",
    ]  # the restricted one is counted, never shown


def _what_does_a_subgroup_own(loaded: sessionmaker[Session]) -> None:
    reply = ask(loaded, "what does Safer Borough own?")
    assert reply == (
        "Safer Borough (@Tim Barfoot) leads on 6 priorities: Anti-social behaviour, Burglary, "
        "Casualty reduction, Public space protection orders, Robbery, Violence with injury\n"
        "Supports: Alcohol misuse and related crime and disorder, Serious youth violence\n"
    )
    assert ask(loaded, "what is CYP responsible for?") == (
        "Children and Young People (@Angie Fuller) leads on 4 priorities: Child sexual "
        "exploitation, First-time entrants, Knife crime, Serious youth violence\n"
    )
    assert ask(loaded, "what are the Managing Offenders priorities?") is not None


def _our_priorities(loaded: sessionmaker[Session]) -> None:
    assert ask(loaded, "what are our priorities?") == (
        "Our priorities (19)\n"
        "-------------------\n"
        "Children and Young People (@Angie Fuller): Child sexual exploitation, First-time "
        "entrants, Knife crime, Serious youth violence\n"
        "Hate, Intolerance & Extremism (@Rita Chadha): Community tension monitoring, Hate crime\n"
        "LSCB: Prevent\n"
        "Managing Offenders (@Greg Tillett): Alcohol misuse and related crime and disorder, "
        "Reducing re-offending\n"
        "Safer Borough (@Tim Barfoot): Anti-social behaviour, Burglary, Casualty reduction, "
        "Public space protection orders, Robbery, Violence with injury\n"
        "Violence against Women and Girls (@Melody Williams): Domestic abuse, Violence against "
        "women and girls\n"
        "No lead yet: Environmental crime, Substance misuse\n"
    )


def _top_priorities_by_risk_score(loaded: sessionmaker[Session]) -> None:
    assert ask(loaded, "top priorities by risk score") == (
        "Top priorities by risk score (out of 80)\n"
        "----------------------------------------\n"
        "1. Reducing re-offending: 59/80 (the assessment states 64), lead Managing Offenders\n"
        "2. Alcohol misuse and related crime and disorder: 59/80 (the assessment states 63), "
        "lead Managing Offenders\n"
        "17 other priorities have no risk-matrix scores.\n"
    )
    assert ask(loaded, "top 1 priorities") is not None
    assert (ask(loaded, "top 1 priorities") or "").count("/80") == 1


def _overlaps(loaded: sessionmaker[Session]) -> None:
    assert ask(loaded, "overlaps") == (
        "Overlaps in the priority register\n"
        "---------------------------------\n"
        "No priority is claimed by more than one subgroup as lead.\n"
        "No lead: Environmental crime, Substance misuse\n"
    )


def _two_equally_good_matches_ask_which(loaded: sessionmaker[Session]) -> None:
    reply = ask(loaded, "who leads on violence?")
    assert reply is not None
    assert reply.startswith("“violence” could be ")
    for name in ["Violence with injury", "Serious youth violence", "Violence against women"]:
        assert name in reply
    assert reply.rstrip().endswith("Which one? Ask again with its name.")


def _nothing_matches_says_so_and_suggests(loaded: sessionmaker[Session]) -> None:
    reply = ask(loaded, "who leads on kniff crom?")
    assert reply is not None
    assert reply.startswith("I can't find a priority called “kniff crom”. Nearest: ")
    assert "Knife crime" in reply


def _other_questions_fall_through(loaded: sessionmaker[Session]) -> None:
    """Not about priorities: the conversation's own handlers and help get these."""
    for text in [
        "who owns A-12?",
        "what does Fiona Taylor own?",
        "what's outstanding?",
        "done",
        "",
    ]:
        assert ask(loaded, text) is None, text


def _a_subgroup_named_in_a_who_question(loaded: sessionmaker[Session]) -> None:
    reply = ask(loaded, "who leads on Safer Borough?")
    assert reply is not None
    assert reply.startswith("Safer Borough (@Tim Barfoot) leads on 6 priorities")


# One database per backend serves several read-only checks (setting one up is the slow part).


def test_one_priority_in_full(loaded: sessionmaker[Session]) -> None:
    _answer_names_supporters_targets_score_and_notes(loaded)
    _lead_is_a_real_mention(loaded)


def test_overviews_of_the_register(loaded: sessionmaker[Session]) -> None:
    _what_does_a_subgroup_own(loaded)
    _our_priorities(loaded)
    _top_priorities_by_risk_score(loaded)
    _overlaps(loaded)


def test_near_misses_and_other_questions(loaded: sessionmaker[Session]) -> None:
    _two_equally_good_matches_ask_which(loaded)
    _nothing_matches_says_so_and_suggests(loaded)
    _other_questions_fall_through(loaded)
    _a_subgroup_named_in_a_who_question(loaded)
