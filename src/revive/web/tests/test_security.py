import pytest

pytestmark = pytest.mark.django_db


def test_pages_forbid_inline_script_and_framing(client, world):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_loads_anything_from_another_host(login, national_admin):
    client = login(national_admin)
    for url in [
        "/",
        "/overview/",
        "/units/",
        "/provinces/IR-23/",
        "/parks/P-23-001/",
        "/units/230000000011/",
        "/api/v1/docs",
    ]:
        body = client.get(url).content.decode()
        assert "http://" not in body.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in body, url
