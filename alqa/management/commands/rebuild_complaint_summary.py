from django.core.management.base import BaseCommand, CommandError

from alqa.domain.complaint_summary import differences, rebuild
from alqa.models import Body


class Command(BaseCommand):
    help = (
        "Count the summaries of the complaints analytics again from the register's rows (one body "
        "or all), audited; then check them against the GROUP BY over the rows. Repeating it changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--body", type=int, metavar="ID", help="only this body's summaries")
        parser.add_argument(
            "--check", action="store_true", help="only compare the summaries with the rows; change nothing"
        )

    def handle(self, *args, **options):
        body = None
        if options["body"] is not None:
            body = Body.objects.filter(pk=options["body"]).first()
            if body is None:
                raise CommandError(f"No body {options['body']}.")
        if not options["check"]:
            counted = rebuild(actor=None, body=body)
            self.stdout.write(f"Summaries counted again from {counted} complaint(s).")
        found = differences(body)
        for table, key, summary, rows in found[:20]:
            self.stderr.write(f"{table} {key}: {summary} in the summary, {rows} in the rows")
        if found:
            raise CommandError(f"The summaries differ from the rows in {len(found)} place(s).")
        self.stdout.write("The summaries equal the GROUP BY over the rows.")
