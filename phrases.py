"""Noun phrases of a clinical text: what stands before a term (a small left pleural effusion,
several calcified granulomas, the sigmoid colon), and the agreement of a phrase whose number
changes (there is a nodule <-> there are two nodules).

An edit that replaces, denies or recounts a finding edits its whole phrase: the modifiers that
describe the old finding (simple, solid, bilateral, small) go with it, the ones that say where
or when (right lower lobe, acute) stay, and the determiner and the verb agree with the new head.
Imports only lexicon.py and claims.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import lexicon as lx
from claims import Mention, Phrase, clause

Edit = tuple[int, int, str]  # (start, end, new text) on a text

Edit = tuple[int, int, str]  # (start, end, new text) on a text
_ARTICLES = ("a", "an")


def singular(word: str) -> str:
    """The singular of a plural noun (effusions, masses, opacities, pneumothoraces)."""
    low = word.lower()
    if low.endswith("ies"):
        return word[:-3] + ("Y" if word.isupper() else "y")
    if low.endswith("thoraces"):
        return word[:-3] + "x"
    if low.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if low.endswith("s") and not low.endswith(("ss", "us", "is")) else word


def plural(word: str) -> str:
    """The plural of a singular noun (effusion, mass, opacity, pneumothorax)."""
    low = word.lower()
    if low.endswith("thorax"):
        return word[:-1] + "ces"
    if low.endswith("y") and low[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def written_plural(text: str, m: Mention) -> bool:
    """Whether m is written in the plural (effusions), not a form that ends in s (ascites)."""
    w = text[m.start : m.end].lower()
    if singular(w) == w or w.endswith(("ss", "us", "is", "sis", "itis", "ascites")):
        return False
    return not any(f.lower() == w for f in _forms(m))


def _forms(m: Mention) -> tuple[str, ...]:
    """The lexicon's own forms of m's concept (a form that ends in s is no plural)."""
    table = {"finding": lx.FINDINGS, "organ": lx.ORGANS}
    return table[m.group][m.concept][0] if m.concept in table.get(m.group, {}) else ()


def _verb(text: str, phrase: Phrase) -> tuple[int, int] | None:
    """The span of the is / are / was / were that agrees with the phrase: right after its head
    (effusions are present), else right before it in its clause (there are effusions)."""
    after = re.match(r"\s+(is|are|was|were)\b", text[phrase.head.end :])
    if after:
        return phrase.head.end + after.start(1), phrase.head.end + after.end(1)
    s, _ = clause(text, phrase.head.start)
    before = re.search(r"\b(is|are|was|were)\s+$", text[s : phrase.lead])
    return (s + before.start(1), s + before.end(1)) if before else None


_NUMBER_VERB = {"is": "are", "are": "is", "was": "were", "were": "was"}


def determiner(text: str, phrase: Phrase, now_plural: bool, mass: bool, first: str) -> str:
    """The determiner a phrase takes when its head is now plural or singular (mass: a mass noun,
    which takes no article) and its first word is first: an article agrees (a -> an, a ->
    nothing), several -> a, a bare plural -> a; the, no and this stay."""
    old = text[phrase.det[0] : phrase.det[1]] if phrase.det else ""
    low = old.lower()
    if low in _ARTICLES or (low in lx.PLURAL_DETERMINERS and not now_plural) or not old:
        was_plural = written_plural(text, phrase.head) or low in lx.PLURAL_DETERMINERS
        keep = old if low in _ARTICLES else ("" if not old and not was_plural else "a")
        return "" if now_plural or mass or not keep else _article_for(first, old or "a")
    return old


def _article_for(word: str, old: str) -> str:
    """'a' or 'an' by the sound of word, in old's case: an MRI, an effusion, a CT, a nodule."""
    if word[:1].isupper() and (word.isupper() or word[1:2] == "-"):
        new = "an" if word[:1] in "AEFHILMNORSX" else "a"
    else:
        new = "an" if word[:1].lower() in "aeiou" else "a"
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def verb_edit(text: str, phrase: Phrase, now_plural: bool) -> list[Edit]:
    """The edit that makes the phrase's verb agree with its head (there is -> there are)."""
    verb = _verb(text, phrase)
    if not verb:
        return []
    old = text[verb[0] : verb[1]]
    if (old.lower() in ("are", "were")) == now_plural:
        return []
    return [(verb[0], verb[1], _NUMBER_VERB[old.lower()])]
