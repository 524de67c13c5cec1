"""The GraphQL API and the web app (API, explorer, dashboard)."""

from gql_api.app import create_app

__all__ = ["create_app"]
