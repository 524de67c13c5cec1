"""Theme: a theme from the controlled, versioned taxonomy."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.entity import connection_types, entity_type
from gql_api.enums import ThemeCategory, ThemeKind, member
from gql_api.node import Node, opt_int, opt_str
from graph_schema import Label


@entity_type(
    Label.THEME,
    "A theme from the controlled, versioned taxonomy: what a review or recommendation is about.",
)
class Theme(Node):
    @strawberry.field(description="Readable label.")
    def label(self) -> str:
        return str(self.props.get("label", ""))

    @strawberry.field(description="Category: practice, process, learning or policy.")
    def category(self) -> ThemeCategory:
        return member(ThemeCategory, self.props.get("category"))

    @strawberry.field(description="Kind: practice, barrier or enabler.")
    def kind(self) -> ThemeKind:
        return member(ThemeKind, self.props.get("kind"))

    @strawberry.field(description="What the theme covers.")
    def description(self) -> str | None:
        return opt_str(self.props, "description")

    @strawberry.field(description="Phrases that signal the theme in text.")
    def signals(self) -> list[str]:
        return [str(s) for s in self.props.get("signals") or []]

    @strawberry.field(description="Taxonomy version.")
    def taxonomy_version(self) -> int | None:
        return opt_int(self.props, "taxonomy_version")


ThemeEdge, ThemeConnection = connection_types(Theme)
