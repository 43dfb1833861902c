"""API for infrastructure projects and plans."""

from ninja import Router

router = Router(tags=["planning"])
