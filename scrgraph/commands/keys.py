"""`scrgraph keys`: create API keys (the key is printed once; only its hash is stored)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from queries import ROLES
from scrgraph.settings import load_settings


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("keys", help="manage API keys")
    ks = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    c = ks.add_parser("create", help="create a key, print it once and store only its hash")
    c.add_argument("--role", required=True, choices=ROLES, help="role the key grants")
    c.add_argument("--name", help="a name for the key (default: the role and a number)")
    c.add_argument(
        "--restricted",
        action="store_true",
        help="grant access to restricted and withdrawn reviews (admin always has it)",
    )
    c.set_defaults(func=create)
    ls = ks.add_parser("list", help="list keys (names, roles, grants; never the keys)")
    ls.set_defaults(func=list_keys)


def create(args: argparse.Namespace) -> int:
    from gql_api.auth import create_key, load_keys

    settings = load_settings()
    name = args.name or f"{args.role}-{len(load_keys(settings.keys_file)) + 1}"
    key = create_key(settings.keys_file, args.role, name, restricted=args.restricted)
    print(key)
    print(
        f"created key {name!r} (role {args.role}"
        f"{', restricted access' if args.restricted or args.role == 'admin' else ''}) in "
        f"{settings.keys_file}; it is shown only now: send it as `Authorization: Bearer <key>`",
        file=sys.stderr,
    )
    return 0


def list_keys(args: argparse.Namespace) -> int:
    from gql_api.auth import load_keys

    settings = load_settings()
    for k in load_keys(settings.keys_file):
        grant = "restricted" if k.restricted or k.role == "admin" else "published only"
        print(f"{k.name}\t{k.role}\t{grant}\t{k.created}")
    return 0
