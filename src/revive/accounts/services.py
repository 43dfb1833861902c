"""Account writes: demo users and API tokens, each audited."""

from django.db import transaction

from revive.accounts.models import ApiToken, User
from revive.core import audit


@transaction.atomic
def token_create(*, user: User, by: object = None) -> str:
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), prefix=key[3:9])
    audit.record(actor=by, obj=token, action="token_create", note=f"token for {user.username}")
    return key


@transaction.atomic
def user_upsert(*, username: str, password: str | None, by: object = None, **fields: object) -> User:
    """Create or update a user; password None: no password at all (an API-only account)."""
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    audit.record(
        actor=by, obj=user, action="user_create" if created else "user_update", after={"role": user.role}
    )
    return user
