from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "revive.insight"
    label = "insight"
    verbose_name = "Early warning and attribution"

    def ready(self):
        # the attribution section of the monthly report (indicators may not import insight)
        from revive.indicators import reports
        from revive.insight import report

        reports.add_section(report.section)
