"""The findings of issue 18 (items 1, 2, 3 and 7), each reproduced: no server error from a value in a
query or a form, no value the database cannot hold, no redirect off the site, no lost update, no
uploader's file name, no cached signed-in page, and the API's documented error shapes."""

import json
from datetime import date

import pytest
from django.test import Client

from revive.accounts.services import token_create
from revive.cases import services as case_services
from revive.cases.models import Case, CaseState, Meeting, Obstacle, Resolution, VisitPhoto
from revive.registry.models import Organisation, ProductionUnit

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


@pytest.fixture
def semnan_case(world):
    return Case.objects.get(unit=world["units"]["200000000022"], state=CaseState.IDENTIFIED)


@pytest.fixture
def resolution(semnan_case, officer_semnan):
    meeting = case_services.meeting_create(
        province=semnan_case.province, number=7, held_on=date(2026, 9, 1), by=officer_semnan
    )
    return case_services.resolution_issue(
        meeting=meeting,
        organisation=Organisation.objects.get(code="gas-20"),
        text="اتصال گاز",
        deadline=date(2026, 10, 1),
        case=semnan_case,
        by=officer_semnan,
    )


# --- years: one rule, one clear 400 in the user's language ------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/loans/funnel/?year=abc",
        "/loans/funnel/?year=1389",
        "/loans/credit-lines/?year=1500",
        "/loans/lending-share/?year=abc",
        "/overview/?year=abc",
        "/dashboard/?year=" + HUGE,
        "/loans/?year=" + HUGE,
    ],
)
def test_a_year_out_of_range_answers_400_with_a_persian_message(login, national_admin, url):
    response = login(national_admin).get(url)
    assert response.status_code == 400, url
    body = response.content.decode()
    assert "سال" in body and "۱۳۹۰" in body


def test_the_year_message_follows_the_language(login, national_admin):
    client = login(national_admin)
    client.cookies["django_language"] = "en"
    body = client.get("/loans/funnel/?year=abc").content.decode()
    assert "Choose an Iranian year from 1390 to 1406." in body


def test_persian_digits_in_a_year_are_read(login, national_admin):
    assert login(national_admin).get("/loans/funnel/?year=۱۴۰۴").status_code == 200


# --- paging --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/parks", "/units", "/cases", "/resolutions", "/loan-requests", "/infra-projects"])
def test_api_page_beyond_any_database_offset_answers_400(client, national_admin, path):
    token = token_create(user=national_admin)
    for page in ("37389339423807090196480", HUGE, "0", "-1"):
        response = client.get(f"/api/v1{path}", {"page": page}, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 400, (path, page, response.status_code)
        assert set(response.json()) == {"message", "details"}


def test_a_page_number_past_the_last_shows_the_last_page(login, national_admin):
    response = login(national_admin).get("/units/", {"page": HUGE})
    assert response.status_code == 200
    assert response.context["page"].number == response.context["page"].paginator.num_pages


# --- numbers with real-world bounds that fit PostgreSQL ---------------------------------------------


def test_a_25_digit_obstacle_amount_is_refused_next_to_the_field(login, officer_semnan, semnan_case):
    response = login(officer_semnan).post(
        f"/cases/{semnan_case.pk}/obstacles/", {"kind": "market", "amount": HUGE, "version": semnan_case.version}
    )
    assert response.status_code == 400
    assert "amount" in response.context["obstacle_form"].errors
    assert not Obstacle.objects.exists()


def test_a_25_digit_employees_observed_is_refused(login, officer_semnan, semnan_case):
    response = login(officer_semnan).post(
        f"/cases/{semnan_case.pk}/visits/",
        {"visited_on": "1405/08/01", "findings": "x", "capacity_observed": "10", "employees_observed": HUGE},
    )
    assert response.status_code == 400
    assert not semnan_case.visits.exists()


def test_a_25_digit_employees_on_the_unit_page_is_refused(login, officer_semnan):
    unit = ProductionUnit.objects.get(business_id="200000000011")
    response = login(officer_semnan).post(
        "/units/200000000011/",
        {"band": "idle", "effective_date": "1405/08/01", "source": "filing", "employees": HUGE},
    )
    assert response.status_code in (200, 400)
    assert "employees" in response.context["form"].errors
    unit.refresh_from_db()
    assert unit.employees == 25


def test_a_25_digit_meeting_number_is_refused(login, officer_semnan):
    response = login(officer_semnan).post("/meetings/new/", {"number": HUGE, "held_on": "1405/08/01"})
    assert response.status_code in (200, 400)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("action", ["search", "record"])
def test_a_ticked_case_id_past_the_id_column_is_no_case(login, officer_semnan, semnan_case, action):
    """The meeting form's ticked cases went into `pk__in` as they came: Django guards `pk=` against an id
    the column cannot hold but not `pk__in`, so a 25-digit id was an OverflowError on SQLite (bigint out of
    range on PostgreSQL). Ids from a query or a form go through rules.record_ids."""
    data = {"number": "12", "held_on": "1405/08/01", "cases": [HUGE, str(semnan_case.pk), "-3", "abc"]}
    if action == "search":
        data["action"] = "search"
    response = login(officer_semnan).post("/meetings/new/", data)
    assert response.status_code in (200, 302, 400)
    if action == "record":
        assert list(Meeting.objects.get().cases.all()) == [semnan_case]


def test_record_ids_keep_only_what_an_id_column_holds():
    from revive.core import rules

    sent = ["۱۲", " 7 ", "12", HUGE, "9223372036854775808", "0", "-1", "²", "a\x00b", ""]
    assert rules.record_ids(sent) == [12, 7]
    assert rules.record_id("9223372036854775807") == 9223372036854775807
    assert rules.record_id(None) is None


def test_an_owners_filing_with_more_employees_than_postgresql_holds_is_refused(login, unit_owner):
    from revive.filings.models import FilingSubmission

    response = login(unit_owner).post(
        "/filings/new/",
        {"month": "1405/07", "production_value": "1000000", "capacity_utilisation": "60", "employees": "9999999999"},
    )
    assert response.status_code == 400
    assert "employees" in response.context["form"].errors
    assert not FilingSubmission.objects.exists()


def test_an_import_with_three_billion_employees_is_refused_with_row_and_column(world):
    from revive.core.scoping import NATION
    from revive.imports.engine import preview_file

    csv = (
        "business_id,name_fa,park,sector,size_class,employees\n"
        "230000000099,واحد تازه,P-23-001,24,small,3000000000\n"
    ).encode()
    preview = preview_file(kind="units", content=csv, filename="u.csv", scope=NATION)
    errors = [e for e in preview.errors if "Employees" in e.column]
    assert errors and errors[0].row == 2, preview.errors


def test_bounds_fit_their_postgresql_columns():
    from revive.core import bounds

    for name in dir(bounds):
        value = getattr(bounds, name)
        if isinstance(value, bounds.Bound):
            assert value.maximum <= value.column, name


# --- the safe `next` -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil"]
)
def test_next_never_leaves_the_site(login, gas_semnan, resolution, target):
    response = login(gas_semnan).post(
        f"/resolutions/{resolution.pk}/answer/",
        {"status": "done", "version": resolution.version, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/resolutions/"


def test_next_on_this_site_is_followed(login, gas_semnan, resolution):
    response = login(gas_semnan).post(
        f"/resolutions/{resolution.pk}/answer/",
        {"status": "done", "version": resolution.version, "next": "/resolutions/?status=done"},
    )
    assert response["Location"] == "/resolutions/?status=done"


# --- lost updates -----------------------------------------------------------------------------------


def test_a_page_write_without_the_version_it_read_is_refused(login, gas_semnan, resolution):
    login(gas_semnan).post(f"/resolutions/{resolution.pk}/answer/", {"status": "done"})
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.PENDING


def test_two_page_edits_from_the_same_version_the_second_is_refused(login, officer_semnan, semnan_case):
    client = login(officer_semnan)
    version = semnan_case.version
    first = client.post(f"/cases/{semnan_case.pk}/obstacles/", {"kind": "market", "version": version})
    second = client.post(f"/cases/{semnan_case.pk}/obstacles/", {"kind": "legal", "version": version})
    assert first.status_code == 302 and second.status_code == 400
    assert Obstacle.objects.count() == 1


def test_an_api_transition_without_a_version_is_refused(client, officer_semnan, semnan_case):
    token = token_create(user=officer_semnan)
    response = client.post(
        f"/api/v1/cases/{semnan_case.pk}/transitions",
        {"to": "diagnosed"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert "version" in response.json()["message"]
    semnan_case.refresh_from_db()
    assert semnan_case.state == CaseState.IDENTIFIED


def test_an_api_transition_with_a_stale_version_answers_409(client, officer_semnan, semnan_case):
    token = token_create(user=officer_semnan)
    response = client.post(
        f"/api/v1/cases/{semnan_case.pk}/transitions",
        {"to": "diagnosed", "version": semnan_case.version + 5},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 409
    assert set(response.json()) == {"message", "details"}


# --- uploads ---------------------------------------------------------------------------------------------


def test_an_uploaded_photo_is_stored_under_a_generated_name_with_its_checked_type(
    login, officer_semnan, semnan_case, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    photo = SimpleUploadedFile("poly.html", png, content_type="text/html")
    response = login(officer_semnan).post(
        f"/cases/{semnan_case.pk}/visits/",
        {"visited_on": "1405/08/01", "findings": "x", "capacity_observed": "10", "photos": [photo]},
    )
    assert response.status_code == 302
    stored = VisitPhoto.objects.get()
    assert stored.content_type == "image/png"
    assert stored.image.name.endswith(".png") and "poly" not in stored.image.name


# --- caching -------------------------------------------------------------------------------------------


def test_signed_in_pages_and_downloads_are_not_stored(login, national_admin):
    client = login(national_admin)
    for url in ["/overview/", "/units/?export=csv", "/loans/funnel/?year=abc"]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_api_answers_to_a_token_are_not_stored(client, national_admin):
    token = token_create(user=national_admin)
    response = client.get("/api/v1/parks", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "no-store" in response["Cache-Control"]


def test_the_public_page_may_be_cached(client, world):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


# --- API error shapes --------------------------------------------------------------------------------


def test_malformed_json_answers_the_documented_message(client, officer_semnan, semnan_case):
    token = token_create(user=officer_semnan)
    response = client.post(
        f"/api/v1/cases/{semnan_case.pk}/transitions",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"message", "details"}


def test_an_anonymous_api_post_answers_401_even_with_csrf_checks(world, semnan_case):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/v1/cases/{semnan_case.pk}/transitions",
        json.dumps({"to": "diagnosed", "version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert set(response.json()) == {"message", "details"}


def test_an_api_body_past_the_size_limit_answers_400_in_the_documented_shape(
    client, officer_semnan, semnan_case
):
    """Reading a body over DATA_UPLOAD_MAX_MEMORY_SIZE raised RequestDataTooBig in the NUL check, and Django
    answered its English HTML "Bad Request (400)" to an API client; now the API's shape and a message."""
    token = token_create(user=officer_semnan)
    response = client.post(
        f"/api/v1/cases/{semnan_case.pk}/transitions",
        json.dumps({"to": "diagnosed", "note": "x" * 3_000_000, "version": semnan_case.version}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("درخواست بزرگ‌تر از آن است")
    assert response.json()["details"] == {}


def test_a_form_with_more_fields_than_allowed_answers_400_in_the_users_language(login, officer_semnan):
    """A workgroup secretary ticking more than ~1,000 cases on the new meeting's agenda: TooManyFieldsSent,
    answered by Django in English (Bad Request (400)); now the page for a bad request, in Persian."""
    data = {"number": "12", "held_on": "1405/08/01", "cases": [str(i) for i in range(1, 1200)]}
    response = login(officer_semnan).post("/meetings/new/", data)
    assert response.status_code == 400
    assert "درخواست بزرگ‌تر از آن است" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_signed_in_browser_post_without_csrf_answers_403_in_the_documented_shape(
    officer_semnan, semnan_case
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_semnan)
    response = client.post(
        f"/api/v1/cases/{semnan_case.pk}/transitions",
        json.dumps({"to": "diagnosed", "version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert set(response.json()) == {"message", "details"}




def test_approving_a_reported_figure_with_a_non_numeric_id_answers_404(login, analyst):
    response = login(analyst).post("/dashboard/reported/", {"action": "approve", "pk": "abc", "version": "0"})
    assert response.status_code == 404


def test_the_loan_forms_obstacle_numbers_are_in_the_pages_digits(login, officer_semnan, semnan_case):
    """'بدهی بانکی (#373)' on a Persian page (found by a scan of the demo's pages for ASCII digits in Persian
    text); the resolution form already wrote its case numbers in the page's digits."""
    from revive.cases.services import obstacle_add
    from revive.core.digits import to_persian_digits

    obstacle = obstacle_add(case=semnan_case, by=officer_semnan, kind="market")
    page = login(officer_semnan).get(f"/loans/new/?case={semnan_case.pk}").content.decode()
    assert f"(#{to_persian_digits(str(obstacle.pk))})" in page
