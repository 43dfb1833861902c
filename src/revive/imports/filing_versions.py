"""Moved to revive.filings.versions (issue 15 item 4); this alias goes when web/ imports from there."""

from revive.filings.versions import *  # noqa: F403
