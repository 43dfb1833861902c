"""Generated no-500 walk: every page and API operation with hostile values, every form with boundary values.

Like test_scope_walk.py (whose classification of URLs this walk reuses), everything is read at test
time: the URL configuration, the query parameters the views read (`request.GET.get("...")` in
web/ and the fields of every form), the OpenAPI schema. A new page is walked as soon as it is
classified in test_scope_walk.py; a page that cannot be walked at all goes in SKIP below, with why.

The answer to a hostile value is a 4xx (or a page that ignores it), never a 5xx: non-numeric, huge
(25 digits, past PostgreSQL's bigint), negative, zero, another province's codes, unknown choices,
Persian digits, a NUL byte and markup. Runs on SQLite and on PostgreSQL (CI gives a URL); each
page gets a fixed sample of the values (chosen by its name, so a failure is reproducible) to keep
the walk to about a minute per database.
"""

import json
import re
import zlib
from pathlib import Path

import pytest
from django import forms as django_forms
from django.urls import reverse

from revive.accounts.services import token_create
from revive.core import bounds
from revive.web.tests.test_scope_walk import LISTS, PUBLIC, _semnan_objects, _url, _web_url_names

pytestmark = pytest.mark.django_db

HUGE = "9" * 25
VALUES = ["abc", "²", HUGE, "-1", "0", "IR-20", "P-20-001", "۱۴۰۵", "a\x00b", "<b>x</b>", "zz-unknown"]
# every page gets these; the rest are sampled. "²" is not a number, but "²".isdigit() is true and
# int("²") fails: it found `int(x) if x.isdigit()` answering 500 (?page=² on every paged page).
ALWAYS = ["²", HUGE, "a\x00b"]
SAMPLE = 3
# Pages the walk does not call, and why.
SKIP = {
    "logout": "signs the walker out",
    "set_language": "a redirect that only sets a cookie",
    "login": "sign-in throttling has its own tests (a hostile walk would lock the account)",
    "admin_login": "the same sign-in throttle, in the admin",
}
WEB = Path(__file__).resolve().parents[1]


def _web_modules(pattern: str) -> list[Path]:
    """The modules of web/ (its area packages too) matching `pattern`, not the tests."""
    return sorted(p for p in WEB.rglob(pattern) if "tests" not in p.relative_to(WEB).parts)


_READS = re.compile(r"""(?:GET\.get|GET\.getlist|data\.get)\(\s*["']([a-z_]+)["']|GET\[["']([a-z_]+)["']\]""")


def _query_names(url: str) -> list[str]:
    """The query parameters the page's view module reads, and the fields of the forms it uses (filter
    forms are bound to GET)."""
    import sys

    from django.urls import resolve

    func = resolve(url.partition("?")[0]).func
    module = sys.modules[getattr(func, "view_class", func).__module__]
    source = Path(module.__file__).read_text(encoding="utf-8")
    names = {a or b for a, b in _READS.findall(source)}
    for cls in _form_classes():
        if re.search(rf"\b{cls.__name__}\b", source):
            names |= set(cls.base_fields)
    return sorted(names)


def _form_classes() -> list[type]:
    import importlib
    import inspect

    found = []
    for path in _web_modules("forms.py"):
        module = importlib.import_module(".".join(("revive", *path.relative_to(WEB.parent).with_suffix("").parts)))
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def _form_fields() -> dict[str, django_forms.Field]:
    fields: dict[str, django_forms.Field] = {}
    for cls in _form_classes():
        fields.update(getattr(cls, "base_fields", {}))
    return fields


def _sample(key: str, values: list[str], k: int) -> list[str]:
    """ALWAYS and k more of `values`, chosen by `key` (the same on every run)."""
    rest = [v for v in values if v not in ALWAYS]
    start = zlib.crc32(key.encode()) % len(rest)
    return ALWAYS + [rest[(start + i) % len(rest)] for i in range(k)]


def _post_rounds() -> list[dict[str, str]]:
    """Form data: in each round every known field gets one boundary value (a bounded number its bound,
    one past it, one below it, then hostile text); prefixed forms (d-, r-) get the same."""
    fields = _form_fields()
    posted = re.compile(r"""POST\.get(?:list)?\(\s*["']([a-z_]+)["']""")
    read = {m for path in _web_modules("*.py") for m in posted.findall(path.read_text(encoding="utf-8"))}
    fields.update({name: django_forms.CharField() for name in read if name not in fields})
    rounds = []
    for i in range(4):
        data: dict[str, str] = {}
        for name, field in fields.items():
            bound = getattr(field, "bound", None)
            if isinstance(bound, bounds.Bound):
                value = [bound.maximum, bound.maximum + 1, bound.minimum - 1, HUGE][i]
            else:
                value = [HUGE, "abc", "-1", "a\x00b"][i]
            for prefix in ("", "d-", "r-"):
                data[prefix + name] = str(value)
        rounds.append(data)
    return rounds


def _walked_pages(objects: dict) -> dict[str, tuple[str, list[str]]]:
    """name -> (url, methods): every classified page but the skipped ones."""
    pages = {name: (reverse(f"web:{name}"), ["get", "post"]) for name in LISTS}
    pages.update({name: (reverse(f"web:{name}"), ["get"]) for name in PUBLIC if name not in SKIP})
    for name, (kwargs, methods) in objects.items():
        pages[name] = (_url(name, kwargs), sorted({"get", *methods}))
    return {n: p for n, p in pages.items() if n not in SKIP}


def test_every_page_is_walked(world, officer_semnan):
    walked = set(_walked_pages(_semnan_objects(world, officer_semnan))) | set(SKIP)
    missing = sorted(_web_url_names() - walked)
    assert missing == [], (
        "classify these URLs in src/revive/web/tests/test_scope_walk.py (or skip them, with why, in "
        "src/revive/web/tests/test_input_walk.py SKIP)"
    )


def _check(response, what) -> None:
    assert response.status_code < 500, (what, response.status_code)


def test_no_page_answers_500_to_hostile_query_values(client, world, officer_semnan, national_admin, officer_tehran):
    """Each parameter the page reads gets a hostile value on its own (so an early refusal of one does not
    hide the others), the values rotating over the parameters; then all at once, and as a download."""
    pages = _walked_pages(_semnan_objects(world, officer_semnan))
    client.force_login(national_admin)
    for name, (url, _methods) in sorted(pages.items()):
        base, _, query = url.partition("?")
        fixed = dict(p.split("=", 1) for p in query.split("&") if p)
        names = [n for n in _query_names(url) if n not in fixed]
        offset = zlib.crc32(name.encode())
        for i, param in enumerate(names):
            value = VALUES[(offset + i) % len(VALUES)]
            _check(client.get(base, {param: value} | fixed), (name, param, value))
        for value in ALWAYS:
            _check(client.get(base, {n: value for n in names} | fixed), (name, "all", value))
        _check(client.get(base, {n: "abc" for n in names} | fixed | {"export": "csv"}), (name, "export"))
    # another province's codes, as a provincial officer
    client.force_login(officer_tehran)
    for name, (url, _methods) in sorted(pages.items()):
        base, _, query = url.partition("?")
        fixed = dict(p.split("=", 1) for p in query.split("&") if p)
        for value in ("IR-20", "P-20-001", "200000000011"):
            params = {n: value for n in _query_names(url) if n not in fixed} | fixed
            _check(client.get(base, params), (officer_tehran.username, name, value))


def test_no_form_answers_500_to_boundary_values(client, world, officer_semnan, national_admin, unit_owner):
    pages = _walked_pages(_semnan_objects(world, officer_semnan))
    rounds = _post_rounds()
    for who in (national_admin, unit_owner):
        client.force_login(who)
        for name, (url, methods) in sorted(pages.items()):
            if "post" not in methods:
                continue
            for i, data in enumerate(rounds):
                _check(client.post(url, data), (who.username, name, i))


# --- API ------------------------------------------------------------------------------------------


def _api_operations(client) -> list[tuple[str, str, dict]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def _body_rounds(operation: dict, schema: dict) -> list[dict]:
    ref = (
        operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
    )
    if not ref:
        return []
    props = schema["components"]["schemas"][ref.rsplit("/", 1)[1]].get("properties", {})
    return [{p: v for p in props} for v in (int(HUGE), -1, "abc", "a\x00b", None, 1.5)]


def test_no_api_operation_answers_500_to_hostile_values(client, world, officer_semnan, national_admin):
    _semnan_objects(world, officer_semnan)
    token = token_create(user=national_admin)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    schema = client.get("/api/v1/openapi.json").json()
    operations = _api_operations(client)
    assert operations
    for path, method, operation in operations:
        params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        path_values = ["abc", HUGE, "-1", "IR-20"] if "{" in path else [None]
        for path_value in path_values:
            concrete = re.sub(r"\{[^}]+\}", str(path_value), path) if path_value else path
            for value in _sample(path + method, VALUES, SAMPLE):
                if method == "get":
                    response = client.get(concrete, {p: value for p in params}, **auth)
                    _check_api(response, (method, path, path_value, value))
            for body in _body_rounds(operation, schema) if method != "get" else []:
                response = getattr(client, method)(concrete, json.dumps(body), content_type="application/json", **auth)
                _check_api(response, (method, path, path_value, body))
            if method != "get":
                response = getattr(client, method)(concrete, "{not json", content_type="application/json", **auth)
                _check_api(response, (method, path, "malformed"))


def _check_api(response, what) -> None:
    assert response.status_code < 500, (what, response.status_code)
    if response.status_code >= 400:
        assert set(response.json()) == {"message", "details"}, (what, response.json())
