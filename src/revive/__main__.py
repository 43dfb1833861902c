"""The `revive` console command: this project's manage.py."""

import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent


def main() -> None:
    from config.env import ConfigError, load_local_env

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # `revive demo-data` and `revive demo_data` are the same command.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    try:
        load_local_env(PROJECT_DIR)  # what `make demo` wrote, unless the environment is a server's
        execute_from_command_line(argv)
    except ConfigError as error:  # one line naming the variable, never a traceback
        sys.stderr.write(f"revive: configuration error: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
