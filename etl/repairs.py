"""The ETL's account of what it changed: every repair and every dropped row, with a reason."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class RepairLog:
    """Counts of repairs and drops, with a few examples of each, in the order they were found."""

    repairs: Counter = field(default_factory=Counter)
    drops: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def repaired(self, what: str, count: int, examples: list[str] | tuple = ()) -> None:
        if count:
            self.repairs[what] += int(count)
            self._remember(what, examples)

    def dropped(self, why: str, count: int, examples: list[str] | tuple = ()) -> None:
        if count:
            self.drops[why] += int(count)
            self._remember(why, examples)

    def _remember(self, key: str, examples) -> None:
        kept = self.examples.setdefault(key, [])
        for example in list(examples)[: 3 - len(kept)]:
            kept.append(str(example))

    def merge(self, other: RepairLog) -> None:
        """Add another log's counts and examples after this one's."""
        for what, count in other.repairs.items():
            self.repaired(what, count, other.examples.get(what, ()))
        for why, count in other.drops.items():
            self.dropped(why, count, other.examples.get(why, ()))

    def lines(self) -> list[str]:
        out = []
        for title, counter in (("repaired", self.repairs), ("dropped", self.drops)):
            for what, count in counter.items():
                shown = self.examples.get(what)
                suffix = f" (e.g. {', '.join(shown)})" if shown else ""
                out.append(f"  {title} {count:>9,}  {what}{suffix}")
        return out or ["  nothing to repair"]

    def as_dict(self) -> dict:
        return {
            "repaired": dict(self.repairs),
            "dropped": dict(self.drops),
            "examples": self.examples,
        }
