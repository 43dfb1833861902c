"""The database side: the panel from the registry, stored runs, pages, API and the preventive case."""

import csv
import io
from datetime import date

import numpy as np
import pytest
from django.core.management import call_command

from revive.cases.models import Case
from revive.core.models import AuditEvent
from revive.insight import dbpanel, services
from revive.insight.engine import generate
from revive.insight.engine.panel import load_panel
from revive.insight.models import AttributionRun, RiskRun, RiskScore
from revive.registry.models import Band, ProductionUnit

pytestmark = pytest.mark.django_db


def test_panel_from_the_database_reads_the_status_history(world):
    panel, meta = dbpanel.build(today=date(2026, 11, 25))  # Azar 1405: the last month is Aban 1405
    assert panel.n_months == 60 and panel.label(59) == "1405/08"
    i = panel.unit_ids.index("200000000022")
    assert panel.band[i, -1] == 0  # idle since Dey 1404
    j = panel.unit_ids.index("230000000011")
    idle_from = panel.unit_ids and [panel.label(c) for c in range(60) if panel.band[j, c] == 0]
    assert idle_from[0] == "1403/03" and panel.band[j, -1] == 1  # idle from Khordad 1403, revived below 50%
    assert int(meta["pk"][j]) == world["units"]["230000000011"].pk


def test_export_panel_writes_files_the_engine_reads(world, tmp_path):
    call_command("risk", export_panel=str(tmp_path))
    panel = load_panel(tmp_path)
    assert sorted(panel.unit_ids) == sorted(world["units"])


@pytest.fixture
def many_units(world, monkeypatch):
    """300 more units in Tehran and Semnan, and the engine's generated panel standing for their records."""
    parks = [world["parks"]["P-23-001"], world["parks"]["P-20-001"]]
    sector = world["units"]["230000000011"].sector
    ProductionUnit.objects.bulk_create(
        ProductionUnit(
            business_id=f"9{i:011d}",
            name_fa=f"واحد {i}",
            name_en=f"Unit {i}",
            name_key=f"unit {i}",
            park=parks[i % 2],
            province_id=parks[i % 2].province_id,
            sector=sector,
            size_class="small",
            employees=10,
            current_band=Band.ABOVE_70,
        )  # fmt: skip
        for i in range(300)
    )
    units = list(
        ProductionUnit.objects.filter(business_id__startswith="9")
        .select_related("province")
        .order_by("business_id")
    )

    def build(panel):
        n = panel.n_units
        panel.unit_ids = [u.business_id for u in units[:n]]
        panel.province = np.array([u.province.code for u in units[:n]], dtype=object)
        meta = {
            "pk": np.array([u.pk for u in units[:n]]),
            "park": np.array([u.park_id for u in units[:n]]),
            "sector": np.array([u.sector_id for u in units[:n]]),
            "province": np.array([u.province_id for u in units[:n]]),
        }
        monkeypatch.setattr(dbpanel, "build", lambda **kw: (panel, meta))

    return build


def test_retrain_stores_a_watch_list_each_officer_sees_for_their_province(
    many_units, client, officer_tehran, officer_semnan
):
    many_units(generate.risk_panel(300, 30, seed=4))
    run = services.risk_retrain(by="command")
    assert run.backtest["auc"] is not None and run.units == RiskScore.objects.filter(run=run).count() > 100
    assert AuditEvent.objects.filter(action="risk_retrain", object_id=str(run.pk)).exists()
    client.force_login(officer_tehran)
    page = client.get("/insight/watchlist/")
    assert page.status_code == 200
    body = page.content.decode()
    tehran = RiskScore.objects.filter(run=run, province__code="IR-23").order_by("rank").first()
    semnan = RiskScore.objects.filter(run=run, province__code="IR-20").order_by("rank").first()
    assert tehran.unit.business_id in body and semnan.unit.business_id not in body
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get("/insight/watchlist/?export=csv").streaming_content).decode("utf-8-sig")
            )
        )
    )
    assert len(rows) - 1 == RiskScore.objects.filter(run=run, province__code="IR-23").count()
    api = client.get("/api/v1/insight/watchlist?page_size=500").json()
    assert api["count"] == len(rows) - 1 and {i["province"] for i in api["items"]} == {"IR-23"}
    assert all(len(i["reasons"]) <= 3 for i in api["items"]) and any(i["reasons"] for i in api["items"])
    assert client.get("/insight/model/").status_code == 200
    # an officer opens a preventive case from the list; another province's officer cannot
    response = client.post(f"/insight/watchlist/{tehran.pk}/case/")
    case = Case.objects.get(unit=tehran.unit)
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/")
    assert AuditEvent.objects.filter(action="preventive_case_open", object_id=str(case.pk)).exists()
    client.force_login(officer_semnan)
    tehran2 = RiskScore.objects.filter(run=run, province__code="IR-23").order_by("rank")[1]
    assert client.post(f"/insight/watchlist/{tehran2.pk}/case/").status_code == 404


def test_watch_list_in_english_says_the_reasons_in_words(many_units, client, analyst):
    many_units(generate.risk_panel(300, 30, seed=4))
    services.risk_retrain(by="command")
    client.force_login(analyst)
    client.cookies["django_language"] = "en"
    response = client.get("/insight/watchlist/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Units that may stop producing" in body
    assert "in the last 6 months" in body or "capacity utilisation" in body  # the generated decline, in words
    client.cookies["django_language"] = "fa"
    assert "Units that may stop producing" not in client.get("/insight/watchlist/").content.decode()


def test_attribution_retrain_and_page(many_units, client, officer_tehran):
    many_units(generate.attribution_panel(300, 30, effect=0.2, treated_share=0.4, seed=2))
    run = services.attribution_retrain(by="command")
    assert AttributionRun.objects.count() == 1
    national = run.effects.get(province__isnull=True, kind="working_capital")
    assert national.units_treated > 50 and national.ci_low <= 0.2 <= national.ci_high
    client.force_login(officer_tehran)
    assert client.get("/insight/attribution/").status_code == 200
    api = client.get("/api/v1/insight/effects").json()
    assert [e["kind"] for e in api["effects"]].count("working_capital") == 1
    assert client.get("/api/v1/insight/effects?province=IR-20").status_code == 404
    tehran = client.get("/api/v1/insight/effects?province=IR-23").json()["effects"]
    assert {e["province"] for e in tehran} == {"IR-23"} and tehran[0]["units_treated"] > 20


def test_pages_need_national_or_provincial_staff(client, world, unit_owner, bank_melli):
    for user in (unit_owner, bank_melli):
        client.force_login(user)
        for url in ("/insight/watchlist/", "/insight/model/", "/insight/attribution/"):
            assert client.get(url).status_code == 404, (user, url)
    assert RiskRun.objects.count() == 0


def test_the_worker_retrains_once_a_month_after_the_filings_are_in(world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.test import override_settings

    from revive.jobs import schedule

    tehran = ZoneInfo("Asia/Tehran")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        assert "insight" not in schedule.tick(datetime(2026, 12, 2, 3, 0, tzinfo=tehran))  # 11 Azar
        assert "insight" in schedule.tick(datetime(2026, 12, 3, 3, 0, tzinfo=tehran))  # 12 Azar, at night
        assert "insight" not in schedule.tick(datetime(2026, 12, 20, 3, 0, tzinfo=tehran))  # once a month


def test_panel_counts_open_obstacles_and_the_parks_short_utilities(world):
    from django.utils import translation

    from revive.cases import services as case_services
    from revive.cases.models import OPEN_STATES, CaseEvent, Obstacle
    from revive.core import audit
    from revive.core.calendar import from_jalali
    from revive.planning.models import InfraProject
    from revive.registry.models import ParkInfrastructure

    today = date(2026, 11, 25)  # the window's last month is Aban 1405, column 59
    col = {m: 59 - (8 - m) for m in range(1, 9)}  # the months of 1405 up to Aban
    unit = world["units"]["200000000011"]  # Semnan, park P-20-001, whose gas is absent (conftest)
    case = Case.objects.filter(unit=unit, state__in=OPEN_STATES).first()
    case = case or case_services.case_open(unit=unit, by="test")
    assert not case.obstacles.exists()
    with translation.override("en"):  # the timeline is written in the language of whoever acts
        case_services.obstacle_add(case=case, by="test", kind="working_capital")
    with translation.override("fa"):
        market = case_services.obstacle_add(case=case, by="test", kind="market")
        case_services.obstacle_set_status(obstacle=market, status=Obstacle.Status.REMOVED, by="test")
    # both added in Farvardin 1405; the market obstacle removed in Tir 1405
    CaseEvent.objects.filter(case=case, kind="obstacle_add").update(on=from_jalali(1405, 1, 20))
    CaseEvent.objects.filter(case=case, kind="obstacle_update").update(on=from_jalali(1405, 4, 10))
    # water: adequate today, brought up to standard by a project completed in Mehr 1405
    water = ParkInfrastructure.objects.create(
        park=unit.park, province=unit.province, utility="water", status="adequate"
    )
    InfraProject.objects.create(
        park=unit.park, province=unit.province, infrastructure=water, utility="water", name_fa="آب",
        cost=1, duration_months=3, status="done", progress=100, completed_on=from_jalali(1405, 7, 15),
    )  # fmt: skip

    panel, _meta = dbpanel.build(today=today)
    i = panel.unit_ids.index("200000000011")
    obstacles = panel.obstacles[i]
    assert obstacles[col[1] - 1] == 0 and obstacles[col[1]] == 2 and obstacles[col[3]] == 2
    assert obstacles[col[4]] == 1 and obstacles[-1] == 1  # removed in Tir; working capital still open
    short = panel.park_shortfalls[i]
    assert short[0] == 2 and short[col[6]] == 2 and short[col[7]] == 1 and short[-1] == 1  # gas, and water
    other = panel.unit_ids.index("230000000011")  # a Tehran park with nothing short, a unit without a case
    assert panel.park_shortfalls[other, -1] == 0 and panel.obstacles[other, -1] == 0

    # cases written by the demo generator: their timelines are written backwards from today, so unknown
    audit.record(
        actor="demo-data command", obj=None, action="demo_cases", object_type="cases.demo", object_id="1"
    )
    panel, _meta = dbpanel.build(today=today)
    assert np.isnan(panel.obstacles).all()
    assert panel.park_shortfalls[i, -1] == 1


def test_an_instalment_unpaid_when_the_window_ends_is_in_arrears_in_its_last_month(
    world, officer_semnan, bank_melli
):
    from revive.finance.models import Installment
    from revive.finance.tests.factories import paid

    loan = paid(world, officer_semnan, bank_melli)  # Kavir Dairy, paid out on 1 August 2026
    Installment.objects.filter(loan=loan).delete()
    first = Installment.objects.create(loan=loan, number=1, due_on=date(2026, 9, 10), amount=10**9)
    panel, _meta = dbpanel.build(today=date(2026, 11, 25))  # the last month, Aban 1405, ends 21 November
    i = panel.unit_ids.index("200000000022")
    # due in Shahrivar, never paid: in arrears at the end of Shahrivar, Mehr and Aban (it was left out of
    # the last month once: a date after the window fell in its last column)
    assert panel.arrears[i, -4:].tolist() == [0, 1, 1, 1]
    # paid after the window: still in arrears at the end of its last month
    Installment.objects.filter(pk=first.pk).update(paid_on=date(2026, 11, 30), paid_amount=first.amount)
    panel, _meta = dbpanel.build(today=date(2026, 11, 25))
    assert panel.arrears[i, -4:].tolist() == [0, 1, 1, 1]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_every_group_of_reasons_has_words_in_both_languages(lang):
    from django.utils import translation

    from revive.insight.engine.features import GROUPS, FeatureBuilder
    from revive.insight.engine.risk import reason_values
    from revive.insight.words import reason_words

    panel = generate.risk_panel(40, 14, precursor="obstacles", seed=3)
    panel.park_shortfalls[:] = 2
    fb = FeatureBuilder(panel)
    rows = fb.eligible(13)
    X = fb.at(13, rows)
    with translation.override(lang):
        for group in GROUPS:
            text = reason_words(
                {"group": group, "values": reason_values(group, X[0], panel, int(rows[0]))}, lang
            )
            assert text and text != group
            persian = any("\u0600" <= ch <= "\u06ff" for ch in text)
            assert persian == (lang == "fa"), (group, text)


def test_the_model_page_says_which_inputs_were_not_on_record(many_units, client, analyst):
    panel = generate.risk_panel(300, 30, seed=4)  # no obstacles; park shortfalls known
    panel.park_shortfalls[:] = 1
    many_units(panel)
    run = services.risk_retrain(by="command")
    assert run.backtest["inputs_known"] == {"obstacles": 0.0, "park_shortfalls": 1.0}
    client.force_login(analyst)
    client.cookies["django_language"] = "en"
    body = client.get("/insight/model/").content.decode()
    assert (
        "Not on record in these data, so not used this time: open obstacles on the units&#x27; cases." in body
    )
    assert "utilities that fall short." not in body.split("Not on record")[1]


def test_before_any_run_the_pages_give_the_command_left_to_right(client, analyst):
    client.force_login(analyst)
    for url, command in [
        ("/insight/watchlist/", "revive risk --retrain"),
        ("/insight/model/", "revive risk --retrain"),
        ("/insight/attribution/", "revive attribute --retrain"),
    ]:
        body = client.get(url).content.decode()
        assert f'<code dir="ltr">{command}</code>' in body, url
