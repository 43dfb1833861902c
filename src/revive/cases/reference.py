"""The provincial agencies workgroup resolutions are addressed to, one of each kind per province, loaded idempotently."""

from django.db import transaction

from revive.registry.models import Organisation, Province

Kind = Organisation.Kind

# Kind -> (Persian name pattern, English name pattern); {fa} and {en} are the province's names.
AGENCY_NAMES: dict[str, tuple[str, str]] = {
    Kind.TAX: ("اداره کل امور مالیاتی استان {fa}", "{en} Province General Tax Administration"),
    Kind.SOCIAL_SECURITY: (
        "اداره کل تامین اجتماعی استان {fa}",
        "{en} Province Social Security Administration",
    ),
    Kind.CUSTOMS: ("گمرک {fa}", "{en} Customs"),
    Kind.ELECTRICITY: (
        "شرکت توزیع نیروی برق استان {fa}",
        "{en} Province Electricity Distribution Company",
    ),
    Kind.GAS: ("شرکت گاز استان {fa}", "{en} Province Gas Company"),
    Kind.WATER: ("شرکت آب منطقه\u200cای {fa}", "{en} Regional Water Company"),
    Kind.PARKS_COMPANY: ("شرکت شهرک\u200cهای صنعتی استان {fa}", "{en} Province Industrial Parks Company"),
    Kind.JUDICIARY: ("دادگستری استان {fa}", "{en} Province Judiciary"),
}
AGENCY_KINDS: tuple[str, ...] = tuple(AGENCY_NAMES)


def agency_code(kind: str, province_code: str) -> str:
    """`gas-20`, `social-security-20`: the kind with hyphens and the number of the ISO code IR-20."""
    return f"{str(kind).replace('_', '-')}-{province_code[-2:]}"


@transaction.atomic
def agencies_load() -> None:
    """Create or update one agency of each kind in every province (the 31 of the reference data).

    Keyed on the code, so running it twice changes nothing; load the provinces first (`reference_load`).
    """
    for province in Province.objects.order_by("code"):
        for kind, (pattern_fa, pattern_en) in AGENCY_NAMES.items():
            Organisation.objects.update_or_create(
                code=agency_code(kind, province.code),
                defaults={
                    "kind": str(kind),
                    "name_fa": pattern_fa.format(fa=province.name_fa),
                    "name_en": pattern_en.format(en=province.name_en),
                    "province": province,
                },
            )
