"""HTML to PDF with WeasyPrint and the Vazirmatn font shipped by npm (nothing from the network)."""

import functools
from pathlib import Path

from django.conf import settings

from revive.core.errors import DomainError


def font_dir() -> Path:
    return Path(settings.NODE_MODULES) / "vazirmatn" / "fonts" / "ttf"


def weasyprint_error() -> str | None:
    """Why WeasyPrint cannot run here (its Pango libraries or the font are missing), or None when it can."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"WeasyPrint cannot load: {exc}"
    if not (font_dir() / "Vazirmatn-Regular.ttf").exists():
        return f"The Vazirmatn font is missing from {font_dir()}: run npm install."
    return None


def html_to_pdf(html: str) -> bytes:
    problem = weasyprint_error()
    if problem:
        raise DomainError(problem)
    from weasyprint import HTML

    # Only local files (the font folder) may be fetched while rendering.
    return HTML(string=html, base_url=str(font_dir())).write_pdf()


def html_to_pdf_kept(html: str) -> bytes:
    """html_to_pdf(html), made once for the same HTML: WeasyPrint writes the same bytes for the same HTML,
    fonts and version, so the PDF is kept in the shared figures cache (core/cache.py) under a digest of all
    three (not in the process's memory: PDFs are large). A report read again with nothing changed (the
    worker mailed it, another person downloads it, `revive report` runs after the web) costs its figures and
    its HTML, not the layout (about 0.5 s of CPU for the national monthly report, more in a fresh process,
    which also skips importing WeasyPrint); the minutes of a big meeting, 3 s of layout for 26 pages."""
    from revive.core.cache import memoize_on_version

    return memoize_on_version("pdf", html, _renderer(), lambda: html_to_pdf(html), in_memory=False)


@functools.cache
def _renderer() -> tuple:
    """What besides the HTML makes the PDF: WeasyPrint's version and the font files (name, size, mtime)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        weasyprint = version("weasyprint")
    except PackageNotFoundError:
        weasyprint = None
    fonts = sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in font_dir().glob("*.ttf"))
    return weasyprint, tuple(fonts)
