"""Moved to revive.filings.selectors (issue 15 item 4); this alias goes when web/ imports from there."""

from revive.filings.selectors import *  # noqa: F403
