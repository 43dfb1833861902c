"""API for loan requests and the finance KPIs."""

from ninja import Router

router = Router(tags=["finance"])
