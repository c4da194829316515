"""Resolving owners as written in minutes ("RC", "Cllr Jenkinson", "The Chair") to members."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

__all__ = ["MemberInfo", "OwnerMatch", "resolve_owner", "resolve_owners"]


@dataclass(frozen=True)
class MemberInfo:
    """A member of the partnership, as the directory knows them."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()
    initials: str | None = None
    email: str | None = None
    organisation: str | None = None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class OwnerMatch:
    """How a written owner resolved: one member, several possible, nobody, or a group."""

    written: str
    status: str  # "matched" | "ambiguous" | "unknown" | "collective"
    member_id: int | None = None
    candidates: tuple[int, ...] = ()


def _words(text: str, sep: str | None = None) -> frozenset[str]:
    return frozenset(text.split(sep))


_TITLES = _words(
    "cllr cllrs councillor cll mr mrs ms miss mx dr prof professor rev revd supt superintendent "
    "ch chief insp inspector di dci ds dc pc pcso sgt sergeant sir dame lord lady cmdr commander "
    "det detective"
)
_POSTNOMINALS = _words("mp obe mbe cbe jp qpm")
_ROLES = {
    "chair": "chair", "chairman": "chair", "chairperson": "chair", "chairwoman": "chair",
    "vice chair": "vice chair", "vice-chair": "vice chair", "deputy chair": "vice chair",
    "vice chairman": "vice chair", "clerk": "clerk", "parish clerk": "clerk",
    "town clerk": "clerk", "locum clerk": "clerk", "secretary": "secretary",
    "treasurer": "treasurer", "lead": "lead", "analyst": "analyst",
    "community safety analyst": "analyst", "co-ordinator": "coordinator",
    "coordinator": "coordinator",
}
_COLLECTIVE = _words(
    "all|all members|members|everyone|everybody|all partners|partners|board|partnership|"
    "committee|councillors|all councillors|officers|all officers|council|parish council|pc|"
    "group|subgroup|sub group|sub-group|subgroup leads|sub group leads|sub-group leads|"
    "all subgroup leads|chairs|subgroup chairs|leads|all leads|team|csp|agencies|"
    "all agencies|partner agencies", "|"
)
_ORGANISATIONS = _words(
    "police|probation|court|courts|nhs|fire|health|a&e|highways|council|housing|education|"
    "cps|yos|ccg|sbc|jsu|met police|mps|fire service|ambulance|nelft|lscb|sab", "|"
)
_MATCH, _CLOSE = 88.0, 75.0
_JUNK = re.compile(r"[^\w&'\- ]+")


def _clean(text: str) -> str:
    text = text.replace("’", "'").replace(".", " ").casefold()
    return " ".join(_JUNK.sub(" ", text).split()).strip(" '-")


def _bare_words(text: str) -> list[str]:
    """Words of a name without titles, "the" or post-nominals."""
    words = _clean(text).split()
    while words and (words[0] in _TITLES or words[0] == "the"):
        words.pop(0)
    while words and words[-1] in _POSTNOMINALS:
        words.pop()
    return words


def _names(member: MemberInfo) -> list[str]:
    return [" ".join(_bare_words(n)) for n in (member.name, *member.aliases) if _bare_words(n)]


def _initials(member: MemberInfo) -> set[str]:
    found = {"".join(w[0] for w in _bare_words(member.name) if w)}
    if member.initials:
        found.add(_clean(member.initials).replace(" ", ""))
    return found


def _result(written: str, ids: Sequence[int]) -> OwnerMatch | None:
    unique = tuple(dict.fromkeys(ids))
    if len(unique) == 1:
        return OwnerMatch(written, "matched", member_id=unique[0])
    if unique:
        return OwnerMatch(written, "ambiguous", candidates=unique)
    return None


def _by_exact(written: str, members: Sequence[MemberInfo]) -> OwnerMatch | None:
    wanted = " ".join(_bare_words(written))
    return _result(written, [m.id for m in members if wanted and wanted in _names(m)])


def _by_role(written: str, members: Sequence[MemberInfo]) -> OwnerMatch | None:
    key = " ".join(w for w in _clean(written).split() if w != "the")
    role = _ROLES.get(key)
    member_roles = {m.id: {_ROLES.get(_clean(r), _clean(r)) for r in m.roles} for m in members}
    if role is None and not any(key in roles for roles in member_roles.values()):
        return None
    wanted = role or key
    holders = [m.id for m in members if wanted in member_roles[m.id]]
    return _result(written, holders) or OwnerMatch(written, "unknown")


def _by_group(written: str, members: Sequence[MemberInfo]) -> OwnerMatch | None:
    key = " ".join(w for w in _clean(written).split() if w != "the")
    in_org = tuple(m.id for m in members if m.organisation and _clean(m.organisation) == key)
    if in_org or key in _ORGANISATIONS or key in _COLLECTIVE:
        return OwnerMatch(written, "collective", candidates=in_org)
    return None


def _by_initials(written: str, members: Sequence[MemberInfo]) -> OwnerMatch | None:
    compact = re.sub(r"[\s.]", "", written)
    if not re.fullmatch(r"[A-Za-z]{2,4}", compact) or not compact.isupper():
        return None
    wanted = compact.casefold()
    return _result(written, [m.id for m in members if wanted in _initials(m)]) \
        or OwnerMatch(written, "unknown")


def _by_name_part(written: str, members: Sequence[MemberInfo]) -> OwnerMatch | None:
    """ "Jenkinson" (a surname or first name alone) or "M. Grief" (initial and surname)."""
    words = _bare_words(written)
    if len(words) == 1:
        word = words[0]
        return _result(written, [m.id for m in members for n in _names(m)
                                 if word in (n.split()[0], n.split()[-1])])
    if len(words) == 2 and len(words[0]) == 1:
        first, last = words
        return _result(written, [m.id for m in members for n in _names(m)
                                 if n.split()[-1] == last and n.startswith(first)])
    return None


def _by_spelling(written: str, members: Sequence[MemberInfo]) -> OwnerMatch:
    """Near spellings ("Jonathon Toy" for "Jonathan Toy"): matched only when no other member
    comes close; otherwise every close member is offered and nobody is guessed."""
    wanted = " ".join(_bare_words(written))
    scores: dict[int, float] = {}
    for member in members:
        for name in _names(member):
            score = max(fuzz.ratio(wanted, name), fuzz.token_sort_ratio(wanted, name))
            if len(wanted.split()) == 1 and len(name.split()) > 1:
                score = max(fuzz.ratio(wanted, name.split()[-1]) - 4, 0)
            scores[member.id] = max(scores.get(member.id, 0.0), score)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    close = tuple(mid for mid, score in ranked if score >= _CLOSE)
    if ranked and ranked[0][1] >= _MATCH and len(close) == 1:
        return OwnerMatch(written, "matched", member_id=ranked[0][0])
    if close:
        return OwnerMatch(written, "ambiguous", candidates=close)
    return OwnerMatch(written, "unknown")


_STEPS: tuple[Callable[[str, Sequence[MemberInfo]], OwnerMatch | None], ...] = (
    _by_exact, _by_role, _by_group, _by_initials, _by_name_part,
)


def resolve_owner(written: str, members: Sequence[MemberInfo]) -> OwnerMatch:
    """Match one owner as written against the member directory.

    Tries, in order: exact name or alias (titles ignored), a role someone holds ("The Chair",
    "Clerk"), a group or organisation ("All members", "Police" -> collective), initials ("RC"),
    a surname or first name alone, then near spellings. Several equally good members give
    "ambiguous" with the candidates; nothing close gives "unknown". Never guesses.
    """
    if not _clean(written):
        return OwnerMatch(written, "unknown")
    for step in _STEPS:
        found = step(written, members)
        if found is not None:
            return found
    return _by_spelling(written, members)


def resolve_owners(written: Sequence[str], members: Sequence[MemberInfo]) -> list[OwnerMatch]:
    """Resolve each written owner in order (see resolve_owner)."""
    return [resolve_owner(w, members) for w in written]
