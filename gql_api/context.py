"""Per-request context: the store, the viewer, DataLoaders and a backend-call counter.

Every backend call goes through `Context.run`, which runs the (blocking) query in a worker
thread, so that the request timeout can abandon it and the event loop stays free.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from strawberry.dataloader import DataLoader

import queries
from graph_schema import Label
from graph_store import GraphStore, Row
from queries import Viewer

NeighbourRow = dict[str, Row]  # {"node": properties, "rel": properties}


@dataclass
class RequestMeta:
    """What the HTTP layer needs to know about one request after execution."""

    graphql_response_json: bool = False
    backend_unavailable: bool = False
    request_error: bool = False


@dataclass
class Context:
    """What resolvers see as `info.context`."""

    store: GraphStore
    viewer: Viewer
    meta: RequestMeta = field(default_factory=RequestMeta)
    backend_calls: int = 0
    _nodes: dict[Label, DataLoader[str, Row | None]] = field(default_factory=dict)
    _neighbours: dict[str, DataLoader[str, list[NeighbourRow]]] = field(default_factory=dict)

    async def run(self, name: str, params: Mapping[str, Any]) -> Any:
        """Run a named query for this request's viewer, off the event loop."""
        self.backend_calls += 1
        return await anyio.to_thread.run_sync(
            queries.run, self.store, name, params, self.viewer, abandon_on_cancel=True
        )

    def nodes(self, label: Label) -> DataLoader[str, Row | None]:
        """The request's loader of visible nodes of one label, by key."""
        loader = self._nodes.get(label)
        if loader is None:

            async def load(keys: Sequence[str]) -> list[Row | None]:
                found: dict[str, Row] = await self.run(
                    "entities.get", {"label": label.value, "ids": list(keys)}
                )
                return [found.get(k) for k in keys]

            loader = DataLoader(load_fn=load)
            self._nodes[label] = loader
        return loader

    def neighbours(self, edge: str) -> DataLoader[str, list[NeighbourRow]]:
        """The request's loader of visible neighbours along a named edge, by key."""
        loader = self._neighbours.get(edge)
        if loader is None:

            async def load(keys: Sequence[str]) -> list[list[NeighbourRow]]:
                found: dict[str, list[NeighbourRow]] = await self.run(
                    "entities.neighbours", {"edge": edge, "ids": list(keys)}
                )
                return [found.get(k, []) for k in keys]

            loader = DataLoader(load_fn=load)
            self._neighbours[edge] = loader
        return loader
