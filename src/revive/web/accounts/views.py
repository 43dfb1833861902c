"""Account pages: sign-in with throttling, password change (audited)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from revive.accounts import throttle
from revive.accounts.models import User
from revive.core import audit


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class ThrottleMixin:
    """Refuse a username+address pair for 15 minutes after 5 failures, for any sign-in form.

    While locked, even the right password is refused (and not checked), so guessing cannot go on."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")[:150]
        if throttle.is_locked(username=username, ip=throttle.client_ip(request)):
            return self._locked(username)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")[:150]
        ip = throttle.client_ip(self.request)
        if throttle.register_failure(username=username, ip=ip) >= throttle.MAX_FAILURES:
            self._audit_lock(username, ip)
            return self._locked(username)
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.reset(username=form.get_user().get_username(), ip=throttle.client_ip(self.request))
        return super().form_valid(form)

    def _locked(self, username: str):
        messages.error(self.request, throttle.LOCKED_MESSAGE)
        # An unbound form: a bound one would check the password again when the template reads its errors.
        form = self.get_form_class()(request=self.request, initial={"username": username})
        return self.render_to_response(self.get_context_data(form=form), status=429)

    @staticmethod
    def _audit_lock(username: str, ip: str) -> None:
        user = User.objects.filter(username=User.normalize_username(username.strip())).first()
        with transaction.atomic():
            audit.record(
                actor="sign-in throttle",
                obj=user,
                object_type="accounts.user",
                object_id="" if user else username[:40],
                action="login_locked",
                note=f"{throttle.MAX_FAILURES} failed sign-ins from {ip}",
            )


class ThrottledLoginView(ThrottleMixin, LoginView):
    """Django's sign-in with the throttle."""


class ThrottledAdminLoginView(ThrottleMixin, auth_views.LoginView):
    """The admin site's sign-in (/admin/login/), with the same throttle and the same lock as the app's.

    What AdminSite.login does, as a view the throttle can wrap: the admin's form (staff only), template
    and context."""

    template_name = "admin/login.html"

    def get_form_class(self):
        from django.contrib.admin.forms import AdminAuthenticationForm

        return AdminAuthenticationForm

    def get(self, request, *args, **kwargs):
        from django.contrib import admin
        from django.http import HttpResponseRedirect

        if admin.site.has_permission(request):
            return HttpResponseRedirect(reverse_lazy("admin:index"))
        return super().get(request, *args, **kwargs)

    def get_success_url(self):
        return self.get_redirect_url() or str(reverse_lazy("admin:index"))

    def get_context_data(self, **kwargs):
        from django.contrib import admin

        context = super().get_context_data(**kwargs)
        context.update(
            admin.site.each_context(self.request),
            title=_("Log in"),
            subtitle=None,
            app_path=self.request.get_full_path(),
            username=self.request.user.get_username(),
        )
        if not context.get(self.redirect_field_name):
            context[self.redirect_field_name] = str(reverse_lazy("admin:index"))
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Signed-in users change their own password; the change is audited (never the password itself)."""

    template_name = "web/account/password_change.html"
    success_url = reverse_lazy("web:password_change")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(actor=self.request.user, obj=form.user, action="password_change")
        messages.success(self.request, _("Your password was changed."))
        return response
