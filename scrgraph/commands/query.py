"""`scrgraph query`: run any named query, or list them.

    scrgraph query                                  list the queries and their parameters
    scrgraph query theme_recurrence --param theme=neglect --param year_from=2010 --json

Values are strings; each query converts them (integers, ISO dates, comma-separated lists).
`--role` picks the viewer: `public` (the default) sees published reviews only; any other role
run from the command line is granted restricted and withdrawn reviews too, since whoever runs
it already holds the store.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from scrgraph.commands.common import add_store_options, reading_store_from
from scrgraph.errors import ScrgraphError


class BadParam(ScrgraphError):
    """A --param is not KEY=VALUE."""

    exit_code = 2


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "query",
        help="run a named query (list them when NAME is omitted)",
        description="Run a named query on the store, or list the queries.",
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="query name; omit to list them")
    p.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter (repeatable); lists are comma-separated",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--role",
        default="public",
        choices=("public", "analyst", "inspector", "admin"),
        help="viewer role (default public: published reviews only)",
    )
    add_store_options(p)
    p.set_defaults(func=run)


def parse_params(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise BadParam(f"--param {item!r}: expected KEY=VALUE, e.g. --param theme=neglect")
        out[key.strip()] = value
    return out


def viewer_for(role: str) -> Any:
    from queries import Viewer

    return Viewer(role=role, restricted=role != "public", name="cli")


def _list(as_json: bool) -> int:
    from queries import REGISTRY

    if as_json:
        data = {
            name: {"description": q.description, "params": dict(q.params)}
            for name, q in sorted(REGISTRY.items())
        }
        print(json.dumps(data, indent=2, sort_keys=True))
        return 0
    for name, q in sorted(REGISTRY.items()):
        print(f"{name}\n  {q.description}")
        for pname, desc in q.params.items():
            print(f"    --param {pname}=...  {desc}")
        print()
    return 0


def _scalar(v: Any) -> bool:
    return v is None or isinstance(v, str | int | float | bool)


def _cell(v: Any, width: int = 40) -> str:
    s = "" if v is None else str(v)
    return s if len(s) <= width else s[: width - 1] + "…"


def render(result: Any, max_rows: int = 50) -> str:
    """A readable plain-text rendering: scalars as `key: value`, lists of records as tables."""
    if result is None:
        return "not found (or not visible to this role)"
    if not isinstance(result, dict):
        return json.dumps(result, indent=2, default=str)
    lines: list[str] = []
    for k, v in result.items():
        if _scalar(v):
            lines.append(f"{k}: {'' if v is None else v}")
        elif isinstance(v, dict) and all(_scalar(x) for x in v.values()):
            lines.append(f"{k}: " + ", ".join(f"{a}={_cell(b, 60)}" for a, b in v.items()))
        elif isinstance(v, list) and all(_scalar(x) for x in v):
            lines.append(f"{k}: {', '.join(_cell(x) for x in v)}")
    for k, v in result.items():
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            cols = [c for c in v[0] if all(_scalar(x.get(c)) for x in v)]
            rows = [[_cell(x.get(c)) for c in cols] for x in v[:max_rows]]
            widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
            lines.append(f"\n{k} ({len(v)})")
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
            for r in rows:
                lines.append("  " + "  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)))
            if len(v) > max_rows:
                lines.append(f"  … {len(v) - max_rows} more (use --json for all)")
        elif isinstance(v, dict) and not all(_scalar(x) for x in v.values()):
            lines.append(f"\n{k}: (nested; use --json)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if not args.name:
        return _list(args.json)
    import queries

    params = parse_params(args.param)
    if args.name not in queries.REGISTRY:
        raise queries.UnknownQuery(
            f"no query named {args.name!r}; run `scrgraph query` to list them "
            f"({', '.join(sorted(queries.REGISTRY))})"
        )
    with reading_store_from(args) as store:
        result = queries.run(store, args.name, params, viewer_for(args.role))
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True, default=str, ensure_ascii=False))
    else:
        print(render(result))
    return 0
