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
def user_upsert(*, username: str, password: str, by: object = None, **fields: object) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_password(password)
    user.save()
    audit.record(
        actor=by, obj=user, action="user_create" if created else "user_update", after={"role": user.role}
    )
    return user
