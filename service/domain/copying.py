"""A cheap copy of an aggregate whose state is flat.

The aggregate cache hands every command a deep copy of the cached aggregate, so that a
command refused half way cannot corrupt the cache. ``copy.deepcopy`` walks every value
(a fund's copy was a tenth of a receipt's CPU). An aggregate whose attributes are
immutable values (ids, numbers, text, dates) or lists, dicts and sets of such values needs
only those containers copied: that is what ``FlatCopy.__deepcopy__`` does. An aggregate
that takes it must keep its state flat (``tests/unit/test_copying.py`` checks a fund's).
"""

from __future__ import annotations

from typing import Any

#: The containers a flat aggregate may hold, copied one level deep.
_CONTAINERS = (list, dict, set)


class FlatCopy:
    """Copies the aggregate's containers one level deep, and shares its other values."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        copy = object.__new__(type(self))
        copy.__dict__.update(
            {
                name: type(value)(value) if isinstance(value, _CONTAINERS) else value
                for name, value in self.__dict__.items()
            }
        )
        memo[id(self)] = copy
        return copy
