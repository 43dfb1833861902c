"""The roles people hold: their names live in core because core/scoping.py turns a role into a scope
(core imports no other app); what each role may do is accounts/roles.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    BANK_OFFICER = "bank_officer", _("Bank officer")
    AGENCY_LIAISON = "agency_liaison", _("Agency liaison")
    PARK_MANAGER = "park_manager", _("Park manager")
    UNIT_OWNER = "unit_owner", _("Unit owner")
    INTEGRATION = "integration", _("Statistics system (API only)")
