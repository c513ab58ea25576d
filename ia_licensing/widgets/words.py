"""How the console words what it says: sentences (a capital, a full stop), and a rule in
plain words with its id after them as a reference, never as the opening words."""

from __future__ import annotations


def sentence(text: str) -> str:
    """ "a user name cannot be blank" -> "A user name cannot be blank." """
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def with_rule(message: str, rule: str) -> str:
    """The rule's words first, its id as a reference: "… would exceed it. (R4)" """
    return f"{sentence(message)} ({rule})" if rule else sentence(message)
