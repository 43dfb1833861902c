"""The minimum password length, in words of our own: Django's Persian catalogue has no translation of its
MinimumLengthValidator's message, so a Persian page said 'This password is too short. It must contain at
least 10 characters.' in English. Same rule, our catalogue's words."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        # formatted by the ValidationError with params={"min_length": ...} (Django's validate)
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self):
        return ngettext(
            "Your password must have at least %(min_length)d character.",
            "Your password must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
