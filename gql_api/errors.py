"""Errors meant for API users: explicit not-found, with the nearest existing keys.

An unknown key (a theme, board, agency or sector: public vocabulary, which every viewer sees
whole) answers `NOT_FOUND` with up to three of the nearest existing keys in
`extensions.suggestions`. An unknown id of a record whose visibility depends on a review (a
recommendation, say) answers `NOT_FOUND` with no suggestions: a record the caller may not see
answers exactly as an absent one, so that the error is no oracle for restricted reviews.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from graphql import GraphQLError
from strawberry.utils.str_converters import to_camel_case

from gql_api.context import Context
from graph_schema import SECTORS, Label
from queries.entities import VOCABULARY_LABELS

NOT_FOUND: Final = "NOT_FOUND"
MAX_SUGGESTIONS: Final = 3

_NOUN: Final[dict[Label, str]] = {
    Label.BOARD: "board",
    Label.AGENCY: "agency",
    Label.SECTOR: "sector",
    Label.THEME: "theme",
    Label.REVIEW: "review",
    Label.RECOMMENDATION: "recommendation",
    Label.ACTION: "action",
    Label.AUDIT: "audit",
}


def not_found(
    noun: str,
    key: str,
    argument: str,
    suggestions: Sequence[str] = (),
    known: Sequence[str] | None = None,
) -> GraphQLError:
    """The error for an unknown key or id of a `noun` given as `argument`.

    `known`, for a small closed set, is listed when nothing is near enough to suggest.
    """
    message = f"no {noun} {key!r} (argument `{argument}`)"
    if suggestions:
        quoted = [f"`{s}`" for s in suggestions]
        alternatives = (
            quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
        )
        message += f"; did you mean {alternatives}?"
    elif known:
        message += f"; expected one of {', '.join(known)}"
    return GraphQLError(message, extensions={"code": NOT_FOUND, "suggestions": list(suggestions)})


def argument_name(param: str) -> str:
    """A query parameter as the GraphQL API names its argument: `year_from` -> `yearFrom`."""
    return f"`{to_camel_case(param)}`"


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def nearest(key: str, names: Mapping[str, Any], n: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to n existing keys nearest to `key`, matched on keys and on their names/labels."""
    candidates: dict[str, str] = {}
    for k in sorted(names):
        candidates.setdefault(_norm(k), k)
    for k in sorted(names):
        if isinstance(names[k], str) and names[k]:
            candidates.setdefault(_norm(names[k]), k)
    out: list[str] = []
    for hit in difflib.get_close_matches(_norm(key), list(candidates), n=3 * n, cutoff=0.6):
        k = candidates[hit]
        if k not in out:
            out.append(k)
    return out[:n]


async def vocabulary(ctx: Context, label: Label) -> dict[str, Any]:
    """Every key of a public-vocabulary label, with its name or label."""
    assert label in VOCABULARY_LABELS, label
    names: dict[str, Any] = dict(await ctx.run("entities.keys", {"label": label.value}))
    if label == Label.SECTOR:  # the closed set is valid even where no agency of it is loaded
        for s in SECTORS:
            names.setdefault(s, None)
    return names


async def check_keys(ctx: Context, label: Label, argument: str, keys: Iterable[str] | None) -> None:
    """Raise NOT_FOUND (with suggestions) for the first key that names nothing.

    Existing keys cost one batched lookup; the whole vocabulary is read only to suggest.
    """
    wanted = [k.strip() for k in (keys or []) if k is not None and k.strip()]
    if not wanted:
        return
    if label == Label.SECTOR:
        missing = [k for k in wanted if k not in SECTORS]
    else:
        rows = await ctx.nodes(label).load_many(wanted)
        missing = [k for k, row in zip(wanted, rows, strict=True) if row is None]
    if missing:
        names = await vocabulary(ctx, label)
        for k in missing:
            if k not in names:
                known = SECTORS if label == Label.SECTOR else None
                raise not_found(_NOUN[label], k, argument, nearest(k, names), known)


def check_choice(noun: str, argument: str, value: str | None, allowed: Sequence[str]) -> None:
    """Raise NOT_FOUND (with suggestions) when a value is not one of a closed set."""
    if value is not None and value.strip() and value.strip() not in allowed:
        raise not_found(noun, value, argument, nearest(value, dict.fromkeys(allowed)), allowed)


async def check_key(ctx: Context, label: Label, argument: str, key: str | None) -> None:
    """check_keys for one optional key."""
    await check_keys(ctx, label, argument, None if key is None else [key])
