"""The bell in the header: a link to the inbox with the unread count (one COUNT query on an index)."""

from django import template

from revive.notices.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notices/bell.html", takes_context=True)
def notice_bell(context):
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": unread_count(user)}
