"""Reads of the insight app, always from what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from revive.core.scoping import Scope
from revive.insight.models import AttributionEffect, AttributionRun, RiskRun, RiskScore


def latest_risk_run() -> RiskRun | None:
    return RiskRun.objects.filter(scores__isnull=False).order_by("-created_at", "-id").first()


@dataclass(frozen=True)
class WatchFilters:
    province_id: int | None = None
    park_id: int | None = None
    sector_id: int | None = None


def watchlist(*, scope: Scope, run: RiskRun, filters: WatchFilters = WatchFilters()) -> QuerySet[RiskScore]:
    qs = RiskScore.objects.visible_to(scope).filter(run=run)
    if filters.province_id:
        qs = qs.filter(province_id=filters.province_id)
    if filters.park_id:
        qs = qs.filter(park_id=filters.park_id)
    if filters.sector_id:
        qs = qs.filter(sector_id=filters.sector_id)
    return qs.select_related("unit", "park", "sector", "province").order_by("rank")


def score_get(*, scope: Scope, pk: int) -> RiskScore:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(RiskScore.objects.visible_to(scope).select_related("unit", "run"), pk=pk)


def latest_attribution_run() -> AttributionRun | None:
    return AttributionRun.objects.order_by("-created_at", "-id").first()


def effects(
    *, scope: Scope, run: AttributionRun, province_id: int | None = None
) -> QuerySet[AttributionEffect]:
    """National effects (province empty), or one province's when asked (and visible)."""
    qs = AttributionEffect.objects.visible_to(scope).filter(run=run)
    if province_id:
        return qs.filter(province_id=province_id)
    return qs.filter(province__isnull=True)


def effects_in_order(
    *, scope: Scope, run: AttributionRun, province_id: int | None = None
) -> list[AttributionEffect]:
    """`effects` in the order of the kinds (working capital, fixed capital, infrastructure, resolution)."""
    order = {k: i for i, k in enumerate(AttributionEffect.Kind.values)}
    return sorted(effects(scope=scope, run=run, province_id=province_id), key=lambda e: order.get(e.kind, 9))


def provinces_estimated(*, scope: Scope, run: AttributionRun) -> list[int]:
    return list(
        AttributionEffect.objects.visible_to(scope)
        .filter(run=run, province__isnull=False)
        .values_list("province_id", flat=True)
        .distinct()
    )
