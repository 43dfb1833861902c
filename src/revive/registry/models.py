"""The registry: provinces, parks and their infrastructure, sectors, organisations, units, their status.

Units' monthly filings live in the filings app (revive/filings/), which builds on these models."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import ScopedQuerySet


def _in_page_language(fa: str, en: str) -> str:
    """Names shown in selects and messages follow the reader's language (Persian first)."""
    from django.utils.translation import get_language

    return (fa or en) if (get_language() or "fa").startswith("fa") else (en or fa)


class Province(models.Model):
    code = models.CharField(_("ISO code"), max_length=5, unique=True)  # ISO 3166-2:IR, "IR-23"
    name_fa = models.CharField(_("name (Persian)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)

    SCOPE = {"province": "id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return _in_page_language(self.name_fa, self.name_en)

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" else self.name_en


class County(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="counties")
    name_fa = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)

    class Meta:
        ordering = ["province", "name_en"]
        unique_together = [("province", "name_en")]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return _in_page_language(self.name_fa, self.name_en)


class SectorGroup(models.TextChoices):
    METAL = "metal", _("Metal")
    CHEMICAL = "chemical", _("Chemical")
    FOOD = "food", _("Food")
    NON_METALLIC = "non_metallic", _("Non-metallic minerals")
    CELLULOSE = "cellulose", _("Cellulose")
    SERVICES = "services", _("Services")
    TEXTILE = "textile", _("Textile")
    ELECTRICAL = "electrical", _("Electrical and home appliances")


class Sector(models.Model):
    isic_division = models.CharField(_("ISIC Rev.4 division"), max_length=2, unique=True)
    name_fa = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    group = models.CharField(_("sector group"), max_length=20, choices=SectorGroup.choices)

    class Meta:
        ordering = ["isic_division"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return f"{self.isic_division} {self.name_en}"

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" else self.name_en


class Organisation(models.Model):
    """A bank (one record nationally) or a provincial agency that resolutions are addressed to."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank")
        TAX = "tax", _("Tax office")
        SOCIAL_SECURITY = "social_security", _("Social security")
        CUSTOMS = "customs", _("Customs")
        ELECTRICITY = "electricity", _("Electricity distribution")
        GAS = "gas", _("Gas company")
        WATER = "water", _("Regional water")
        PARKS_COMPANY = "parks_company", _("Industrial parks company")
        JUDICIARY = "judiciary", _("Judiciary")

    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name_fa = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return _in_page_language(self.name_fa, self.name_en)

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" else self.name_en


class IndustrialPark(models.Model):
    class Kind(models.TextChoices):
        PARK = "park", _("Industrial park")
        ZONE = "zone", _("Industrial zone")
        SPECIAL = "special", _("Special zone")

    class Ownership(models.TextChoices):
        STATE = "state", _("State")
        NON_STATE = "non_state", _("Non-state")

    class Stage(models.TextChoices):
        OPERATING = "operating", _("Operating")
        DEVELOPING = "developing", _("Under development")

    code = models.CharField(_("park code"), max_length=12, unique=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_key = models.CharField(max_length=240, db_index=True, editable=False)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="parks")
    county = models.ForeignKey(County, null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PARK)
    ownership = models.CharField(
        _("ownership"), max_length=10, choices=Ownership.choices, default=Ownership.STATE
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.OPERATING)
    area_ha = models.DecimalField(_("area (hectares)"), max_digits=9, decimal_places=1, null=True, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    SCOPE = {"province": "province_id", "park": "id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("industrial park")
        verbose_name_plural = _("industrial parks")

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" else self.name_en


class Utility(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    GAS = "gas", _("Gas")
    WATER = "water", _("Water")
    WASTEWATER = "wastewater", _("Wastewater")
    TELECOM = "telecom", _("Telecom")
    ROAD = "road", _("Road")


class ParkInfrastructure(models.Model):
    class Status(models.TextChoices):
        ADEQUATE = "adequate", _("Adequate")
        INSUFFICIENT = "insufficient", _("Insufficient")
        ABSENT = "absent", _("Absent")

    park = models.ForeignKey(IndustrialPark, on_delete=models.CASCADE, related_name="infrastructure")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, editable=False)
    utility = models.CharField(_("utility"), max_length=12, choices=Utility.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    capacity = models.DecimalField(_("capacity"), max_digits=12, decimal_places=2, null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=12, blank=True)  # MW, L/s, km ...

    SCOPE = {"province": "province_id", "park": "park_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        unique_together = [("park", "utility")]
        ordering = ["park", "utility"]
        verbose_name = _("park infrastructure")
        verbose_name_plural = _("park infrastructure")

    def __str__(self) -> str:
        return f"{self.park_id} {self.utility}: {self.status}"


class Band(models.TextChoices):
    """Monitoring bands, from the monthly classification."""

    IDLE = "idle", _("Idle")
    BELOW_50 = "below_50", _("Below 50%")
    FROM_50_TO_70 = "50_70", _("50-70%")
    ABOVE_70 = "above_70", _("Above 70%")
    CLOSED = "closed", _("Closed")


PRODUCING_BANDS = frozenset({Band.BELOW_50, Band.FROM_50_TO_70, Band.ABOVE_70})


class ProductionUnit(models.Model):
    class Size(models.TextChoices):
        MICRO = "micro", _("Micro")
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    business_id = models.CharField(_("business ID"), max_length=12, unique=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    name_key = models.CharField(max_length=320, db_index=True, editable=False)
    park = models.ForeignKey(IndustrialPark, on_delete=models.PROTECT, related_name="units")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, editable=False, related_name="units")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="units")
    size_class = models.CharField(_("size class"), max_length=8, choices=Size.choices)
    licensed_capacity = models.CharField(_("licensed capacity"), max_length=120, blank=True)
    employees = models.PositiveIntegerField(_("employees (licensed)"), default=0)
    operation_licence_no = models.CharField(_("operation licence number"), max_length=30, blank=True)
    establishment_licence_no = models.CharField(_("establishment licence number"), max_length=30, blank=True)
    # Denormalised from the status history by the status service, so lists and counts are one filter.
    current_band = models.CharField(_("band"), max_length=10, choices=Band.choices, db_index=True)
    band_since = models.DateField(_("in this band since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE = {"province": "province_id", "park": "park_id", "unit": "id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["business_id"]
        indexes = [
            models.Index(fields=["province", "current_band"]),
            # a province's units in their order (business id): its first page without sorting them all
            models.Index(fields=["province", "business_id"], name="unit_province_business_idx"),
            # the nation's units that are not closed, read from the index alone on PostgreSQL (its table rows
            # are wide: the filings page's missing filers scanned 29 MB of them for their band)
            models.Index(fields=["current_band", "id"], name="unit_band_id_idx"),
            # a park's units counted by band from the index alone (a province's page counts its parks' units;
            # PostgreSQL read all 52,366 wide unit rows for Semnan's 31 parks)
            models.Index(fields=["park", "current_band", "id"], name="unit_park_band_idx"),
        ]
        verbose_name = _("production unit")
        verbose_name_plural = _("production units")

    def __str__(self) -> str:
        return f"{self.business_id} {self.name_en or self.name_fa}"

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" or not self.name_en else self.name_en


class UnitStatus(models.Model):
    """One entry of a unit's status history; `event` is derived by the service from the previous entry."""

    class Source(models.TextChoices):
        FILING = "filing", _("Monthly filing")
        FIELD_VISIT = "visit", _("Field visit")
        OFFICER = "officer", _("Officer decision")

    class Event(models.TextChoices):
        NONE = "", _("No change of state")
        WENT_IDLE = "went_idle", _("Went idle")
        REVIVED = "revived", _("Revived")

    unit = models.ForeignKey(ProductionUnit, on_delete=models.CASCADE, related_name="statuses")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, editable=False)
    band = models.CharField(_("band"), max_length=10, choices=Band.choices)
    effective_date = models.DateField(_("effective date"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    employees = models.PositiveIntegerField(_("employees at this date"), default=0)
    event = models.CharField(max_length=10, choices=Event.choices, blank=True, default="", editable=False)
    # jobs restored = employees at revival; a "went idle" within 12 months of a revival is a relapse.
    jobs = models.PositiveIntegerField(default=0, editable=False)
    is_relapse = models.BooleanField(default=False, editable=False)
    note = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    SCOPE = {"province": "province_id", "park": "unit__park_id", "unit": "unit_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "effective_date", "id"]
        indexes = [
            # the revivals (or other events) of a period; with the province and unit, the survival table reads
            # every revival from the index alone
            models.Index(
                fields=["event", "effective_date", "province", "unit", "id"], name="status_event_date_idx"
            ),
            models.Index(fields=["province", "event", "effective_date"]),
            # a unit's entries in order: the entry before each one (units lifted above 50%), and its band on a
            # date (survival: the latest entry on or before it, newest id first) without sorting the entries;
            # the band a key column so that lookup reads the index alone (SQLite has no INCLUDE)
            models.Index(fields=["unit", "effective_date", "id", "band"], name="status_unit_date_band_idx"),
        ]
        verbose_name = _("unit status")
        verbose_name_plural = _("unit status history")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.band} {self.effective_date}"
