"""OutstandingActions and AgencyLoad: who owes what, typed, from the accountability queries.

Counts are the queries', over the reviews the viewer may see. The actions, agencies, boards,
recommendations and reviews they name are the entity types, looked up through the request's
viewer-scoped loaders (batched per label), so a hidden record is never returned.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Any

import strawberry

from gql_api.action import Action
from gql_api.agency import Agency
from gql_api.board import Board
from gql_api.context import Context
from gql_api.enums import ActionStatus, DocumentKind, SectorKey
from gql_api.node import enum_field, key_field, link_field
from gql_api.recommendation import Recommendation
from gql_api.review import Review
from graph_store import Row

Info = strawberry.Info[Context, None]


@strawberry.type(description="An open action (not completed or cancelled), with how overdue it is.")
class OutstandingAction:
    row: strawberry.Private[Row]

    key = key_field("id", str, "Key of the action.")

    description = key_field("description", str | None, "What will be done.")

    status = enum_field("status", ActionStatus, "Status (not_started or in_progress).")

    due_date = key_field("due_date", str | None, "Due date (ISO), where set.")
    overdue = key_field("overdue", bool, "Whether it was due before `asOf`.")
    days_overdue = key_field(
        "days_overdue", int, "Days from the due date to `asOf` (0 if not overdue)."
    )
    year = key_field("year", int | None, "Year of the recommendation's review.")
    recommendation_number = key_field(
        "recommendation_number", str | None, "Number of the recommendation it answers."
    )

    owner_key = key_field("owner_agency_id", str | None, "Key of the owner agency, where recorded.")

    owner_name = key_field("owner_name", str | None, "Name of the owner agency.")

    board_key = key_field(
        "board_id", str | None, "Key of the board of the recommendation's review."
    )

    board_name = key_field("board_name", str | None, "Name of that board.")

    recommendation_key = key_field(
        "recommendation_id", str, "Key of the recommendation it answers."
    )

    review_key = key_field("review_id", str, "Key of the recommendation's review.")

    action = link_field("id", Action, "The action.")

    owner = link_field("owner_agency_id", Agency, "The owner agency.")

    board = link_field("board_id", Board, "The board of the recommendation's review.")

    recommendation = link_field(
        "recommendation_id", Recommendation, "The recommendation it answers."
    )

    review = link_field("review_id", Review, "The recommendation's review.")


@strawberry.type(
    description="A recommendation awaiting a response owed by a date: a coroner's PFD report's "
    "concern, whose receivers owe a response within 56 days of the report's date."
)
class OutstandingResponse:
    row: strawberry.Private[Row]

    key = key_field("id", str, "Key of the recommendation.")

    number = key_field("number", str | None, "Number as printed in the report.")
    response_due = key_field("response_due", str, "Date the response is owed by (ISO).")
    overdue = key_field("overdue", bool, "Whether it is owed before `asOf` and not recorded.")
    days_overdue = key_field(
        "days_overdue", int, "Days from the due date to `asOf` (0 if not yet due)."
    )
    year = key_field("year", int | None, "Year of its review.")

    kind = enum_field(
        "review_type", DocumentKind, "Document kind of its review (pfd, scr, ...).", optional=True
    )

    board_key = key_field(
        "board_id", str | None, "Key of its review's board (a PFD report's coroner area)."
    )

    board_name = key_field("board_name", str | None, "Name of that board.")

    @strawberry.field(description="Keys of the agencies that owe the response.")
    def agency_keys(self) -> list[str]:
        return [str(a) for a in self.row["agencies"]]

    review_key = key_field("review_id", str, "Key of its review.")

    recommendation = link_field("id", Recommendation, "The recommendation.")


@strawberry.type(
    description="Open actions, most overdue first (then soonest due, then key), for a board, "
    "an owner agency, or all; the counts cover every open action, not only those listed."
)
class OutstandingActions:
    raw: strawberry.Private[dict[str, Any]]

    board_key = key_field("board", str | None, "The board asked for (key), if any.", source="raw")

    agency_key = key_field(
        "agency", str | None, "The owner agency asked for (key), if any.", source="raw"
    )

    board = link_field("board", Board, "The board asked for, if any.", source="raw")

    agency = link_field("agency", Agency, "The owner agency asked for, if any.", source="raw")

    as_of = key_field("as_of", str, "The date 'overdue' is counted at (ISO).", source="raw")
    open = key_field("open", int, "Open actions, all of them.", source="raw")
    overdue = key_field(
        "overdue", int, "Open actions due before `asOf`, all of them.", source="raw"
    )

    @strawberry.field(description="The open actions listed (at most `limit`).")
    def actions(self) -> list[OutstandingAction]:
        return [OutstandingAction(row=a) for a in self.raw["actions"]]

    kind = enum_field(
        "kind", DocumentKind, "The document kind asked for, if any.", optional=True, source="raw"
    )

    responses_awaited = key_field(
        "responses_awaited", int, "Responses awaited by a date, all of them.", source="raw"
    )
    responses_overdue = key_field(
        "responses_overdue", int, "Responses awaited whose due date is before `asOf`.", source="raw"
    )

    @strawberry.field(
        description="The responses awaited, most overdue first, then soonest due (at most `limit`)."
    )
    def responses(self) -> list[OutstandingResponse]:
        return [OutstandingResponse(row=r) for r in self.raw["responses"]]


@strawberry.type(description="Recommendations to the agencies and actions they own, counted.")
class LoadCounts:
    row: strawberry.Private[Row]
    recommendations = key_field("recommendations", int, "Recommendations addressed to them.")
    open = key_field("open", int, "Of those, open (status `open_...`).")
    closed = key_field("closed", int, "Of those, closed (status `closed_...`).")
    actions = key_field("actions", int, "Actions they own.")
    open_actions = key_field("open_actions", int, "Of those, open (not completed or cancelled).")
    overdue_actions = key_field("overdue_actions", int, "Of those, open and due before `asOf`.")


@strawberry.type(description="The counts for one review year.")
class YearLoad(LoadCounts):
    year = key_field("year", int, "The review year.")


@strawberry.type(description="An overdue action owned by one of the agencies.")
class OverdueAction:
    row: strawberry.Private[Row]

    key = key_field("id", str, "Key of the action.")

    year = key_field("year", int | None, "Year of its recommendation's review.")
    due_date = key_field("due_date", str | None, "Due date (ISO).")
    days_overdue = key_field("days_overdue", int, "Days from the due date to `asOf`.")

    action = link_field("id", Action, "The action.")


@strawberry.type(
    description="What an agency, or every agency of a sector, was asked to do: recommendations "
    "per review year, open and closed, and the actions they own, open and overdue."
)
class AgencyLoad:
    raw: strawberry.Private[dict[str, Any]]

    agency_key = key_field(
        "agency", str | None, "The agency asked for (key), if any.", source="raw"
    )

    sector_key = enum_field(
        "sector", SectorKey, "The sector asked for (key), if any.", optional=True, source="raw"
    )

    as_of = key_field("as_of", str, "The date 'overdue' is counted at (ISO).", source="raw")

    @strawberry.field(description="The agencies counted, by key.")
    async def agencies(self, info: Info) -> list[Agency]:
        keys = [str(a["id"]) for a in self.raw["agencies"]]
        rows = await info.context.nodes(Agency.LABEL).load_many(keys)
        return [Agency(props=r) for r in rows if r is not None]

    @strawberry.field(description="Counts per review year, oldest first.")
    def per_year(self) -> list[YearLoad]:
        return [YearLoad(row=y) for y in self.raw["by_year"]]

    @strawberry.field(description="Counts over every year.")
    def totals(self) -> LoadCounts:
        return LoadCounts(row=self.raw["totals"])

    @strawberry.field(description="Overdue actions, most overdue first (then by key).")
    def overdue(self) -> list[OverdueAction]:
        return [OverdueAction(row=o) for o in self.raw["overdue"]]
