"""The indicators' import kind: targets per indicator and year, nationally and per province.

Registered by IndicatorsConfig.ready(); the engine (revive.imports.engine) finds it through core.importing.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from revive.core import cells
from revive.core.errors import DomainError, lazy_message
from revive.core.importing import Column, Kind, RowError
from revive.core.text import to_ascii_digits
from revive.indicators import services
from revive.indicators.models import Indicator, Target
from revive.registry.importers import ProvinceLookup


class Targets(ProvinceLookup, Kind):
    name = "targets"
    label = _("Targets")
    model = Target
    key_columns = ("indicator",)
    perm = "indicators.set_targets"
    national_only = True
    columns = [
        Column("indicator", "کد شاخص", "Indicator code", True, "units-revived", _("The indicator's code.")),
        Column("year", "سال", "Year", True, 1405, _("Iranian year; years that are over are locked.")),
        Column(
            "province",
            "استان",
            "Province",
            False,
            "IR-20",
            _("ISO code of the province; empty for the national target. The provinces must add up to it."),
        ),
        Column("value", "مقدار", "Value", True, 120),
    ]
    compare = ("value",)

    def prepare(self, rows):
        self.indicators = {(i.code.lower(), i.jyear): i for i in Indicator.objects.all()}
        self.load_provinces()

    def parse(self, row):
        code = row.get("indicator", lambda v: to_ascii_digits(cells.text(v)).strip().lower())
        year = row.get("year", cells.integer)
        if year is not None:
            try:
                services.check_target_year(year, self.today)
            except DomainError as exc:
                row.fail("year", exc.message)
        indicator = None
        if code is not None and year is not None and not row.failed:
            indicator = self.indicators.get((code, year))
            if indicator is None:
                row.fail("indicator", _("No indicator with this code in that year."))
        province = self.province(row)
        if province is not None and indicator is not None and indicator.national_only:
            row.fail(
                "province",
                _("This figure is published for the whole banking system only; it has no province targets."),
            )
        value = row.get("value", cells.decimal)
        if row.failed:
            return None
        return f"{code}|{year}|{province.code if province else ''}", {
            "value": value,
            "_indicator": indicator,
            "_province": province,
        }

    def check_all(self, parsed, preview):
        """Per indicator: the national value and the provinces (the file's over those already set) must agree."""
        groups: dict[int, dict] = {}
        for _key, (number, values) in parsed.items():
            ind = values["_indicator"]
            g = groups.setdefault(
                ind.pk, {"indicator": ind, "national": None, "provinces": {}, "row": number}
            )
            if values["_province"] is None:
                g["national"], g["row"] = values["value"], number
            else:
                g["provinces"][values["_province"].code] = values["value"]
        self.groups = list(groups.values())
        for g in self.groups:
            ind = g["indicator"]
            stored = Target.objects.filter(indicator=ind, jyear=ind.jyear).select_related("province", "park")
            g["parks"], by_province = {}, {}
            merged = {}
            for t in stored:
                if t.province_id is None:
                    if g["national"] is None:
                        g["national"] = t.value
                elif t.park_id is None:
                    merged[t.province.code] = t.value
                else:
                    g["parks"][t.park.code] = t.value
                    by_province[t.province.code] = by_province.get(t.province.code, Decimal(0)) + t.value
            merged |= g["provinces"]
            g["provinces"] = merged
            column = f"{self.columns[3].fa} ({self.columns[3].en})"
            if g["national"] is None:
                preview.errors.append(
                    RowError(g["row"], column, ind.code, _("Give the national target (empty province) too."))
                )
                continue
            if ind.is_rate:
                continue
            total = sum(merged.values(), Decimal(0))
            if merged and total != g["national"]:
                gap = g["national"] - total
                preview.errors.append(
                    RowError(
                        g["row"],
                        column,
                        f"{ind.code} {ind.jyear}",
                        lazy_message(
                            _("The province targets add up to %(total)s, not %(national)s: %(gap)s %(dir)s."),
                            total=total,
                            national=g["national"],
                            gap=abs(gap),
                            dir=_("short") if gap > 0 else _("too many"),
                        ),
                    )
                )
            for code, park_total in by_province.items():
                if merged.get(code) != park_total:
                    preview.errors.append(
                        RowError(
                            g["row"],
                            column,
                            f"{ind.code} {code}",
                            lazy_message(
                                _(
                                    "The park targets of %(province)s add up to %(total)s, not to its target %(target)s."
                                ),
                                province=code,
                                total=park_total,
                                target=merged.get(code, "—"),
                            ),
                        )
                    )

    def existing(self, keys):
        ids = {g["indicator"].pk for g in self.groups}
        return {
            f"{t.indicator.code.lower()}|{t.jyear}|{t.province.code if t.province else ''}": t
            for t in Target.objects.filter(indicator_id__in=ids, park__isnull=True).select_related(
                "indicator", "province"
            )
        }

    def build(self, key, values):
        ind, province = values.pop("_indicator"), values.pop("_province")
        return Target(indicator=ind, jyear=ind.jyear, province=province, **values)

    def write(self, preview, by, report=lambda done, total: None):
        touched = {c.obj.indicator_id for c in preview.new + preview.changed}
        for g in self.groups:
            ind = g["indicator"]
            if ind.pk not in touched:
                continue
            kwargs = dict(
                indicator=ind,
                national=g["national"],
                provinces=g["provinces"],
                parks=g["parks"],
                by=by,
                today=self.today,
            )
            services.targets_set(**kwargs)
        return True


KINDS = (Targets,)
