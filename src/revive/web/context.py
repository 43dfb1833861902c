"""Template context shared by every page: language, direction, the user's scope and permissions."""

from django.utils.functional import SimpleLazyObject

from revive.accounts.roles import Perm, has_perm
from revive.core import rules
from revive.core.calendar import tehran_today
from revive.core.scoping import scope_for
from revive.work.selectors import menu_counts


def revive(request) -> dict:
    lang = rules.language()
    user = getattr(request, "user", None)
    scope = scope_for(user)
    return {
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "other_lang": "en" if lang == "fa" else "fa",
        # "from → to" in the reading direction: a fixed → points backwards on a right-to-left page
        "arrow": "←" if lang == "fa" else "→",
        "scope": scope,
        "today": tehran_today(),
        "can_view_cases": has_perm(user, Perm.VIEW_CASES) and scope.sees_registry,
        "can_answer": has_perm(user, Perm.ANSWER_RESOLUTIONS),
        "can_view_finance": has_perm(user, Perm.VIEW_FINANCE),
        "can_plan": has_perm(user, Perm.PLAN),
        "can_import": has_perm(user, Perm.EDIT_REGISTRY) and scope.kind.value in ("nation", "province"),
        "can_file": has_perm(user, Perm.FILE_MONTHLY) and scope.kind.value == "unit",
        "can_view_audit": has_perm(user, Perm.VIEW_AUDIT) and scope.sees_registry,
        "can_view_registry": scope.sees_registry and has_perm(user, Perm.VIEW_REGISTRY),
        # the targets dashboard is for national and provincial staff only
        "can_view_targets": scope.kind.value in ("nation", "province") and has_perm(user, Perm.VIEW_REGISTRY),
        # counts beside the menu items, computed only when the page's header is rendered
        "menu_counts": SimpleLazyObject(lambda: menu_counts(user=user)),
    }
