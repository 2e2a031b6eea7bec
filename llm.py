"""An LLM behind an OpenAI-compatible chat endpoint, as MedPO's editor or judge.

The editor asks the LLM for a minimal correction of a wrong answer (or, with plant=True, one
planted error in a right one) and accepts a reply only where clinical.check_llm_edit does: the
inserted words are clinical, the changed words per sentence few, and the judge agrees that the
correction is right (or the planted answer wrong). The judge asks the LLM for a yes/no verdict,
for evaluation. The answers and references are clinical text: an endpoint off this machine is
refused unless allow_remote, and a notice names the host once. Standard library only.
"""

from __future__ import annotations

import ipaddress
import json
import time
import urllib.parse
import urllib.request
from collections import Counter

import clinical
from checks import InputError


class EndpointError(InputError):
    """The endpoint address is not usable (scheme, or a host off this machine not allowed)."""


class EditorError(RuntimeError):
    """The LLM gave no usable reply for one answer after its retries."""


EDIT_PROMPT = (
    "You correct a medical AI's answer against the reference answer to the question. Change "
    "ONLY the clinically wrong words (a finding, its presence or absence, side, location, size, "
    "severity, count, organ, modality, plane, sequence); keep every other word, the order and "
    "the punctuation exactly. Correct a claim as a whole: a yes/no with the words that say the "
    "same thing. If the answer already agrees with the reference, return it unchanged. If you "
    "cannot tell, return exactly UNSURE. Return the corrected answer only, nothing else."
)
PLANT_PROMPT = (
    "The medical AI's answer below is right. Write it again with ONE plausible clinical error: "
    "turn one claim over with its linked words (yes/no and there is a / there is no), or change "
    "one side of a paired organ, one organ for a neighbouring one, a count, or a size or "
    "severity. Keep every other word and the punctuation. Never change a word inside a negation "
    "that would stay true. Return the changed answer only, nothing else."
)
JUDGE_PROMPT = (
    "You grade a medical AI's answer against the reference answer to the question. Reply YES "
    "if the answer states what the reference states (synonyms allowed), NO if it contradicts "
    "it, misses a finding, hedges or names both options. Reply with one word: YES or NO."
)


def endpoint_address(url: str, allow_remote: bool) -> str:
    """The chat-completions address of url; refuses other schemes, and other hosts unless
    allowed (EndpointError). Prints once which host the clinical text goes to."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise EndpointError(f"--editor_url {url!r}: expected an http:// or https:// address")
    host = parsed.hostname
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host == "localhost"
    if not (local or allow_remote):
        raise EndpointError(
            f"--editor_url {url}: the editor would send clinical text (answers and reference "
            f"answers) to {host}, off this machine. Pass --editor_allow_remote true if the data's "
            "use agreement allows it (MIMIC-CXR's, for one, does not allow sharing it)."
        )
    print(f"note: the LLM editor sends each answer and its reference answer to {host}")
    endpoint = url.rstrip("/")
    return endpoint if endpoint.endswith("/chat/completions") else endpoint + "/v1/chat/completions"


def _asker(url, model, api_key, timeout, allow_remote, tries, backoff):
    """ask(system, user) -> the reply text, retried with backoff, else EditorError."""
    endpoint = endpoint_address(url, allow_remote)
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"

    def ask(system: str, user: str) -> str:
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        body = json.dumps({"model": model, "temperature": 0, "messages": messages}).encode()
        error: Exception | None = None
        for attempt in range(tries):
            try:
                request = urllib.request.Request(endpoint, body, headers)
                with urllib.request.urlopen(request, timeout=timeout) as reply:
                    return json.load(reply)["choices"][0]["message"]["content"].strip()
            except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
                error = e
            if attempt + 1 < tries:
                time.sleep(backoff * 2**attempt)
        raise EditorError(
            f"{endpoint}: no usable reply after {tries} tries ({type(error).__name__}: {error})"
        )

    return ask


def _user(response: str, reference: str, question: str, label: str) -> str:
    asked = f"Question: {question}\n" if question else ""
    return f"{asked}Reference answer: {reference}\nAI answer: {response}\n{label}:"


def llm_editor(url: str, model="", api_key="", timeout=60.0, allow_remote=False, tries=3,
               backoff=1.0, plant=False):  # fmt: skip
    """editor(response, reference, question="") -> the corrected text, the response itself when
    the judge finds the LLM's reply right as it is (an echo that drops a period included), or
    None (the LLM is unsure, or its reply was refused: counted in editor.rejected by reason).
    With plant=True, editor.plant(response, rng, question, reference) (counterfactual_edit's
    signature) asks the LLM to plant one error in a right answer, kept only where the judge
    finds it wrong; without it the editor has no plant and the rules plant. EditorError when the
    endpoint gives no reply."""
    ask = _asker(url, model, api_key, timeout, allow_remote, tries, backoff)

    def edit(response: str, reference: str, question: str = "") -> str | None:
        text = ask(EDIT_PROMPT, _user(response, reference, question, "Corrected answer"))
        if not text or text == "UNSURE":
            return None
        echo = clinical.words(text) == clinical.words(response)  # a dropped period is an echo
        if clinical.is_right(response, reference, question):
            if not echo:  # the judge decides what is right, not the LLM
                edit.rejected["llm_changed_a_right_answer"] += 1
            return response
        why = "llm_echo_of_a_wrong_answer" if echo else None
        why = why or clinical.check_llm_edit(response, text, reference, question)
        if why:
            edit.rejected[why] += 1
            return None
        return text

    def plant_error(response: str, rng=None, question: str = "", reference: str = "") -> str | None:
        reference = reference or response  # rng: counterfactual_edit's signature; unused here
        text = ask(PLANT_PROMPT, _user(response, reference, question, "Changed answer"))
        why = clinical.check_llm_edit(response, text, reference, question, plant=True)
        if text == response or why:
            edit.rejected[why or "llm_plant_unchanged"] += 1
            return None
        return text

    edit.rejected = Counter()
    if plant:  # callers look for editor.plant, else plant with the rules
        edit.plant = plant_error
    return edit


def llm_judge(url: str, model="", api_key="", timeout=60.0, allow_remote=False, tries=3,
              backoff=1.0):  # fmt: skip
    """judge(answer, reference, question="", answer_type=None) -> clinical.Verdict from the LLM's
    YES / NO reply (answer_type: clinical.judge's signature; unused); any other reply is
    Verdict(None, 'llm_unparseable'). For evaluation."""
    ask = _asker(url, model, api_key, timeout, allow_remote, tries, backoff)

    def judge(answer: str, reference: str, question: str = "", answer_type=None):
        reply = ask(JUDGE_PROMPT, _user(answer, reference, question, "Verdict"))
        word = (clinical.words(reply) or [""])[0]
        if word in ("yes", "no") and len(clinical.words(reply)) <= 3:
            return clinical.Verdict(word == "yes", "llm_" + word)
        return clinical.Verdict(None, "llm_unparseable")

    return judge


def make_editor(cfg):
    """The LLM editor of --editor_url (its replies checked by the judge), or None: the rules."""
    if not cfg.editor_url:
        return None
    kw = dict(timeout=cfg.editor_timeout, allow_remote=cfg.editor_allow_remote)
    return llm_editor(cfg.editor_url, cfg.editor_model, plant=cfg.editor_plant, **kw)
