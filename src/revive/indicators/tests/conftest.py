import pytest


@pytest.fixture
def programme_1405(world, national_admin):
    """The 1405 plan with its computed and hand-reported indicators, and revival targets split by province."""
    from revive.indicators import services
    from revive.indicators.models import Metric

    p1 = services.programme_create(year=1405, axis_number=1, axis_fa="رونق تولید", axis_en="Surge in production",
                                   number=1, name_fa="احیای واحدهای راکد", name_en="Reviving idle units", by=national_admin)  # fmt: skip
    p2 = services.programme_create(year=1405, axis_number=3, axis_fa="زیرساخت", axis_en="Infrastructure", number=14,
                                   name_fa="توسعه شهرک‌های صنعتی", name_en="Development of industrial parks", by=national_admin)  # fmt: skip
    revived = services.indicator_create(programme=p1, code="revived_units", name_fa="واحدهای احیا شده",
                                        name_en="Idle units revived", metric=Metric.REVIVED_UNITS, is_headline=True, by=national_admin)  # fmt: skip
    jobs = services.indicator_create(programme=p1, code="jobs_restored", name_fa="اشتغال", name_en="Jobs restored",
                                     metric=Metric.JOBS_RESTORED, is_headline=True, by=national_admin)  # fmt: skip
    land = services.indicator_create(programme=p2, code="land_allocated", name_fa="زمین", name_en="Land allocated",
                                     by=national_admin)  # fmt: skip
    services.targets_set(
        indicator=revived, national=10, provinces={"IR-23": 4, "IR-20": 4, "IR-10": 2}, by=national_admin
    )
    services.targets_set(indicator=jobs, national=200, by=national_admin)
    return {"revived": revived, "jobs": jobs, "land": land}
