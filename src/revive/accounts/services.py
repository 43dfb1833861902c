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
def user_upsert(
    *, username: str, password: str | None, by: object = None, hashed: bool = False, **fields: object
) -> User:
    """Create or update a user; password None: no password at all (an API-only account). hashed: the
    password is already encoded by make_password (many users given one password hash it once)."""
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    if password is None:
        user.set_unusable_password()
    elif hashed:
        user.password = password
    else:
        user.set_password(password)
    user.save()
    audit.record(
        actor=by, obj=user, action="user_create" if created else "user_update", after={"role": user.role}
    )
    return user


@transaction.atomic
def national_admin_make(*, username: str, password: str | None, email: str = "", by: object = None) -> User:
    """The first national administrator of an installation (or a `createsuperuser` account given its role):
    staff, superuser and the national_admin role, without which every page but /admin/ answers 404.
    password None keeps an existing user's password."""
    from revive.accounts.roles import Role

    user = User.objects.filter(username=username).first()
    before = {"role": user.role, "is_superuser": user.is_superuser} if user else None
    if user is None:
        if password is None:
            raise ValueError("a new administrator needs a password")
        user = User(username=username)
    user.role, user.is_staff, user.is_superuser, user.is_active = Role.NATIONAL_ADMIN, True, True, True
    user.province = user.park = user.unit = user.organisation = None
    if email:
        user.email = email
    if password is not None:
        user.set_password(password)
    user.save()
    audit.record(
        actor=by,
        obj=user,
        action="user_update" if before else "user_create",
        before=before,
        after={"role": user.role, "is_superuser": True},
    )
    return user
