from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the secretaries' register, never by public sign-up."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        # allauth mails (password reset) go through the outbox like every other mail.
        from django.template.loader import render_to_string

        from alqa.domain.outbox import queue_raw_mail

        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        text = render_to_string(f"{template_prefix}_message.txt", context)
        queue_raw_mail(to=email, subject=self.format_email_subject(subject), text=text)
