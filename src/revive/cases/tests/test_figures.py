"""cases/figures.py: which headline figure a verified revival counts in."""

from django.utils import translation

from revive.cases import figures
from revive.registry.models import Band


def test_only_an_idle_unit_counts_as_revived_and_below_50_as_lifted_when_it_reaches_50():
    assert figures.revival_figure(band_before=Band.IDLE, capacity=10) == figures.IDLE_REVIVED
    assert figures.revival_figure(band_before=Band.BELOW_50, capacity=50) == figures.LIFTED_ABOVE_50
    assert figures.revival_figure(band_before=Band.BELOW_50) == figures.LIFTED_ABOVE_50
    assert figures.revival_figure(band_before=Band.BELOW_50, capacity=49) == figures.NEITHER
    assert figures.revival_figure(band_before=Band.ABOVE_70, capacity=90) == figures.NEITHER


def test_the_officer_is_told_before_and_after_the_visit():
    with translation.override("en"):
        assert "counts in “idle units revived”" in str(figures.before_the_visit(Band.IDLE))
        assert "not idle" in str(figures.before_the_visit(Band.BELOW_50))
        for figure in (figures.IDLE_REVIVED, figures.LIFTED_ABOVE_50, figures.NEITHER):
            assert str(figures.after_the_visit(figure)).startswith("The revival is verified")
        assert "neither" in str(figures.after_the_visit(figures.NEITHER))
