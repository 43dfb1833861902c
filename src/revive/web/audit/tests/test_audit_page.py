"""The audit page: within one's scope, filtered, paged and exported."""

import pytest

from revive.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def edits(world, officer_semnan, officer_tehran):
    from revive.cases import services
    from revive.cases.models import Case

    for officer, code in ((officer_semnan, "IR-20"), (officer_tehran, "IR-23")):
        case = Case.objects.filter(province__code=code).first()
        services.obstacle_add(case=case, by=officer, kind="market")


def test_national_users_see_every_province(login, analyst, edits):
    body = login(analyst).get("/audit/", {"action": "obstacle_add"}).content.decode()
    assert "officer.semnan" in body and "officer.tehran" in body


def test_a_provincial_officer_sees_only_their_province(login, officer_tehran, edits):
    response = login(officer_tehran).get("/audit/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "officer.tehran" in body and "officer.semnan" not in body and "Semnan" not in body


@pytest.mark.parametrize("persona", ["bank_melli", "gas_semnan", "park_manager", "unit_owner"])
def test_roles_without_the_audit_permission_get_404(login, persona, request, edits):
    assert login(request.getfixturevalue(persona)).get("/audit/").status_code == 404


def test_filters_by_user_type_and_jalali_dates(login, analyst, edits):
    client = login(analyst)
    client.cookies["django_language"] = "en"
    body = client.get("/audit/", {"user": "OFFICER.SEMNAN", "object_type": "cases.obstacle"}).content.decode()
    assert "officer.semnan" in body and "officer.tehran" not in body
    # Rows carry the real clock's time; a range far in the past shows none of them.
    empty = client.get("/audit/", {"since": "1390/01/01", "until": "1390/12/29"}).content.decode()
    assert "No change matches these filters." in empty


def test_a_bad_date_is_explained_next_to_the_field(login, analyst, edits):
    client = login(analyst)
    client.cookies["django_language"] = "en"
    response = client.get("/audit/", {"since": "2025/03/21"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary"' in body and 'href="#id_since"' in body and "Gregorian" in body


def test_an_end_before_the_start_is_refused(login, analyst, edits):
    response = login(analyst).get("/audit/", {"since": "1405/09/01", "until": "1405/08/01"})
    assert response.status_code == 400


def test_csv_export_has_the_scoped_rows(login, officer_tehran, edits):
    response = login(officer_tehran).get("/audit/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "officer.tehran" in text and "officer.semnan" not in text
    assert text.count("\n") == 1 + AuditEvent.objects.filter(province__code="IR-23").count()


def test_xlsx_export_has_every_row_of_the_scope(login, analyst, edits):
    import io

    import openpyxl

    response = login(analyst).get("/audit/", {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    cells = {str(c) for row in rows for c in row if c is not None}
    assert "officer.tehran" in cells and "officer.semnan" in cells
    assert len(rows) == 1 + AuditEvent.objects.count()
