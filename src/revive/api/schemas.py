"""API response shapes."""

from datetime import date

from ninja import Schema


class ErrorOut(Schema):
    message: str
    details: dict = {}


class ProvinceOut(Schema):
    code: str
    name_fa: str
    name_en: str
    units: int | None = None
    idle: int | None = None


class ProvinceList(Schema):
    items: list[ProvinceOut]
    count: int


class InfrastructureOut(Schema):
    utility: str
    status: str
    capacity: float | None
    capacity_unit: str


class ParkOut(Schema):
    code: str
    name_fa: str
    name_en: str
    province: str
    kind: str
    ownership: str
    stage: str
    area_ha: float | None
    units: int | None = None
    idle: int | None = None


class ParkDetail(ParkOut):
    infrastructure: list[InfrastructureOut]


class ParkList(Schema):
    items: list[ParkOut]
    count: int


class UnitOut(Schema):
    business_id: str
    name_fa: str
    name_en: str
    province: str
    park: str
    sector: str
    sector_group: str
    size_class: str
    employees: int
    band: str
    band_since: date | None
    band_since_jalali: str | None


class StatusOut(Schema):
    band: str
    effective_date: date
    effective_date_jalali: str
    source: str
    event: str
    jobs: int
    is_relapse: bool


class UnitDetail(UnitOut):
    licensed_capacity: str
    operation_licence_no: str
    history: list[StatusOut]


class UnitList(Schema):
    items: list[UnitOut]
    count: int
    page: int
    page_size: int


class ProvinceRevivals(Schema):
    province: str
    province_name_fa: str
    province_name_en: str
    revived_units: int
    jobs_restored: int


class RevivalsOut(Schema):
    year: int
    since: date
    since_jalali: str
    until: date
    until_jalali: str
    scope: str
    revived_units: int
    jobs_restored: int
    by_province: list[ProvinceRevivals]
    by_month: list[int]
