"""``termbrief notes server-init`` and ``termbrief notes add-user``: setting up a team server.

``cli/notes.py`` calls :func:`add_subcommands` with the ``notes`` sub-parsers; each command's
parser carries ``func(args) -> int``. Errors print ``termbrief: error: ...`` on stderr and return 1,
never a traceback. psycopg is imported only when one of these commands runs. This module imports
no Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from termbrief.store.backend import describe_url
from termbrief.store.notes import NotesError

__all__ = ["add_subcommands"]

Handler = Callable[[argparse.Namespace], int]

_ADMIN_HELP = (
    "a PostgreSQL URL of a role that may create schemas and roles, "
    "e.g. postgresql://postgres@db.example.org/termbrief"
)


def add_subcommands(
    notes_subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``server-init`` and ``add-user`` to the ``notes`` command's sub-parsers."""
    init = notes_subparsers.add_parser(
        "server-init",
        help="create or update the team notes schema on a PostgreSQL server",
        description="Create or migrate the team notes schema, its row-level security policies "
        "and the termbrief_analyst group role. Safe to run again (after an upgrade, it migrates).",
    )
    init.add_argument("admin_url", metavar="ADMIN_URL", help=_ADMIN_HELP)
    init.set_defaults(func=_guarded(_server_init))

    user = notes_subparsers.add_parser(
        "add-user",
        help="create the database role of an analyst",
        description="Create a plain login role for an analyst (no superuser, no BYPASSRLS, "
        "owning nothing, so the notes policies bind it) and add it to termbrief_analyst. "
        "Set its password as your server requires (psql: \\password NAME). The analyst then "
        'adds notes_url = "postgresql://NAME@HOST/DATABASE" to config.toml.',
    )
    user.add_argument("admin_url", metavar="ADMIN_URL", help=_ADMIN_HELP)
    user.add_argument("name", metavar="NAME", help="the analyst's role name")
    user.add_argument(
        "--print",
        dest="print_only",
        action="store_true",
        help="print the SQL instead of running it (nothing is changed)",
    )
    user.set_defaults(func=_guarded(_add_user))


def _guarded(handler: Handler) -> Handler:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except NotesError as error:
            print(f"termbrief: error: {error}", file=sys.stderr)
        except ImportError as error:
            if error.name is None or not error.name.startswith("psycopg"):
                raise
            print(
                "termbrief: error: team notes need psycopg: pip install 'termbrief[team]'",
                file=sys.stderr,
            )
        return 1

    run.__doc__ = handler.__doc__
    return run


def _server_init(args: argparse.Namespace) -> int:
    """``notes server-init ADMIN_URL``."""
    from termbrief.store import postgres_admin

    before, after = postgres_admin.server_init(args.admin_url)
    where = describe_url(args.admin_url)
    if before == after:
        print(f"The notes schema on {where} is up to date (version {after}).")
    elif before == 0:
        print(f"Created the notes schema on {where} (version {after}).")
    else:
        print(f"Migrated the notes schema on {where} from version {before} to {after}.")
    return 0


def _add_user(args: argparse.Namespace) -> int:
    """``notes add-user ADMIN_URL NAME [--print]``."""
    from termbrief.store import postgres_admin

    name: str = args.name
    if args.print_only:
        sys.stdout.write(postgres_admin.statements_text(postgres_admin.add_user_statements(name)))
        return 0
    # add_user refuses names with control characters, so printing the name is safe.
    if postgres_admin.add_user(args.admin_url, name):
        print(f"Created the role {name}; it can now read and write team notes.")
    else:
        print(f"The role {name} already existed; it is now a termbrief analyst.")
    return 0
