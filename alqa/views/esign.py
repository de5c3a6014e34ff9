"""Qualified e-signatures: the roots administrators install as trusted (/admin-tools/esign-roots/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.trusted_roots import add_trusted_root, deactivate_trusted_root
from alqa.forms.common import apply_errors
from alqa.forms.esign import TrustedRootForm
from alqa.models import TrustedRoot
from alqa.queries.esign import trusted_root_rows


@login_required
def trusted_roots(request):
    """The installed roots and the form to install one."""
    if not permissions.can_manage_trusted_roots(request.user):
        raise PermissionDenied
    form = TrustedRootForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            root = add_trusted_root(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The certificate “%(name)s” is trusted now.") % {"name": root.name})
            return redirect("trusted_roots")
    return render(request, "alqa/esign/trusted_roots.html", {"form": form, "roots": trusted_root_rows()})


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
