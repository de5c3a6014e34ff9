from django.contrib import admin
from django.urls import include, path

from alqa.api import api
from alqa.views import account, audit, bodies, workdays

urlpatterns = [
    path("", bodies.home, name="home"),
    path("bodies/new/", bodies.body_new, name="body_new"),
    path("bodies/switch/", bodies.switch_body, name="switch_body"),
    path("bodies/<int:body_id>/", bodies.body_detail, name="body"),
    path("bodies/<int:body_id>/members/", bodies.member_list, name="members"),
    path("bodies/<int:body_id>/members/new/", bodies.member_new, name="member_new"),
    path("bodies/<int:body_id>/units/", bodies.unit_list, name="units"),
    path("bodies/<int:body_id>/units/new/", bodies.unit_form, name="unit_new"),
    path("bodies/<int:body_id>/units/<int:unit_id>/", bodies.unit_form, name="unit_edit"),
    path("bodies/<int:body_id>/participants/", bodies.guest_list, name="guests"),
    path("bodies/<int:body_id>/policy/", bodies.policy, name="policy"),
    path("bodies/<int:body_id>/audit/", audit.audit, name="body_audit"),
    path("members/<int:member_id>/", bodies.member_detail, name="member"),
    path("members/<int:member_id>/edit/", bodies.member_edit, name="member_edit"),
    path("audit/", audit.audit, name="audit"),
    # meetings and proposals (pages): alqa/views/meetings.py, alqa/views/proposals.py
    # documents (print pack, .ics, calendar feed): alqa/views/documents.py
    path("workdays/", workdays.calculator, name="workdays"),
    path("workdays/calendar/", workdays.calendar_year, name="calendar"),
    path("workdays/calendar/new/", workdays.calendar_exception_new, name="calendar_exception_new"),
    path("profile/", account.profile, name="profile"),
    path("lang/", account.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
