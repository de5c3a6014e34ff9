"""Qualified e-signatures: the roots administrators install as trusted and the revocation lists they
upload (/admin-tools/esign-roots/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.trusted_roots import add_revocation_list, add_trusted_root, deactivate_trusted_root
from alqa.forms.common import apply_errors
from alqa.forms.esign import RevocationListForm, TrustedRootForm
from alqa.models import TrustedRoot
from alqa.queries.esign import revocation_list_rows, trusted_root_rows


@login_required
def trusted_roots(request):
    """The installed roots and revocation lists, and the forms to add one of each."""
    if not permissions.can_manage_trusted_roots(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    form = TrustedRootForm(*((request.POST, request.FILES) if action == "root" else ()))
    crl_form = RevocationListForm(*((request.POST, request.FILES) if action == "crl" else ()))
    if action == "root" and form.is_valid():
        try:
            root = add_trusted_root(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The certificate “%(name)s” is trusted now.") % {"name": root.name})
            return redirect("trusted_roots")
    if action == "crl" and crl_form.is_valid():
        try:
            add_revocation_list(actor=request.user, **crl_form.cleaned_data)
        except ValidationError as exc:
            apply_errors(crl_form, exc)
        else:
            messages.success(request, _("The revocation list has been uploaded."))
            return redirect("trusted_roots")
    return render(
        request,
        "alqa/esign/trusted_roots.html",
        {
            "form": form,
            "crl_form": crl_form,
            "roots": trusted_root_rows(),
            "revocation_lists": revocation_list_rows(),
        },
    )


@login_required
@require_POST
def trusted_root_deactivate(request, root_id):
    if not permissions.can_manage_trusted_roots(request.user):
        raise PermissionDenied
    root = deactivate_trusted_root(get_object_or_404(TrustedRoot, pk=root_id), actor=request.user)
    messages.success(
        request,
        _(
            "The certificate “%(name)s” is no longer trusted: signatures verified from now on cannot rely on it."
        )
        % {"name": root.name},
    )
    return redirect("trusted_roots")
