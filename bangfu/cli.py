"""The `bangfu` command: operators' subcommands, and every Django management command besides."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "demo" and "DATABASE_URL" not in os.environ:
        # The demo always runs on its own SQLite file, apart from any real data.
        from pathlib import Path

        data_dir = Path(os.environ.get("BANGFU_DATA_DIR", Path.cwd() / "data")).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        os.environ["BANGFU_DATA_DIR"] = str(data_dir)
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'demo.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bangfu", *argv])


if __name__ == "__main__":
    main()
