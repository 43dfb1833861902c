"""Reference data every install needs: provinces, counties, ISIC sectors and banks, loaded idempotently."""

from django.db import transaction

from revive.registry.models import County, Organisation, Province, Sector, SectorGroup

# (ISO 3166-2:IR code, Persian name, English name, [(county Persian, county English), ...]); the
# first county is the one around the provincial capital.
PROVINCES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("IR-00", "مرکزی", "Markazi", [("اراک", "Arak"), ("ساوه", "Saveh"), ("خمین", "Khomein")]),
    ("IR-01", "گیلان", "Gilan", [("رشت", "Rasht"), ("بندر انزلی", "Bandar Anzali"), ("لاهیجان", "Lahijan")]),
    ("IR-02", "مازندران", "Mazandaran", [("ساری", "Sari"), ("آمل", "Amol"), ("بابل", "Babol")]),
    (
        "IR-03",
        "آذربایجان شرقی",
        "East Azerbaijan",
        [("تبریز", "Tabriz"), ("مراغه", "Maragheh"), ("مرند", "Marand")],
    ),
    (
        "IR-04",
        "آذربایجان غربی",
        "West Azerbaijan",
        [("ارومیه", "Urmia"), ("خوی", "Khoy"), ("میاندوآب", "Miandoab")],
    ),
    ("IR-05", "کرمانشاه", "Kermanshah", [("کرمانشاه", "Kermanshah"), ("اسلام‌آباد غرب", "Eslamabad-e Gharb")]),
    ("IR-06", "خوزستان", "Khuzestan", [("اهواز", "Ahvaz"), ("دزفول", "Dezful"), ("آبادان", "Abadan")]),
    ("IR-07", "فارس", "Fars", [("شیراز", "Shiraz"), ("مرودشت", "Marvdasht"), ("کازرون", "Kazerun")]),
    ("IR-08", "کرمان", "Kerman", [("کرمان", "Kerman"), ("سیرجان", "Sirjan"), ("رفسنجان", "Rafsanjan")]),
    (
        "IR-09",
        "خراسان رضوی",
        "Razavi Khorasan",
        [("مشهد", "Mashhad"), ("نیشابور", "Neyshabur"), ("سبزوار", "Sabzevar")],
    ),
    ("IR-10", "اصفهان", "Isfahan", [("اصفهان", "Isfahan"), ("کاشان", "Kashan"), ("نجف‌آباد", "Najafabad")]),
    ("IR-11", "سیستان و بلوچستان", "Sistan and Baluchestan", [("زاهدان", "Zahedan"), ("چابهار", "Chabahar")]),
    ("IR-12", "کردستان", "Kurdistan", [("سنندج", "Sanandaj"), ("سقز", "Saqqez")]),
    ("IR-13", "همدان", "Hamadan", [("همدان", "Hamadan"), ("ملایر", "Malayer")]),
    (
        "IR-14",
        "چهارمحال و بختیاری",
        "Chaharmahal and Bakhtiari",
        [("شهرکرد", "Shahrekord"), ("بروجن", "Borujen")],
    ),
    ("IR-15", "لرستان", "Lorestan", [("خرم‌آباد", "Khorramabad"), ("بروجرد", "Borujerd")]),
    ("IR-16", "ایلام", "Ilam", [("ایلام", "Ilam"), ("دهلران", "Dehloran")]),
    (
        "IR-17",
        "کهگیلویه و بویراحمد",
        "Kohgiluyeh and Boyer-Ahmad",
        [("بویراحمد", "Boyer-Ahmad"), ("گچساران", "Gachsaran")],
    ),
    ("IR-18", "بوشهر", "Bushehr", [("بوشهر", "Bushehr"), ("دشتستان", "Dashtestan")]),
    ("IR-19", "زنجان", "Zanjan", [("زنجان", "Zanjan"), ("ابهر", "Abhar")]),
    ("IR-20", "سمنان", "Semnan", [("سمنان", "Semnan"), ("شاهرود", "Shahrud"), ("گرمسار", "Garmsar")]),
    ("IR-21", "یزد", "Yazd", [("یزد", "Yazd"), ("اردکان", "Ardakan"), ("میبد", "Meybod")]),
    ("IR-22", "هرمزگان", "Hormozgan", [("بندرعباس", "Bandar Abbas"), ("قشم", "Qeshm")]),
    (
        "IR-23",
        "تهران",
        "Tehran",
        [("تهران", "Tehran"), ("شهریار", "Shahriar"), ("اسلامشهر", "Eslamshahr"), ("ورامین", "Varamin")],
    ),
    ("IR-24", "اردبیل", "Ardabil", [("اردبیل", "Ardabil"), ("مشگین‌شهر", "Meshgin Shahr")]),
    ("IR-25", "قم", "Qom", [("قم", "Qom")]),
    ("IR-26", "قزوین", "Qazvin", [("قزوین", "Qazvin"), ("تاکستان", "Takestan"), ("البرز", "Alborz")]),
    ("IR-27", "گلستان", "Golestan", [("گرگان", "Gorgan"), ("گنبد کاووس", "Gonbad-e Kavus")]),
    ("IR-28", "خراسان شمالی", "North Khorasan", [("بجنورد", "Bojnord"), ("شیروان", "Shirvan")]),
    ("IR-29", "خراسان جنوبی", "South Khorasan", [("بیرجند", "Birjand"), ("قائنات", "Qaenat")]),
    ("IR-30", "البرز", "Alborz", [("کرج", "Karaj"), ("نظرآباد", "Nazarabad"), ("ساوجبلاغ", "Savojbolagh")]),
]

# Operating units per province in thousands, for the national demo (published: Isfahan about 6.1k,
# Tehran 5.6k, Fars 3.1k; Ilam, North Khorasan, Kohgiluyeh and Boyer-Ahmad 0.26-0.32k); the
# others are plausible figures between them. Sums to about 50k.
DEMO_UNITS_PER_PROVINCE: dict[str, float] = {
    "IR-10": 6.1, "IR-23": 5.6, "IR-09": 3.3, "IR-07": 3.1, "IR-03": 2.8, "IR-30": 2.5,
    "IR-26": 2.2, "IR-00": 2.1, "IR-21": 1.9, "IR-02": 1.9, "IR-06": 1.8, "IR-25": 1.5,
    "IR-01": 1.5, "IR-08": 1.5, "IR-04": 1.3, "IR-20": 1.3, "IR-19": 1.2, "IR-13": 1.1,
    "IR-27": 1.0, "IR-05": 0.8, "IR-15": 0.7, "IR-24": 0.7, "IR-22": 0.65, "IR-12": 0.6,
    "IR-18": 0.55, "IR-14": 0.5, "IR-11": 0.45, "IR-29": 0.45, "IR-28": 0.32, "IR-17": 0.28,
    "IR-16": 0.26,
}  # fmt: skip

# Rough centre (latitude, longitude) and half-extent in degrees of each province's inhabited area.
PROVINCE_GEO: dict[str, tuple[float, float, float]] = {
    "IR-00": (34.4, 49.8, 0.5), "IR-01": (37.2, 49.6, 0.3), "IR-02": (36.5, 52.5, 0.35),
    "IR-03": (37.9, 46.4, 0.5), "IR-04": (37.6, 45.1, 0.5), "IR-05": (34.3, 46.8, 0.4),
    "IR-06": (31.5, 48.9, 0.6), "IR-07": (29.5, 52.8, 0.8), "IR-08": (29.8, 56.8, 0.9),
    "IR-09": (35.8, 59.2, 0.7), "IR-10": (32.9, 51.7, 0.8), "IR-11": (28.5, 60.6, 1.0),
    "IR-12": (35.5, 47.0, 0.4), "IR-13": (34.6, 48.5, 0.4), "IR-14": (32.2, 50.7, 0.3),
    "IR-15": (33.5, 48.5, 0.4), "IR-16": (33.3, 46.8, 0.4), "IR-17": (30.7, 51.2, 0.3),
    "IR-18": (28.9, 51.3, 0.5), "IR-19": (36.5, 48.6, 0.4), "IR-20": (35.6, 54.0, 0.7),
    "IR-21": (31.8, 54.3, 0.6), "IR-22": (27.2, 56.3, 0.6), "IR-23": (35.6, 51.4, 0.3),
    "IR-24": (38.3, 48.1, 0.4), "IR-25": (34.6, 50.9, 0.2), "IR-26": (36.2, 49.9, 0.3),
    "IR-27": (37.1, 55.0, 0.4), "IR-28": (37.5, 57.3, 0.4), "IR-29": (32.9, 59.2, 0.6),
    "IR-30": (35.9, 50.8, 0.2),
}  # fmt: skip

# ISIC Rev.4 divisions 10-33 (manufacturing) plus 52 (warehousing), each in the programme's sector groups.
SECTORS: list[tuple[str, str, str, str]] = [
    ("10", "محصولات غذایی", "Food products", SectorGroup.FOOD),
    ("11", "آشامیدنی‌ها", "Beverages", SectorGroup.FOOD),
    ("12", "محصولات از توتون و تنباکو", "Tobacco products", SectorGroup.FOOD),
    ("13", "منسوجات", "Textiles", SectorGroup.TEXTILE),
    ("14", "پوشاک", "Wearing apparel", SectorGroup.TEXTILE),
    ("15", "چرم و محصولات وابسته", "Leather and related products", SectorGroup.TEXTILE),
    ("16", "چوب و محصولات چوبی", "Wood and wood products", SectorGroup.CELLULOSE),
    ("17", "کاغذ و محصولات کاغذی", "Paper and paper products", SectorGroup.CELLULOSE),
    ("18", "چاپ و تکثیر رسانه‌های ضبط‌شده", "Printing and reproduction of recorded media", SectorGroup.CELLULOSE),
    ("19", "کک و فرآورده‌های نفتی", "Coke and refined petroleum products", SectorGroup.CHEMICAL),
    ("20", "مواد و محصولات شیمیایی", "Chemicals and chemical products", SectorGroup.CHEMICAL),
    ("21", "محصولات دارویی", "Pharmaceutical products", SectorGroup.CHEMICAL),
    ("22", "محصولات لاستیکی و پلاستیکی", "Rubber and plastics products", SectorGroup.CHEMICAL),
    ("23", "سایر محصولات کانی غیرفلزی", "Other non-metallic mineral products", SectorGroup.NON_METALLIC),
    ("24", "فلزات پایه", "Basic metals", SectorGroup.METAL),
    ("25", "محصولات فلزی ساخته‌شده", "Fabricated metal products", SectorGroup.METAL),
    ("26", "محصولات رایانه‌ای، الکترونیکی و نوری", "Computer, electronic and optical products", SectorGroup.ELECTRICAL),
    ("27", "تجهیزات برقی و لوازم خانگی", "Electrical equipment and home appliances", SectorGroup.ELECTRICAL),
    ("28", "ماشین‌آلات و تجهیزات", "Machinery and equipment", SectorGroup.METAL),
    ("29", "وسایل نقلیه موتوری و قطعات", "Motor vehicles and parts", SectorGroup.METAL),
    ("30", "سایر تجهیزات حمل و نقل", "Other transport equipment", SectorGroup.METAL),
    ("31", "مبلمان", "Furniture", SectorGroup.CELLULOSE),
    ("32", "سایر مصنوعات", "Other manufacturing", SectorGroup.CHEMICAL),
    ("33", "تعمیر و نصب ماشین‌آلات و تجهیزات", "Repair and installation of machinery and equipment", SectorGroup.SERVICES),
    ("52", "انبارداری و خدمات پشتیبانی حمل و نقل", "Warehousing and support activities for transportation", SectorGroup.SERVICES),
]  # fmt: skip

BANKS: list[tuple[str, str, str]] = [
    ("melli", "بانک ملی ایران", "Bank Melli Iran"),
    ("sepah", "بانک سپه", "Bank Sepah"),
    ("mellat", "بانک ملت", "Bank Mellat"),
    ("tejarat", "بانک تجارت", "Tejarat Bank"),
    ("saderat", "بانک صادرات ایران", "Bank Saderat Iran"),
    ("keshavarzi", "بانک کشاورزی", "Bank Keshavarzi"),
    ("maskan", "بانک مسکن", "Bank Maskan"),
    ("refah", "بانک رفاه کارگران", "Refah Kargaran Bank"),
    ("sanat-madan", "بانک صنعت و معدن", "Bank of Industry and Mine"),
    ("tosee-saderat", "بانک توسعه صادرات ایران", "Export Development Bank of Iran"),
    ("tosee-taavon", "بانک توسعه تعاون", "Tose'e Ta'avon Bank"),
    ("post-bank", "پست بانک ایران", "Post Bank of Iran"),
    ("pasargad", "بانک پاسارگاد", "Bank Pasargad"),
    ("parsian", "بانک پارسیان", "Parsian Bank"),
    ("eghtesad-novin", "بانک اقتصاد نوین", "EN Bank (Eghtesad Novin)"),
]


@transaction.atomic
def reference_load() -> None:
    """Create or update the reference rows on their natural keys; running it twice changes nothing."""
    for code, name_fa, name_en, counties in PROVINCES:
        province, _created = Province.objects.update_or_create(
            code=code, defaults={"name_fa": name_fa, "name_en": name_en}
        )
        for county_fa, county_en in counties:
            County.objects.update_or_create(
                province=province, name_en=county_en, defaults={"name_fa": county_fa}
            )
    for division, name_fa, name_en, group in SECTORS:
        Sector.objects.update_or_create(
            isic_division=division, defaults={"name_fa": name_fa, "name_en": name_en, "group": str(group)}
        )
    for code, name_fa, name_en in BANKS:
        Organisation.objects.update_or_create(
            code=code,
            defaults={
                "kind": Organisation.Kind.BANK,
                "name_fa": name_fa,
                "name_en": name_en,
                "province": None,
            },
        )
