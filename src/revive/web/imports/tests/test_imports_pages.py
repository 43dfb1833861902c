"""Import pages: preview with counts and every error, confirm writes, another user's token is 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from revive.registry.models import ProductionUnit

pytestmark = pytest.mark.django_db

HEADER = "business_id,name_fa,park,sector,size_class,employees\n"


def _upload(client, capture, text: str, kind: str = "units", name: str = "u.csv"):
    """Send a file; the check that runs in the background runs here when the upload commits."""
    with capture(execute=True):
        return client.post(
            reverse("web:imports"), {"kind": kind, "file": SimpleUploadedFile(name, text.encode("utf-8"))}
        )


def _job(response):
    from revive.imports.models import ImportJob

    assert response.status_code == 302, response.content[:500]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_preview_then_confirm_writes_the_rows(client, officer_semnan, django_capture_on_commit_callbacks):
    client.force_login(officer_semnan)
    job = _job(
        _upload(
            client, django_capture_on_commit_callbacks, HEADER + "200000000099,صنایع نو,P-20-001,24,small,4\n"
        )
    )
    assert job.status == "ready" and job.counts["new"] == 1
    page = client.get(reverse("web:import_job", kwargs={"pk": job.pk}))
    assert page.status_code == 200 and "۲۰۰۰۰۰۰۰۰۰۹۹" in page.content.decode()
    assert not ProductionUnit.objects.filter(business_id="200000000099").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:import_job_confirm", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.counts["new"] == 1
    assert ProductionUnit.objects.get(business_id="200000000099").province.code == "IR-20"
    done = client.get(reverse("web:import_job_status", kwargs={"pk": job.pk})).content.decode()
    assert "۱" in done and f'href="{reverse("web:units")}"' in done  # where the new units show
    # the uploaded copy is gone once the job ends
    from revive.imports import tasks

    assert not tasks.upload_path(job.pk).exists()


def test_a_confirmed_file_cannot_be_written_twice(client, officer_semnan, django_capture_on_commit_callbacks):
    from revive.core.models import AuditEvent

    client.force_login(officer_semnan)
    job = _job(
        _upload(client, django_capture_on_commit_callbacks, HEADER + "200000000099,x,P-20-001,24,small,4\n")
    )
    url = reverse("web:import_job_confirm", kwargs={"pk": job.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "این فایل پیش‌تر وارد شده است." in response.content.decode()
    assert AuditEvent.objects.filter(action="import_units_create").count() == 1


def test_while_a_file_is_checked_the_page_shows_progress_and_polls(client, officer_semnan):
    client.force_login(officer_semnan)
    # no on_commit capture: the background check has not run yet
    job = _job(
        client.post(
            reverse("web:imports"),
            {
                "kind": "units",
                "file": SimpleUploadedFile(
                    "u.csv", (HEADER + "200000000099,x,P-20-001,24,small,4\n").encode()
                ),
            },
        )
    )
    assert job.status == "checking"
    body = client.get(reverse("web:import_job_status", kwargs={"pk": job.pk})).content.decode()
    assert "<progress" in body and "hx-trigger" in body


def test_errors_are_listed_and_nothing_can_be_confirmed(
    client, officer_semnan, django_capture_on_commit_callbacks
):
    client.force_login(officer_semnan)
    job = _job(
        _upload(
            client,
            django_capture_on_commit_callbacks,
            HEADER + "12,x,P-20-001,24,small,4\n200000000098,x,P-23-001,24,small,4\n",
        )
    )
    assert job.status == "rejected" and len(job.errors) == 2
    response = client.get(reverse("web:import_job", kwargs={"pk": job.pk}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "12" in body and "P-23-001" in body
    assert "/confirm/" not in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:import_job_confirm", kwargs={"pk": job.pk}))
    assert not ProductionUnit.objects.filter(business_id="200000000098").exists()


def test_every_error_downloads_while_the_page_shows_the_first(
    client, officer_semnan, django_capture_on_commit_callbacks
):
    import io

    import openpyxl

    rows = "".join(f"12{i:03d},x,P-20-001,24,small,4\n" for i in range(250))
    client.force_login(officer_semnan)
    job = _job(_upload(client, django_capture_on_commit_callbacks, HEADER + rows))
    page = client.get(reverse("web:import_job", kwargs={"pk": job.pk})).content.decode()
    assert page.count("باید دقیقاً ۱۲ رقم باشد") == 200
    client.cookies["django_language"] = "en"
    csv_text = b"".join(
        client.get(reverse("web:import_job", kwargs={"pk": job.pk}), {"export": "csv"}).streaming_content
    )
    lines = csv_text.decode("utf-8-sig").splitlines()
    assert lines[0] == "Row,Column,Value,What is wrong" and len(lines) == 251
    assert lines[1].startswith("2,Business ID,12000,")
    xlsx = client.get(reverse("web:import_job", kwargs={"pk": job.pk}), {"export": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active.max_row == 251


def test_error_messages_follow_the_page_language(client, officer_semnan, django_capture_on_commit_callbacks):
    client.force_login(officer_semnan)
    job = _job(_upload(client, django_capture_on_commit_callbacks, HEADER + "12,x,P-20-001,24,small,4\n"))
    fa = client.get(
        reverse("web:import_job", kwargs={"pk": job.pk}), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()
    assert job.errors[0]["message"]["fa"] in fa
    assert job.errors[0]["message"]["fa"] != job.errors[0]["message"]["en"]


def test_another_users_job_is_404(
    client, officer_semnan, officer_tehran, national_admin, django_capture_on_commit_callbacks
):
    client.force_login(officer_semnan)
    job = _job(
        _upload(client, django_capture_on_commit_callbacks, HEADER + "200000000099,x,P-20-001,24,small,4\n")
    )
    for other in (officer_tehran, national_admin):
        client.force_login(other)
        for name in ("import_job", "import_job_status"):
            assert client.get(reverse(f"web:{name}", kwargs={"pk": job.pk})).status_code == 404
        assert client.post(reverse("web:import_job_confirm", kwargs={"pk": job.pk})).status_code == 404
    assert not ProductionUnit.objects.filter(business_id="200000000099").exists()


def test_a_file_too_large_is_refused_before_anything_is_kept(client, officer_semnan, settings):
    from revive.imports.models import ImportJob

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    client.force_login(officer_semnan)
    from unittest import mock

    with mock.patch("revive.web.imports.views.MAX_BYTES", 5):
        response = client.post(
            reverse("web:imports"), {"kind": "units", "file": SimpleUploadedFile("u.csv", b"0123456789")}
        )
    assert response.status_code == 400 and not ImportJob.objects.exists()


def test_the_page_names_every_template(client, officer_semnan):
    client.force_login(officer_semnan)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("web:imports")).content.decode()
    for label in ("Industrial parks", "Production units", "Monthly filings", "Loan requests"):
        assert f"{label} (.xlsx)" in body


def test_template_downloads_as_xlsx(client, officer_semnan):
    import io

    from openpyxl import load_workbook

    from revive.core import importing

    client.force_login(officer_semnan)
    response = client.get(reverse("web:import_template", kwargs={"kind": "filings"}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="revive-filings-template.xlsx"'
    data = load_workbook(io.BytesIO(response.content)).worksheets[0]
    columns = importing.kind("filings").columns
    headers = list(data.iter_rows(max_row=2, values_only=True))
    assert headers == [tuple(c.fa for c in columns), tuple(c.en for c in columns)]
    assert headers[1][:2] == ("Business ID", "Month")


def test_unit_owner_cannot_open_the_import_page(client, unit_owner):
    client.force_login(unit_owner)
    assert client.get(reverse("web:imports")).status_code == 404


def test_owner_files_and_the_expert_approves_which_moves_the_band(client, unit_owner, officer_semnan):
    from revive.filings.models import FilingSubmission, MonthlyFiling

    client.force_login(unit_owner)
    response = client.post(
        reverse("web:filing_new"),
        {"month": "۱۴۰۵/۰۸", "production_value": "0", "capacity_utilisation": "0", "employees": "3"},
    )
    assert response.status_code == 302
    submission = FilingSubmission.objects.get()
    assert not MonthlyFiling.objects.filter(unit=submission.unit, jyear=1405, jmonth=8).exists()
    client.force_login(officer_semnan)
    assert "۲۰۰۰۰۰۰۰۰۰۱۱" in client.get(reverse("web:filings")).content.decode()
    client.post(reverse("web:filing_review", kwargs={"pk": submission.pk}), {"decision": "approve"})
    submission.refresh_from_db()
    assert submission.status == "approved"
    assert MonthlyFiling.objects.filter(unit=submission.unit, jyear=1405, jmonth=8).exists()
    submission.unit.refresh_from_db()
    assert submission.unit.current_band == "idle"


def test_returning_a_filing_needs_a_comment_and_shows_it_to_the_owner(client, unit_owner, officer_semnan):
    from revive.filings.models import FilingSubmission

    client.force_login(unit_owner)
    client.post(
        reverse("web:filing_new"),
        {"month": "1405/08", "production_value": "5,000,000", "capacity_utilisation": "60", "employees": "3"},
    )
    submission = FilingSubmission.objects.get()
    client.force_login(officer_semnan)
    client.post(reverse("web:filing_review", kwargs={"pk": submission.pk}), {"decision": "return"})
    submission.refresh_from_db()
    assert submission.status == "pending"
    client.post(
        reverse("web:filing_review", kwargs={"pk": submission.pk}),
        {"decision": "return", "comment": "ارزش تولید را اصلاح کنید"},
    )
    submission.refresh_from_db()
    assert submission.status == "returned"
    client.force_login(unit_owner)
    assert "ارزش تولید را اصلاح کنید" in client.get(reverse("web:filing_new")).content.decode()


def test_owner_form_refuses_a_future_month_and_keeps_the_input(client, unit_owner):
    client.force_login(unit_owner)
    response = client.post(
        reverse("web:filing_new"),
        {"month": "1405/11", "production_value": "5", "capacity_utilisation": "60", "employees": "3"},
    )
    assert response.status_code == 400 and "1405/11" in response.content.decode()


def test_an_officer_cannot_open_the_owner_form(client, officer_semnan):
    client.force_login(officer_semnan)
    assert client.get(reverse("web:filing_new")).status_code == 404


def test_an_officer_without_the_loan_permission_cannot_preview_lending(
    client, officer_semnan, django_capture_on_commit_callbacks
):
    from revive.imports.models import ImportJob

    client.force_login(officer_semnan)
    response = _upload(
        client,
        django_capture_on_commit_callbacks,
        "year,month,bank,total,industry_mining\n1405,7,,1000,300\n",
        kind="lending",
    )
    assert response.status_code == 400 and not ImportJob.objects.exists()


@pytest.mark.parametrize("which", ["missing", "late", "pending"])
def test_filing_lists_download_with_both_calendars(client, officer_semnan, which):
    import io

    import openpyxl

    client.force_login(officer_semnan)
    csv_text = b"".join(client.get("/filings/", {"export": "csv", "list": which}).streaming_content).decode(
        "utf-8-sig"
    )
    header = csv_text.splitlines()[0]
    assert "Gregorian" in header or "میلادی" in header
    xlsx = client.get("/filings/", {"export": "xlsx", "list": which})
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active.iter_rows(values_only=True))
    assert rows[0] == tuple(header.split(","))
    if which == "missing":
        body = csv_text
        assert "200000000022" in body and "230000000011" not in body  # Semnan's units only


def test_a_unit_that_stopped_filing_is_flagged_on_its_page_and_in_the_missing_list(client, officer_semnan):
    """The tests' today is 3 Azar 1405: Mehr 1405 was due by 10 Aban, and the unit last filed Mordad."""
    from datetime import date

    from revive.filings.models import MonthlyFiling

    unit = ProductionUnit.objects.get(business_id="200000000022")
    for month in (4, 5):
        MonthlyFiling.objects.create(unit=unit, province_id=unit.province_id, jyear=1405, jmonth=month,
                                     period_start=date(2026, 6 + month - 4, 22), production_value=10**9,
                                     capacity_utilisation=60, employees=8, filed_on=date(2026, 8, 1),
                                     due_on=date(2026, 8, 1))  # fmt: skip
    client.force_login(officer_semnan)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("web:unit", kwargs={"business_id": "200000000022"})).content.decode()
    assert "Stopped filing: 2 months past due since the last filing (Mordad 1405)." in page
    listing = client.get(reverse("web:filings")).content.decode()
    assert "Mordad 1405" in listing and "never" in listing  # the other Semnan unit never filed
    csv_text = b"".join(
        client.get("/filings/", {"export": "csv", "list": "missing"}).streaming_content
    ).decode("utf-8-sig")
    assert "1405/05,2" in csv_text


def test_a_unit_up_to_date_is_not_flagged(client, officer_semnan):
    from datetime import date

    from revive.filings.models import MonthlyFiling

    unit = ProductionUnit.objects.get(business_id="200000000022")
    MonthlyFiling.objects.create(unit=unit, province_id=unit.province_id, jyear=1405, jmonth=7,
                                 period_start=date(2026, 9, 23), production_value=10**9, capacity_utilisation=60,
                                 employees=8, filed_on=date(2026, 10, 30), due_on=date(2026, 11, 1))  # fmt: skip
    client.force_login(officer_semnan)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("web:unit", kwargs={"business_id": "200000000022"})).content.decode()
    assert "Stopped filing" not in page and "never filed" not in page
