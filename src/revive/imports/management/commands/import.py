"""revive import KIND FILE [--dry-run]: validate a whole file, then write all of it or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from revive.core.errors import DomainError
from revive.core.scoping import NATION
from revive.imports.engine import import_file
from revive.imports.kinds import KINDS


class Command(BaseCommand):
    help = "Import parks, infrastructure, units, monthly filings, lending figures, targets or loan requests from XLSX or CSV; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and preview, write nothing")
        parser.add_argument(
            "--user",
            help="import as this user: their province and permissions apply and the audit rows name them "
            "(default: the server's operator, nationwide)",
        )

    def handle(self, *args, kind, file, dry_run, user=None, **options):
        scope, by = NATION, "command"
        if user:
            from revive.accounts.models import User
            from revive.accounts.roles import has_perm
            from revive.core.scoping import ScopeKind, scope_for

            by = User.objects.filter(username=user, is_active=True).first()
            if by is None:
                raise CommandError(_("No active user “%(user)s”.") % {"user": user})
            scope = scope_for(by)
            if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE) or not has_perm(by, KINDS[kind].perm):
                raise CommandError(_("You may not import this kind."))
        path = Path(file)
        try:
            if path.stat().st_size > 50 * 1024 * 1024:
                raise CommandError(
                    _("The file is larger than %(mb)s MB: split it into smaller files.") % {"mb": 50}
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
        self.stdout.write(
            _("%(rows)s rows: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % counts
        )
        for change in preview.changed[:50]:
            self.stdout.write(f"  {change.row}: {change.key.replace('|', ' ')}: {', '.join(change.fields)}")
        if preview.errors:
            for e in preview.errors:
                self.stderr.write(f"{_('row')} {e.row}, {e.column}, «{e.value}»: {e.message}")
            raise CommandError(
                _("Nothing was imported: %(n)s errors. Correct the rows and run the command again.")
                % {"n": len(preview.errors)}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))
