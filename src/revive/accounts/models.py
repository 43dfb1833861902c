"""Users carry one role and the record it ties them to (province, park, unit or organisation)."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from revive.accounts.roles import Role


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    province = models.ForeignKey("registry.Province", null=True, blank=True, on_delete=models.PROTECT)
    park = models.ForeignKey("registry.IndustrialPark", null=True, blank=True, on_delete=models.PROTECT)
    unit = models.ForeignKey("registry.ProductionUnit", null=True, blank=True, on_delete=models.PROTECT)
    organisation = models.ForeignKey("registry.Organisation", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "rv_" + secrets.token_urlsafe(32)
