"""Every named read the product makes: Cypher for Neo4j and the same answer embedded."""

from queries import accountability as _accountability  # noqa: F401  (modules register queries)
from queries import briefing_queries as _briefing_queries  # noqa: F401
from queries import corpus as _corpus  # noqa: F401
from queries import entities as _entities  # noqa: F401
from queries import network as _network  # noqa: F401
from queries import recurrence as _recurrence  # noqa: F401
from queries import repeated as _repeated  # noqa: F401
from queries import review_queue as _review_queue  # noqa: F401
from queries import search as _search  # noqa: F401
from queries import trace as _trace  # noqa: F401
from queries._common import QueryParamError
from queries.base import ADMIN, PUBLIC, REGISTRY, ROLES, Query, UnknownQuery, Viewer, register, run

__all__ = [
    "ADMIN",
    "PUBLIC",
    "REGISTRY",
    "ROLES",
    "Query",
    "QueryParamError",
    "UnknownQuery",
    "Viewer",
    "register",
    "run",
]
