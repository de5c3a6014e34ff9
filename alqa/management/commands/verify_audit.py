from django.core.management.base import BaseCommand, CommandError

from alqa.domain.audit import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit trail's chain of digests; fail if any row was edited, deleted or reordered."

    def handle(self, *args, **options):
        checked, problems = verify_chain()
        for problem in problems:
            where = f"event {problem.event_id}" if problem.event_id else "chain"
            self.stderr.write(f"{where}: {problem.message}")
        if problems:
            raise CommandError(
                f"Audit trail is NOT intact: {len(problems)} problem(s) in {checked} event(s)."
            )
        self.stdout.write(f"Audit trail intact: {checked} event(s) checked.")
