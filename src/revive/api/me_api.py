"""API for "what waits for me": the same lists as the home page (work/selectors.py)."""

from datetime import date

from ninja import Router, Schema

from revive.work import selectors

from .schemas import ErrorOut

router = Router(tags=["me"])


class TaskOut(Schema):
    kind: str
    title: str
    url: str
    since: date | None
    due: date | None
    overdue: bool


class TaskList(Schema):
    items: list[TaskOut]
    count: int


@router.get("/me/tasks", response={200: TaskList, 401: ErrorOut})
def my_tasks(request):
    """The caller's tasks, in the order and with the links of their home page (the first items of
    each of its lists); `url` is the page to act on, dates are ISO (Gregorian)."""
    items = [t.as_dict() for t in selectors.items(user=request.auth)]
    return {"items": items, "count": len(items)}
