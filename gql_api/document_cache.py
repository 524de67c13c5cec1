"""One parse and validation cache per schema, shared by every request.

Parsing and validating a document costs more than answering a small request (about 1 ms of
CPU for a trace). A client sends the same few documents again and again, with the values as
variables, so each schema keeps the parsed document and the validation verdict of the last
`MAX_ENTRIES` documents.

The key of an entry is everything that decides its verdict: the document text, the parse
options (the token limit is one) and the validation rules that ran (the depth and alias
limits, and in production the introspection block). The rules are shared classes
(`gql_api.limits.LIMIT_RULES`), so the same rules make the same key on every request; the
cache is the schema's own, so a production schema and a development one never share a
verdict. No rule reads the request (its viewer, key or variables), so the verdict of a
document is the same for every caller. A document over a limit is refused from the cache
as it was the first time (the errors are cached too; a parse error is not cached, so it is
raised again by parsing). Documents longer than `MAX_TEXT` characters are not kept.

strawberry's `ParserCache` and `ValidationCache` do the same with two module-wide caches;
`ValidationCache` keys on the parsed document, which graphql-core hashes by walking the
whole tree on every request, and both are shared by every schema of the process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Final

from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension

MAX_ENTRIES: Final = 256
MAX_TEXT: Final = 20_000


@dataclass
class _Entry:
    document: DocumentNode
    errors: dict[Hashable, list[GraphQLError]]  # by the validation rules that ran


class DocumentCache:
    """Parsed documents and validation verdicts, least recently used out first."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_text: int = MAX_TEXT) -> None:
        self.max_entries = max_entries
        self.max_text = max_text
        self.hits = 0  # requests answered without parsing or validating
        self.misses = 0
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def document(self, key: Hashable) -> DocumentNode | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry.document

    def add_document(self, key: Hashable, text: str, document: DocumentNode) -> None:
        if len(text) > self.max_text or self.max_entries <= 0:
            return
        with self._lock:
            if key not in self._entries:
                self._entries[key] = _Entry(document, {})
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def errors(self, key: Hashable, rules: Hashable) -> list[GraphQLError] | None:
        """The validation errors of a cached document under these rules (a fresh list), or
        None when it was not validated under them."""
        with self._lock:
            entry = self._entries.get(key)
            found = None if entry is None else entry.errors.get(rules)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
        return [_copy(e) for e in found]

    def add_errors(self, key: Hashable, rules: Hashable, errors: list[GraphQLError]) -> None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                entry.errors[rules] = [_copy(e) for e in errors]

    def extension(self) -> SchemaExtension:
        """The per-request extension reading and filling this cache (a schema's factory)."""
        return CachedDocuments(self)


def _copy(e: GraphQLError) -> GraphQLError:
    """A copy, so that what one request does to its errors (codes added) stays its own."""
    return GraphQLError(
        e.message,
        nodes=e.nodes,
        source=e.source,
        positions=e.positions,
        path=e.path,
        original_error=e.original_error,
        extensions=dict(e.extensions) if e.extensions else None,
    )


class CachedDocuments(SchemaExtension):
    """Skip parsing and validation when the cache holds the document's verdict.

    Runs after the other extensions' `on_operation` (which set the token limit and add the
    limit rules), so the key sees the options and rules of this request.
    """

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self._key: Hashable | None = None

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        text = ctx.query
        if text is None or ctx.graphql_document is not None:
            yield
            return
        self._key = (text, tuple(sorted(ctx.parse_options.items())))
        cached = self.cache.document(self._key)
        if cached is not None:
            ctx.graphql_document = cached  # strawberry does not parse it again
        yield
        if cached is None and ctx.graphql_document is not None:
            self.cache.add_document(self._key, text, ctx.graphql_document)

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        key = self._key
        rules = ctx.validation_rules
        cached = None
        if key is not None and ctx.pre_execution_errors is None:
            cached = self.cache.errors(key, rules)
            if cached is not None:
                ctx.pre_execution_errors = cached  # strawberry does not validate it again
        yield
        if key is not None and cached is None and ctx.pre_execution_errors is not None:
            self.cache.add_errors(key, rules, ctx.pre_execution_errors)
