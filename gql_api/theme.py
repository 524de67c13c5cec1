"""Theme: a theme from the controlled, versioned taxonomy."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from gql_api.entity import connection_types, entity_type, prop_field
from gql_api.node import Node
from graph_schema import Label


@entity_type(
    Label.THEME,
    "A theme from the controlled, versioned taxonomy: what a review or recommendation is about.",
)
class Theme(Node):
    label = prop_field(Label.THEME, "label")
    category = prop_field(
        Label.THEME, "category", "Category: practice, process, learning or policy."
    )
    kind = prop_field(Label.THEME, "kind", "Kind: practice, barrier or enabler.")
    description = prop_field(Label.THEME, "description")
    signals = prop_field(Label.THEME, "signals")
    taxonomy_version = prop_field(Label.THEME, "taxonomy_version")


ThemeEdge, ThemeConnection = connection_types(Theme)
