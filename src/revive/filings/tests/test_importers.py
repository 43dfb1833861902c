"""The filings' import kind (filings/importers.py): Iranian months checked, bad figures refused, and a written
month moves its unit's band."""

import pytest
from django.utils import translation

from revive.core.scoping import NATION
from revive.filings.models import MonthlyFiling
from revive.imports.engine import import_file, preview_file
from revive.registry.models import ProductionUnit

pytestmark = pytest.mark.django_db


def test_filings_with_esfand_30_of_a_common_year_and_bad_capacity_are_refused(world):
    content = (
        "شناسه کسب‌وکار,ماه,ارزش تولید (ریال),درصد ظرفیت,شاغلان,تاریخ ثبت\n"
        "200000000011,1404/12,100,50,3,1404/12/30\n"
        "200000000011,1405/01,100,150,3,\n"
        "200000000011,1405/02,-5,50,3,\n"
    ).encode("utf-8-sig")
    with translation.override("en"):
        preview = preview_file(kind="filings", content=content, filename="f.csv", scope=NATION)
        messages = [str(e.message) for e in preview.errors]
    assert len(messages) == 3
    assert "29 days" in messages[0] and "between 0 and 100" in messages[1] and "negative" in messages[2]


def test_filings_import_writes_and_moves_the_unit_band(world):
    content = (
        "business_id,month,production_value,capacity_utilisation,employees\n200000000011,1405/07,0,0,3\n"
    )
    preview, written = import_file(
        kind="filings", content=content.encode(), filename="f.csv", scope=NATION, by="t"
    )
    assert preview.ok, [e.as_dict() for e in preview.errors]
    assert MonthlyFiling.objects.filter(unit__business_id="200000000011", jyear=1405, jmonth=7).exists()
    assert ProductionUnit.objects.get(business_id="200000000011").current_band == "idle"
