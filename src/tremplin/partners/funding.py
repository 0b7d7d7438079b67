"""The funding table of an agreement, computed from its commitments (never typed in).

Shape of seed 000's « Financement 2008-2011 »: cash commitments, then contributions in
services, each row with partner, purpose, initial amount and the top-ups by fiscal year;
subtotals per kind; total initial; total top-ups; grand total.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Commitment, CommitmentKind, Disbursement, TopUp, fiscal_year_label

ZERO = Decimal("0")
SECTION_LABELS = {
    CommitmentKind.CASH: _("Contributions en argent"),
    CommitmentKind.SERVICES: _("Contributions en services"),
}


@dataclass
class FundingRow:
    commitment: Commitment
    partner: str
    purpose: str
    initial: Decimal | None  # None: a contribution that is not quantified
    top_ups: dict[int, Decimal]  # fiscal year → amount

    @property
    def top_up_total(self) -> Decimal:
        return sum(self.top_ups.values(), ZERO)

    @property
    def total(self) -> Decimal:
        return (self.initial or ZERO) + self.top_up_total


@dataclass
class FundingSection:
    kind: str
    label: str
    rows: list[FundingRow] = field(default_factory=list)

    @property
    def initial(self) -> Decimal:
        return sum((r.initial or ZERO for r in self.rows), ZERO)

    def top_up(self, year: int) -> Decimal:
        return sum((r.top_ups.get(year, ZERO) for r in self.rows), ZERO)

    @property
    def top_up_total(self) -> Decimal:
        return sum((r.top_up_total for r in self.rows), ZERO)

    @property
    def total(self) -> Decimal:
        return self.initial + self.top_up_total


@dataclass
class TopUpColumn:
    fiscal_year: int
    year_number: int  # « An 2 »
    label: str  # "2009-2010"


@dataclass
class FundingTable:
    agreement: Agreement
    sections: list[FundingSection]
    columns: list[TopUpColumn]

    @property
    def initial(self) -> Decimal:
        return sum((s.initial for s in self.sections), ZERO)

    def top_up(self, year: int) -> Decimal:
        return sum((s.top_up(year) for s in self.sections), ZERO)

    @property
    def top_up_total(self) -> Decimal:
        return sum((s.top_up_total for s in self.sections), ZERO)

    @property
    def grand_total(self) -> Decimal:
        return self.initial + self.top_up_total

    def section(self, kind: str) -> FundingSection:
        return next(s for s in self.sections if s.kind == kind)


def funding_table(agreement: Agreement) -> FundingTable:
    """Build the table in two queries (commitments with partners, then their top-ups)."""
    commitments = (
        agreement.commitments.select_related("partner")
        .prefetch_related(Prefetch("top_ups", queryset=TopUp.objects.order_by("fiscal_year")))
        .order_by("position", "id")
    )
    sections = {
        kind: FundingSection(kind=kind, label=str(SECTION_LABELS[kind]))
        for kind in CommitmentKind.values
    }
    years: set[int] = set()
    for c in commitments:
        top_ups = {t.fiscal_year: t.amount for t in c.top_ups.all()}
        years.update(top_ups)
        sections[c.kind].rows.append(
            FundingRow(
                commitment=c,
                partner=c.partner.name,
                purpose=c.purpose,
                initial=c.initial_amount,
                top_ups=top_ups,
            )
        )
    columns = [
        TopUpColumn(fiscal_year=y, year_number=agreement.year_number(y), label=fiscal_year_label(y))
        for y in sorted(years)
    ]
    return FundingTable(agreement=agreement, sections=list(sections.values()), columns=columns)


@dataclass
class SpendingLine:
    commitment: Commitment
    committed: Decimal
    spent: Decimal
    by_year: dict[int, Decimal]

    @property
    def remaining(self) -> Decimal:
        return self.committed - self.spent


def committed_vs_spent(agreement: Agreement) -> dict:
    """Per commitment and per fiscal year: committed (initial + top-ups) against disbursed."""
    table = funding_table(agreement)
    spent = {}
    for row in (
        Disbursement.objects.filter(commitment__agreement=agreement)
        .values("commitment_id", "date")
        .annotate(total=Sum("amount"))
    ):
        from .models import fiscal_year_of

        year = fiscal_year_of(row["date"])
        per = spent.setdefault(row["commitment_id"], {})
        per[year] = per.get(year, ZERO) + row["total"]
    lines = []
    for section in table.sections:
        for r in section.rows:
            by_year = spent.get(r.commitment.pk, {})
            lines.append(
                SpendingLine(
                    commitment=r.commitment,
                    committed=r.total,
                    spent=sum(by_year.values(), ZERO),
                    by_year=by_year,
                )
            )
    years = agreement.fiscal_years
    per_year = [
        {
            "fiscal_year": y,
            "label": fiscal_year_label(y),
            "top_ups": table.top_up(y),
            "spent": sum((line.by_year.get(y, ZERO) for line in lines), ZERO),
        }
        for y in years
    ]
    return {
        "table": table,
        "lines": lines,
        "per_year": per_year,
        "committed": sum((line.committed for line in lines), ZERO),
        "spent": sum((line.spent for line in lines), ZERO),
    }
