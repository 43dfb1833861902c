"""Template helpers of the field pages (issue 14)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def may_attach_documents(context) -> bool:
    from revive.web.views_field import may_attach_document

    request = context.get("request")
    return bool(request and may_attach_document(request.user))


@register.simple_tag
def document_kinds() -> list:
    from revive.documents.models import LoanDocument

    return LoanDocument.Kind.choices


@register.filter
def loan_state(state: str) -> str:
    """A loan's state as people read it: an approved amount is not a disbursed one (finance/labels.py)."""
    from revive.finance.labels import state_label

    return state_label(state)
