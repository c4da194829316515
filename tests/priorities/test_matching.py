"""Name matching without a database: normalising, exact names, fuzzy matches, ties and misses."""

from __future__ import annotations

from handlers.priority_index import NameIndex, PriorityIndex, normalise
from store.priorities import IndexRow


def test_normalise_folds_case_punctuation_plurals_and_little_words() -> None:
    assert normalise("Anti-Social Behaviour") == "antisocial behaviour"
    assert normalise("the Knife Crimes") == "knife crime"
    assert normalise("Hate, Intolerance & Extremism") == "hate intolerance extremism"
    assert normalise("Burglaries") == "burglary"
    assert normalise("PSPOs") == "pspo"
    assert normalise("Violence against Women and Girls") == "violence against women girl"
    assert normalise("Safer Borough's") == "safer borough"


def _index() -> NameIndex:
    names = NameIndex()
    names.add(1, ["Knife crime", "knives"])
    names.add(2, ["Serious youth violence", "SYV", "gangs"])
    names.add(3, ["Violence with injury"])
    names.add(4, ["Violence against women and girls", "VAWG"])
    names.add(5, ["Domestic abuse", "DV"])
    names.add(6, ["Domestic violence", "DV"])  # a name two priorities share
    return names


def test_exact_names_acronyms_and_plurals_match_outright() -> None:
    names = _index()
    assert (names.match("knife crimes").kind, names.match("knife crimes").ids) == ("one", (1,))
    assert names.match("syv").ids == (2,)
    assert names.match("Gang").ids == (2,)


def test_fuzzy_word_order_misspellings_and_swapped_acronym_letters() -> None:
    names = _index()
    assert names.match("crime knife").ids == (1,)
    assert names.match("knif crme").ids == (1,)
    assert names.match("vwag").ids == (4,)
    assert names.match("serious youth violance").ids == (2,)


def test_ties_and_misses() -> None:
    names = _index()
    assert names.match("DV").kind == "ambiguous"
    assert names.match("DV").ids == (5, 6)
    violence = names.match("violence")
    assert violence.kind == "ambiguous" and {2, 3, 4} <= set(violence.ids)
    missing = names.match("parking enforcement")
    assert missing.kind == "none"


def test_priority_index_orders_by_risk_and_finds_overlaps() -> None:
    rows = [
        IndexRow(1, "B", (), (), None, 59, 63, (10,), ()),
        IndexRow(2, "A", (), (), None, 59, 64, (10, 11), ()),
        IndexRow(3, "C", (), (), None, None, None, (), (10,)),
    ]
    index = PriorityIndex(rows)
    assert [row.name for row in index.by_risk] == ["A", "B"]  # equal totals: stated total next
    assert [row.name for row in index.multi_lead] == ["A"]
    assert [row.name for row in index.no_lead] == ["C"]
    assert [row.name for row in index.led_by(10)] == ["A", "B"]
    assert [row.name for row in index.supported_by(10)] == ["C"]
