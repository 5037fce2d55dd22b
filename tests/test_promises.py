"""Promises in free text: hand-written messages, due dates, quoted replies and signatures, and laws.

- each hand-written message gives exactly the promises (owner, kind, due, stated) a reader sees;
- quoted replies, attributions, Outlook headers and signatures never add a promise;
- questions, negations and leading conditionals are no promises;
- every rule of the table finds its own example, and the trigger finds every example;
- any text: no exception, sentences taken from the text, a default due date on or after the day
  written; quoted text appended never changes the answer; a long adversarial text is read in
  one call (the suite's time is the guard).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netgraph.promises as promises_module
from netgraph.promises import (
    DEFAULT_DUE_DAYS,
    KINDS,
    MAX_CHARS,
    OWNERS,
    RULES,
    TRIGGER,
    Promise,
    due_date,
    find_promises,
    strip_quoted,
    strip_signature,
)

WED = date(2026, 3, 4)  # a Wednesday
MON = date(2026, 3, 2)
FRI = date(2026, 3, 6)


def _one(text: str, written: date = WED) -> Promise:
    found = find_promises(text, written)
    assert len(found) == 1, found
    return found[0]


def _facts(p: Promise) -> tuple:
    return p.owner, p.kind, p.due, p.stated


def _collapse(text: str) -> str:
    return " ".join(text.split())


# -- hand-written messages --------------------------------------------------------------------------


def test_coffee_next_tuesday_is_the_tuesday_of_the_following_week():
    p = _one("Great to meet you today! Let's grab coffee next Tuesday.")
    assert _facts(p) == ("writer", "meeting", date(2026, 3, 10), True)
    assert p.sentence == "Let's grab coffee next Tuesday."
    assert p.rule == "lets_meal"
    assert _one("Let's grab coffee next Tuesday", MON).due == date(2026, 3, 10)


def test_a_quoted_reply_and_all_after_the_attribution_give_nothing():
    text = ("Thanks Dana, sounds good.\n\n"
            "On Mon, 2 Mar 2026, Dana <d@x.com> wrote:\n"
            "I'll send the deck\n"
            "> I'll send it tomorrow\n"
            ">> Let's grab lunch on Friday\n")
    assert find_promises(text, WED) == []
    assert strip_quoted(text).strip() == "Thanks Dana, sounds good."


def test_a_wrapped_attribution_cuts_too():
    text = ("Noted.\nOn Tue, 3 Mar 2026 at 10:00, Dana Lee\n<dana@x.com> wrote:\n"
            "I'll send the deck tomorrow.")
    assert find_promises(text, WED) == []


def test_an_inline_reply_keeps_my_lines_and_drops_the_quoted_ones():
    text = "> Can you send the deck?\nI'll send it tomorrow.\n> And an intro to Sam?\nHappy to introduce you."
    found = find_promises(text, WED)
    assert [(p.rule, p.due, p.stated) for p in found] == [
        ("writer_will", date(2026, 3, 5), True),
        ("happy_to", WED + timedelta(days=DEFAULT_DUE_DAYS), False)]


def test_happy_to_introduce_is_due_in_fourteen_days():
    p = _one("Happy to introduce you to Sam.")
    assert _facts(p) == ("writer", "deliverable", WED + timedelta(days=14), False)


def test_a_tagline_after_the_signature_dash_is_no_promise():
    assert find_promises("Thanks for today.\n\n-- \nLet's do lunch sometime!", WED) == []
    assert find_promises("Thanks for today.\n--\nDana Lee | I'll send you our newsletter", WED) == []


def test_a_sign_off_block_is_removed():
    text = "Let's meet next week.\n\nBest,\nDana\nCEO, Acme\n+1 555 0100"
    assert strip_signature(text).strip() == "Let's meet next week."
    assert [p.sentence for p in find_promises(text, WED)] == ["Let's meet next week."]
    tagline = "See you soon.\n\nBest regards!\nDana\nLet's grab coffee sometime"
    assert find_promises(tagline, WED) == []


def test_a_sign_off_before_a_long_paragraph_stays():
    text = ("Thanks\n\n" + "I'll send you the deck tomorrow, together with the numbers we went over, "
            "and the notes from the board.")
    assert _one(text).due == date(2026, 3, 5)


def test_sent_from_my_phone_lines_go():
    assert strip_signature("Will do.\nSent from my iPhone") == "Will do."
    assert find_promises("Sure.\n\nSent from my iPhone\nI'll", WED) == []


def test_by_friday_written_on_a_friday_is_the_next_friday():
    p = _one("I'll send you the deck by Friday", FRI)
    assert _facts(p) == ("writer", "deliverable", FRI + timedelta(days=7), True)


def test_a_note_of_what_someone_else_promised():
    p = _one("Dana said she'd send the term sheet on 3 March", WED)
    assert _facts(p) == ("other", "deliverable", date(2027, 3, 3), True)
    p = _one("Dana said she'd send the term sheet on 3 March", date(2026, 2, 20))
    assert _facts(p) == ("other", "deliverable", date(2026, 3, 3), True)


@pytest.mark.parametrize("text", [
    "Could you send me the deck?",
    "Will you introduce me to Sam?",
    "Shall I send it over?",
    "I won't be able to send it",
    "I will not send it.",
    "I don't think I'll send it.",
    "If you like, I'll send the deck.",
    "Let me know if you need anything.",
    "This will connect you to the right people.",
    "I think she'll send it.",
    "Please send me the deck.",
    "",
])
def test_no_promise(text):
    assert find_promises(text, WED) == []


@pytest.mark.parametrize(("text", "facts"), [
    ("let me connect you with Lee", ("writer", "deliverable", WED + timedelta(days=14), False)),
    ("I will follow up next week", ("writer", "deliverable", date(2026, 3, 13), True)),
    ("I'll send it in two weeks.", ("writer", "deliverable", WED + timedelta(days=14), True)),
    ("I'll get back to you by the end of the month.", ("writer", "deliverable", date(2026, 3, 31), True)),
    ("I’ll send it tomorrow.", ("writer", "deliverable", date(2026, 3, 5), True)),
    ("Let’s do lunch on Thursday!", ("writer", "meeting", date(2026, 3, 5), True)),
    ("I'll send the deck if you like.", ("writer", "deliverable", WED + timedelta(days=14), False)),
    ("I'll send it tomorrow, ok?", ("writer", "deliverable", date(2026, 3, 5), True)),
    ("No worries, I'll send it tomorrow.", ("writer", "deliverable", date(2026, 3, 5), True)),
    ("Tomorrow I'll send it.", ("writer", "deliverable", date(2026, 3, 5), True)),
    ("We should grab lunch soon.", ("writer", "meeting", WED + timedelta(days=14), False)),
    ("I'd love to grab coffee when you're back.", ("writer", "meeting", WED + timedelta(days=14), False)),
    ("Let's schedule a call for this week.", ("writer", "meeting", date(2026, 3, 6), True)),
    ("I'll set up a call with Lee next Mon.", ("writer", "meeting", date(2026, 3, 9), True)),
    ("I can introduce you to their CFO.", ("writer", "deliverable", WED + timedelta(days=14), False)),
    ("Let's do a catch-up in a couple of days.", ("writer", "meeting", date(2026, 3, 6), True)),
    ("We'll forward the term sheet in a few days.", ("writer", "deliverable", date(2026, 3, 7), True)),
    ("She'll introduce me to Sam on Friday.", ("other", "deliverable", date(2026, 3, 6), True)),
    ("Dr. Lee will send the report on March 10th.", ("other", "deliverable", date(2026, 3, 10), True)),
    ("Tom promised to intro me to his VC friend.", ("other", "deliverable", WED + timedelta(days=14), False)),
    ("They said they would follow up in 2 weeks.", ("other", "deliverable", WED + timedelta(days=14), True)),
    ("Sam is going to send the intro 2026-03-20.", ("other", "deliverable", date(2026, 3, 20), True)),
])
def test_promises_and_their_due_dates(text, facts):
    assert _facts(_one(text)) == facts


def test_outlook_blocks_are_ignored():
    original = ("Will do.\n\n-----Original Message-----\nFrom: Dana Lee\nSent: Monday, 2 March 2026\n"
                "I'll send the deck tomorrow.")
    header = ("Noted.\n\nFrom: Dana Lee <d@x.com>\nSent: Monday, 2 March 2026 10:00\nTo: me\n"
              "Subject: Re: deck\n\nI'll send the deck tomorrow.")
    divider = "Noted.\n\n" + "_" * 32 + "\nFrom: Dana\nLet's grab lunch Friday."
    for text in (original, header, divider):
        assert find_promises(text, WED) == [], text
    # a "From:" line with no header after it is prose
    assert _one("From: the team\nI'll send the deck tomorrow.").due == date(2026, 3, 5)


def test_promises_come_in_text_order_one_per_sentence():
    text = "I'll send the deck. Let's grab lunch Friday! I'll send the deck."
    found = find_promises(text, WED)
    assert [p.rule for p in found] == ["writer_will", "lets_meal", "writer_will"]
    assert found[1].due == date(2026, 3, 6)
    # two rules in one sentence: the first in table order names it
    assert [p.rule for p in find_promises("I'll send the deck and let's grab lunch.", WED)] == ["lets_meal"]


def test_bullets_and_blank_lines_end_sentences():
    text = "Next steps\n- I'll send the deck\n- Dana will intro me to Sam\n\nLet's meet up"
    assert [(p.owner, p.rule) for p in find_promises(text, WED)] == [
        ("writer", "writer_will"), ("other", "other_will"), ("writer", "lets_meet")]


def test_a_datetime_is_read_as_its_day_and_a_long_sentence_is_cut():
    assert _one("I'll send it tomorrow", datetime(2026, 3, 4, 23, 59)).due == date(2026, 3, 5)
    long = "word " * 200 + "I'll send the deck " + "and more " * 100
    p = _one(long)
    assert len(p.sentence) <= 300 and "I'll send the deck" in p.sentence


# -- due dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "written", "due"), [
    ("today", WED, WED),
    ("tonight", WED, WED),
    ("tomorrow", WED, date(2026, 3, 5)),
    ("this week", WED, date(2026, 3, 6)),
    ("end of the week", date(2026, 3, 7), date(2026, 3, 13)),  # a Saturday: the next Friday
    ("by the end of this week", date(2026, 3, 8), date(2026, 3, 13)),
    ("next week", WED, date(2026, 3, 13)),
    ("next week", date(2026, 3, 8), date(2026, 3, 13)),  # a Sunday: the Friday of the week after
    ("in 3 days", WED, date(2026, 3, 7)),
    ("in a week", WED, date(2026, 3, 11)),
    ("in a couple of days", WED, date(2026, 3, 6)),
    ("in a few days", WED, date(2026, 3, 7)),
    ("in twelve weeks", WED, WED + timedelta(weeks=12)),
    ("by Friday", FRI, date(2026, 3, 13)),
    ("on Monday", WED, date(2026, 3, 9)),
    ("this Wednesday", WED, date(2026, 3, 11)),
    ("Thurs", WED, date(2026, 3, 5)),
    ("before sat", WED, date(2026, 3, 7)),
    ("we sat down", WED, None),
    ("next Tuesday", WED, date(2026, 3, 10)),
    ("next Tuesday", MON, date(2026, 3, 10)),
    ("next Sunday", date(2026, 3, 8), date(2026, 3, 15)),
    ("3 March", date(2026, 3, 3), date(2026, 3, 3)),
    ("3rd March", WED, date(2027, 3, 3)),
    ("March 3", date(2026, 1, 1), date(2026, 3, 3)),
    ("March 3rd, 2026", WED, date(2026, 3, 3)),
    ("on 3 Mar", date(2026, 2, 1), date(2026, 3, 3)),
    ("the 29th of February", WED, date(2028, 2, 29)),
    ("3 March 2027", WED, date(2027, 3, 3)),
    ("2026-03-10", WED, date(2026, 3, 10)),
    ("2026-02-30 or 3/4", WED, None),
    ("3/4", WED, None),
    ("31 February", WED, None),
    ("end of the month", WED, date(2026, 3, 31)),
    ("end of the month", date(2026, 2, 10), date(2026, 2, 28)),
    ("next month", WED, date(2026, 4, 30)),
    ("soon", WED, None),
    ("in March", WED, None),
])
def test_due_date(sentence, written, due):
    assert due_date(sentence, written) == due


def test_the_first_stated_date_wins_and_the_far_future_holds():
    assert due_date("Tomorrow, or else on Friday", WED) == date(2026, 3, 5)
    assert due_date("tomorrow", date.max) == date.max
    assert _one("I'll send it", date.max).due == date.max


# -- the rule table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(RULES))
def test_every_rule_finds_its_example_and_the_trigger_finds_it(name):
    rule = RULES[name]
    assert rule.kind in KINDS and rule.owner in OWNERS and rule.description
    assert TRIGGER.search(rule.example), name
    p = _one(rule.example)
    assert (p.rule, p.kind, p.owner) == (name, rule.kind, rule.owner)


def test_the_module_documents_every_rule():
    for name in RULES:
        assert f"``{name}``" in promises_module.__doc__, name


def test_only_the_first_characters_are_read():
    assert find_promises("x" * MAX_CHARS + " I'll send it tomorrow.", WED) == []
    assert len(find_promises("x " * 1000 + "\n\nI'll send it tomorrow.", WED)) == 1


def test_a_long_adversarial_text_is_read_in_one_call():
    parts = ["I'll send " + "!" * 8000, "I will" + " " * 8000 + "x", "I'll " + "A" * 8000,
             "let's " * 1500, "not I'll send " * 700, "Dana will " * 800, "a. " * 2500,
             "." * 8000, "I'll send." + ")" * 8000, ("On 3 " + "x" * 50 + "\n") * 150,
             "From: x\n" * 1000, "Best,\n" * 1000, "\n \t" * 2500, "I'll send in " * 600,
             "3 " * 4000, "?" * 8000, "we " * 2500, "A " * 4000, "I" + "'" * 8000]
    text = "".join(parts)
    assert len(text) >= MAX_CHARS
    assert all(isinstance(p, Promise) for p in find_promises(text, WED))


# -- laws -------------------------------------------------------------------------------------------

FRAGMENTS = [
    "let's", "Let’s", "lets", "let me", "I'll", "I’ll", "I will", "I'm going to", "we'll", "will", "'ll",
    "happy to", "I can", "promise", "we should", "I'd love to", "said she'd", "Dana", "She", "This",
    "send", "introduce", "connect", "follow up", "get back to", "grab", "coffee", "lunch", "a call",
    "meet up", "next", "this", "Tuesday", "Tue", "sat", "Sun", "week", "month", "end of the", "in",
    "two", "a few", "days", "weeks", "3 March", "March 31st", "2026-02-30", "9999-12-31", "29 Feb",
    "tomorrow", "today", "?", ".", "!", "...", ",", " ", "  ", "\t", "\n", "\n\n", "\r\n", "> ", ">",
    " >> ", "On Mon, 2 Mar 2026, Dana <d@x.com> wrote:", "wrote:", "On 3", "-- ", "--", "Best,",
    "Thanks!", "From: x", "Sent: y", "Date:", "-----Original Message-----", "_" * 32,
    "Sent from my iPhone", "I won't", "not", "never", "If", "Could you", "Will you", "e.g.", "Dr.",
    "p.m.", "- ", "1. ", "\u2028", "\x85", "’", "é", "😀", "\x00",
]
fragmented = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60)
texts = st.one_of(st.text(max_size=300), fragmented.map("".join), fragmented.map(" ".join))
days = st.dates()


@settings(max_examples=400, deadline=None)
@given(texts, days)
def test_any_text_gives_well_formed_promises(text, written):
    found = find_promises(text, written)
    kept = _collapse(strip_signature(strip_quoted(text[:MAX_CHARS])))
    words = set(text.split())
    later = timedelta(days=DEFAULT_DUE_DAYS)
    default = written + later if written <= date.max - later else date.max
    for p in found:
        assert isinstance(p, Promise)
        assert p.sentence and len(p.sentence) <= 300
        assert p.sentence in kept
        assert set(p.sentence.split()[1:-1]) <= words  # the ends may be cut from a long sentence
        assert p.owner in OWNERS and p.kind in KINDS and p.rule in RULES
        assert isinstance(p.due, date)
        if not p.stated:
            assert p.due == default >= written


SENTENCES = [
    "Great to see you.", "Let's grab coffee next Tuesday.", "I'll send you the deck by Friday.",
    "Happy to introduce you to Sam!", "Could you send me the deck?", "Dana said she'd follow up.",
    "Thanks for lunch.", "I won't be able to send it.", "We should catch up in two weeks.",
    "Let me check and get back to you", "The numbers look fine", "Will do.", "Best,", "Dana",
]
bodies = st.lists(st.tuples(st.sampled_from(SENTENCES), st.sampled_from([" ", "\n", "\n\n"])),
                  max_size=12).map(lambda parts: "".join(s + sep for s, sep in parts).rstrip())


@settings(max_examples=300, deadline=None)
@given(bodies, st.text(max_size=200), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_quoted_text_never_adds_a_promise(body, quoted, written):
    reply = body + "\n" + "\n".join("> " + line for line in quoted.splitlines())
    assert find_promises(reply, written) == find_promises(body, written)


@settings(max_examples=300, deadline=None)
@given(st.one_of(fragmented.map("".join), st.text()))
def test_the_fast_trigger_search_finds_what_the_pattern_finds(text: str) -> None:
    """Words found with str.find, the pattern tried around them: the same answer, and real matches."""
    found = promises_module._triggers(text)
    assert promises_module.has_trigger(text) == (promises_module.TRIGGER.search(text) is not None)
    assert bool(found) == (promises_module.TRIGGER.search(text) is not None)
    for start, end in found:
        assert promises_module.TRIGGER.fullmatch(text, start, end) or promises_module.TRIGGER.match(
            text, start, end)


@settings(max_examples=300, deadline=None)
@given(st.one_of(fragmented.map("".join), fragmented.map(" ".join), st.text()))
def test_the_fast_trigger_search_misses_no_match(text: str) -> None:
    """Every place where the pattern matches starts a match found: none is hidden by a neighbour."""
    every = {i for i in range(len(text)) if promises_module.TRIGGER.match(text, i)}
    if len(text.lower()) == len(text):
        assert every <= {start for start, _ in promises_module._triggers(text)}


def test_a_short_sentence_before_does_not_hide_a_promise() -> None:
    """ "I can." just before "I can introduce you": the second match is found, and its promise."""
    found = find_promises("I can. I can introduce you to Sam next week.", date(2026, 3, 4))
    assert [p.rule for p in found] == ["i_can"]


def _every_sentence(text: str, written: date) -> list[str]:
    """The promises' sentences when every sentence is read (no skipping by trigger positions)."""
    body = promises_module.strip_signature(promises_module.strip_quoted(text[:promises_module.MAX_CHARS]))
    out = []
    for raw in promises_module._sentences(body):
        sentence = " ".join(raw.split())
        plain = promises_module._straight(sentence)
        spans = promises_module._triggers(plain)
        hit = promises_module._match(plain, spans) if sentence and spans else None
        if hit is not None:
            out.append((sentence[:40], hit[0], hit[1].start()))
    return out


@settings(max_examples=300, deadline=None)
@given(fragmented.map("".join))
def test_skipping_sentences_without_a_trigger_loses_no_promise(text: str) -> None:
    """The body's trigger positions pick the sentences to read: the same promises as reading all."""
    found = [(p.sentence[:40], p.rule) for p in find_promises(text, date(2026, 3, 4))]
    every = _every_sentence(text, date(2026, 3, 4))
    assert found == [(s, rule) for s, rule, _ in every]


def test_two_close_triggers_in_two_sentences_are_each_found() -> None:
    """The second "will", a few characters after the first, starts its own sentence's promise."""
    found = find_promises("Not sure it will. I will send you the deck.", date(2026, 3, 4))
    assert [p.sentence for p in found] == ["I will send you the deck."]


@settings(max_examples=300, deadline=None)
@given(st.one_of(fragmented.map("".join), fragmented.map(" ".join), bodies), days)
def test_the_ingest_reads_every_text_that_holds_a_promise(text: str, written: date) -> None:
    """The import's quick filter of notes and bodies (one Arrow pass) never drops a promise."""
    import numpy as np
    import pandas as pd

    from netgraph.ingest.promises import _candidates

    rows = pd.DataFrame({"note": [text, None], "body": [None, text]})
    if find_promises(text, written):
        assert _candidates(rows, np.ones(2, dtype=bool)).tolist() == [0, 1]


def test_a_curly_apostrophe_in_a_note_is_read_at_import(tmp_path) -> None:
    from click.testing import CliRunner

    from netgraph.cli.main import main

    db = str(tmp_path / "s.duckdb")
    (tmp_path / "i.csv").write_text("date,from,to,kind,note\n2026-03-04,me@x.io,dana@x.io,email,"
                                    "Let’s grab coffee next Tuesday.\n", encoding="utf-8")
    for args in (["init", "--me", "Me", "--email", "me@x.io"], ["import", str(tmp_path / "i.csv")]):
        assert CliRunner().invoke(main, [*args, "--db", db]).exit_code == 0
    shown = CliRunner().invoke(main, ["followups", "--as-of", "2026-03-05", "--format", "json", "--db", db])
    assert "Let’s grab coffee next Tuesday." in shown.output and '"due_on": "2026-03-10"' in shown.output
