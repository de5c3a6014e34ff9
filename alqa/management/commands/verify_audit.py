import re

from django.core.management.base import BaseCommand, CommandError

from alqa.domain.audit import chain_head, verify_chain

_DIGEST = re.compile(r"[0-9a-f]{64}")


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's chain of keyed digests; fail if any row was edited, deleted, "
        "inserted or reordered, or if the head exported earlier (--expect-head) is not in the chain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="HEX",
            help="a head digest exported earlier (--print-head, or the daily mail): fail if the chain "
            "no longer contains it (the chain was cut and its head moved back)",
        )
        parser.add_argument(
            "--print-head",
            action="store_true",
            help="print only the head digest (after a successful check), to export it",
        )

    def handle(self, *args, **options):
        expected = options["expect_head"]
        if expected is not None:
            expected = expected.strip().lower()
            if not _DIGEST.fullmatch(expected):
                raise CommandError("--expect-head takes a digest of 64 hexadecimal digits.")
        checked, problems = verify_chain(expect_head=expected)
        for problem in problems:
            where = f"event {problem.event_id}" if problem.event_id else "chain"
            self.stderr.write(f"{where}: {problem.message}")
        if problems:
            raise CommandError(
                f"Audit trail is NOT intact: {len(problems)} problem(s) in {checked} event(s)."
            )
        head = chain_head()
        if options["print_head"]:
            self.stdout.write(head.digest)
            return
        self.stdout.write(f"Audit trail intact: {checked} event(s) checked.")
        if expected is not None:
            self.stdout.write(f"The exported head {expected} is in the chain.")
        newest = f", newest at {head.last_at.isoformat()}" if head.last_at else ""
        self.stdout.write(f"Head: {head.digest} ({head.events} event(s){newest})")
