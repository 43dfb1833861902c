"""Generated bad rows and files never crash the importer and never write."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import NATION
from revive.filings.models import MonthlyFiling
from revive.imports.engine import import_file
from revive.registry.models import IndustrialPark, ParkInfrastructure, ProductionUnit

pytestmark = pytest.mark.django_db

HEADERS = {
    "units": "business_id,name_fa,park,sector,size_class,employees",
    "filings": "business_id,month,production_value,capacity_utilisation,employees,filed_on",
    "parks": "code,name_fa,province,area_ha",
    "infrastructure": "park,utility,status,capacity",
}
# Cells that look almost right: the kinds of mistakes clerks make, plus noise.
NEAR = st.sampled_from(
    [
        "200000000011",
        "۲۰۰۰۰۰۰۰۰۰۱۱",
        "2000000000",
        "P-20-001",
        "IR-20",
        "1404/12/30",
        "1403/12/30",
        "1405/13",
        "2026-02-30",
        "-1",
        "101",
        "1e9",
        "=cmd()",
        "NaN",
        "",
        " ",
        "small",
        "gas",
        "absent",
        "24",
        "١٢٣",
        "9" * 40,
    ]
)
CELL = st.one_of(NEAR, st.text(max_size=20))


def _counts():
    return tuple(
        m.objects.count()
        for m in (IndustrialPark, ParkInfrastructure, ProductionUnit, MonthlyFiling, AuditEvent)
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(sorted(HEADERS)),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=7), min_size=1, max_size=6),
    bad=st.integers(0, 5),
)
def test_generated_bad_rows_never_crash_and_never_write(world, kind, rows, bad):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    buf.write(HEADERS[kind] + "\n")
    for row in rows:
        writer.writerow(row)
    # One row that is certainly wrong, so the file must be refused as a whole.
    buf.write("x" * bad + ",,,,,\n")
    before = _counts()
    try:
        preview, written = import_file(
            kind=kind, content=buf.getvalue().encode(), filename="f.csv", scope=NATION, by="fuzz"
        )
    except DomainError:
        written = None
    else:
        assert not preview.ok
    assert written is None
    assert _counts() == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=2000), name=st.sampled_from(["f.csv", "f.xlsx", "f.xls", "f.bin"]))
def test_generated_files_never_crash_and_never_write(world, content, name):
    before = _counts()
    try:
        preview, written = import_file(kind="units", content=content, filename=name, scope=NATION, by="fuzz")
    except DomainError:
        written = None
    if written is not None:
        pytest.fail("random bytes imported")
    assert _counts() == before
