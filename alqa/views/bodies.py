"""Pages of the body: overview, register of members, units, invited participants, policy."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.bodies import add_guest, create_body, create_unit, update_policy, update_unit
from alqa.domain.meetings import body_cadence
from alqa.domain.members import add_member, update_member
from alqa.enums import AppointmentBasis, Role, Side
from alqa.forms.common import apply_errors
from alqa.forms.registry import BodyForm, GuestForm, MemberForm, PolicyForm, UnitForm
from alqa.models import AuditEvent, Guest, Member, Unit
from alqa.queries.protocols import due_list
from alqa.views.common import query_text


@login_required
def home(request):
    current_id = permissions.current_body_id(request.user, request.session)
    if current_id is not None:
        return redirect("body", body_id=current_id)
    # An invited participant belongs to no body: they see the meetings they are invited to.
    bodies = permissions.listed_bodies_for_user(request.user)
    my_meetings = permissions.meetings_for_user(request.user).select_related("body").order_by("-starts_at")
    return render(request, "alqa/bodies/home.html", {"bodies": bodies, "my_meetings": my_meetings})


@login_required
@require_POST
def switch_body(request):
    body = permissions.get_body_for_user(request.user, request.POST.get("body_id"))
    request.session[settings.BODY_SESSION_KEY] = body.pk
    return redirect("body", body_id=body.pk)


@login_required
def body_new(request):
    if not permissions.can_create_body(request.user):
        raise PermissionDenied
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = create_body(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The body has been created."))
            return redirect("body", body_id=body.pk)
    return render(request, "alqa/bodies/form.html", {"form": form})


@login_required
def body_detail(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    request.session[settings.BODY_SESSION_KEY] = body.pk
    today = timezone.localdate()
    counts = (
        Member.objects.filter(body=body)
        .on(today)
        .aggregate(police=Count("id", filter=Q(side=Side.POLICE)), bar=Count("id", filter=Q(side=Side.BAR)))
    )
    # chair, deputy chairs, secretary (the roles' codes sort in that order), then by name
    leaders = (
        Member.objects.filter(body=body)
        .on(today)
        .exclude(role=Role.MEMBER)
        .select_related("unit")
        .order_by("role", "full_name")
    )
    policy = permissions.get_policy_for_user(request.user, body.pk)
    return render(
        request,
        "alqa/bodies/detail.html",
        {
            "body": body,
            # policy.body carries its policy already (select_related): one query for the cadence
            "cadence": body_cadence(policy.body, today=today),
            "counts": counts,
            "leaders": leaders,
            "policy": policy,
            "units_count": Unit.objects.filter(body=body).count(),
            "guests_count": Guest.objects.filter(body=body).count(),
            "can_manage": permissions.can_manage_body(request.user, body),
            "can_view_audit": permissions.can_view_audit(request.user, body),
            # what the secretary and the chair must do about protocols: due, due today, overdue
            "protocols_due": due_list(body.pk) if permissions.can_manage_body(request.user, body) else [],
        },
    )


MEMBERS_PER_PAGE = 100


@login_required
def member_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    on_raw = request.GET.get("on", "")
    try:
        on = parse_date(on_raw) if on_raw else None
    except ValueError:
        on = None
    bad_date = bool(on_raw) and on is None
    members = Member.objects.filter(body=body).select_related("unit")
    if not request.GET.get("all"):
        members = members.on(on or timezone.localdate())
    side = request.GET.get("side")
    if side in Side.values:
        members = members.filter(side=side)
    role = request.GET.get("role")
    if role in Role.values:
        members = members.filter(role=role)
    q = query_text(request)
    if q:
        members = members.filter(Q(full_name__icontains=q) | Q(position__icontains=q) | Q(email__icontains=q))
    # Display values prepared here, once per label and per date, rather than per row in the
    # template (get_*_display, {% url %} and |date cost most of a 500-row page's CPU).
    side_labels = {value: str(label) for value, label in Side.choices}
    role_labels = {value: str(label) for value, label in Role.choices}
    basis_labels = {value: str(label) for value, label in AppointmentBasis.choices}
    now = _("now")
    dates: dict = {}

    def short(day):
        if day not in dates:
            dates[day] = date_format(day, "SHORT_DATE_FORMAT")
        return dates[day]

    # A hundred rows a page: a group's register fits on one; a long history of periods pages.
    page = Paginator(members.order_by("side", "full_name", "pk"), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    for m in rows:
        m.side_label = side_labels.get(m.side, m.side)
        m.role_label = role_labels.get(m.role, m.role)
        m.period = f"{short(m.active_from)} — {short(m.active_to) if m.active_to else now}"
        m.basis = _basis_label(m, basis_labels, short)
    return render(
        request,
        "alqa/members/list.html",
        {
            "body": body,
            "members": rows,
            "page": page,
            "query": query.urlencode(),
            "member_url_prefix": reverse("member", args=[0])[:-2],
            "on": on,
            "bad_date": bad_date,
            "side": side,
            "role": role,
            "q": q,
            "show_all": bool(request.GET.get("all")),
            "sides": Side.choices,
            "roles": Role.choices,
            "can_manage": permissions.can_manage_body(request.user, body),
            "today": timezone.localdate(),
        },
    )


def _basis_label(member: Member, labels: dict[str, str], short) -> str:
    """«Presidium resolution No. 12 of 10.01.2025» (clause 1.3), or "" when none was recorded."""
    if not member.basis_kind:
        return ""
    label = labels.get(member.basis_kind, member.basis_kind)
    if member.basis_number:
        label = _("%(kind)s No. %(number)s") % {"kind": label, "number": member.basis_number}
    if member.basis_date:
        label = _("%(document)s of %(day)s") % {"document": label, "day": short(member.basis_date)}
    return label


@login_required
def member_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    form = MemberForm(request.POST or None, body=body, initial={"active_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            member = add_member(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s has been added to the register.") % {"name": member.full_name}
            )
            return redirect("member", member_id=member.pk)
    return render(request, "alqa/members/form.html", {"form": form, "body": body, "member": None})


@login_required
def member_detail(request, member_id):
    member = permissions.get_member_for_user(request.user, member_id)
    history = AuditEvent.objects.filter(object_type="member", object_id=str(member.pk)).select_related(
        "actor"
    )
    return render(
        request,
        "alqa/members/detail.html",
        {
            "member": member,
            "body": member.body,
            "history": history,
            "can_manage": permissions.can_manage_body(request.user, member.body),
        },
    )


@login_required
def member_edit(request, member_id):
    member = permissions.get_member_for_user(request.user, member_id, write=True)
    form = MemberForm(request.POST or None, instance=member, body=member.body)
    if request.method == "POST" and form.is_valid():
        try:
            update_member(member, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("member", member_id=member.pk)
    return render(request, "alqa/members/form.html", {"form": form, "body": member.body, "member": member})


@login_required
def unit_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    units = permissions.units_of(body).annotate(member_count=Count("members"))
    return render(
        request,
        "alqa/units/list.html",
        {"body": body, "units": units, "can_manage": permissions.can_manage_body(request.user, body)},
    )


@login_required
def unit_form(request, body_id, unit_id=None):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    unit = permissions.get_unit_for_user(request.user, unit_id, write=True) if unit_id else None
    if unit is not None and unit.body_id != body.pk:
        raise PermissionDenied
    form = UnitForm(request.POST or None, instance=unit, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                create_unit(body=body, actor=request.user, **form.cleaned_data)
            else:
                update_unit(unit, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The unit has been saved."))
            return redirect("units", body_id=body.pk)
    return render(request, "alqa/units/form.html", {"form": form, "body": body, "unit": unit})


@login_required
def guest_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    can_manage = permissions.can_manage_body(request.user, body)
    form = GuestForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                add_guest(body=body, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The invited participant has been added."))
                return redirect("guests", body_id=body.pk)
    return render(
        request,
        "alqa/guests/list.html",
        {"body": body, "guests": Guest.objects.filter(body=body), "form": form, "can_manage": can_manage},
    )


@login_required
def policy(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    can_change = permissions.can_change_policy(request.user, body)
    current = permissions.get_policy_for_user(request.user, body.pk, write=request.method == "POST")
    form = PolicyForm(request.POST or None, instance=current) if can_change else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            update_policy(current, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The policy has been saved."))
            return redirect("policy", body_id=body.pk)
    return render(
        request,
        "alqa/bodies/policy.html",
        {"body": body, "policy": current, "form": form, "can_change": can_change},
    )
