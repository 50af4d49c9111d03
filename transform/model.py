"""The typed report model: what a parsed inspection report *is*, independent of PDFs and DuckDB.

These plain dataclasses are the contract between the stages: `transform` builds them from an
extracted document, `load` writes them, and worker processes pickle them back to the writer.
Every value carries the physical (1-based) page it was read from, so the database can always
cite its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Domain = Literal["safeguarding", "risk_of_harm", "likelihood_of_reoffending"]
Improvement = Literal["minimum", "moderate", "substantial", "drastic"]
FindingKind = Literal["strength", "improvement"]
# The four ratings of the 2018+ framework, best first, as printed.
Rating = Literal["Outstanding", "Good", "Requires improvement", "Inadequate"]
RATINGS: tuple[str, ...] = ("Outstanding", "Good", "Requires improvement", "Inadequate")
# The 2018+ framework's domains by their number ("2.1" is in domain 2, court disposals).
YJS_DOMAINS: dict[int, str] = {
    1: "organisational_delivery",
    2: "court_disposals",
    3: "out_of_court_disposals",
    4: "resettlement",
}

DOMAINS: tuple[str, ...] = ("safeguarding", "risk_of_harm", "likelihood_of_reoffending")
IMPROVEMENT_LEVELS: tuple[str, ...] = ("minimum", "moderate", "substantial", "drastic")


@dataclass(frozen=True)
class Box:
    """Where a piece of text sits: physical page (1-based) and PDF points from the top-left."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class SourceFile:
    """The PDF a report came from; `sha256` of its bytes is the report's identity."""

    path: str
    sha256: str
    pages: int
    size_bytes: int
    reader: str = ""  # the character source that read it (extract.reader)
    fallback: str = ""  # why pdfium did not, when pdfplumber did
    kind: str = "pdf"  # "html" for a web page: its pages are not physical, so none is stored

    @property
    def file_name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass
class HeadlineScore:
    domain: Domain
    score: int | None
    improvement: Improvement | None
    national_lowest: int | None
    national_highest: int | None
    national_average: int | None
    page: int | None = None


@dataclass
class Finding:
    """A numbered Strength or Area for improvement under a criterion."""

    kind: FindingKind
    seq: int
    text: str
    page: int
    boxes: list[Box] = field(default_factory=list)


@dataclass
class Criterion:
    code: str  # "1.1" .. "3.2"
    section: int
    title: str
    general_criterion: str
    score: int | None
    improvement: Improvement | None
    page: int
    strengths: list[Finding] = field(default_factory=list)
    improvements: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return self.strengths + self.improvements


@dataclass
class Section:
    n: int
    title: str
    overall: int | None
    page: int | None = None


@dataclass
class Recommendation:
    seq: int
    text: str
    responsible: str | None
    page: int
    boxes: list[Box] = field(default_factory=list)


@dataclass
class GoodPractice:
    section_title: str
    criterion: str | None
    text: str
    page: int
    boxes: list[Box] = field(default_factory=list)


@dataclass
class ServiceUserGroup:
    """A group of service users who answered questionnaires (young people, victims)."""

    group: Literal["children_and_young_people", "victims"]
    respondents: int | None
    points: list[str] = field(default_factory=list)
    page: int | None = None


@dataclass
class AreaContext:
    region: str | None = None
    population: int | None = None
    census_year: int | None = None
    pct_aged_10_17: float | None = None
    pct_aged_10_17_national: float | None = None
    pct_bme: float | None = None
    pct_bme_national: float | None = None
    pct_white_british: float | None = None
    offences_per_1000: int | None = None
    offences_per_1000_national: int | None = None
    yjb_score: int | None = None
    yjb_max: int | None = None
    yjb_judgement: str | None = None
    yjb_judgement_date: str | None = None
    page: int | None = None


@dataclass
class GlossaryEntry:
    term: str
    definition: str
    page: int


@dataclass
class StandardRating:
    """A rated standard of the 2018+ framework ("2.1 Assessment: Good") with its findings.

    `rating` is read from the Ratings table; `statement` is the standard's own sentence in its
    section; `in_score` is False for standards rated but not counted (4.1 Resettlement).
    """

    code: str  # "1.1" .. "4.1"
    title: str
    rating: Rating | None
    in_score: bool
    page: int | None
    statement: str | None = None
    section_rating: Rating | None = None  # "Rating: Good" in the standard's own section
    section_page: int | None = None
    strengths: list[Finding] = field(default_factory=list)
    improvements: list[Finding] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return YJS_DOMAINS.get(int(self.code.split(".")[0]), "other")

    @property
    def findings(self) -> list[Finding]:
        return self.strengths + self.improvements


@dataclass
class InspectionQuestion:
    """A key question ("2.1.1", parent None) or an annex sub-question ("2.1.1a", parent "2.1.1").

    `percent_yes` is the share of inspected cases answered 'Yes'. For key questions the annex's
    figure is kept when the report has an annex; `body_percent` is the figure printed in the
    standard's own key-question table, kept apart so a check can compare the two.
    """

    question_id: str
    parent_id: str | None
    standard: str
    text: str
    percent_yes: int | None
    page: int
    body_percent: int | None = None


@dataclass
class ContextFact:
    """A contextual fact of a 2018+ report: "382 First-time entrants per 100,000 in Bedford",
    with the England and Wales figure printed beside it where there is one."""

    label: str
    value: float | None
    comparator_label: str | None
    comparator_value: float | None
    unit: str | None  # "%" or None for a count or rate
    page: int


@dataclass
class NamedRating:
    """A rating a report states, by the name it gives it ("the quality of work with victims":
    'Good'), where no framework code exists: generic and 2025-framework reports."""

    name: str
    rating: Rating
    section: str | None
    page: int | None


@dataclass
class Passage:
    """One block of a report's body (heading, paragraph, list item or table row) with its
    heading path: the whole text of a report no template reads field by field."""

    section: str
    kind: str  # heading | paragraph | list_item | table_row
    seq: int
    text: str
    page: int | None


@dataclass
class Report:
    """One parsed inspection report (either template; the other's fields stay empty)."""

    source: SourceFile
    template: str
    parser_version: str
    title: str | None = None
    area: str | None = None
    year: int | None = None
    isbn: str | None = None
    chief_inspector: str | None = None
    published_month: date | None = None  # the foreword's month, e.g. "March 2011"
    fieldwork_month: date | None = None
    lead_inspector: str | None = None
    # field name -> page it was read from, for the scalar metadata above
    field_pages: dict[str, int] = field(default_factory=dict)
    headline: list[HeadlineScore] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    good_practice: list[GoodPractice] = field(default_factory=list)
    service_users: list[ServiceUserGroup] = field(default_factory=list)
    context: AreaContext = field(default_factory=AreaContext)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    # free-form notes from the parser (e.g. a value it could not read) for data-quality checks
    warnings: list[str] = field(default_factory=list)
    # for data-quality checks (transform/quality.py): the headline figures as the foreword's
    # prose states them ("done well enough 64% of the time"), by domain, and how many characters
    # of text the document had, to tell how much of it the parser accounted for
    foreword_scores: dict[str, int] = field(default_factory=dict)
    text_chars: int | None = None
    # ---- the 2018+ framework (template "yjs-2018"); empty / None for CCI reports
    service_name: str | None = None  # "Bedford Youth Offending Service"
    overall_rating: Rating | None = None
    rating_score: int | None = None  # "Score 24/36"
    rating_score_max: int | None = None
    court_cases: int | None = None  # cases inspected, as the domain sections state them
    out_of_court_cases: int | None = None
    standards: list[StandardRating] = field(default_factory=list)
    questions: list[InspectionQuestion] = field(default_factory=list)
    context_facts: list[ContextFact] = field(default_factory=list)
    # ---- the generic HMI Probation layer (templates "hmip-generic", "yjs-2025")
    publication: str | None = None  # the kind of publication, from the title's words
    ratings: list[NamedRating] = field(default_factory=list)
    # bulleted strengths / areas for improvement, keyed by the section they are listed in
    section_findings: list[tuple[str, Finding]] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    def coded_findings(self) -> list[tuple[str, Finding]]:
        """Every finding with its criterion (CCI), standard (2018+) or section (generic) code,
        in report order."""
        return (
            [(c.code, f) for c in self.criteria for f in c.findings]
            + [(s.code, f) for s in self.standards for f in s.findings]
            + list(self.section_findings)
        )

    @property
    def report_id(self) -> str:
        return self.source.sha256


def finding_id(report_id: str, criterion: str, kind: str, seq: int) -> str:
    """A stable, readable id: the same finding of the same file always gets the same id."""
    return f"{report_id[:16]}:{criterion}:{kind[0].upper()}{seq}"


def recommendation_id(report_id: str, seq: int) -> str:
    return f"{report_id[:16]}:R{seq}"


def passage_id(report_id: str, seq: int) -> str:
    return f"{report_id[:16]}:P{seq}"


def good_practice_id(report_id: str, n: int) -> str:
    """`n` is the example's 1-based position in the report's good-practice table."""
    return f"{report_id[:16]}:G{n}"


class NotAReport(Exception):
    """The document is a readable PDF but not a report any registered template recognises."""

    def __init__(self, reason: str, detail: str = "", reader: str = "",
                 fallback: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.reader = reader  # the reader that read the document before it was refused
        self.fallback = fallback  # why pdfium did not read it, if pdfplumber did

    def __reduce__(self):  # keep every attribute when a worker process pickles the error
        return (self.__class__, (self.reason, self.detail, self.reader, self.fallback))
