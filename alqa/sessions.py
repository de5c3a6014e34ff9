"""Django's database sessions, with the one read that every signed-in request makes written in SQL.

The ORM spends several times longer compiling `Session.objects.get(session_key=…,
expire_date__gt=now)` than the database spends answering it; this asks the same question
directly. Everything else (creating, saving, rotating, deleting, expiry) is Django's own.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        key, data, expires = (
            quote(model._meta.get_field(f).column) for f in ("session_key", "session_data", "expire_date")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s",  # noqa: S608 (the model's own names)
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
