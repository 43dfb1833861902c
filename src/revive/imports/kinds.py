"""Transitional alias for the pages (web/imports), which move to `revive.core.importing.kinds()` once the
web split is in: the kinds are declared in each domain's importers.py and registered in its ready()."""

from revive.core.importing import kinds

KINDS = kinds()
