"""Analytics at the top level: thin resolvers over the named queries in `queries`.

Each returns a described object type built from the query's answer (see the modules named
after them: trace, recurrence, network, repeated, accountability, search). The
viewer travels with every call, so restricted reviews never reach a count, a weight or a hit.

An unknown theme, board, agency or sector is an error (`NOT_FOUND`, with the nearest
existing keys), never an empty answer; so is a recommendation id the caller may not see.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from gql_api.accountability import AgencyLoad, OutstandingActions
from gql_api.context import Context
from gql_api.enums import DocumentKind, SearchHitKind, ThemeCategory, stored
from gql_api.errors import check_key, check_keys, not_found
from gql_api.network import ThemeNetwork
from gql_api.recurrence import ThemeRecurrence
from gql_api.repeated import RepeatedRecommendations
from gql_api.search import SearchResult
from gql_api.trace import Trace, prime_loaders
from graph_schema import Label
from scrgraph.errors import ScrgraphError


def _arg(description: str) -> Any:
    return strawberry.argument(description=description)


def _params(**kw: Any) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


YearFrom = Annotated[int | None, _arg("First year (inclusive).")]
YearTo = Annotated[int | None, _arg("Last year (inclusive).")]
Boards = Annotated[list[str] | None, _arg("Only these boards (keys); an unknown one is NOT_FOUND.")]
AsOf = Annotated[str | None, _arg("ISO date for 'overdue' (default today).")]
Kind = Annotated[DocumentKind | None, _arg("Only reviews of this document kind.")]


def _check_limit(limit: int | None) -> None:
    if limit is not None and not 1 <= limit <= 100:
        raise strawberry.exceptions.StrawberryGraphQLError(
            f"`limit` is {limit}; it must be between 1 and 100"
        )


@strawberry.type(description="Analytics for analysts, dashboards and inspectors.")
class AnalyticsQuery:
    @strawberry.field(
        description="One theme over time: reviews and recommendations per year and per board, "
        "boards reached, first and last seen, trend, and recurrence after closure."
    )
    async def theme_recurrence(
        self,
        info: strawberry.Info[Context, None],
        theme: Annotated[str, _arg("Theme key, e.g. `information_sharing`.")],
        year_from: YearFrom = None,
        year_to: YearTo = None,
        boards: Boards = None,
    ) -> ThemeRecurrence | None:
        params = _params(theme=theme, year_from=year_from, year_to=year_to, boards=boards)
        if boards:  # an unknown theme is named before an unknown board
            await check_key(info.context, Label.THEME, "theme", theme)
            await check_keys(info.context, Label.BOARD, "boards", boards)
        # Themes are public vocabulary and the query answers None exactly when the theme does
        # not exist, so without boards the key is checked (for its suggestions) only then:
        # one backend call for an answer, not two.
        try:
            result = await info.context.run("theme_recurrence", params)
        except ScrgraphError:  # a bad argument: an unknown theme is still named first
            await check_key(info.context, Label.THEME, "theme", theme)
            raise
        if result is None:
            await check_key(info.context, Label.THEME, "theme", theme)
            raise not_found("theme", theme, "theme")  # removed since the check
        return ThemeRecurrence(raw=result)

    @strawberry.field(
        description="The theme co-occurrence network: themes sized by reviews raising them, "
        "edges weighted by reviews raising both, with communities and a layout."
    )
    async def theme_network(
        self,
        info: strawberry.Info[Context, None],
        year_from: YearFrom = None,
        year_to: YearTo = None,
        boards: Boards = None,
        min_weight: Annotated[int | None, _arg("Drop edges with fewer shared reviews.")] = None,
        category: Annotated[ThemeCategory | None, _arg("Only themes of this category.")] = None,
    ) -> ThemeNetwork | None:
        await check_keys(info.context, Label.BOARD, "boards", boards)
        result = await info.context.run(
            "theme_network",
            _params(
                year_from=year_from,
                year_to=year_to,
                boards=boards,
                min_weight=min_weight,
                category=stored(category),
            ),
        )
        return ThemeNetwork(raw=result)

    @strawberry.field(
        description="A recommendation end to end: review, board, agencies, themes, actions "
        "with their audits in time order, impact verdict, and whether its themes came back. "
        "An id that does not exist, or whose review you may not see, is the same NOT_FOUND "
        "error (with no suggestions)."
    )
    async def trace_recommendation(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[str, _arg("Recommendation key.")],
    ) -> Trace | None:
        result = await info.context.run("trace_recommendation", {"id": id})
        if result is None:
            # The same error whether absent or hidden: no oracle for restricted reviews.
            raise not_found("recommendation", id, "id")
        prime_loaders(info.context, result["nodes"])
        return Trace(raw=result)

    @strawberry.field(
        description="Clusters of near-identical recommendations made in several boards and years."
    )
    async def repeated_recommendations(
        self,
        info: strawberry.Info[Context, None],
        min_boards: Annotated[int | None, _arg("Boards a cluster must span (default 2).")] = None,
        min_years: Annotated[int | None, _arg("Years a cluster must span (default 2).")] = None,
    ) -> RepeatedRecommendations | None:
        result = await info.context.run(
            "repeated_recommendations", _params(min_boards=min_boards, min_years=min_years)
        )
        return RepeatedRecommendations(raw=result)

    @strawberry.field(
        description="Recommendations addressed to an agency (or a sector) per year, open and "
        "closed, and the actions it owns, open and overdue. An unknown agency or sector is a "
        "NOT_FOUND error with the nearest existing keys."
    )
    async def agency_load(
        self,
        info: strawberry.Info[Context, None],
        agency: Annotated[str | None, _arg("Agency key (or give sector).")] = None,
        sector: Annotated[str | None, _arg("Sector key (or give agency).")] = None,
        year_from: YearFrom = None,
        year_to: YearTo = None,
        as_of: AsOf = None,
    ) -> AgencyLoad | None:
        await check_key(info.context, Label.AGENCY, "agency", agency)
        await check_key(info.context, Label.SECTOR, "sector", sector)
        result = await info.context.run(
            "agency_load",
            _params(
                agency=agency, sector=sector, year_from=year_from, year_to=year_to, as_of=as_of
            ),
        )
        return AgencyLoad(raw=result)

    @strawberry.field(
        description="Open actions, most overdue first, optionally for one board or owner agency "
        "(an unknown one is a NOT_FOUND error with the nearest existing keys, never zero counts); "
        "and the responses awaited by a date (a PFD report's concerns), most overdue first."
    )
    async def outstanding_actions(
        self,
        info: strawberry.Info[Context, None],
        board: Annotated[str | None, _arg("Board key.")] = None,
        agency: Annotated[
            str | None, _arg("Owner agency key (for responses: an agency addressed).")
        ] = None,
        as_of: AsOf = None,
        kind: Kind = None,
        limit: Annotated[int | None, _arg("At most this many actions (at most 100).")] = None,
    ) -> OutstandingActions | None:
        _check_limit(limit)
        await check_key(info.context, Label.BOARD, "board", board)
        await check_key(info.context, Label.AGENCY, "agency", agency)
        result = await info.context.run(
            "outstanding_actions",
            _params(board=board, agency=agency, as_of=as_of, limit=limit, kind=stored(kind)),
        )
        return OutstandingActions(raw=result)

    @strawberry.field(
        description="Full-text search over reviews and recommendations you may see: every word "
        "must match."
    )
    async def search(
        self,
        info: strawberry.Info[Context, None],
        text: Annotated[str, _arg("Words to find (all must match).")],
        kinds: Annotated[list[SearchHitKind] | None, _arg("Kinds of hit (default both).")] = None,
        limit: Annotated[
            int | None, _arg("At most this many hits (default 20, at most 100).")
        ] = None,
    ) -> SearchResult | None:
        _check_limit(limit)
        result = await info.context.run(
            "search", _params(text=text, kinds=stored(kinds), limit=limit)
        )
        return SearchResult(raw=result)
