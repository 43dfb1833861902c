"""Writes of the notices app: telling people (an inbox row, then deliveries by the channels they chose),
reading, preferences, the deadline rules and the holidays table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from revive.core import audit
from revive.core.errors import ConflictError, DomainError
from revive.core.text import require_fits, to_ascii_digits
from revive.notices.models import (
    DEFAULT_CHANNELS,
    Channel,
    Contact,
    DeadlineRules,
    Delivery,
    Holiday,
    Kind,
    Notice,
    Preference,
)


@dataclass(frozen=True)
class Message:
    """A notice's text: an English msgid with %(name)s fields; a field may depend on the language."""

    text: object  # a gettext_lazy string
    params: dict

    def render(self, lang: str) -> str:
        values = {k: (v(lang) if callable(v) else v) for k, v in self.params.items()}
        with translation.override(lang):
            # `%` on the lazy text itself: a plural one (ngettext_lazy) picks its form from the values' "n"
            return str(self.text % values)[:500]


def message(text, /, **params) -> Message:
    return Message(text=text, params=params)


def channels_for(users: Iterable, kind: str) -> dict[int, set[str]]:
    """Each user's channels for a kind: their preferences over the defaults (the inbox always)."""
    users = list(users)
    out = {u.pk: {c for c, kinds in DEFAULT_CHANNELS.items() if kind in kinds} for u in users}
    for user_id, channel, enabled in Preference.objects.filter(
        user_id__in=[u.pk for u in users], kind=kind
    ).values_list("user_id", "channel", "enabled"):
        (out[user_id].add if enabled else out[user_id].discard)(channel)
    for chosen in out.values():
        if Channel.DIGEST in chosen:
            chosen.discard(Channel.EMAIL)  # the digest replaces the e-mail of each notice
    return out


def notify(
    *,
    recipients: Iterable,
    kind: str,
    event: str,
    text: Message,
    url: str = "",
    obj=None,
) -> list[Notice]:
    """Tell each recipient once about an event (`event` names it: with the recipient it is unique).
    Returns the notices made now; a recipient already told is skipped. Deliveries are queued for the
    channels each one chose and sent by the worker after the transaction commits."""
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not users:
        return []
    known = set(
        Notice.objects.filter(event=event, recipient_id__in=list(users)).values_list(
            "recipient_id", flat=True
        )
    )
    new_users = [u for pk, u in users.items() if pk not in known]
    if not new_users:
        return []
    fa, en = text.render("fa"), text.render("en")
    made = Notice.objects.bulk_create(
        [
            Notice(
                recipient=u,
                kind=kind,
                event=event[:120],
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                url=url,
                text_fa=fa,
                text_en=en,
            )
            for u in new_users
        ],
        ignore_conflicts=True,  # a concurrent pass told them first: the unique key keeps one
    )
    made = list(Notice.objects.filter(event=event, recipient_id__in=[u.pk for u in new_users]))
    chosen = channels_for(new_users, kind)
    contacts = dict(
        Contact.objects.filter(user_id__in=[u.pk for u in new_users]).values_list("user_id", "mobile")
    )
    deliveries = []
    for n in made:
        user = users[n.recipient_id]
        for channel in sorted(chosen[n.recipient_id]):
            address = contacts.get(n.recipient_id, "") if channel == Channel.SMS else user.email
            if not address:
                continue  # no address for this channel: the inbox has it
            deliveries.append(
                Delivery(notice=n, channel=channel, address=address, next_try_at=timezone.now())
            )
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    if any(d.channel != Channel.DIGEST for d in deliveries):
        _deliver_after_commit()
    return made


def _enqueue_delivery() -> None:
    from revive.notices.tasks import deliver_pending

    deliver_pending.enqueue()


def _deliver_after_commit() -> None:
    """Queue one sending job when the transaction commits, however many notices it made."""
    connection = transaction.get_connection()
    if any(func is _enqueue_delivery for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_delivery)


def notice_mark_read(*, user, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (all of them when no ids are given); returns how many changed."""
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=list(notice_ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user, chosen: set[tuple[str, str]], language: str, mobile: str) -> None:
    """Store the user's channels (kind, channel) pairs that are on; everything else is off."""
    mobile = "".join(ch for ch in to_ascii_digits(mobile or "") if ch.isdigit() or ch == "+")
    if mobile and not (10 <= len(mobile.lstrip("+")) <= 13):
        raise DomainError(_("Enter a mobile number such as 09121234567."), field="mobile")
    if language not in Contact.Language.values:
        raise DomainError(_("Choose Persian or English."), field="language")
    before = {
        "preferences": sorted(
            f"{k}:{c}"
            for k, c in Preference.objects.filter(user=user, enabled=True).values_list("kind", "channel")
        )
    }
    Preference.objects.filter(user=user).delete()
    Preference.objects.bulk_create(
        [
            Preference(user=user, kind=kind, channel=channel, enabled=(kind, channel) in chosen)
            for kind in Kind.values
            for channel in Channel.values
        ]
    )
    contact, _created = Contact.objects.get_or_create(user=user)
    contact.language, contact.mobile = language, mobile
    contact.save()
    audit.record(
        actor=user,
        obj=contact,
        action="notice_preferences",
        before=before,
        after={
            "preferences": sorted(f"{k}:{c}" for k, c in chosen),
            "language": language,
            "mobile": bool(mobile),
        },
    )


RULE_FIELDS = (
    "remind_before",
    "escalate_after",
    "refer_after",
    "introduction_remind_after",
    "introduction_escalate_after",
    "suspension_months",
    "thursday_off",
)


@transaction.atomic
def rules_update(*, by, version: int | None = None, **values) -> DeadlineRules:
    rules = DeadlineRules.current()
    rules = DeadlineRules.objects.select_for_update().get(pk=rules.pk)
    if version is not None and version != rules.version:
        raise ConflictError(_("Someone else changed these rules meanwhile; reload the page."))
    if values.get("refer_after", rules.refer_after) <= values.get("escalate_after", rules.escalate_after):
        raise DomainError(
            _("Referral to the national level must come after escalation to the province."),
            field="refer_after",
        )
    before = {f: getattr(rules, f) for f in RULE_FIELDS}
    for field in RULE_FIELDS:
        if field in values:
            setattr(rules, field, values[field])
    rules.version += 1
    rules.save()
    audit.record(
        actor=by,
        obj=rules,
        action="deadline_rules",
        before=before,
        after={f: getattr(rules, f) for f in RULE_FIELDS},
    )
    return rules


@transaction.atomic
def holiday_add(*, by, day: date, name_fa: str, name_en: str = "") -> Holiday:
    if not name_fa.strip():
        raise DomainError(_("Give the holiday's name."), field="name_fa")
    name_fa = require_fits(name_fa.strip(), model=Holiday, field="name_fa")
    name_en = require_fits(name_en.strip(), model=Holiday, field="name_en")
    if Holiday.objects.filter(day=day).exists():
        raise DomainError(_("This day is already a holiday."), field="day")
    holiday = Holiday.objects.create(day=day, name_fa=name_fa, name_en=name_en)
    audit.record(
        actor=by, obj=holiday, action="holiday_add", after={"day": day.isoformat(), "name": holiday.name_fa}
    )
    return holiday


@transaction.atomic
def holiday_remove(*, by, holiday: Holiday) -> None:
    audit.record(
        actor=by,
        obj=holiday,
        action="holiday_remove",
        before={"day": holiday.day.isoformat(), "name": holiday.name_fa},
    )
    holiday.delete()
