"""Compiled patterns and word lists that recognise action wording in minutes."""

from __future__ import annotations

import re

_I = re.IGNORECASE


def words(text: str, sep: str | None = None) -> frozenset[str]:
    """A word list written as one string ("a b c", or "a|b c|d" with ``sep="|"``)."""
    return frozenset(text.split(sep))


# "ACTION:", "Actions -", "**Action:**", "RESOLVED:", "Action by:" ... anywhere in a line.
PREFIX = re.compile(
    r"(?:^|(?<=[\s(\[.;:>]))[*_]{0,2}"
    r"(?P<kw>agreed actions?|action points?|actions?|resolved|action by|action owner)"
    r"(?P<flag>\s*[\[(](?:restricted|confidential)[\])])?"  # "ACTION (RESTRICTED):"
    r"[*_]{0,2}\s*(?::|–\s|—\s|-\s)[*_]{0,2}\s*",
    _I,
)
# An "Actions" heading on a line of its own (a list of actions follows).
ACTIONS_HEADING = re.compile(
    r"^[#*_\s]*(?:agreed\s+|summary of\s+|new\s+)?(?:actions?|action points|action log|action list)"
    r"(?:\s+(?:agreed|arising|list|log|summary))?[*_\s]*:?[*_\s]*$",
    _I,
)
NONE_ACTION = re.compile(
    r"^\W*(?:none|nil|n/?a|no|noted|-+|no (?:further |new )?actions?(?: (?:required|needed|agreed|"
    r"recorded|arising|taken))?|none (?:required|recorded|agreed))\W*$",
    _I,
)
STATUS_DONE = re.compile(
    r"(?:[-–:(]\s*|\b(?:now|has been|have been|was|were)\s+)(?:done|completed?|closed|actioned|"
    r"achieved)\W*$|^\W*(?:done|completed?|closed)\b",
    _I,
)
# Next meeting's agenda: implicit actions are not looked for from here on.
AGENDA_START = re.compile(
    r"^\W*agenda\W*$|items? for (?:the )?(?:next )?agenda|agenda (?:for|of) (?:the )?next meeting"
    r"|for (?:the )?agenda of (?:the )?next meeting",
    _I,
)
MINUTES_START = re.compile(r"^\W*(?:minutes of|present\s*:)", _I)
ADJOURN_START = re.compile(r"^\(\s*adjourn", _I)

# Embedded agenda headings such as " 15. PARISH COUNCIL NOTICEBOARDS" end an action.
EMBEDDED_HEADING = re.compile(r"\s(?=\d{1,2}\.\s+[A-Z][A-Z’'&,()\-]+(?:\s+[A-Z][A-Z’'&,()\-]+)+\b)")
# Cheap tests for wording that can hold an action (literal-led, so fast on long documents).
TRIGGER_HINT = re.compile(r" (?:to|will|shall) [a-z]")
ROLE_WORDS = words(
    "clerk chair chairman chairperson chairwoman members councillors officers partners board "
    "committee secretary treasurer analyst manager lead leads everyone secretariat"
)

HEADING_SENTENCE = re.compile(r"^\d{1,2}\.\s+[A-Z][A-Z’'&,()\-]+(?:\s+[A-Z][A-Z’'&,()\-]+)+\b")

LIST_MARKER = re.compile(
    r"^(?:(?:[•·▪◦●○■□➢►✓✔\-–—]|\*(?!\*))+\s*"
    r"|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,5})\.?\)\s*"
    r"|(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,5})\.\s+"
    r"|\d{1,2}\.\d{1,2}(?:\.\d{1,2})*\s+)"
)
RECURRING = re.compile(
    r"\b(?:(?:\d{1,2}|two|three|four|six|eight)[- ](?:weekly|monthly)|fortnightly|bi-?weekly"
    r"|weekly|monthly|quarterly|annually|bi-?annually|every (?:\d{1,2}|two|three|four|six)"
    r" (?:days|weeks|months)|every (?:week|month|quarter|year))\b",
    _I,
)


def is_restricted(text: str) -> bool:
    """Whether a text carries a RESTRICTED / CONFIDENTIAL flag."""
    lowered = text.lower()
    return ("restricted" in lowered or "confidential" in lowered) and bool(RESTRICTED.search(text))


def recurring(text: str) -> str | None:
    """The recurrence phrase of an action ("6-weekly", "monthly", "every two weeks")."""
    lowered = text.lower()
    if not any(
        word in lowered
        for word in ("weekly", "monthly", "every", "annually", "quarterly", "fortnightly")
    ):
        return None
    found = RECURRING.search(text)
    return found.group(0) if found else None


RESTRICTED = re.compile(
    r"\b(?-i:RESTRICTED|CONFIDENTIAL)\b|[\[(](?:restricted|confidential)[\])]"
    r"|^(?:restricted|confidential)\s*[:\-–]",
    _I,
)

TITLES = (
    r"(?:Cllrs?|Councillors?|Cll|Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev|Revd|Supt|Ch\.?\s?Supt|"
    r"Chief\s+Supt|Superintendent|Insp|Inspector|DI|DCI|DS|DC|PC|PCSO|Sgt|Sergeant|Sir|Dame|"
    r"Lord|Lady|Cmdr|Commander)"
)
NAME = r"(?:Mc|Mac|O['’])?[A-Z][a-z]*(?:[A-Z][a-z]+)?(?:[-'’][A-Z][a-z]+)*"
POSTNOMINAL = r"(?:\s+(?:MP|OBE|MBE|CBE|JP|QPM))?"
TITLED_NAME = re.compile(rf"(?:{TITLES}\.?\s+)+(?:[A-Z]\.?\s+)*{NAME}(?:\s+{NAME})?{POSTNOMINAL}")
INITIAL_NAME = re.compile(rf"(?:[A-Z]\.\s*)+{NAME}(?:\s+{NAME})?{POSTNOMINAL}")
FULL_NAME = re.compile(rf"{NAME}(?:\s+(?:[A-Z]\.?\s+)?{NAME}){{1,2}}")
SINGLE_NAME = re.compile(NAME)
INITIALS = re.compile(r"[A-Z]{2,4}|(?:[A-Z]\.){2,4}")
ORG_AMP = re.compile(r"[A-Z]{1,3}&[A-Z]{1,3}")

ROLE = re.compile(
    r"(?:the\s+)?(?:all\s+)?(?:(?:parish|town|locum|deputy|assistant|acting|interim|vice|joint|"
    r"community safety|project|programme|partnership|CSP|board|subgroup|sub-group)[\s-]+)*"
    r"(?:clerk|chair(?:man|woman|person)?|vice-chair|secretary|treasurer|co-?ordinator|"
    r"officers?|members?|councillors?|partners?|board|committee|partnership|leads?|chairs|"
    r"analyst|manager|director|secretariat|everyone|sub-?group leads?|subgroup chairs)",
    _I,
)
INDIVIDUAL_ROLE = re.compile(
    r"(?:the\s+)?(?:(?:parish|town|locum|deputy|assistant|acting|interim|vice)[\s-]+)*"
    r"(?:clerk|chair(?:man|woman|person)?|vice-chair|secretary|treasurer|analyst|manager)",
    _I,
)
ORG_WORDS = words(
    "police probation court courts health fire highways council nhs education housing "
    "environmental trading standards ambulance prison prisons service services trust authority "
    "team unit department agency agencies commission cps yos"
)
NOT_NAME_WORDS = words(
    "the this that these those it its there here they we he she you i our their his her "
    "a an and or but if when while as at on in to of for by with from all any each every "
    "no not some potential need needs work key focus dates date agenda minutes report reports "
    "plan plans item items update updates data meeting meetings papers paper action actions "
    "feedback next last new further following public residents thanks members local "
    "highlighting worth discussion clarity training attendance looking strategic hall road "
    "street close lane village church school club group committee centre office week day "
    "month year council borough county parish police highways partnership board team service "
    "services trust government ltd limited agreed resolved noted proposed"
)
# Capitalised words that open an instruction ("Continue to monitor ...") rather than name
# someone; a lone first name is only taken as an owner when it is none of these.
NOT_SINGLE_OWNER = words(
    "continue aim plan try seek need want agree arrange decide begin start intend expect "
    "promise offer refuse fail attempt endeavour remember forget prepare wish choose propose "
    "undertake volunteer ought go come help look move strive commit ensure able unable likely "
    "unlikely important useful best happy keen ready due difficult easy hard time nothing "
    "something anything everything reminder decision proposal motion request requests response "
    "letter email emails invitation consultation draft yet still just only first second third "
    "finally previously subsequently please remember agreement target targets aims objective "
    "objectives priority priorities recommendation recommendations option options beneficial "
    "essential necessary vital helpful good better great worthwhile"
)
PRONOUNS = words("he she they we it i you this that there who which someone")
NON_TASK_VERBS = words(
    "be been being have has had need needs wait like remain not never also the a an this that "
    "these those its their his her our your my all any some recall remember know note notice "
    "see find appreciate recognise recognize understand want wish feel hope expect"
)
ADVERBS = words("also now then further shortly personally initially jointly again still")
PASSIVE_CONTACT = words(
    "asked contacted invited approached informed reminded chased requested written told "
    "consulted notified"
)
BARE_ANAPHORIC = frozenset({"action"})

STOPWORDS = words(
    "the a an and or of to for in on at by with from this that these those is are was were be "
    "been will would should to as it its their there any all also about into re"
)
