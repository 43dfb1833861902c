"""HTML to PDF with WeasyPrint and the Vazirmatn font shipped by npm (nothing from the network)."""

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
