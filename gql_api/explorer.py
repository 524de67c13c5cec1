"""The GraphiQL explorer page, served from local assets (never a CDN).

`scripts/install-web` copies GraphiQL, React and ReactDOM from node_modules into
`gql_api/static/explorer/` (git-ignored); the app serves that folder at /explorer/assets.
`scripts/install` (the demo's) runs it when npm is on PATH; `scripts/install --test` always.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

ASSETS_DIR: Final = Path(__file__).resolve().parent / "static" / "explorer"
ASSETS: Final = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
)
ASSETS_URL: Final = "/explorer/assets"

_PAGE: Final = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>scrgraph explorer</title>
<link rel="stylesheet" href="{assets}/graphiql.min.css">
<style>html, body, #graphiql {{ height: 100%; margin: 0; }}</style>
</head>
<body>
<div id="graphiql">Loading the explorer…</div>
<script src="{assets}/react.production.min.js"></script>
<script src="{assets}/react-dom.production.min.js"></script>
<script src="{assets}/graphiql.min.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({{ url: "/graphql" }});
  const defaultQuery = `# scrgraph: a knowledge graph of child-safeguarding case reviews.
# Add an API key under Headers: {{"Authorization": "Bearer scr_..."}}
{{
  reviews(first: 5, sort: YEAR, descending: true) {{
    totalCount
    edges {{ node {{ key title year board {{ name }} }} }}
  }}
}}
`;
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{ fetcher, defaultQuery, shouldPersistHeaders: false }})
  );
</script>
</body>
</html>
"""

_MISSING: Final = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>scrgraph explorer</title></head>
<body><h1>The explorer's assets are not installed</h1>
<p>They come from npm: with Node.js 18+ and npm installed, run
<code>scripts/install-web</code> in the repository (it installs GraphiQL from
package-lock.json and copies it into gql_api/static/explorer), then reload. The API at
/graphql, the dashboard and the briefings work without it.</p></body></html>
"""


def assets_installed() -> bool:
    return all((ASSETS_DIR / a).is_file() for a in ASSETS)


def explorer_html() -> str:
    """The explorer page, or a page saying how to install its assets."""
    return _PAGE.format(assets=ASSETS_URL) if assets_installed() else _MISSING
