"""Documents attached to loan requests (the application, the bank's letter): stored under generated names
outside any public path and served only through a view that checks the loan's scope."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import ScopedQuerySet


class LoanDocument(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("Loan application")
        BANK_LETTER = "bank_letter", _("Bank letter")
        OTHER = "other", _("Other document")

    loan = models.ForeignKey("finance.LoanRequest", on_delete=models.CASCADE, related_name="documents")
    # Copied from the loan (a loan never changes province); park, unit and bank are read through the loan,
    # whose bank is only named when it is introduced.
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, editable=False)
    kind = models.CharField(_("document"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(upload_to="loans/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    SCOPE = {
        "province": "province_id",
        "park": "loan__park_id",
        "unit": "loan__unit_id",
        "bank": "loan__bank_id",
    }
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("loan document")
        verbose_name_plural = _("loan documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.loan_id}"
