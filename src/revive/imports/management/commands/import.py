"""revive import KIND FILE [--dry-run] [--user U] [--lang fa|en]: validate a whole file, then write all of it or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from revive.core import importing
from revive.core.errors import DomainError, lazy_message
from revive.core.scoping import NATION
from revive.imports.engine import import_file


class Command(BaseCommand):
    help = "Import parks, infrastructure, units, monthly filings, lending figures, targets or loan requests from XLSX or CSV; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(importing.kinds()))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and preview, write nothing")
        parser.add_argument(
            "--user",
            help="import as this user: their province and permissions apply and the audit rows name them "
            "(default: the server's operator, nationwide)",
        )
        parser.add_argument("--lang", choices=["fa", "en"], default="fa", help="the language of the messages")

    def handle(self, *args, lang="fa", **options):
        with translation.override(lang):
            self._import(**options)

    def _say(self, stream, message) -> None:
        stream.write(str(message))

    def _import(self, *, kind, file, dry_run, user=None, **options):
        scope, by = NATION, "command"
        if user:
            from revive.accounts.models import User
            from revive.accounts.roles import has_perm
            from revive.core.scoping import ScopeKind, scope_for

            by = User.objects.filter(username=user, is_active=True).first()
            if by is None:
                raise CommandError(str(lazy_message(_("No active user “%(user)s”."), user=user)))
            scope = scope_for(by)
            if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE) or not has_perm(
                by, importing.kind(kind).perm
            ):
                raise CommandError(str(_("You may not import this kind.")))
        path = Path(file)
        try:
            if path.stat().st_size > 50 * 1024 * 1024:
                raise CommandError(
                    str(
                        lazy_message(
                            _("The file is larger than %(mb)s MB: split it into smaller files."), mb=50
                        )
                    )
                )
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from None
        try:
            preview, written = import_file(
                kind=kind, content=content, filename=path.name, scope=scope, by=by, dry_run=dry_run
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        counts = preview.counts()
        self._say(
            self.stdout,
            lazy_message(
                _("%(rows)s rows: %(new)s new, %(changed)s changed, %(unchanged)s unchanged."), **counts
            ),
        )
        for change in preview.changed[:50]:
            self.stdout.write(f"  {change.row}: {change.key.replace('|', ' ')}: {', '.join(change.fields)}")
        if preview.errors:
            for e in preview.errors:
                where = lazy_message(_("row %(row)s, %(column)s"), row=e.row, column=e.column)
                self._say(self.stderr, f"{where}, «{e.value}»: {e.message}")
            raise CommandError(
                str(
                    lazy_message(
                        _("Nothing was imported: %(n)s errors. Correct the rows and run the command again."),
                        n=len(preview.errors),
                    )
                )
            )
        if dry_run:
            self._say(self.stdout, _("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(str(_("Imported."))))
