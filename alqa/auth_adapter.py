from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the secretaries' register, never by public sign-up. allauth's
    own writes that matter to the record — a password set (by reset or change) and a mail
    queued (a reset link) — go through the audit trail like every other change."""

    def is_open_for_signup(self, request):
        return False

    def set_password(self, user, password):
        from alqa.domain.audit import record_event

        user.set_password(password)
        with transaction.atomic():
            user.save(update_fields=["password"])
            # the password itself is never stored in the trail, only that it was set and by whom
            record_event(user, "user.password_set", actor=user, body=None)

    def send_mail(self, template_prefix, email, context):
        # allauth mails (password reset) go through the outbox like every other mail.
        from django.template.loader import render_to_string

        from alqa.domain.audit import record_event
        from alqa.domain.outbox import queue_raw_mail

        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        text = render_to_string(f"{template_prefix}_message.txt", context)
        user = context.get("user")  # allauth names the account it writes about; none for an unknown address
        with transaction.atomic():
            queue_raw_mail(to=email, subject=self.format_email_subject(subject), text=text)
            # which mail (a reset link, or "no account with this address") and to whom; the
            # link itself is never stored in the trail
            record_event(
                user,
                # allauth's mails as audit actions (alqa/queries/audit_actions.py gives each its sentence)
                "user.password_reset_mailed"
                if template_prefix == "account/email/password_reset_key"
                else "account.unknown_address_mailed"
                if template_prefix == "account/email/unknown_account"
                else "account.mail_queued",
                actor=None,
                body=None,
                data={"mail": template_prefix.rsplit("/", 1)[-1], "to": email},
                object_type="user",
                object_id=str(user.pk) if user else "",
            )
