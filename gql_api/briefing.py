"""`briefing`: a short themed digest for one audience, computed from the graph, typed.

The typed fields are the briefing's content (`queries.briefing.Briefing`) as described object
types: every number is the number the rendered Markdown and HTML show. Where a briefing names
a review, recommendation, action, theme, board or sector, the answer links to the entity type,
looked up through the request's viewer-scoped loaders, so a client goes from a cited
recommendation to its review and board in one query and a hidden record is never returned.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from enum import Enum
from typing import Annotated

import anyio.to_thread
import strawberry

from gql_api.action import Action
from gql_api.board import Board
from gql_api.context import Context
from gql_api.enums import ImpactVerdict, SectorKey, member
from gql_api.errors import nearest, not_found
from gql_api.node import lookup
from gql_api.recommendation import Recommendation
from gql_api.review import Review
from gql_api.sector import Sector
from gql_api.theme import Theme
from queries import briefing as qb
from queries.briefing import AUDIENCES, BriefingError, resolve_audience
from queries.briefing_render import briefing_document


@strawberry.type(
    description="Where a statement of the briefing comes from: a review, and a recommendation "
    "in it where relevant. The source file and line are null for the roles that do not get "
    "raw provenance."
)
class BriefingCitation:
    cite: strawberry.Private[qb.Cite]

    @strawberry.field(description="Key of the cited review.")
    def review_key(self) -> str:
        return self.cite.review_id

    @strawberry.field(description="The cited review.")
    async def review(self, info: strawberry.Info[Context, None]) -> Review | None:
        return await lookup(info.context, Review, self.cite.review_id)

    @strawberry.field(description="Name of the board that commissioned the review.")
    def board_name(self) -> str | None:
        return self.cite.board_name

    @strawberry.field(description="Year of the review.")
    def year(self) -> int | None:
        return self.cite.year

    @strawberry.field(description="Key of the cited recommendation, if one is cited.")
    def recommendation_key(self) -> str | None:
        return self.cite.recommendation_id

    @strawberry.field(description="The cited recommendation, if one is cited.")
    async def recommendation(self, info: strawberry.Info[Context, None]) -> Recommendation | None:
        return await lookup(info.context, Recommendation, self.cite.recommendation_id)

    @strawberry.field(description="The recommendation's number in its review, e.g. `3`.")
    def recommendation_number(self) -> str | None:
        return self.cite.recommendation_number

    @strawberry.field(description="Place in the document, e.g. `p. 48`.")
    def location(self) -> str | None:
        return self.cite.location

    @strawberry.field(description="Source file of the recommendation (raw provenance).")
    def source_file(self) -> str | None:
        return self.cite.source_file

    @strawberry.field(description="Line of the source file (raw provenance).")
    def source_line(self) -> int | None:
        return self.cite.source_line


def _cites(cites: tuple[qb.Cite, ...]) -> list[BriefingCitation]:
    return [BriefingCitation(cite=c) for c in cites]


@strawberry.type(description="A top theme among the recommendations addressed to the audience.")
class BriefingTheme:
    item: strawberry.Private[qb.ThemeItem]

    @strawberry.field(description="Key of the theme.")
    def key(self) -> str:
        return self.item.key

    @strawberry.field(description="The theme (its description, category and kind).")
    async def theme(self, info: strawberry.Info[Context, None]) -> Theme | None:
        return await lookup(info.context, Theme, self.item.key)

    @strawberry.field(description="Readable name of the theme.")
    def label(self) -> str:
        return self.item.label

    @strawberry.field(description="Recommendations to the audience tagged with the theme.")
    def recommendations(self) -> int:
        return self.item.recommendations

    @strawberry.field(description="Reviews that made those recommendations.")
    def reviews(self) -> int:
        return self.item.reviews

    @strawberry.field(description="Boards that commissioned those reviews.")
    def boards(self) -> int:
        return self.item.boards

    @strawberry.field(description="Year of the first of those reviews.")
    def first_year(self) -> int | None:
        return self.item.first_year

    @strawberry.field(description="Year of the last of those reviews.")
    def last_year(self) -> int | None:
        return self.item.last_year

    @strawberry.field(description="Least-squares slope of those reviews per year.")
    def trend(self) -> float:
        return self.item.trend

    @strawberry.field(description="The trend in a word: `rising`, `falling` or `steady`.")
    def trend_word(self) -> str:
        return self.item.trend_word

    @strawberry.field(description="The latest reviews raising it (at most two).")
    def citations(self) -> list[BriefingCitation]:
        return _cites(self.item.cites)

    @strawberry.field(description="Questions to ask in supervision, drawn from its description.")
    def questions(self) -> list[str]:
        return list(self.item.questions)


@strawberry.type(description="A group of near-identical recommendations made to the audience.")
class BriefingRepeat:
    item: strawberry.Private[qb.RepeatItem]

    @strawberry.field(description="Key of the group (as in `repeatedRecommendations`).")
    def key(self) -> str:
        return self.item.id

    @strawberry.field(description="The text of the group's central recommendation.")
    def text(self) -> str:
        return self.item.text

    @strawberry.field(description="Recommendations in the group.")
    def size(self) -> int:
        return self.item.size

    @strawberry.field(description="Boards whose reviews made them.")
    def boards(self) -> int:
        return self.item.boards

    @strawberry.field(description="Distinct years in which they were made.")
    def years(self) -> int:
        return self.item.years

    @strawberry.field(description="Year of the first of them.")
    def first_year(self) -> int | None:
        return self.item.first_year

    @strawberry.field(description="Year of the last of them.")
    def last_year(self) -> int | None:
        return self.item.last_year

    @strawberry.field(description="Mean similarity of the group's links (0 to 1).")
    def mean_score(self) -> float:
        return self.item.mean_score

    @strawberry.field(description="Examples from different boards and years, latest first.")
    def examples(self) -> list[BriefingCitation]:
        return _cites(self.item.examples)


@strawberry.type(description="An open action of the audience's, most overdue first.")
class BriefingAction:
    item: strawberry.Private[qb.ActionItem]

    @strawberry.field(description="Key of the action.")
    def key(self) -> str:
        return self.item.id

    @strawberry.field(description="The action.")
    async def action(self, info: strawberry.Info[Context, None]) -> Action | None:
        return await lookup(info.context, Action, self.item.id)

    @strawberry.field(description="What the action is to do.")
    def description(self) -> str | None:
        return self.item.description

    @strawberry.field(description="Name of the agency that owns it.")
    def owner_name(self) -> str | None:
        return self.item.owner_name

    @strawberry.field(description="When it was due (ISO date).")
    def due_date(self) -> str | None:
        return self.item.due_date

    @strawberry.field(description="Days past its due date, as of the briefing's date.")
    def days_overdue(self) -> int:
        return self.item.days_overdue

    @strawberry.field(description="The review and recommendation the action answers.")
    def citation(self) -> BriefingCitation:
        return BriefingCitation(cite=self.item.cite)


@strawberry.type(description="A board where actions of the audience on a theme were embedded.")
class BriefingEmbeddedBoard:
    item: strawberry.Private[qb.EmbeddedBoard]

    @strawberry.field(description="Key of the board.")
    def board_key(self) -> str:
        return self.item.board_id

    @strawberry.field(description="The board.")
    async def board(self, info: strawberry.Info[Context, None]) -> Board | None:
        return await lookup(info.context, Board, self.item.board_id)

    @strawberry.field(description="Name of the board.")
    def board_name(self) -> str | None:
        return self.item.board_name

    @strawberry.field(description="The audience's actions on the theme audited as embedded there.")
    def actions(self) -> int:
        return self.item.actions

    @strawberry.field(description="The latest of those actions' review and recommendation.")
    def citation(self) -> BriefingCitation:
        return BriefingCitation(cite=self.item.cite)


@strawberry.type(
    description="For one top theme: how many of the audience's actions on it audits found "
    "embedded, how many slipped back, and where they were embedded."
)
class BriefingEmbedding:
    item: strawberry.Private[qb.ThemeEmbedding]

    @strawberry.field(description="Key of the theme.")
    def key(self) -> str:
        return self.item.key

    @strawberry.field(description="The theme.")
    async def theme(self, info: strawberry.Info[Context, None]) -> Theme | None:
        return await lookup(info.context, Theme, self.item.key)

    @strawberry.field(description="Readable name of the theme.")
    def label(self) -> str:
        return self.item.label

    @strawberry.field(description="Actions on the theme whose latest audit found it embedded.")
    def embedded(self) -> int:
        return self.item.embedded

    @strawberry.field(description="Actions on the theme that slipped back after being embedded.")
    def slipped_back(self) -> int:
        return self.item.slipped_back

    @strawberry.field(description="The boards with most embedded actions (at most three).")
    def boards(self) -> list[BriefingEmbeddedBoard]:
        return [BriefingEmbeddedBoard(item=b) for b in self.item.boards]


@strawberry.type(description="A review the briefing cites, with its provenance.")
class BriefingSource:
    item: strawberry.Private[qb.Source]

    @strawberry.field(description="Key of the review.")
    def review_key(self) -> str:
        return self.item.review_id

    @strawberry.field(description="The review.")
    async def review(self, info: strawberry.Info[Context, None]) -> Review | None:
        return await lookup(info.context, Review, self.item.review_id)

    @strawberry.field(description="Title of the review.")
    def title(self) -> str | None:
        return self.item.title

    @strawberry.field(description="Key of the board that commissioned it.")
    def board_key(self) -> str | None:
        return self.item.board_id

    @strawberry.field(description="The board that commissioned it.")
    async def board(self, info: strawberry.Info[Context, None]) -> Board | None:
        return await lookup(info.context, Board, self.item.board_id)

    @strawberry.field(description="Name of that board.")
    def board_name(self) -> str | None:
        return self.item.board_name

    @strawberry.field(description="Year of the review.")
    def year(self) -> int | None:
        return self.item.year

    @strawberry.field(description="The review's document (file name or link), if known.")
    def document(self) -> str | None:
        return self.item.document

    @strawberry.field(description="Source file it was read from (raw provenance).")
    def source_file(self) -> str | None:
        return self.item.source_file

    @strawberry.field(description="Line of the source file (raw provenance).")
    def source_line(self) -> int | None:
        return self.item.source_line


@strawberry.type(description="A board the briefing covers (asked for, or before or after one).")
class BriefingBoard:
    key: str = strawberry.field(description="Key of the board.")
    name: str | None = strawberry.field(description="Name of the board.")

    @strawberry.field(description="The board.")
    async def board(self, info: strawberry.Info[Context, None]) -> Board | None:
        return await lookup(info.context, Board, self.key)


@strawberry.type(description="How many of the audience's actions have an impact verdict.")
class BriefingVerdictCount:
    verdict: ImpactVerdict = strawberry.field(description="The verdict.")
    actions: int = strawberry.field(description="The audience's actions with that verdict.")


@strawberry.type(description="A term the briefing uses, in plain words.")
class GlossaryEntry:
    term: str = strawberry.field(description="The term, e.g. `LSCB`.")
    meaning: str = strawberry.field(description="What it means.")


@strawberry.type(
    description="A themed briefing: rendered as Markdown and HTML, and its content as typed "
    "fields (every number and example the rendered briefing shows, with provenance)."
)
class Briefing:
    b: strawberry.Private[qb.Briefing]
    audience: str = strawberry.field(description="The audience asked for.")
    markdown: str = strawberry.field(description="The briefing as Markdown.")
    html: str = strawberry.field(
        description="The briefing as one self-contained HTML page (no external assets)."
    )

    @strawberry.field(description="Key of the audience the words asked for name, e.g. `gp`.")
    def audience_key(self) -> str:
        return self.b.audience_key

    @strawberry.field(description="Readable name of the audience.")
    def audience_label(self) -> str:
        return self.b.audience_label

    @strawberry.field(description="Key of the audience's sector.")
    def sector_key(self) -> SectorKey:
        return member(SectorKey, self.b.sector)

    @strawberry.field(description="The audience's sector.")
    async def sector(self, info: strawberry.Info[Context, None]) -> Sector | None:
        return await lookup(info.context, Sector, self.b.sector)

    @strawberry.field(description="Readable name of the sector.")
    def sector_label(self) -> str:
        return self.b.sector_label

    @strawberry.field(description="Agencies the audience covers.")
    def agencies(self) -> int:
        return self.b.agencies

    @strawberry.field(
        description="Whether a role's words picked its agencies (false: the whole sector)."
    )
    def role_matched(self) -> bool:
        return self.b.role_matched

    @strawberry.field(
        description="The boards covered, with those before or after them in the 2019 reform; "
        "empty when every board is."
    )
    def boards(self) -> list[BriefingBoard]:
        return [BriefingBoard(key=k, name=n) for k, n in self.b.boards]

    @strawberry.field(description="First review year asked for.")
    def year_from(self) -> int | None:
        return self.b.year_from

    @strawberry.field(description="Last review year asked for.")
    def year_to(self) -> int | None:
        return self.b.year_to

    @strawberry.field(description="Year of the earliest review the briefing drew on.")
    def first_year_seen(self) -> int | None:
        return self.b.years_seen[0]

    @strawberry.field(description="Year of the latest review the briefing drew on.")
    def last_year_seen(self) -> int | None:
        return self.b.years_seen[1]

    @strawberry.field(description="The date overdue actions are counted at (ISO).")
    def as_of(self) -> str:
        return self.b.as_of

    @strawberry.field(description="Whether only published reviews were used.")
    def published_only(self) -> bool:
        return self.b.public

    @strawberry.field(description="The caller's role the briefing was computed for.")
    def viewer_role(self) -> str:
        return self.b.viewer_role

    @strawberry.field(description="Recommendations addressed to the audience.")
    def recommendations(self) -> int:
        return self.b.recommendations

    @strawberry.field(description="Of those, the open ones.")
    def open_recommendations(self) -> int:
        return self.b.open_recommendations

    @strawberry.field(description="Reviews that made them.")
    def reviews(self) -> int:
        return self.b.reviews

    @strawberry.field(description="Boards whose reviews made them.")
    def review_boards(self) -> int:
        return self.b.review_boards

    @strawberry.field(description="The top recurring themes, most recommendations first.")
    def themes(self) -> list[BriefingTheme]:
        return [BriefingTheme(item=t) for t in self.b.themes]

    @strawberry.field(description="Recommendations made again and again, largest group first.")
    def repeats(self) -> list[BriefingRepeat]:
        return [BriefingRepeat(item=r) for r in self.b.repeats]

    @strawberry.field(description="Actions owned by the audience's agencies.")
    def actions(self) -> int:
        return self.b.actions

    @strawberry.field(description="Of those, the open ones.")
    def open_actions(self) -> int:
        return self.b.open_actions

    @strawberry.field(description="Of those, the overdue ones (as of `asOf`).")
    def overdue_actions(self) -> int:
        return self.b.overdue_actions

    @strawberry.field(description="The most overdue actions (at most four), most overdue first.")
    def overdue(self) -> list[BriefingAction]:
        return [BriefingAction(item=a) for a in self.b.overdue]

    @strawberry.field(description="The audience's actions that an audit has checked.")
    def audited(self) -> int:
        return self.b.audited

    @strawberry.field(description="The audience's actions by impact verdict, every verdict.")
    def verdicts(self) -> list[BriefingVerdictCount]:
        return [
            BriefingVerdictCount(verdict=_verdict(v), actions=n) for v, n in self.b.verdicts.items()
        ]

    @strawberry.field(description="For each top theme, what audits found of the actions on it.")
    def embedding(self) -> list[BriefingEmbedding]:
        return [BriefingEmbedding(item=e) for e in self.b.embedding]

    @strawberry.field(description="The reviews the briefing cites, in order of first citation.")
    def sources(self) -> list[BriefingSource]:
        return [BriefingSource(item=s) for s in self.b.sources]

    @strawberry.field(description="The terms the briefing uses, explained.")
    def glossary(self) -> list[GlossaryEntry]:
        return [GlossaryEntry(term=t, meaning=m) for t, m in self.b.glossary]

    @strawberry.field(description="Notes on the briefing's scope (e.g. a role not singled out).")
    def notes(self) -> list[str]:
        return list(self.b.notes)

    @strawberry.field(description="Whether the loaded corpus says its data is invented.")
    def synthetic(self) -> bool:
        return self.b.synthetic


def _verdict(value: str) -> Enum:
    return member(ImpactVerdict, value)


@strawberry.type(description="Themed briefings for each audience.")
class BriefingQuery:
    @strawberry.field(
        description="A short digest for one sector or role (e.g. `police`, `schools`, `gp`): "
        "top recurring themes, recommendations made again and again, outstanding actions, "
        "what audits found, and questions to ask in supervision. Never draws on reviews you "
        "may not see. An unknown audience is a NOT_FOUND error with the nearest ones."
    )
    async def briefing(
        self,
        info: strawberry.Info[Context, None],
        audience: Annotated[
            str, strawberry.argument(description="A sector key or a role, e.g. `schools_dsl`.")
        ],
        boards: Annotated[
            list[str] | None, strawberry.argument(description="Only these boards (ids or names).")
        ] = None,
        year_from: Annotated[
            int | None, strawberry.argument(description="First review year (inclusive).")
        ] = None,
        year_to: Annotated[
            int | None, strawberry.argument(description="Last review year (inclusive).")
        ] = None,
    ) -> Briefing:
        try:
            resolve_audience(audience)
        except BriefingError:
            names = {k: a.label for k, a in AUDIENCES.items()}
            raise not_found(
                "audience", audience, "audience", nearest(audience, names), sorted(AUDIENCES)
            ) from None
        ctx = info.context
        ctx.backend_calls += 1

        def build() -> Briefing:
            doc = briefing_document(
                ctx.store,
                audience,
                boards=boards,
                year_from=year_from,
                year_to=year_to,
                viewer=ctx.viewer,
            )
            return Briefing(b=doc.briefing, audience=audience, markdown=doc.markdown, html=doc.html)

        return await anyio.to_thread.run_sync(build, abandon_on_cancel=True)
