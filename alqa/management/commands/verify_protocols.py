from django.core.management.base import BaseCommand, CommandError

from alqa.domain.protocols import verify_protocols


class Command(BaseCommand):
    help = (
        "Check every signed protocol revision against its stored hash, its PDF's hash, its signatures "
        "and their audit events; fail on any sign of tampering."
    )

    def handle(self, *args, **options):
        checked, problems = verify_protocols()
        for problem in problems:
            self.stderr.write(f"protocol {problem.protocol_id} {problem.label}: {problem.message}")
        if problems:
            raise CommandError(
                f"Protocols NOT intact: {len(problems)} problem(s) in {checked} signed revision(s)."
            )
        self.stdout.write(f"Protocols intact: {checked} signed revision(s) checked.")
