"""Dates as briefs write them: exact or partial, approximate, ranges and ongoing spans.

One type, :class:`PartialDate`, covers every form, so that every field holding a date (timeline
events, publication dates, "as of" dates) sorts, compares and prints the same way:

- ``2024-09-09``, ``2024-09``, ``2024``: a day, a month, a year;
- ``~2023-12``: about then (a ``~`` before any of those forms);
- ``2024-09-04/2024-09-06``: a range, ISO 8601 interval style (each end may be partial or
  approximate; the end may not come before the start);
- ``2023-11/ongoing``: started then and still going on.

This module imports nothing from Textual or Rich.
"""

from __future__ import annotations

import datetime
import re
from typing import Final

ONGOING: Final = "ongoing"
"""The end of a span that has not ended: ``2023-11/ongoing``."""

_POINT = re.compile(r"^(~)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_FORMS: Final = (
    "expected a date (2024-09-09), a year-month (2024-09) or a year (2024); "
    "also ~2023-12 (about then), 2024-09-04/2024-09-06 (a range), 2023-11/ongoing"
)
# Spelled out: calendar.month_name follows the locale, and details are in English.
_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ONGOING_KEY: Final = (10_000, 0, 0)
"""Sorts an ongoing end after every real date."""


class PartialDate:
    """A date known to the day, the month or only the year, possibly approximate, possibly the
    start of a range (:attr:`end`) or of an ongoing span (:attr:`ongoing`).

    Immutable and ordered, so timelines sort naturally: less precise dates first, a single date
    before a range starting on the same day, an ongoing span after a closed one.
    """

    __slots__ = ("approximate", "day", "end", "month", "ongoing", "year")

    year: int
    """The year (1-9999)."""
    month: int | None
    """The month (1-12), or None for a year."""
    day: int | None
    """The day of the month, or None for a month or a year."""
    approximate: bool
    """Written with ``~``: about then."""
    end: PartialDate | None
    """The last date of a range; None for a single date or an ongoing span."""
    ongoing: bool
    """Started at this date and still going on (``2023-11/ongoing``)."""

    def __init__(
        self,
        year: int,
        month: int | None = None,
        day: int | None = None,
        *,
        approximate: bool = False,
        end: PartialDate | None = None,
        ongoing: bool = False,
    ) -> None:
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        # datetime.date validates ranges (month 1-12, day within the month).
        datetime.date(year, month or 1, day or 1)
        if end is not None and (end.end is not None or end.ongoing):
            raise ValueError("the end of a range is a single date")
        if end is not None and ongoing:
            raise ValueError("a range has an end or is ongoing, not both")
        set_ = object.__setattr__
        set_(self, "year", year)
        set_(self, "month", month)
        set_(self, "day", day)
        set_(self, "approximate", approximate)
        set_(self, "end", end)
        set_(self, "ongoing", ongoing)
        if end is not None and end.point_key < self.point_key:
            raise ValueError(f"the range ends ({end}) before it starts ({self.start})")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("PartialDate is immutable")

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Build from what YAML gives: a ``date``, an ``int`` year or a string in one of the
        forms of this module's documentation.

        Raises:
            ValueError: the value is none of those, or not a real date.
        """
        if isinstance(value, datetime.datetime):
            raise ValueError("expected a date without a time")
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= 9999:
                raise ValueError(f"{value} is not a year")
            return cls(value)
        if isinstance(value, str):
            text = value.strip()
            start_text, slash, end_text = text.partition("/")
            start = _point(start_text, value)
            if not slash:
                return start
            end_text = end_text.strip()
            if end_text == ONGOING:
                return start._with(ongoing=True)
            end = _point(end_text, value)
            try:
                return start._with(end=end)
            except ValueError as error:
                raise ValueError(f"`{value}`: {error}") from None
        raise ValueError(_FORMS)

    def _with(self, *, end: PartialDate | None = None, ongoing: bool = False) -> PartialDate:
        return PartialDate(
            self.year,
            self.month,
            self.day,
            approximate=self.approximate,
            end=end,
            ongoing=ongoing,
        )

    @property
    def start(self) -> PartialDate:
        """The first date alone (this date without its end)."""
        if self.end is None and not self.ongoing:
            return self
        return PartialDate(self.year, self.month, self.day, approximate=self.approximate)

    @property
    def is_span(self) -> bool:
        """A range or an ongoing span."""
        return self.end is not None or self.ongoing

    @property
    def point_key(self) -> tuple[int, int, int]:
        """Where the first date sorts, ignoring any end."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def sort_key(self) -> tuple[int, int, int, int, int, int]:
        """Start first, then the end (a single date sorts before a range starting with it)."""
        if self.ongoing:
            end_key = _ONGOING_KEY
        elif self.end is not None:
            end_key = self.end.point_key
        else:
            end_key = (0, 0, 0)
        return (*self.point_key, *end_key)

    def _point_text(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return ("~" if self.approximate else "") + text

    def __str__(self) -> str:
        """The form a brief writes (and the JSON Schema checks): ``2024-09-04/2024-09-06``."""
        text = self._point_text()
        if self.ongoing:
            return f"{text}/{ONGOING}"
        if self.end is not None:
            return f"{text}/{self.end._point_text()}"
        return text

    @property
    def text(self) -> str:
        """The date as a reader's eye takes it in: ``2024-09-04–06``, ``2023-11–ongoing``."""
        start = self._point_text()
        if self.ongoing:
            return f"{start}–{ONGOING}"
        end = self.end
        if end is None:
            return start
        end_text = end._point_text()
        if not end.approximate and end.year == self.year and end.month and self.month:
            # Leave out what the end shares with the start: 2024-09-04–06, 2024-09–11.
            shared = 8 if end.day and self.day and end.month == self.month else 5
            if len(end_text) > shared:
                end_text = end_text[shared:]
        return f"{start}–{end_text}"

    @property
    def words(self) -> str:
        """The date in words, for details: ``about December 2023``, ``4 September 2024``."""

        def point(date: PartialDate) -> str:
            if date.month is None:
                text = str(date.year)
            elif date.day is None:
                text = f"{_MONTHS[date.month - 1]} {date.year}"
            else:
                text = f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
            return f"about {text}" if date.approximate else text

        if self.ongoing:
            return f"since {point(self)}, ongoing"
        if self.end is not None:
            return f"{point(self.start)} to {point(self.end)}"
        return point(self)

    def __repr__(self) -> str:
        return f"PartialDate({self})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self._identity() == other._identity()

    def _identity(self) -> tuple[object, ...]:
        end = self.end._identity() if self.end is not None else None
        return (self.year, self.month, self.day, self.approximate, end, self.ongoing)

    def __hash__(self) -> int:
        return hash(self._identity())

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key < other.sort_key


def _point(text: str, whole: str) -> PartialDate:
    match = _POINT.match(text.strip())
    if match is None:
        raise ValueError(_FORMS)
    tilde, year, month, day = match.groups()
    try:
        return PartialDate(
            int(year),
            int(month) if month else None,
            int(day) if day else None,
            approximate=bool(tilde),
        )
    except ValueError as error:
        raise ValueError(f"`{whole}` is not a real date ({error})") from None


SCHEMA_PATTERN: Final = r"^~?\d{4}(-\d{2}(-\d{2})?)?(/(ongoing|~?\d{4}(-\d{2}(-\d{2})?)?))?$"
"""The string forms in JSON Schema terms (the checker also refuses impossible dates)."""
