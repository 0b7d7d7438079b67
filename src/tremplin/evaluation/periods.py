"""Periods (fiscal year April–March, calendar year, or any span) and areas (the whole program,
a region, a territory) that indicators are computed for."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tremplin.core.fiscal import current_fiscal_year  # noqa: F401  (re-exported)

FISCAL = "fy"
CALENDAR = "cy"
CUSTOM = "custom"
PERIOD_KINDS = {FISCAL: _("Exercice financier (avril à mars)"), CALENDAR: _("Année civile")}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str = CUSTOM

    @classmethod
    def fiscal(cls, year: int) -> "Period":
        return cls(dt.date(year, 4, 1), dt.date(year + 1, 3, 31), FISCAL)

    @classmethod
    def calendar(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), CALENDAR)

    @classmethod
    def of(cls, kind: str, year: int) -> "Period":
        return cls.fiscal(year) if kind == FISCAL else cls.calendar(year)

    @classmethod
    def from_key(cls, key: str) -> "Period":
        """``fy2008``, ``cy2008`` or ``2008-04-01..2009-03-31``; ValueError otherwise."""
        if key[:2] in (FISCAL, CALENDAR) and key[2:].isdigit() and len(key) == 6:
            return cls.of(key[:2], int(key[2:]))
        start, sep, end = key.partition("..")
        if not sep:
            raise ValueError(key)
        return cls.span(dt.date.fromisoformat(start), dt.date.fromisoformat(end))

    @classmethod
    def span(cls, start: dt.date, end: dt.date) -> "Period":
        """Any span; recognised as a fiscal or calendar year when it is one."""
        if end < start:
            raise ValueError("end before start")
        for kind in (FISCAL, CALENDAR):
            candidate = cls.of(kind, start.year)
            if (candidate.start, candidate.end) == (start, end):
                return candidate
        return cls(start, end, CUSTOM)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def key(self) -> str:
        if self.kind == CUSTOM:
            return f"{self.start.isoformat()}..{self.end.isoformat()}"
        return f"{self.kind}{self.year}"

    @property
    def label(self) -> str:
        if self.kind == FISCAL:
            return f"{self.year}-{self.year + 1}"
        if self.kind == CALENDAR:
            return str(self.year)
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def previous(self) -> "Period":
        """The period before: the year before, or a span of the same length ending the day
        before this one starts."""
        if self.kind != CUSTOM:
            return Period.of(self.kind, self.year - 1)
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end, CUSTOM)

    def trail(self, count: int) -> list["Period"]:
        """``count`` periods ending with this one, oldest first."""
        periods = [self]
        for _i in range(count - 1):
            periods.append(periods[-1].previous())
        return periods[::-1]

    def __str__(self):
        return self.label


ALL = "all"
REGION = "region"
TERRITORY = "territory"


@dataclass(frozen=True)
class Area:
    kind: str = ALL
    pk: int | None = None

    @classmethod
    def from_key(cls, key: str) -> "Area":
        """``all``, ``region:3`` or ``territory:12``; ValueError otherwise."""
        if key == ALL:
            return cls()
        kind, _sep, pk = key.partition(":")
        if kind not in (REGION, TERRITORY) or not pk.isdigit():
            raise ValueError(key)
        return cls(kind, int(pk))

    @property
    def key(self) -> str:
        return ALL if self.kind == ALL else f"{self.kind}:{self.pk}"

    def __str__(self):
        return self.key
