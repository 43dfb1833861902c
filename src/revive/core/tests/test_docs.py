"""Every setting, role and command is documented in the README (a test, so docs cannot fall behind)."""

import re
from pathlib import Path

from django.core.management import get_commands

from revive.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[4]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    settings_source = (ROOT / "src" / "config" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"REVIVE_[A-Z_]+", settings_source))
    assert names, "settings read no environment variables?"
    assert sorted(n for n in names if n not in README) == []


def test_every_role_is_in_the_readme():
    assert [r.value for r in Role if f"`{r.value}`" not in README] == []


def test_every_revive_command_is_in_the_readme():
    ours = [name for name, app in get_commands().items() if app.startswith("revive.")]
    assert ours
    assert [n for n in ours if f"revive {n.replace('_', '-')}" not in README] == []
