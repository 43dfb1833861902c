"""Static files: only what the pages use is published, under content-hashed names cached for a year.

- `UsedFilesFinder` is STATICFILES_DIRS with one difference: from a vendor package (the font, htmx) only
  the files the pages load are found and collected, not the package's README, CHANGELOG, sources or
  other variants. A folder it has no list for is published whole, as FileSystemFinder does.
- `HashedStaticStorage` is whitenoise's compressed manifest storage: `collectstatic` writes each file
  under a name with its hash (app.3f2a9c1e07b4.css) plus .gz/.br copies, `{% static %}` links to that
  name, and whitenoise serves hashed names with `Cache-Control: max-age=315360000, public, immutable`.
  Before any `collectstatic` (development, tests) a name missing from the manifest is linked as it is,
  and whitenoise finds it through the finders.
"""

import fnmatch

from django.contrib.staticfiles.finders import FileSystemFinder
from whitenoise.storage import CompressedManifestStaticFilesStorage

# prefix in STATICFILES_DIRS -> the files under it that pages use (shell patterns, relative to the prefix)
USED = {
    "vendor/vazirmatn": ("Vazirmatn-Variable-font-face.css", "fonts/webfonts/Vazirmatn[[]wght].woff2"),
    "vendor/htmx": ("htmx.min.js",),
}


def is_used(path: str) -> bool:
    for prefix, patterns in USED.items():
        if path.startswith(prefix + "/"):
            rest = path[len(prefix) + 1 :]
            return any(fnmatch.fnmatchcase(rest, pattern) for pattern in patterns)
    return True


class UsedFilesFinder(FileSystemFinder):
    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.pop("all", False)
        if not is_used(path):
            return []
        return super().find(path, find_all=find_all)

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            prefix = getattr(storage, "prefix", None)
            if is_used(f"{prefix}/{path}" if prefix else path):
                yield path, storage


class HashedStaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = True

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:  # not collected (yet): linked by its own name, served through the finders
            return name
