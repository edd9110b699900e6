"""The one exception the grammar raises: a refusal the runner can read."""

from __future__ import annotations


class GrammarError(ValueError):
    """Friendly refusal: `str(err)` is one or two sentences for the runner: the reason and an
    example of what works, e.g. "I couldn't read "5 kmz" as a run. Try /done 5k 28:30 or
    /done 25min."

    `reason` and `example` are also kept apart, so a caller that knows better examples (the
    `/done` parser, say) can swap the example while keeping the reason.
    """

    def __init__(self, reason: str, example: str = "") -> None:
        self.reason = reason.strip()
        self.example = example.strip()
        super().__init__(f"{self.reason} {self.example}".strip())

    def with_example(self, example: str) -> GrammarError:
        """The same refusal with `example`, unless it already carries one."""
        if self.example:
            return self
        return GrammarError(self.reason, example)
