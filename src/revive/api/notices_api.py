"""API for the caller's notices: the inbox as a list (newest first), the same shape as the other lists."""

from datetime import datetime

from ninja import Router, Schema

from revive.core import rules
from revive.notices import selectors

from .params import Page, PageSize
from .schemas import ErrorOut

router = Router(tags=["me"])


class NotificationOut(Schema):
    id: int
    kind: str
    text_fa: str
    text_en: str
    url: str
    object_type: str
    object_id: str
    created_at: datetime
    read: bool
    failed: bool  # a send by e-mail or SMS gave up after its retries


class NotificationList(Schema):
    items: list[NotificationOut]
    count: int
    unread: int


@router.get("/me/notifications", response={200: NotificationList, 400: ErrorOut, 401: ErrorOut})
def my_notifications(request, unread: bool = False, page: Page = 1, page_size: PageSize = 50):
    """The caller's notices, newest first; `unread=true` lists only those not read yet. `url` is the
    object's page on this site."""
    start, end = rules.page_slice(page, page_size)
    qs = selectors.inbox(user=request.auth, unread_only=unread)
    items = [
        {
            "id": n.pk,
            "kind": n.kind,
            "text_fa": n.text_fa,
            "text_en": n.text_en,
            "url": n.url,
            "object_type": n.object_type,
            "object_id": n.object_id,
            "created_at": n.created_at,
            "read": n.read_at is not None,
            "failed": n.failed,
        }
        for n in qs[start:end]
    ]
    return {"items": items, "count": qs.count(), "unread": selectors.unread_count(request.auth)}
