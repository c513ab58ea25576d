"""The console's sentences: a capital and a full stop; a rule's id after its words."""

from __future__ import annotations

from ia_licensing.widgets.words import sentence, with_rule


def test_messages_are_sentences() -> None:
    assert sentence("a user name cannot be blank") == "A user name cannot be blank."
    assert sentence("Done.") == "Done."


def test_the_rule_id_is_a_reference_after_the_words() -> None:
    text = with_rule("licenses on stations are Assignable only", "R8")
    assert text == "Licenses on stations are Assignable only. (R8)"
    assert not text.startswith(("Refused", "R8"))
