"""Which headline figure a verified revival counts in, said to the officer before and after the visit.

The programme counts idle units revived (idle -> producing) and, separately, units lifted above 50% of
capacity (below 50% -> 50% or more). A case can be opened for a unit that is below 50% but not idle: its
verified revival never enters the "revived" headline, which surprised officers.
"""

from django.utils.translation import gettext_lazy as _

from revive.registry.models import Band

IDLE_REVIVED = "idle_revived"
LIFTED_ABOVE_50 = "lifted_above_50"
NEITHER = "neither"


def revival_figure(*, band_before: str, capacity: int | None = None) -> str:
    """The figure a verified revival counts in, from the unit's band before it (and the capacity observed)."""
    if band_before == Band.IDLE:
        return IDLE_REVIVED
    if band_before == Band.BELOW_50 and (capacity is None or capacity >= 50):
        return LIFTED_ABOVE_50
    return NEITHER


def before_the_visit(band_before: str):
    """The visit form's hint beside "verify the revival"."""
    if band_before == Band.IDLE:
        return _("This unit is idle: a verified revival counts in “idle units revived”.")
    if band_before == Band.BELOW_50:
        return _(
            "This unit works below 50% of its capacity, it is not idle: a verified revival does not count in "
            "“idle units revived”; it counts in “units lifted above 50%” when the capacity observed is 50% or more."
        )
    return _("This unit is not idle: a verified revival does not count in “idle units revived”.")


def after_the_visit(figure: str):
    """What the officer is told once the revival is verified."""
    return {
        IDLE_REVIVED: _("The revival is verified: it counts in “idle units revived”."),
        LIFTED_ABOVE_50: _(
            "The revival is verified. The unit was below 50%, not idle: it counts in “units lifted above 50%”, "
            "not in “idle units revived”."
        ),
        NEITHER: _(
            "The revival is verified, but the unit was not idle and the capacity observed is under 50%: it counts "
            "in neither “idle units revived” nor “units lifted above 50%”."
        ),
    }[figure]
