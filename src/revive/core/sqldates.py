"""Date arithmetic inside a query, in each database's own terms (Django's generic date expressions call
Python per row on SQLite)."""

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """Whole days from the second date to the first (PostgreSQL subtracts dates; SQLite through julianday,
    a float with no fraction); NULL when either is."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )
