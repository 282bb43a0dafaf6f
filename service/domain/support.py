"""Other support of a household: a scholarship names its student, whose name is personal
data, sealed under the household's own key like the household's, and erased with it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.domain.errors import InvalidInput
from service.domain.households import fold
from service.domain.text import required_name

_SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")


@dataclass(frozen=True)
class Student:
    """The student a scholarship is for: name (personal data), school and school year."""

    name: str
    school: str
    school_year: str

    @classmethod
    def of(cls, name: str, school: str, school_year: str) -> Student:
        year = _SCHOOL_YEAR.fullmatch(school_year.strip())
        if year is None or int(year[2]) != int(year[1]) + 1:
            raise InvalidInput("student.school_year", "Hãy ghi năm học theo dạng 2025-2026.")
        return cls(
            name=required_name("student.name", name),
            school=required_name("student.school", school),
            school_year=year[0],
        )

    @property
    def folded_name(self) -> str:
        """The name as the blind index that counts distinct students compares it."""
        return fold(self.name)
