"""Every extractor over one normalised text, in the order their dependencies need.

``extract_all("… theo Quyết định số 4379/QĐ-UBND ngày 10-11-2022 của UBND thành phố …").references[0].id``
→ ``"4379/QĐ-UBND"``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..record import Amount, DateMention, Person, Reference, Unit
from .dates import extract_dates, find_issue_date, find_publication_date
from .money import extract_amounts
from .persons import extract_persons
from .references import extract_references, find_document_number
from .tokens import make_doc
from .units import extract_units


def units_the_rules_missed(text, doc, taken):
    # Imported late: the model module imports the extractors, and a missing model must not break them.
    from ..ner_model import units_the_rules_missed as missed
    return missed(text, doc, taken)


@dataclass(slots=True)
class Facts:
    references: list[Reference] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    number: str | None = None
    issued_at: str | None = None
    place: str | None = None
    published_at: str | None = None


def extract_all(text: str, *, reference_date: dt.date | None = None) -> Facts:
    place, issued = find_issue_date(text)
    published = find_publication_date(text)
    number = find_document_number(text)
    doc = make_doc(text)
    units = extract_units(text, doc=doc, locality_hint=place)
    persons = extract_persons(text, doc=doc, units=units)
    taken = [(u.start, u.end) for u in units] + [(p.start, p.end) for p in persons]
    units = sorted(units + units_the_rules_missed(text, doc, taken), key=lambda u: (u.start, -u.end))
    return Facts(
        references=extract_references(text, repair_fused=False),
        dates=extract_dates(text, reference_date=reference_date),
        amounts=extract_amounts(text),
        units=units,
        persons=persons,
        number=number.id if number else None,
        issued_at=issued.value if issued else None,
        place=place,
        published_at=published.value if published else None,
    )
