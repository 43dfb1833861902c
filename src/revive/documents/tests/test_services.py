"""documents/services.py: a loan's document is kept only if its content is a PDF, JPEG or PNG, under a
generated name, with one audit row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.documents import services
from revive.documents.models import LoanDocument
from revive.finance.tests.factories import registered

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a letter\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_pdf_is_kept_under_a_generated_name_and_audited(world, officer_semnan):
    loan = registered(world, officer_semnan)
    upload = SimpleUploadedFile("نامهٔ بانک.pdf", PDF, content_type="application/pdf")
    document = services.loan_document_attach(
        loan=loan, kind="bank_letter", upload=upload, by=officer_semnan, title="  نامه  "
    )
    assert (document.loan, document.province_id, document.kind) == (loan, loan.province_id, "bank_letter")
    assert (document.content_type, document.size, document.title) == ("application/pdf", len(PDF), "نامه")
    assert document.uploaded_by == officer_semnan
    assert document.file.name.endswith(".pdf") and "نامه" not in document.file.name
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    event = AuditEvent.objects.get(action="loan_document_attach")
    assert event.note == "نامهٔ بانک.pdf" and event.after == {
        "loan": loan.pk, "kind": "bank_letter", "content_type": "application/pdf", "size": len(PDF)
    }  # fmt: skip


def test_the_type_is_read_from_the_content_not_from_the_name(world, officer_semnan):
    loan = registered(world, officer_semnan)
    upload = SimpleUploadedFile("scan.pdf", PNG, content_type="application/pdf")
    document = services.loan_document_attach(loan=loan, kind="application", upload=upload, by="command")
    assert document.content_type == "image/png" and document.file.name.endswith(".png")
    assert document.uploaded_by is None  # a command, not a person


@pytest.mark.parametrize(
    "kind, upload, field, words",
    [
        (
            "application",
            SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>"),
            "file",
            "is not a PDF",
        ),
        ("application", SimpleUploadedFile("x.exe", b"MZ\x90\x00"), "file", "x.exe"),
        ("selfie", SimpleUploadedFile("x.pdf", PDF), "kind", "what the document is"),
        ("application", None, "file", "Choose a file"),
    ],
)
def test_a_refused_document_writes_nothing(world, officer_semnan, kind, upload, field, words):
    loan = registered(world, officer_semnan)
    with translation.override("en"):
        with pytest.raises(DomainError) as refused:
            services.loan_document_attach(loan=loan, kind=kind, upload=upload, by=officer_semnan)
        assert refused.value.details["field"] == field and words in str(refused.value.message)
    assert (
        not LoanDocument.objects.exists()
        and not AuditEvent.objects.filter(action="loan_document_attach").exists()
    )


def test_a_document_over_the_limit_is_refused(world, officer_semnan, monkeypatch):
    monkeypatch.setattr(services, "MAX_BYTES", len(PDF) - 1)
    loan = registered(world, officer_semnan)
    with translation.override("en"), pytest.raises(DomainError, match="10 MB"):
        services.loan_document_attach(
            loan=loan, kind="application", upload=SimpleUploadedFile("x.pdf", PDF), by=officer_semnan
        )
    assert not LoanDocument.objects.exists()
