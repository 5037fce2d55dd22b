"""Promises in free text: phrases that commit someone to a next contact or a deliverable.

A promise is read from the body of an email I sent, the note of an interaction or the
description of a calendar event. :func:`find_promises` removes quoted replies
(:func:`strip_quoted`) and the signature (:func:`strip_signature`), splits what is left into
sentences and gives at most one :class:`Promise` per sentence: the first rule of :data:`RULES`,
in table order, that matches it. Rules are English, case-blind, and read straight and curly
apostrophes alike (``I'll``, ``I’ll``):

=====================  ===========  ======  ==================================================
rule                   kind         owner   a sentence holds
=====================  ===========  ======  ==================================================
``lets_meal``          meeting      writer  "let's do/grab/have/get lunch, (a) coffee, drinks,
                                            dinner, breakfast, a call, a catch-up"
``lets_meet``          meeting      writer  "let's meet (up)", "let's get together", "let's
                                            catch up", "let's talk/chat/speak"
``lets_schedule``      meeting      writer  "let's schedule/set up/book/find a call, a time,
                                            a meeting"
``we_should``          meeting      writer  "we should grab/get/have coffee, lunch...", "we
                                            should meet (up)/catch up/get together"
``love_to``            meeting      writer  "I'd love to / I would like to grab coffee...",
                                            "I'd love to meet/catch up"
``writer_arrange``     meeting      writer  "I'll set up/schedule/book a call, lunch, a time"
``writer_will``        deliverable  writer  "I'll / I will / I'm going to / we'll send,
                                            forward, share, introduce, connect, follow up,
                                            get back to, loop you in, put you in touch,
                                            email, call you, ping"
``let_me``             deliverable  writer  "let me send/introduce/connect/loop in/check and
                                            get back"
``happy_to``           deliverable  writer  "happy/glad/delighted to introduce, connect,
                                            send", "love to introduce"
``i_can``              deliverable  writer  "I can introduce/connect you/put you in touch"
``i_promise``          deliverable  writer  "I promise to ...", "I promise I'll ..."
``other_arrange``      meeting      other   "Dana/she will set up/book a call, lunch, a time"
``other_will``         deliverable  other   "Dana/he/she/they will, 'll, is going to,
                                            promised to, said she'd/he would send,
                                            introduce, connect, follow up, get back, call"
=====================  ===========  ======  ==================================================

Between the subject and the verb a promise may have up to two adverbs from a short list
("I'll *also definitely* send", "I'll *try to* send"); a negation there ("I will not send",
"I won't be able to send") is no promise. A rule of the ``other`` owner is for notes: its subject
is he, she, they or a capitalised word that is not a pronoun or a common sentence opener (so
"This will connect you" is not a promise), and a sentence that starts with I, we or let's is never
``other``. To add a rule, add a row to :data:`RULES` (its example must be found by that rule; the
tests check it) and make sure :data:`TRIGGER` finds one of its words.

Not promises:

- questions: a sentence that ends with ``?`` and starts with an auxiliary or a question word
  ("Could you send me the deck?", "Will you introduce me?", "Shall I send it?"); a statement with
  a tag question ("I'll send it tomorrow, ok?") is still a promise;
- negations between the start of the clause and the promise ("I don't think I'll send it");
- conditionals that open the sentence ("If you like, I'll send it", "Unless..., In case...,
  Provided..., Assuming..."): a promise is only read when the sentence starts with something
  other than the condition, so "I'll send it if you like" is a promise.

Quoted replies never count: lines starting with ``>`` (any depth, after spaces); an attribution
line "On <date>, <name> wrote:" (with a digit or an ``@``; it may be wrapped over two lines) and
all after it; "-----Original Message-----" (or "Forwarded message", "Begin forwarded message:")
and all after it; an Outlook header, a line "From: ..." with a "Sent:" or "Date:" line within
the next four lines, and all after it; an Outlook divider line of underscores and all after it.

Signatures never count: all from a line that is "--" or "-- "; "Sent from my ..." and "Get
Outlook for ..." lines; and a sign-off block, the last line that is only a sign-off ("Best",
"Best regards", "Regards", "Thanks", "Cheers", "Kind regards", "Warm regards", "Sincerely", ...,
with an optional ``,``, ``!`` or ``.``) when at most six non-empty lines, each under 60
characters, follow it to the end.

Due dates (:func:`due_date`), relative to the day written, the first stated in the sentence
from the promise on (or else anywhere in the sentence):

- "today", "tonight", "this morning/afternoon/evening": that day; "tomorrow": the next day;
- "this week", "end of the week": the Friday of that week (from a Saturday or Sunday, the next
  Friday); "next week", "end of next week": the Friday of the following week;
- "in N days/weeks/months" (digits, one to twelve, "a", "a couple of" = 2, "a few" = 3);
- "Friday", "by/on/this Friday" (also Mon, Tue, Tues, Wed, Thu, Thur, Thurs, Fri, Sat, Sun,
  written capitalised or after by/on/this/until/till/before): the first such day strictly after
  the day written, so "by Friday" written on a Friday is a week later;
- "next Tuesday": the Tuesday of the calendar week (Monday to Sunday) after the week written
  in: written on Wednesday 2026-03-04 or on Monday 2026-03-02, it is 2026-03-10;
- "3 March", "3rd of March", "March 3", "March 3rd, 2026", "2026-03-10": without a year, the
  first such day on or after the day written (next year when it has passed); numeric forms such
  as 3/4 are ambiguous and not read;
- "end of the month": its last day; "next month", "end of next month": the last day of next
  month.

With no stated date a promise is due :data:`DEFAULT_DUE_DAYS` after the day written.

Cost and safety: :func:`find_promises` reads only the first :data:`MAX_CHARS` characters. One
precompiled search for :data:`TRIGGER` over the text decides the common case (no promise) before
any other work. Every pattern runs in time linear in its input (no nested unbounded repeats;
runs of punctuation are matched once, from their start), and no ``str`` makes it raise. Pure:
standard library and ``dateutil`` only.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

__all__ = [
    "DEFAULT_DUE_DAYS",
    "KINDS",
    "MAX_CHARS",
    "OWNERS",
    "RULES",
    "SENTENCE_CHARS",
    "TRIGGER",
    "TRIGGER_WORDS",
    "Promise",
    "Rule",
    "due_date",
    "find_promises",
    "has_trigger",
    "strip_quoted",
    "strip_signature",
]

#: Days after the day written that a promise with no stated date is due.
DEFAULT_DUE_DAYS = 14
#: Only this many characters of a text are read.
MAX_CHARS = 100_000
#: The kinds of promise.
KINDS = ("meeting", "deliverable")
#: Who promised: the author of the text, or a third person named in it (notes).
OWNERS = ("writer", "other")
#: The most characters of a sentence kept in :attr:`Promise.sentence`.
SENTENCE_CHARS = 300


@dataclass(frozen=True)
class Promise:
    """A promise found in a text: the sentence, who made it, what kind, and when it is due."""

    sentence: str
    owner: str
    kind: str
    due: date
    stated: bool
    rule: str


@dataclass(frozen=True)
class Rule:
    """One rule of :data:`RULES`: the pattern, the kind and owner it gives, and an example."""

    pattern: re.Pattern[str]
    kind: str
    owner: str
    description: str
    example: str


# -- the rules ---------------------------------------------------------------------------------
# Patterns run on a sentence whose whitespace is collapsed to single spaces and whose apostrophes
# are straight, so a literal " " and "'" are enough; all are case-blind.

#: Up to two of these may stand between the subject and the verb ("I'll also try to send").
_ADVERB = (r"(?:(?:also|definitely|certainly|happily|gladly|then|just|quickly|first|soon|still|now|"
           r"personally|try to|make sure to|be sure to|be happy to|be glad to|[a-z]{1,20}+ly) ){0,2}")
_WILL = r"(?:'ll| will| shall|'m going to| am going to|'re going to| are going to|'m gonna|'re gonna)"
_DELIVER = (r"(?:send|forward|share|introduce|intro|connect|follow[ -]?up|get back|come back|circle back|"
            r"loop (?:[\w-]{1,40}+ )?in|put (?:you|them|him|her|[\w-]{1,40}+) in touch|e-?mail|call you|"
            r"ring you|give you a (?:call|ring)|text you|ping|reach out|write to|dig (?:up|out)|"
            r"make (?:an |the |a )?intro(?:duction)?s?)\b")
_MEETING_WORDS = (r"lunch|coffees?|teas?|drinks?|beers?|dinner|breakfast|brunch|calls?|chat|catch[ -]?up|"
                  r"meeting|zoom")
_MODIFIERS = (r"(?:(?:a|an|some|the|another|quick|short|proper|video|phone|zoom|virtual|long|late|early|"
              r"celebratory|couple of|few|time for a|time for) ){0,3}")
_MEAL = _MODIFIERS + r"(?:" + _MEETING_WORDS + r")\b"
_MEAL_OR_TIME = _MODIFIERS + r"(?:time|slot|date|something|" + _MEETING_WORDS + r")\b"
_MEET = r"(?:meet(?: up)?|catch[ -]?up|get together)\b"
_LETS = r"\blet(?:'s|s| us) "
#: Who promised, in a note: one word, checked afterwards (:func:`_is_person`).
_WHO = r"\b(?P<who>[^\W\d_][\w-]{0,40}+)"
_THEY_WILL = (r"(?: will| shall|'ll| is going to| are going to|'s going to|'re going to|'s gonna|"
              r" promised to| has promised to| have promised to| agreed to| offered to|"
              r" said (?:he|she|they)(?:'d| would|'ll| will)| says (?:he|she|they)(?:'ll| will)|"
              r" promised (?:he|she|they)(?:'d| would)) ")
_OTHER_DELIVER = (r"(?:send|forward|share|introduce|intro|connect|follow[ -]?up|get back|come back|"
                  r"circle back|call|ring|e-?mail|ping|text|loop|put (?:me|us|you|them|him|her|"
                  r"[\w-]{1,40}+) in touch|reach out|make (?:an |the |a )?intro(?:duction)?s?)\b")
_ARRANGE = r"(?:set up|setup|schedule|book|arrange|organi[sz]e|find|plan) "


def _rule(pattern: str, kind: str, owner: str, description: str, example: str) -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), kind, owner, description, example)


#: The rules, tried in this order; the first that matches a sentence names its promise.
RULES: dict[str, Rule] = {
    "lets_meal": _rule(
        _LETS + r"(?:(?:definitely|also|maybe|just|try to|plan to|plan on) )?"
        r"(?:do|grab|have|get|book|go for|plan|organi[sz]e) " + _MEAL,
        "meeting", "writer", "let's do/grab/have lunch, coffee, drinks, dinner, a call, a catch-up",
        "Let's grab coffee next Tuesday."),
    "lets_meet": _rule(
        _LETS + r"(?:(?:definitely|also|try to|plan to|plan on) )?"
        r"(?:meet(?: up)?|get together|catch[ -]?up|hang out|talk|chat|speak|(?:hop|jump) on a call)\b",
        "meeting", "writer", "let's meet (up), get together, catch up, talk",
        "Let's meet up when you're in town."),
    "lets_schedule": _rule(
        _LETS + r"(?:(?:try to|also) )?(?:schedule|set up|setup|book|find|arrange|organi[sz]e|put|"
        r"pencil in|lock in) " + _MEAL_OR_TIME,
        "meeting", "writer", "let's schedule/set up/find a call, a time, a meeting",
        "Let's find a time for the two of us."),
    "we_should": _rule(
        r"\bwe (?:should|must|need to|have to|gotta|ought to) "
        r"(?:(?:definitely|really|totally|still|also|probably|actually) )?"
        r"(?:(?:grab|get|have|do|book|schedule|set up|plan) " + _MEAL + "|" + _MEET + ")",
        "meeting", "writer", "we should grab coffee, lunch..., meet up, catch up",
        "We should grab lunch soon."),
    "love_to": _rule(
        r"\b(?:i|we)(?:'d| would) (?:really )?(?:love|like|be happy|be glad|be keen|be delighted) to "
        r"(?:(?:grab|get|have|do|book|schedule|set up) " + _MEAL + "|" + _MEET + ")",
        "meeting", "writer", "I'd love to grab coffee..., meet up, catch up",
        "I'd love to catch up properly."),
    "writer_arrange": _rule(
        r"\b(?:i|we)" + _WILL + " " + _ADVERB + _ARRANGE + _MEAL_OR_TIME,
        "meeting", "writer", "I'll set up/schedule/book a call, lunch, a time",
        "I'll set up a call with the team."),
    "writer_will": _rule(
        r"\b(?:i|we)" + _WILL + " " + _ADVERB + _DELIVER,
        "deliverable", "writer", "I'll / I will / I'm going to send, introduce, connect, follow up...",
        "I'll send you the deck by Friday."),
    "let_me": _rule(
        r"\blet me (?:(?:just|quickly|also|first) )?(?:send|forward|share|introduce|intro|connect|"
        r"loop (?:[\w-]{1,40}+ )?in|put you in touch|follow[ -]?up|get back|"
        r"check and (?:get back|revert|come back|let you know)|find out and (?:get back|let you know)|"
        r"dig (?:up|out)|make (?:an |the |a )?intro(?:duction)?s?)\b",
        "deliverable", "writer", "let me send, introduce, connect, check and get back",
        "Let me connect you with Lee."),
    "happy_to": _rule(
        r"\b(?:(?:happy|glad|delighted|pleased) to (?:introduce|intro|connect|send|share|forward|"
        r"put you in touch|make (?:an |the |a )?intro(?:duction)?s?)|"
        r"love to (?:introduce|intro|make (?:an |the |a )?intro(?:duction)?s?))\b",
        "deliverable", "writer", "happy to introduce, connect, send",
        "Happy to introduce you to Sam."),
    "i_can": _rule(
        r"\b(?:i|we) can (?:(?:also|easily|definitely|certainly|happily|gladly) )?"
        r"(?:introduce|intro|connect|put you in touch|make (?:an |the |a )?intro(?:duction)?s?)\b",
        "deliverable", "writer", "I can introduce, connect you, put you in touch",
        "I can introduce you to their CFO."),
    "i_promise": _rule(
        r"\b(?:i|we) promise (?:to |(?:that )?(?:i|we)(?:'ll| will) )",
        "deliverable", "writer", "I promise to ..., I promise I'll ...",
        "I promise to read it this week."),
    "other_arrange": _rule(
        _WHO + _THEY_WILL + _ADVERB + _ARRANGE + _MEAL_OR_TIME,
        "meeting", "other", "Dana/she will set up, schedule, book a call, lunch, a time",
        "Dana will set up a call with her partner."),
    "other_will": _rule(
        _WHO + _THEY_WILL + _ADVERB + _OTHER_DELIVER,
        "deliverable", "other", "Dana/she will, promised to, said she'd send, introduce, follow up...",
        "Dana said she'd send the term sheet."),
}

#: One search that every promise sets off; a text it misses holds no promise. It is a superset of
#: the words every rule needs, and reads the raw text (any whitespace, any apostrophe).
TRIGGER = re.compile(
    r"\blet(?:['’‘ʼ]?s|\s+(?:me|us))\b|\bwill\b|\bshall\b|['’‘ʼ]ll\b|\bgoing\s+to\b|\bgonna\b|"
    r"\b(?:happy|glad|delighted|pleased|love|like|keen)\s+to\b|\b(?:i|we)\s+can\b|\bpromise|"
    r"\bwe\s+(?:should|must|need|have|gotta|ought)\b|\bagreed\b|\boffered\b|\bsaid\b|\bsays\b",
    re.IGNORECASE)

#: Words one of which every :data:`TRIGGER` match holds, lower-case: found with ``str.find`` (a
#: C search), they tell in microseconds that a long text holds no promise, where the regular
#: expression would take milliseconds.
TRIGGER_WORDS = ("let", "will", "shall", "'ll", "\u2019ll", "\u2018ll", "\u02bcll", "going", "gonna",
                 "happy", "glad", "delighted", "pleased", "love", "like", "keen", "can", "promise",
                 "should", "must", "need", "have", "gotta", "ought", "agreed", "offered", "said",
                 "says")
#: A :data:`TRIGGER` match that ends with its word ("we can") starts at most this many characters
#: before the spaces in front of it.
_WORD_BEFORE = 12
#: For each of :data:`TRIGGER_WORDS`, the alternatives of :data:`TRIGGER` that hold it: tried
#: around the word, one short pattern is far cheaper than the whole alternation.
_ALTERNATIVES = {
    **{w: r"\blet(?:['’‘ʼ]?s|\s+(?:me|us))\b" for w in ("let",)},
    **{w: rf"\b{w}\b" for w in ("will", "shall", "gonna", "agreed", "offered", "said", "says")},
    **{w: r"['’‘ʼ]ll\b" for w in ("'ll", "\u2019ll", "\u2018ll", "\u02bcll")},
    "going": r"\bgoing\s+to\b",
    **{w: r"\b(?:happy|glad|delighted|pleased|love|like|keen)\s+to\b"
       for w in ("happy", "glad", "delighted", "pleased", "love", "like", "keen")},
    "can": r"\b(?:i|we)\s+can\b",
    "promise": r"\bpromise",
    **{w: r"\bwe\s+(?:should|must|need|have|gotta|ought)\b"
       for w in ("should", "must", "need", "have", "gotta", "ought")},
}
_NEAR_WORD = {w: re.compile(p, re.IGNORECASE) for w, p in _ALTERNATIVES.items()}
#: The words a :data:`TRIGGER` match ends with ("we can"): it starts before them. Every other
#: match starts at its word, so two close triggers are each found at their own place.
_TAIL_WORDS = frozenset(("can", "should", "must", "need", "have", "gotta", "ought"))


def has_trigger(text: str) -> bool:
    """Whether :data:`TRIGGER` finds a word in ``text``, searched only around :data:`TRIGGER_WORDS`.

    >>> has_trigger("See the slides below."), has_trigger("We should grab coffee.")
    (False, True)
    """
    return bool(_triggers(text, first=True))


def _triggers(text: str, *, first: bool = False) -> list[tuple[int, int]]:
    """Where :data:`TRIGGER` matches in ``text``, in order (only the first one when ``first``).

    Each of :data:`TRIGGER_WORDS` is found with ``str.find``, and only the alternatives of
    :data:`TRIGGER` that hold it are tried around it: the same answer as ``TRIGGER.search``, at a
    fraction of the cost.
    """
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer: positions would not match
        found = [m.span() for m in TRIGGER.finditer(text)]
        return found[:1] if first else found
    spans = set()
    for word in TRIGGER_WORDS:
        at = low.find(word)
        while at >= 0:
            m = _match_at(text, word, at)
            if m is not None:
                if first:
                    return [m.span()]
                spans.add(m.span())
            at = low.find(word, at + 1)
    return sorted(spans)


#: The apostrophes read as a straight one (:func:`_straight`).
_APOSTROPHES = "’‘ʼ`"


def _match_at(text: str, word: str, at: int) -> re.Match[str] | None:
    """The match of :data:`TRIGGER` that holds ``word`` found at ``at``, if there is one.

    Most matches start at their word, and are tried there. Those of :data:`_TAIL_WORDS` end with
    it ("we can"), and the one ending there is taken (an earlier match nearby, as in "I can. We
    can...", is another); it starts a few characters before the spaces before the word.
    """
    pattern = _NEAR_WORD[word]
    if word not in _TAIL_WORDS:
        return pattern.match(text, at)
    end, lo = at + len(word), at
    while lo > 0 and text[lo - 1].isspace():
        lo -= 1
    for m in pattern.finditer(text, max(0, lo - _WORD_BEFORE), end + 1):
        if m.end() == end:
            return m
        if m.end() > end:
            break
    return None


def _straight(text: str) -> str:
    """``text`` with every apostrophe of :data:`_APOSTROPHES` made straight.

    Replaced only where one is present: ``str.translate`` would look up every character of a
    mail in a table, and most mail has none.

    >>> _straight("Let’s meet, I‘ll `see`")
    "Let's meet, I'll 'see'"
    """
    for curly in _APOSTROPHES:
        if curly in text:
            text = text.replace(curly, "'")
    return text

#: Pronouns and sentence openers that are not the name of someone who promised.
_NOT_PEOPLE = frozenset((
    "i", "me", "we", "us", "you", "it", "this", "that", "these", "those", "there", "here", "which", "who",
    "whom", "whose", "what", "where", "when", "why", "how", "someone", "somebody", "everyone", "everybody",
    "anyone", "anybody", "nobody", "nothing", "everything", "something", "one", "each", "all", "both",
    "either", "neither", "then", "also", "and", "but", "so", "or", "if", "once", "hopefully", "maybe",
    "perhaps", "please", "thanks", "hi", "hello", "dear", "ok", "okay", "yes", "no", "today", "tomorrow",
    "tonight", "yesterday", "team", "time", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
))
_PRONOUNS = frozenset({"he", "she", "they"})

_QUESTION_START = re.compile(
    r"\W*+(?:could|can|would|will|shall|should|do|does|did|are|is|was|were|may|might|must|am|have|"
    r"has|had|won't|wouldn't|can't|couldn't|shouldn't|when|what|how|why|where|who|which|any)\b",
    re.IGNORECASE)
_QUESTION_END = re.compile(r"\?[\"')\]”’»\s]*+$")
_CONDITIONAL_START = re.compile(r"\W*+(?:if|unless|in case|provided|assuming)\b", re.IGNORECASE)
_SELF_START = re.compile(r"\W*+(?:i|we|let(?:'s|s| us))\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|cannot|unable)\b|n't\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()—–]| - |\b(?:but|and|so|though|although|however|yet)\b",
                           re.IGNORECASE)


# -- quoted replies and signatures ----------------------------------------------------------------

_QUOTE_LINE = re.compile(r"\s*+>")
_ATTRIBUTION_START = re.compile(r"\s*+on\s", re.IGNORECASE)
_ATTRIBUTION_END = re.compile(r"wrote:\s*+$", re.IGNORECASE)
_ORIGINAL = re.compile(r"\s*+(?:-{2,}+\s*+(?:original message|forwarded message)\s*+-{2,}+|"
                       r"begin forwarded message:)\s*+$", re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"\s*+\*?from:", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(r"\s*+\*?(?:sent|date):", re.IGNORECASE)
_DIVIDER = re.compile(r"\s*+_{20,}+\s*+$")
_SENT_FROM = re.compile(r"\s*+(?:sent from my\b|get outlook for\b)", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"\s*+(?:best|best regards|regards|kind regards|warm regards|warmest regards|best wishes|"
    r"all the best|all best|thanks|thank you|thanks again|many thanks|cheers|sincerely|"
    r"yours|yours truly|yours sincerely|warmly)\s*+[,!.]?\s*+$", re.IGNORECASE)
#: An attribution line longer than this is prose, not a header.
_ATTRIBUTION_CHARS = 400


def _is_attribution(line: str) -> bool:
    return (len(line) <= _ATTRIBUTION_CHARS and _ATTRIBUTION_START.match(line) is not None
            and _ATTRIBUTION_END.search(line) is not None
            and any(ch.isdigit() or ch == "@" for ch in line))


def _quote_cut(lines: list[str]) -> int:
    """The index of the first line of a quoted reply (all from it is quoted); len(lines) if none."""
    for i, line in enumerate(lines):
        if _ORIGINAL.match(line) or _DIVIDER.match(line):
            return i
        if _ATTRIBUTION_START.match(line):
            if _is_attribution(line):
                return i
            if i + 1 < len(lines) and _is_attribution(line + " " + lines[i + 1]):
                return i
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_SENT.match(nxt) for nxt in lines[i + 1:i + 5]):
            return i
    return len(lines)


def strip_quoted(text: str) -> str:
    r"""The text without quoted replies.

    Lines starting with ``>`` go; an attribution line ("On ..., Dana <d@x.com> wrote:", maybe
    wrapped over two lines), "-----Original Message-----", an Outlook "From:"/"Sent:" header or
    an Outlook divider cuts the text there. Lines are joined with ``\n``.

    >>> strip_quoted("Sure.\n> I'll send it\nThanks")
    'Sure.\nThanks'
    >>> strip_quoted("Sure.\nOn Mon, 2 Mar 2026, Dana <d@x.com> wrote:\nI'll send the deck")
    'Sure.'
    """
    lines = text.splitlines()
    if ">" in text:
        lines = [line for line in lines if not _QUOTE_LINE.match(line)]
    return "\n".join(lines[:_quote_cut(lines)])


def strip_signature(text: str) -> str:
    r"""The text without a signature.

    All from a line ``--`` (or ``-- ``) goes, as do "Sent from my ..." lines, and a sign-off
    ("Best,", "Thanks!", ...) with at most six short non-empty lines after it to the end.

    >>> strip_signature("Let's meet.\n\nBest,\nDana\nCEO, Acme\n+1 555 0100")
    "Let's meet.\n"
    >>> strip_signature("See you.\n-- \nLet's do lunch sometime!")
    'See you.'
    """
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.rstrip() == "--":
            del lines[i:]
            break
    lines = [line for line in lines if not _SENT_FROM.match(line)]
    for i in range(len(lines) - 1, -1, -1):
        if _SIGN_OFF.match(lines[i]):
            after = [line for line in lines[i + 1:] if line.strip()]
            if len(after) <= 6 and all(len(line.strip()) < 60 for line in after):
                del lines[i:]
            break
    return "\n".join(lines)


# -- sentences --------------------------------------------------------------------------------------

#: A blank line, or a line break before a bullet, ends a sentence.
_BLOCK_BREAK = re.compile(r"\n[ \t\r\f\v]*+(?:\n|(?=(?:[-*•·]|\d{1,3}[.)]) ))")
#: The end of a sentence: a run of terminators (matched from its start only), closing quotes, space.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"')\]”’»]*+(?=\s|$)")
#: A sentence piece that ends in an abbreviation or an initial runs on into the next.
_ABBREVIATION_END = re.compile(r"(?:^|(?<=[\s(]))(?:mr|mrs|ms|dr|prof|st|vs|approx|e\.g|i\.e|a\.m|p\.m|"
                               r"[a-z])\.$", re.IGNORECASE)


def _sentences(text: str) -> Iterator[str]:
    """The sentences of ``text`` in order, each a contiguous slice of it."""
    for block in _BLOCK_BREAK.split(text):
        begin = 0
        for end in _SENTENCE_END.finditer(block):
            stop = end.end()
            if _ABBREVIATION_END.search(block, max(begin, stop - 8), stop):
                continue  # "Dr." or "p.m.": the sentence runs on
            yield block[begin:stop]
            begin = stop
        yield block[begin:]


# -- due dates ----------------------------------------------------------------------------------

_WEEKDAY_FULL = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_WEEKDAY_SHORT = r"tues|tue|wed|thurs|thur|thu|fri|sat|sun|mon"
_MONTH = (r"january|february|march|april|may|june|july|august|september|october|november|december|"
          r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
            "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_DATE = re.compile(
    r"\b(?:"
    r"(?P<iso_y>\d{4})-(?P<iso_m>\d{2})-(?P<iso_d>\d{2})\b"
    rf"|(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<dm_m>{_MONTH})\b(?:\.?,? (?P<dm_y>\d{{4}})\b)?"
    rf"|(?P<md_m>{_MONTH})\.? (?:the )?(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (?P<md_y>\d{{4}})\b)?"
    r"|end of (?P<end_week>the week|this week|the working week|the work week)\b"
    r"|end of (?P<end_next_week>next week)\b"
    r"|end of (?:the |this )?(?P<end_month>month)\b"
    r"|end of (?P<end_next_month>next month)\b"
    r"|(?P<next_week>next week)\b"
    r"|(?P<this_week>this week)\b"
    r"|(?P<next_month>next month)\b"
    rf"|next (?P<next_weekday>{_WEEKDAY_FULL}|{_WEEKDAY_SHORT})\b"
    rf"|(?P<weekday>{_WEEKDAY_FULL})\b"
    rf"|(?:by|on|this|until|till|before|coming) (?P<weekday_short>{_WEEKDAY_SHORT})\b"
    r"|(?P<weekday_capital>(?-i:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun))\b"
    r"|(?P<day_after>(?:the )?day after tomorrow)\b"
    r"|(?P<today>today|tonight|this morning|this afternoon|this evening|later today)\b"
    r"|(?P<tomorrow>tomorrow|tmrw)\b"
    r"|(?:in|within) (?:the next )?(?P<count>a couple of|a couple|couple of|a few|few|an|a|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3}) (?P<unit>days?|weeks?|months?)\b"
    r")",
    re.IGNORECASE)


def _as_date(written: date | datetime) -> date:
    return written.date() if isinstance(written, datetime) else written


def _plus(day: date, days: int = 0, months: int = 0) -> date:
    """``day`` moved on, held at the last day there is."""
    try:
        if not months:  # the usual case, without relativedelta's cost
            return day + timedelta(days=days)
        return day + relativedelta(days=days, months=months)
    except (OverflowError, ValueError):
        return date.max


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _on_or_after(written: date, month: int, day: int) -> date | None:
    """The first ``day`` of ``month`` on or after ``written``."""
    for year in range(written.year, written.year + 9):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= written:
            return found
    return None


def _stated(m: re.Match[str], written: date) -> date | None:
    """The date one match of :data:`_DATE` states, or None when it names no real day."""
    g = m.groupdict()
    monday = _plus(written, -written.weekday())
    if g["iso_y"]:
        return date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
    if g["dm_d"] or g["md_d"]:
        day, month, year = ((g["dm_d"], g["dm_m"], g["dm_y"]) if g["dm_d"]
                            else (g["md_d"], g["md_m"], g["md_y"]))
        number = _MONTHS.index(month[:3].lower()) + 1
        return date(int(year), number, int(day)) if year else _on_or_after(written, number, int(day))
    if g["end_week"] or g["this_week"]:
        return _plus(monday, 4 if written.weekday() <= 4 else 11)
    if g["end_next_week"] or g["next_week"]:
        return _plus(monday, 11)
    if g["end_month"]:
        return _month_end(written)
    if g["end_next_month"] or g["next_month"]:
        return _month_end(_plus(written.replace(day=1), months=1))
    if g["next_weekday"]:
        return _plus(monday, 7 + _WEEKDAYS.index(g["next_weekday"][:3].lower()))
    named = g["weekday"] or g["weekday_short"] or g["weekday_capital"]
    if named:
        ahead = (_WEEKDAYS.index(named[:3].lower()) - written.weekday()) % 7
        return _plus(written, ahead or 7)
    if g["day_after"]:
        return _plus(written, 2)
    if g["today"]:
        return written
    if g["tomorrow"]:
        return _plus(written, 1)
    count = g["count"].lower()
    n = int(count) if count.isdigit() else _NUMBERS[" ".join(count.split())]
    unit = g["unit"].lower()
    if unit.startswith("month"):
        return _plus(written, months=n)
    return _plus(written, n * 7 if unit.startswith("week") else n)


def due_date(sentence: str, written: date) -> date | None:
    """The date a sentence states, relative to the day it was written; None when it states none.

    The first date stated in the sentence wins; see the module's notes for the forms read.

    >>> due_date("Let's grab coffee next Tuesday", date(2026, 3, 4))
    datetime.date(2026, 3, 10)
    >>> due_date("I'll send it on 3 March", date(2026, 3, 4))
    datetime.date(2027, 3, 3)
    >>> due_date("I'll send it soon", date(2026, 3, 4)) is None
    True
    """
    day = _as_date(written)
    text = _straight(" ".join(sentence[:MAX_CHARS].split()))
    for m in _DATE.finditer(text):
        try:
            found = _stated(m, day)
        except ValueError:  # 31 February, month 13
            continue
        if found is not None:
            return found
    return None


# -- finding promises -----------------------------------------------------------------------------


def _is_person(who: str) -> bool:
    """Whether the subject of a note's promise names someone: he, she, they or a capitalised name."""
    low = who.lower()
    return low in _PRONOUNS or (who[:1].isupper() and low not in _NOT_PEOPLE)


def _negated(text: str, start: int) -> bool:
    """Whether a negation stands in the clause before ``start`` (looking back at most 80 characters)."""
    begin = max(0, start - 80)
    for br in _CLAUSE_BREAK.finditer(text, begin, start):
        begin = br.end()
    return _NEGATION.search(text, begin, start) is not None


def _match(text: str, triggers: list[tuple[int, int]]) -> tuple[str, re.Match[str]] | None:
    """The first rule, in table order, that finds a promise in the sentence ``text``.

    ``triggers`` are the sentence's :data:`TRIGGER` matches: a rule is looked for only near them.
    """
    if _CONDITIONAL_START.match(text) or (_QUESTION_END.search(text) and _QUESTION_START.match(text)):
        return None
    mine = _SELF_START.match(text) is not None
    spans = _near(triggers, len(text))
    for name, rule in RULES.items():
        if rule.owner == "other" and mine:
            continue
        for lo, hi in spans:
            for m in rule.pattern.finditer(text, lo, hi):
                if rule.owner == "other" and not _is_person(m.group("who")):
                    continue
                if not _negated(text, m.start()):
                    return name, m
    return None


#: A rule's match holds a trigger word: it is looked for only this many characters before one
_BEFORE_TRIGGER = 160
#: and this many after it.
_AFTER_TRIGGER = 320


def _near(triggers: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """The stretches of a text of ``size`` characters around its trigger matches, merged, in order.

    A long sentence with one "will" in it is read around that word, not whole by every rule.
    """
    spans: list[tuple[int, int]] = []
    for start, end in triggers:
        lo, hi = max(0, start - _BEFORE_TRIGGER), min(size, end + _AFTER_TRIGGER)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans


def _excerpt(sentence: str, start: int) -> str:
    """At most :data:`SENTENCE_CHARS` of the sentence, around the promise when it is longer."""
    if len(sentence) <= SENTENCE_CHARS:
        return sentence
    begin = max(0, min(start - 100, len(sentence) - SENTENCE_CHARS))
    return sentence[begin:begin + SENTENCE_CHARS].strip()


def find_promises(text: str, written: date | datetime) -> list[Promise]:
    """The promises in a text written on ``written``, in text order, at most one per sentence.

    Quoted replies and the signature are dropped first; only the first :data:`MAX_CHARS`
    characters are read. A promise is due on the date its sentence states (``stated``), else
    :data:`DEFAULT_DUE_DAYS` after the day written.

    >>> [p.rule for p in find_promises("Great to meet you! Let's grab coffee next Tuesday.",
    ...                                date(2026, 3, 4))]
    ['lets_meal']
    >>> p = find_promises("Notes: Dana said she'd send the term sheet.", date(2026, 3, 4))[0]
    >>> p.owner, p.kind, p.due, p.stated
    ('other', 'deliverable', datetime.date(2026, 3, 18), False)
    >>> find_promises("Could you send me the deck?", date(2026, 3, 4))
    []
    """
    if not text:
        return []
    text = text[:MAX_CHARS]
    if not has_trigger(text):
        return []
    body = strip_signature(strip_quoted(text))
    # where triggers are in the body, found once: a sentence without one is not read
    starts = [a for a, _ in _triggers(_straight(body))]
    if not starts:
        return []
    day = _as_date(written)
    found = []
    cursor = 0
    for raw in _sentences(body):
        at = body.find(raw, cursor)  # sentences are slices of the body, in order
        at = cursor if at < 0 else at
        cursor = at + len(raw)
        nearest = bisect.bisect_left(starts, at)
        if nearest == len(starts) or starts[nearest] >= cursor:
            continue
        sentence = " ".join(raw.split())
        if not sentence:
            continue
        plain = _straight(sentence)
        spans = _triggers(plain)
        if not spans:  # most sentences: no rule can match
            continue
        hit = _match(plain, spans)
        if hit is None:
            continue
        name, m = hit
        rule = RULES[name]
        due = due_date(plain[m.start():], day) or due_date(plain[:m.start()], day)
        found.append(Promise(sentence=_excerpt(sentence, m.start()), owner=rule.owner, kind=rule.kind,
                             due=due or _plus(day, DEFAULT_DUE_DAYS), stated=due is not None,
                             rule=name))
    return found
