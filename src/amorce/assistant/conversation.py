"""A conversation with the assistant, turn by turn: follow-ups, clarifying questions, asking back.

Pure (no Django): the web chat, the API (through :mod:`amorce.assistant.services`, which stores the
masked turns) and the command line (``amorce assistant ask``, which keeps them in a file) all call
:func:`respond`, so the same conversation gets the same answers everywhere.

* Follow-up questions: the knowledge base answers one question at a time, so a question that looks
  like a follow-up (it starts with « et », « mais », « dans ce cas »…, refers back with « ça »,
  « cela », « le même »…, or has at most four words) is searched together with the previous question
  of the conversation (:func:`contextual_query`).
* Asking for a person: a question that asks to talk to a human (« parler à un agent », « je veux
  quelqu'un », « un conseiller svp »…, :func:`wants_human`) is not searched: the reply (mode
  ``handover``) offers the handover form (how to be contacted, then a ticket for an agent).
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
HANDOVER_TEXT = ("Vous souhaitez échanger avec une personne : un agent peut reprendre votre demande, avec "
                 "l'historique de cette conversation (sans vos données personnelles). Indiquez comment vous "
                 "joindre dans le formulaire « Parler à un agent » de la page de l'assistant.")

# Openings that only make sense after a previous question (« et s'il veut visiter ? »): asked first in
# a conversation, such a question gets the clarifying question rather than a guess. « et » covers
# « et si », « et pour », « et combien »…
_CONTEXT_ONLY = r"et|pareil|idem|dans ce cas|si oui|si non"
_NEEDS_CONTEXT = re.compile(rf"^\s*(?:{_CONTEXT_ONLY})\b", re.I)
# Openings of a follow-up: those, and connectives that may also open a full question (« mais comment… »).
_CONNECTIVE = re.compile(rf"^\s*(?:{_CONTEXT_ONLY}|mais|alors|donc|sinon|aussi)\b", re.I)
_ANAPHORA = re.compile(r"\b(?:ça|ca|cela|ceci|celui-ci|celle-ci|ceux-ci|celles-ci|celui-là|celle-là|le même|"
                       r"la même|les mêmes|cette démarche|ce document|cette aide|ce cas)\b", re.I)
# Asking for a person. A general rule, not a list of sentences: a noun that designates a person of the
# service (agent, conseiller, humain, quelqu'un…), complete where it stands (followed by the end of the
# clause, a complement « de la mairie », « au téléphone », or « humain »/« réel » — not « agent
# immobilier », « conseiller municipal », which are topics), and either introduced by a verb of talking,
# contacting, meeting or wanting within four words (« je voudrais parler avec un vrai conseiller »), or
# making the whole message with politeness words only (« un humain svp »).
_PERSON = (r"(?:agent|agente|agents|conseill[eè]re?s?|t[ée]l[ée]conseill[eè]re?s?|humains?|[êe]tres? humains?|"
           r"(?:une|des|vraies?|v[ée]ritables?) personnes?|quelqu['’]un|interlocut(?:eur|rice)s?|"
           r"op[ée]rat(?:eur|rice)s?|employ[ée]e?s?|fonctionnaires?|gens)")
_PERSON_QUALIFIER = r"(?:humains?|r[ée]el(?:le)?s?|physiques?|en chair et en os|du service|de l['’]accueil)"
_PERSON_END = (rf"(?=\s*(?:$|[?!.,;:)]|{_PERSON_QUALIFIER}\b|(?:de|du|des|d['’]|au|aux|à|a|par|en|pour|sur|qui|"
               r"que|et|ou|s['’]il|svp|stp|merci|plut[ôo]t|maintenant|directement|rapidement|vite|"
               r"tout de suite|en ligne|au t[ée]l[ée]phone)\b))")
_TALK = (r"(?:parl\w*|discut\w*|[ée]chang\w*|convers\w*|contact\w*|joindre|joins|appel\w*|rappel\w*|"
         r"voir|vois|rencontr\w*|demand\w*|veu[xt]|voudr\w*|vouloir|souhait\w*|pass(?:er|ez|e)\w*|"
         r"mett\w*|mis|relation|transf[ée]r\w*|redirig\w*|besoin|aimer\w*|avoir|ai|faut|rediriger|"
         r"orient\w*|adress\w*|[ée]cri\w*|r[ée]pond\w*)")
_POLITE = r"(?:bonjour|bonsoir|svp|stp|s['’]il (?:vous|te) pla[iî]t|merci|please|allo|all[ôo]|oui|non|je|voudrais)"
# Between the verb and the person, only grammatical words and other verbs of talking (« pouvez-vous me
# mettre en relation avec un agent ») — « je veux vendre ma voiture à quelqu'un » is a topic.
_GAP = (rf"(?:{_TALK}|je|j|me|m|moi|vous|nous|on|te|pou\w*|peu[xt]|puis|est-ce|que|qu|[êe]tre|suis|mis|mise|en|"
        r"relation|contact|directement|rapidement|vite|avec|[àa]|au|vers|un|une|le|la|les|l|des|vrai|vraie|"
        r"v[ée]ritable|autre|plut[ôo]t|tout|de|d|ligne|t[ée]l[ée]phone|bien|s['’]il)")
_ASKS_FOR_PERSON = re.compile(
    rf"\b{_TALK}\b(?:\W+{_GAP}\b){{0,6}}\W+{_PERSON}\b{_PERSON_END}"
    rf"|\b{_PERSON}\W+(?:me|m['’]|nous)\s*{_TALK}\b", re.I)
_ONLY_PERSON = re.compile(
    rf"^\W*(?:{_POLITE}\W+)*(?:(?:un|une|le|la|l['’]|des|vrai|vraie|un vrai|une vraie)\s*)*{_PERSON}"
    rf"(?:\s+{_PERSON_QUALIFIER})?(?:\W+{_POLITE})*\W*$", re.I)
FOLLOW_UP_MAX_WORDS = 4
CONTEXT_MAX_WORDS = 40
CLARIFY_MAX_WORDS = 2


class PreviousTurn(Protocol):
    """What a turn must remember for the next one (a stored ``Exchange`` or a :class:`Reply`)."""

    question: str
    search_query: str
    answer: str
    sources: list


def wants_human(question: str) -> bool:
    """Whether ``question`` asks to talk to a person of the service rather than asking something."""
    text = re.sub(r"\s+", " ", question.strip())
    return bool(_ONLY_PERSON.match(text) or _ASKS_FOR_PERSON.search(text))


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
    mode: str  # extractive | generated | refused | clarification | handover
    masked: dict[str, int] = field(default_factory=dict)
    reply: Answer | None = field(default=None, repr=False)

    @property
    def clarification(self) -> bool:
        return self.mode == "clarification"

    @property
    def handover(self) -> bool:
        return self.mode == "handover"

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
    if wants_human(question):
        return Reply(masked.text, masked.text, False, HANDOVER_TEXT, [], 0.0, False, "handover", masked.counts)
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
