import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_only_published_aggregates(client, world):
    page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'dir="rtl"' in body and 'lang="fa"' in body
    assert "۲" in body  # two revivals, in Persian digits
    assert "فولاد کاوه" not in body  # no unit names for the public
    assert client.get(reverse("web:units")).status_code == 302  # sent to sign in


def test_national_overview_shows_headline_in_persian(login, national_admin):
    page = login(national_admin).get(reverse("web:overview"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-figure="revived_units">۲<' in body
    assert 'data-figure="jobs_restored">۶۵<' in body
    assert "۱۴۰۵" in body


def test_officer_overview_is_their_province(login, officer_semnan):
    body = login(officer_semnan).get(reverse("web:overview")).content.decode()
    assert 'data-figure="revived_units">۱<' in body
    assert "سمنان" in body and "اصفهان" not in body


def test_english_is_one_click_away_with_same_figures(login, national_admin):
    client = login(national_admin)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:overview")})
    assert response.status_code == 302
    body = client.get(reverse("web:overview")).content.decode()
    assert 'dir="ltr"' in body and 'lang="en"' in body
    assert 'data-figure="revived_units">2<' in body and 'data-figure="jobs_restored">65<' in body


@pytest.mark.parametrize(
    "url",
    ["/provinces/IR-23/", "/parks/P-23-001/", "/units/230000000011/"],
)
def test_officer_of_another_province_gets_404(login, officer_semnan, url):
    assert login(officer_semnan).get(url).status_code == 404


def test_bank_officer_sees_no_registry_page(login, bank_melli):
    client = login(bank_melli)
    for url in ["/overview/", "/units/", "/units/200000000011/", "/provinces/IR-20/"]:
        assert client.get(url).status_code == 404


def test_park_manager_sees_their_park_only(login, park_manager):
    client = login(park_manager)
    assert client.get("/parks/P-20-001/").status_code == 200
    assert client.get("/parks/P-20-002/").status_code == 404
    body = client.get("/units/").content.decode()
    assert "200000000011" in body.replace("۲", "2").replace("۰", "0").replace("۱", "1") or "ریخته" in body
    assert "Kavir" not in body and "لبنیات" not in body


def test_unit_owner_sees_their_unit_only(login, unit_owner):
    client = login(unit_owner)
    assert client.get("/units/200000000011/").status_code == 200
    assert client.get("/units/200000000022/").status_code == 404


def test_unit_list_filters_and_search(login, national_admin):
    client = login(national_admin)
    body = client.get("/units/", {"province": "IR-20", "band": "idle"}).content.decode()
    assert "لبنیات کویر" in body and "ریخته" not in body
    body = client.get("/units/", {"q": "فولاد"}).content.decode()
    assert "فولاد کاوه تهران" in body and "لبنیات" not in body


def test_bad_filter_gets_a_clear_message_not_a_500(login, national_admin):
    response = login(national_admin).get("/units/", {"band": "sleepy"})
    assert response.status_code == 400
    assert "sleepy" in response.content.decode()


def test_unit_list_exports_the_same_query_as_csv_and_xlsx(login, national_admin):
    client = login(national_admin)
    csv = b"".join(client.get("/units/", {"province": "IR-20", "export": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    lines = csv.strip().splitlines()
    assert len(lines) == 3 and "200000000011" in csv and "230000000011" not in csv
    xlsx = client.get("/units/", {"province": "IR-20", "export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active.iter_rows(values_only=True))
    assert len(rows) == 3


def test_recording_a_status_with_an_impossible_date_keeps_the_form(login, officer_semnan):
    from revive.core.models import AuditEvent

    client = login(officer_semnan)
    before = AuditEvent.objects.count()
    response = client.post(
        "/units/200000000022/",
        {
            "band": "below_50",
            "effective_date": "1404/12/30",
            "source": "visit",
            "employees": "۱۲",
            "note": "",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "1404/12/30" in body  # what the user typed is kept
    assert "error-summary" in body
    assert AuditEvent.objects.count() == before


def test_recording_a_status_revives_the_unit(login, officer_semnan):
    client = login(officer_semnan)
    response = client.post(
        "/units/200000000022/",
        {
            "band": "below_50",
            "effective_date": "۱۴۰۵/۰۸/۲۰",
            "source": "visit",
            "employees": "۱۲",
            "note": "بازدید",
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("web:overview")).content.decode()
    assert 'data-figure="revived_units">۲<' in body


def test_status_form_requires_csrf(world, officer_semnan):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_semnan)
    response = client.post(
        "/units/200000000022/", {"band": "idle", "effective_date": "1405/08/01", "source": "visit"}
    )
    assert response.status_code == 403


def test_overview_province_table_export(login, national_admin):
    response = login(national_admin).get("/overview/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "IR-20" in text and "IR-23" in text


def test_persian_is_the_default_whatever_the_browser_says(client, world):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="fa"' in body


def test_api_messages_follow_accept_language(client, world):
    response = client.get("/api/v1/units", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and "Sign in" in response.json()["message"]
