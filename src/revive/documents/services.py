"""Attaching a document to a loan request: the content is checked, the name generated, the write audited."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from revive.core import audit, uploads
from revive.core.errors import DomainError, lazy_message
from revive.core.text import require_fits
from revive.documents.models import LoanDocument

MAX_BYTES = 10 * 1024 * 1024


def _sniff(upload) -> str:
    """The type the content really is (PDF, JPEG or PNG), whatever the name or the browser says."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    raise DomainError(
        lazy_message(_("“%(name)s” is not a PDF, JPEG or PNG file."), name=getattr(upload, "name", "")),
        field="file",
    )


@transaction.atomic
def loan_document_attach(*, loan, kind: str, upload, by, title: str = "") -> LoanDocument:
    if kind not in LoanDocument.Kind.values:
        raise DomainError(_("Choose what the document is."), field="kind")
    if upload is None:
        raise DomainError(_("Choose a file."), field="file")
    if upload.size > MAX_BYTES:
        raise DomainError(_("A document may be 10 MB at most."), field="file")
    title = require_fits((title or "").strip(), model=LoanDocument, field="title")
    content_type = _sniff(upload)
    original = getattr(upload, "name", "")
    upload.name = uploads.generated_name(content_type)  # never the uploader's name (core/uploads.py)
    document = LoanDocument.objects.create(
        loan=loan,
        province_id=loan.province_id,
        kind=kind,
        title=title,
        file=upload,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        actor=by,
        obj=document,
        action="loan_document_attach",
        after={"loan": loan.pk, "kind": kind, "content_type": content_type, "size": document.size},
        note=original[:200],
        province_id=loan.province_id,
    )
    return document
