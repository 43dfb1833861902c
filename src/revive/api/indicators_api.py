"""API for targets, forecasts and the press summary."""

from ninja import Router

router = Router(tags=["indicators"])
