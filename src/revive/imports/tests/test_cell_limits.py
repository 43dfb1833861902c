"""A text cell longer than its column is refused, never cut; a column named twice is said to be named twice.

Both through the import page (upload, background check) and the import service the command uses; in
both cases nothing is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from revive.core import importing
from revive.core.models import AuditEvent
from revive.core.scoping import NATION
from revive.finance.models import LoanRequest
from revive.imports.engine import import_file
from revive.registry.models import IndustrialPark, ParkInfrastructure, ProductionUnit

pytestmark = pytest.mark.django_db

UNITS_HEADER = "business_id,name_fa,park,sector,size_class,employees\n"
PARKS_HEADER = "code,name_fa,name_en,province\n"


def _upload(client, capture, content: bytes, kind: str, name: str):
    """Send a file through the import page; its background check runs when the upload commits."""
    from revive.imports.models import ImportJob

    with capture(execute=True):
        response = client.post(
            reverse("web:imports"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
        )
    assert response.status_code == 302, response.content[:500]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _written():
    return (
        IndustrialPark.objects.count(),
        ProductionUnit.objects.count(),
        ParkInfrastructure.objects.count(),
        LoanRequest.objects.count(),
        AuditEvent.objects.exclude(action="import_upload").count(),
    )


# --- a text longer than its column ---------------------------------------------------------------------


def test_a_park_name_longer_than_its_column_is_refused_on_the_import_page(
    client, officer_semnan, django_capture_on_commit_callbacks
):
    """121 characters for a 120-character name: a row error in both languages, not a name cut short."""
    client.force_login(officer_semnan)
    long_name = "ب" * 121
    before = _written()
    content = (PARKS_HEADER + f"P-20-009,شهرک نو,New park,IR-20\nP-20-010,{long_name},Long,IR-20\n").encode()
    job = _upload(client, django_capture_on_commit_callbacks, content, "parks", "p.csv")
    assert job.status == "rejected" and len(job.errors) == 1
    error = job.errors[0]
    assert error["row"] == 3
    assert error["column"] == {"fa": "نام فارسی", "en": "Persian name"}
    assert error["message"]["en"].startswith("Longer than 120 characters")
    assert "۱۲۰" in error["message"]["fa"] and "۱۲۱" in error["message"]["fa"]
    assert len(error["value"]) <= 100 and error["value"].endswith("…")
    # confirming is refused, and nothing was written: not the long row, nor the good one
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:import_job_confirm", kwargs={"pk": job.pk}))
    assert not IndustrialPark.objects.filter(code__in=["P-20-009", "P-20-010"]).exists()
    assert _written() == before
    page = client.get(reverse("web:import_job", kwargs={"pk": job.pk}), HTTP_ACCEPT_LANGUAGE="fa")
    assert page.status_code == 400 and error["message"]["fa"] in page.content.decode()


def test_a_unit_name_longer_than_its_column_is_refused_on_the_import_page(
    client, officer_semnan, django_capture_on_commit_callbacks
):
    client.force_login(officer_semnan)
    before = _written()
    content = (UNITS_HEADER + f"200000000099,{'پ' * 161},P-20-001,24,small,4\n").encode()
    job = _upload(client, django_capture_on_commit_callbacks, content, "units", "u.csv")
    assert job.status == "rejected"
    assert [(e["row"], e["column"]["en"]) for e in job.errors] == [(2, "Persian name")]
    assert "160" in job.errors[0]["message"]["en"] and "161" in job.errors[0]["message"]["en"]
    assert not ProductionUnit.objects.filter(business_id="200000000099").exists()
    assert _written() == before


# Every column of every kind whose text is kept in a CharField: (kind, header, row with {} for the text,
# column, the field's max_length). A kind that reads text into a CharField belongs here.
TEXT_COLUMNS = [
    ("parks", "code,name_fa,province", "P-20-009,{},IR-20", "name_fa", 120),
    ("parks", "code,name_fa,name_en,province", "P-20-009,نو,{},IR-20", "name_en", 120),
    ("parks", "code,name_fa,province", "{},نو,IR-20", "code", 12),
    ("infrastructure", "park,utility,status,capacity_unit", "P-20-001,gas,absent,{}", "capacity_unit", 12),
    ("units", UNITS_HEADER.strip(), "200000000099,{},P-20-001,24,small,4", "name_fa", 160),
    ("units", UNITS_HEADER.strip() + ",name_en", "200000000099,نو,P-20-001,24,small,4,{}", "name_en", 160),
    (
        "units",
        UNITS_HEADER.strip() + ",licensed_capacity",
        "200000000099,نو,P-20-001,24,small,4,{}",
        "licensed_capacity",
        120,
    ),
    (
        "units",
        UNITS_HEADER.strip() + ",operation_licence_no",
        "200000000099,نو,P-20-001,24,small,4,{}",
        "operation_licence_no",
        30,
    ),
    (
        "units",
        UNITS_HEADER.strip() + ",establishment_licence_no",
        "200000000099,نو,P-20-001,24,small,4,{}",
        "establishment_licence_no",
        30,
    ),
    (
        "loans",
        "business_id,kind,amount_requested,registered_on,purpose",
        "200000000011,working_capital,1000000000,1404/01/15,{}",
        "purpose",
        300,
    ),
]


@pytest.mark.parametrize("kind,header,row,column,limit", TEXT_COLUMNS, ids=lambda v: str(v)[:20])
def test_every_text_column_refuses_a_value_longer_than_its_field_and_takes_one_that_fits(
    world, kind, header, row, column, limit
):
    def run(text):
        content = f"{header}\n{row.format(text)}\n".encode()
        with translation.override("en"):
            preview, written = import_file(kind=kind, content=content, filename="f.csv", scope=NATION, by="t")
            return preview, written, [e.as_dict() for e in preview.errors]

    before = _written()
    preview, written, errors = run("P" + "7" * limit)  # limit + 1 characters, whatever the column
    assert written is None and _written() == before
    spec = {c.key: c for c in importing.kind(kind).columns}[column]
    assert [(e["row"], e["column"]) for e in errors] == [(2, f"{spec.fa} ({spec.en})")]
    assert errors[0]["message"] == f"Longer than {limit} characters (this one has {limit + 1}): shorten it."
    assert model_field_length(kind, column) == limit
    # a value of exactly the column's length is taken whole
    preview, written, errors = run("P" + "7" * (limit - 1) if column != "code" else "P-20-0099999")
    assert preview.ok, errors
    assert written["new"] + written["changed"] == 1


def model_field_length(kind: str, column: str) -> int:
    return importing.kind(kind).model._meta.get_field(column).max_length


def test_every_kind_knows_the_length_of_each_column_it_keeps_in_a_character_field():
    """The rule reads the model: a column named as a CharField of the kind's model has its max_length."""
    from django.db import models

    for name, kind in importing.kinds().items():
        for col in importing.columns_of(kind).values():
            try:
                field = kind.model._meta.get_field(col.key)
            except Exception:  # noqa: BLE001 - not a field of the model
                continue
            if isinstance(field, models.CharField) and not field.choices:
                assert col.max_length == field.max_length, (name, col.key)


# --- a column named twice ------------------------------------------------------------------------------


def _xlsx(rows: list[list]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_column_named_twice_is_said_to_be_twice_on_the_import_page(
    client, officer_semnan, django_capture_on_commit_callbacks, fmt
):
    client.force_login(officer_semnan)
    header = ["business_id", "name_fa", "park", "sector", "size_class", "name_fa"]
    data = ["200000000099", "نو", "P-20-001", "24", "small", "کهنه"]
    if fmt == "csv":
        content = (",".join(header) + "\n" + ",".join(data) + "\n").encode()
    else:
        content = _xlsx([header, data])
    before = _written()
    job = _upload(client, django_capture_on_commit_callbacks, content, "units", f"u.{fmt}")
    assert job.status == "rejected"
    assert job.message["en"] == (
        "The column “نام فارسی (Persian name)” appears twice in the header, in columns 2 and 6: "
        "keep one of them and send the file again."
    )
    assert "۲" in job.message["fa"] and "۶" in job.message["fa"] and "Unknown" not in job.message["en"]
    assert job.message["fa"] != job.message["en"]
    assert _written() == before and not ProductionUnit.objects.filter(business_id="200000000099").exists()


def test_the_same_column_in_both_languages_is_named_twice_for_every_kind(world):
    """Persian and English names of one column in one header row: the same column twice, for each kind."""
    from revive.core.errors import DomainError

    for name, kind in importing.kinds().items():
        first = kind.columns[0]
        others = ",".join(c.en for c in kind.columns[1:])
        content = f"{first.fa},{others},{first.en}\n".encode()
        with translation.override("en"):
            with pytest.raises(DomainError) as refused:
                import_file(kind=name, content=content, filename="f.csv", scope=NATION, by="t")
            message = str(refused.value.message)
        assert message.startswith(f"The column “{first.fa} ({first.en})” appears twice"), (name, message)
        assert f"in columns 1 and {len(kind.columns) + 1}:" in message, (name, message)
