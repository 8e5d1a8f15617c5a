"""A conversation with the assistant, turn by turn: follow-ups, clarifying questions, asking back.

Pure (no Django): the web chat, the API (through :mod:`amorce.assistant.services`, which stores the
masked turns) and the command line (``amorce assistant ask``, which keeps them in a file) all call
:func:`respond`, so the same conversation gets the same answers everywhere.

* Follow-up questions: the knowledge base answers one question at a time, so a question that looks
  like a follow-up (it starts with « et », « mais », « dans ce cas »…, refers back with « ça »,
  « cela », « le même »…, or has at most four words) is searched together with the previous question
  of the conversation (:func:`contextual_query`).
* Clarifying questions: a very short question (one or two words) and a follow-up that opens a
  conversation get a question back with the closest fiche titles as suggestions; so does a question
  on which the search hesitates between neighbouring fiches (``KnowledgeBase.hesitates``, turned off
  by ``ask_back=False``). Picking a suggested title searches that title alone.

What is remembered of a turn is masked (:func:`amorce.assistant.privacy.mask_personal_data`): the
context of the next question is built from the masked previous question, on every channel.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Protocol

from .answer import HESITATION_TEXT, Answer, LLMConfig, ask
from .privacy import mask_personal_data
from .retrieval import KnowledgeBase

CLARIFY_TEXT = ("Votre question est très courte : pouvez-vous la préciser ? Vous pouvez aussi choisir l'un "
                "de ces sujets, tirés des fiches officielles :")
CONTEXT_TEXT = ("Votre question semble faire suite à une autre, mais cette conversation commence : pouvez-vous "
                "la poser en entier ? Vous pouvez aussi choisir l'un de ces sujets, tirés des fiches officielles :")
CLARIFYING_TEXTS = (CLARIFY_TEXT, CONTEXT_TEXT, HESITATION_TEXT)

# Openings that only make sense after a previous question (« et s'il veut visiter ? »): asked first in
# a conversation, such a question gets the clarifying question rather than a guess. « et » covers
# « et si », « et pour », « et combien »…
_CONTEXT_ONLY = r"et|pareil|idem|dans ce cas|si oui|si non"
_NEEDS_CONTEXT = re.compile(rf"^\s*(?:{_CONTEXT_ONLY})\b", re.I)
# Openings of a follow-up: those, and connectives that may also open a full question (« mais comment… »).
_CONNECTIVE = re.compile(rf"^\s*(?:{_CONTEXT_ONLY}|mais|alors|donc|sinon|aussi)\b", re.I)
_ANAPHORA = re.compile(r"\b(?:ça|ca|cela|ceci|celui-ci|celle-ci|ceux-ci|celles-ci|celui-là|celle-là|le même|"
                       r"la même|les mêmes|cette démarche|ce document|cette aide|ce cas)\b", re.I)
FOLLOW_UP_MAX_WORDS = 4
CONTEXT_MAX_WORDS = 40
CLARIFY_MAX_WORDS = 2


class PreviousTurn(Protocol):
    """What a turn must remember for the next one (a stored ``Exchange`` or a :class:`Reply`)."""

    question: str
    search_query: str
    answer: str
    sources: list


def looks_like_follow_up(question: str) -> bool:
    return bool(_CONNECTIVE.search(question) or _ANAPHORA.search(question)
                or len(question.split()) <= FOLLOW_UP_MAX_WORDS)


def contextual_query(question: str, previous: PreviousTurn | None) -> tuple[str, bool]:
    """The text to search for ``question`` given the previous turn: (query, is_follow_up).

    A follow-up is searched as « previous question + question » (the previous search text when it
    was itself a follow-up, capped to its last 40 words so chains do not grow without end).
    """
    if previous is None or not looks_like_follow_up(question):
        return question, False
    context = (previous.search_query or previous.question).split()[-CONTEXT_MAX_WORDS:]
    return " ".join(context) + " " + question, True


@dataclass
class Reply:
    """One turn: the masked question and search text (what is remembered), and the answer."""

    question: str  # masked
    search_query: str  # masked, with the conversation's context
    follow_up: bool
    answer: str  # as shown; see ``stored_answer`` for what is remembered
    sources: list[dict]
    confidence: float
    refused: bool
    mode: str  # extractive | generated | refused | clarification
    masked: dict[str, int] = field(default_factory=dict)
    reply: Answer | None = field(default=None, repr=False)

    @property
    def clarification(self) -> bool:
        return self.mode == "clarification"

    @property
    def suggestions(self) -> list[dict]:
        """The fiches offered by a clarifying question (one click asks their title)."""
        return self.sources if self.clarification else []

    @property
    def top_fiche(self) -> dict:
        return self.sources[0] if self.sources and not self.refused and not self.clarification else {}

    @property
    def stored_answer(self) -> str:
        """Extractive answers and refusals quote the fiches only (official phone numbers stay
        readable); a generated answer may echo what the user typed, so it is masked too."""
        return mask_personal_data(self.answer).text if self.mode == "generated" else self.answer

    def to_dict(self) -> dict:
        """The public contract (answer, sources, confidence, refused) and the turn's state."""
        return {"answer": self.answer, "sources": self.sources, "confidence": round(self.confidence, 4),
                "refused": self.refused, "mode": self.mode, "follow_up": self.follow_up}

    def memory(self) -> dict:
        """What a conversation file keeps of this turn (masked)."""
        return {"question": self.question, "search_query": self.search_query, "answer": self.stored_answer,
                "sources": self.sources}


@dataclass
class RememberedTurn:
    """A turn read back from a conversation file (see :meth:`Reply.memory`)."""

    question: str
    search_query: str = ""
    answer: str = ""
    sources: list = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict) -> RememberedTurn:
        known = {k: data[k] for k in asdict(cls("")) if k in data}
        return cls(**known)


def respond(question: str, kb: KnowledgeBase, previous: PreviousTurn | None = None, *,
            audience: str | None = None, llm: LLMConfig | None = None, clarify: bool = True,
            ask_back: bool = True) -> Reply:
    """Answer ``question`` after the ``previous`` turn of the conversation (None: it starts).

    ``clarify=False`` answers the question alone, as one-shot API calls do: no clarifying question,
    no asking back. ``ask_back=False`` keeps the clarifying questions but answers from the first fiche
    when the search hesitates.
    """
    question = question.strip()
    masked = mask_personal_data(question)
    # A fiche title picked among the suggestions of the previous clarifying question is searched alone.
    picked = (previous is not None and previous.answer in CLARIFYING_TEXTS
              and question in {s.get("title") for s in previous.sources})
    query, follow_up = (question, False) if picked else contextual_query(question, previous)
    clarification = None
    if clarify and not follow_up and not picked:
        if len(question.split()) <= CLARIFY_MAX_WORDS:
            clarification = CLARIFY_TEXT
        elif previous is None and _NEEDS_CONTEXT.search(question):
            clarification = CONTEXT_TEXT
    suggestions = [h.source() for h in kb.search(question, k=3, audience=audience).hits] if clarification else []
    masked_query = mask_personal_data(query).text
    if suggestions:
        return Reply(masked.text, masked_query, follow_up, clarification, suggestions, 0.0, False,
                     "clarification", masked.counts)
    reply = ask(query, kb, audience=audience, llm=llm, ask_back=clarify and not picked and ask_back)
    return Reply(masked.text, masked_query, follow_up, reply.answer, reply.sources, reply.confidence,
                 reply.refused, reply.mode, masked.counts, reply)
