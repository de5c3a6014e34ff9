"""The trusted roots of e-signatures (/admin-tools/esign-roots/, and the admin site) and the ИИН on
the profile page, as administrators and users see them."""

import hashlib
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from alqa.domain.users import set_iin, update_profile
from alqa.models import AuditEvent, RevocationList, TrustedRoot, User
from tests.esign_pki import OTHER_IIN, SIGNER_IIN, make_ca, make_crl, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waive_mfa")]

URL = "/admin-tools/esign-roots/"


@pytest.fixture(scope="module")
def root():
    return make_ca("Test Root CA (RSA)", key_index=0)


@pytest.fixture
def admin_client(client, admin_user):
    update_profile(admin_user, actor=admin_user, changes={"language": "en"})
    client.force_login(admin_user)
    return client


def said(language: str, msgid: str, **params) -> str:
    with translation.override(language):
        text = gettext(msgid)
    return escape(text % params if params else text)


def test_an_administrator_installs_nca_style_der_file_and_it_is_listed_and_audited(admin_client, root):
    der = root.cert.public_bytes(serialization.Encoding.DER)
    response = admin_client.post(
        URL,
        {
            "action": "root",
            "name": "НУЦ РК корневой (RSA)",
            "certificate_file": SimpleUploadedFile("root_rsa.cer", der),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "The certificate “НУЦ РК корневой (RSA)” is trusted now." in html
    stored = TrustedRoot.objects.get()
    assert stored.active and stored.body is None
    assert stored.fingerprint_sha256 == hashlib.sha256(der).hexdigest()
    assert stored.pem.startswith("-----BEGIN CERTIFICATE-----")
    assert "C=KZ,CN=Test Root CA (RSA)" in html
    assert hashlib.sha256(der).hexdigest()[:8].upper() in html.replace(":", "")
    assert "every body" in html
    event = AuditEvent.objects.get(action="esign.root_added")
    assert event.object_id == str(stored.pk)
    assert event.data["fingerprint_sha256"] == stored.fingerprint_sha256


def test_a_root_pasted_as_pem_text_can_be_trusted_for_one_body(admin_client, root, body):
    response = admin_client.post(
        URL, {"action": "root", "name": "Body root", "certificate_text": root.pem, "body": body.pk}
    )
    assert response.status_code == 302
    assert TrustedRoot.objects.get().body == body
    assert AuditEvent.objects.get(action="esign.root_added").body == body


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("nothing", "Choose a certificate file or paste its text."),
        ("junk", "This is not a readable certificate (expected a .cer or .pem file)."),
        ("person", "This certificate is not a certification authority"),
        ("expired", "This certificate expired on Dec. 31, 2023."),
        ("two certificates", "Give exactly one certificate"),
        ("file and text", "Give the certificate either as a file or as text, not both."),
    ],
)
def test_what_is_not_a_valid_ca_certificate_is_refused_and_nothing_stored(admin_client, root, case, message):
    data = {"action": "root", "name": "Root"}
    if case == "junk":
        data["certificate_file"] = SimpleUploadedFile("root.cer", b"\x30\x03\x02\x01\x01")
    elif case == "person":
        data["certificate_text"] = make_person("ИСАЕВ ТИМУР", issuer=root).pem
    elif case == "expired":
        data["certificate_text"] = make_ca(
            "Old Root",
            key_index=2,
            not_before=datetime(2015, 1, 1, tzinfo=UTC),
            not_after=datetime(2023, 12, 31, 12, tzinfo=UTC),
        ).pem
    elif case == "two certificates":
        data["certificate_text"] = root.pem + root.pem
    elif case == "file and text":
        data["certificate_text"] = root.pem
        data["certificate_file"] = SimpleUploadedFile("root.pem", root.pem.encode())
    response = admin_client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(message) in html
    assert "The certificate was not installed: correct the fields marked below." in html
    assert not TrustedRoot.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="esign.").exists()


def test_the_refusal_speaks_russian_and_kazakh(client, admin_user, root):
    client.force_login(admin_user)
    person = make_person("ИСАЕВ ТИМУР", issuer=root).pem
    for language in ("ru", "kk"):
        update_profile(admin_user, actor=admin_user, changes={"language": language})
        html = client.post(
            URL, {"action": "root", "name": "Root", "certificate_text": person}
        ).content.decode()
        assert said(language, "The certificate was not installed: correct the fields marked below.") in html
        text = said(
            language,
            "This certificate is not a certification authority's (it is a person's or a server's); "
            "install the authority's root certificate.",
        )
        assert text in html
        assert text != said("en", "The certificate was not installed: correct the fields marked below.")


def test_the_same_root_twice_is_refused_and_deactivation_is_idempotent_and_audited(admin_client, root):
    assert (
        admin_client.post(URL, {"action": "root", "name": "Root", "certificate_text": root.pem}).status_code
        == 302
    )
    again = admin_client.post(URL, {"action": "root", "name": "Root again", "certificate_text": root.pem})
    assert escape("This certificate is installed already (“Root”).") in again.content.decode()
    stored = TrustedRoot.objects.get()

    deactivate = f"{URL}{stored.pk}/deactivate/"
    html = admin_client.post(deactivate, follow=True).content.decode()
    assert "is no longer trusted" in html
    assert "deactivated" in html
    admin_client.post(deactivate)
    stored.refresh_from_db()
    assert not stored.active
    assert AuditEvent.objects.filter(action="esign.root_deactivated").count() == 1

    # installing the same certificate again makes it active again, under the new name
    assert (
        admin_client.post(
            URL, {"action": "root", "name": "Root, back", "certificate_text": root.pem}
        ).status_code
        == 302
    )
    stored.refresh_from_db()
    assert stored.active and stored.name == "Root, back"
    assert TrustedRoot.objects.count() == 1
    assert AuditEvent.objects.filter(action="esign.root_reactivated").count() == 1


def test_only_installation_administrators_reach_the_page(client, chair, root, admin_user):
    assert client.get(URL).status_code == 302  # to sign in
    client.force_login(chair.user)
    assert client.get(URL).status_code == 403
    assert (
        client.post(URL, {"action": "root", "name": "Root", "certificate_text": root.pem}).status_code == 403
    )
    assert not TrustedRoot.objects.exists()
    from alqa.domain.trusted_roots import add_trusted_root

    stored = add_trusted_root(name="Root", certificate=root.pem.encode(), body=None, actor=admin_user)
    assert client.post(f"{URL}{stored.pk}/deactivate/").status_code == 403
    stored.refresh_from_db()
    assert stored.active
    assert f'href="{URL}"' not in client.get("/profile/").content.decode()


def test_the_admin_site_lists_roots_and_deactivates_through_the_domain(admin_client, admin_user, root):
    from alqa.domain.trusted_roots import add_trusted_root

    stored = add_trusted_root(name="Root", certificate=root.pem.encode(), body=None, actor=admin_user)
    listing = admin_client.get("/admin/alqa/trustedroot/")
    assert listing.status_code == 200
    assert stored.fingerprint_sha256 in listing.content.decode()
    assert admin_client.get("/admin/alqa/trustedroot/add/").status_code == 403
    assert admin_client.post(f"/admin/alqa/trustedroot/{stored.pk}/delete/").status_code == 403
    admin_client.post("/admin/alqa/trustedroot/", {"action": "deactivate", "_selected_action": [stored.pk]})
    stored.refresh_from_db()
    assert not stored.active
    assert AuditEvent.objects.filter(action="esign.root_deactivated", actor=admin_user).count() == 1


def test_an_administrator_uploads_a_revocation_list_once(admin_client, root):
    crl = make_crl(root, {7: datetime(2026, 6, 1, tzinfo=UTC)}, issued=datetime(2026, 6, 2, tzinfo=UTC))
    response = admin_client.post(
        URL, {"action": "crl", "crl_file": SimpleUploadedFile("nca_rsa.crl", crl)}, follow=True
    )
    html = response.content.decode()
    assert "The revocation list has been uploaded." in html
    stored = RevocationList.objects.get()
    assert stored.issuer == "C=KZ,CN=Test Root CA (RSA)"
    assert stored.revoked_count == 1
    assert bytes(stored.der) == crl
    assert "June 2, 2026" in html and "June 2, 2027" in html
    event = AuditEvent.objects.get(action="esign.crl_added")
    assert event.data["revoked_count"] == 1

    again = admin_client.post(URL, {"action": "crl", "crl_file": SimpleUploadedFile("nca_rsa.crl", crl)})
    assert "This revocation list has been uploaded already." in again.content.decode()
    junk = admin_client.post(URL, {"action": "crl", "crl_file": SimpleUploadedFile("x.crl", b"not a list")})
    assert "This is not a readable certificate revocation list (.crl)." in junk.content.decode()
    assert "The revocation list was not uploaded: correct the field marked below." in junk.content.decode()
    assert RevocationList.objects.count() == 1
    assert AuditEvent.objects.filter(action="esign.crl_added").count() == 1


# --- The ИИН on the profile ----------------------------------------------------------------------


@pytest.fixture
def user_client(client, member):
    update_profile(member.user, actor=member.user, changes={"language": "en"})
    client.force_login(member.user)
    return client


def test_a_user_enters_their_iin_and_sees_it_masked(user_client, member):
    response = user_client.post("/profile/", {"action": "iin", "iin": " 8501 1530 0001 "}, follow=True)
    html = response.content.decode()
    assert "Your IIN has been saved." in html
    assert "8501••••••01" in html
    assert SIGNER_IIN not in html
    member.user.refresh_from_db()
    assert member.user.iin == SIGNER_IIN
    event = AuditEvent.objects.get(action="user.iin_changed")
    assert event.data == {"iin": ["", "8501••••••01"]}
    assert SIGNER_IIN not in str(event.data)

    html = user_client.post("/profile/", {"action": "iin_clear"}, follow=True).content.decode()
    assert "Your IIN has been removed from your profile." in html
    assert "No IIN is on your profile yet." in html
    member.user.refresh_from_db()
    assert member.user.iin == ""
    assert AuditEvent.objects.filter(action="user.iin_changed").count() == 2


@pytest.mark.parametrize("value", ["850115300002", "12345", "991340300001", "abcdefghijkl"])
def test_a_number_that_is_not_an_iin_is_refused(user_client, member, value):
    html = user_client.post("/profile/", {"action": "iin", "iin": value}).content.decode()
    assert "This is not a valid IIN: 12 digits, beginning with the date of birth, with a check digit." in html
    assert "The IIN was not saved: correct the field marked below." in html
    member.user.refresh_from_db()
    assert member.user.iin == ""
    assert not AuditEvent.objects.filter(action="user.iin_changed").exists()


def test_an_iin_on_another_users_profile_is_refused(user_client, member, chair):
    set_iin(chair.user, actor=chair.user, iin=OTHER_IIN)
    html = user_client.post("/profile/", {"action": "iin", "iin": OTHER_IIN}).content.decode()
    assert "This IIN is on another user&#x27;s profile. If it is yours, ask an administrator." in html
    assert User.objects.filter(iin=OTHER_IIN).count() == 1


def test_saving_the_same_iin_again_records_nothing(member):
    set_iin(member.user, actor=member.user, iin=SIGNER_IIN)
    set_iin(member.user, actor=member.user, iin=SIGNER_IIN)
    assert AuditEvent.objects.filter(action="user.iin_changed").count() == 1


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_iin_section_speaks_russian_and_kazakh(client, member, language):
    update_profile(member.user, actor=member.user, changes={"language": language})
    client.force_login(member.user)
    html = client.post("/profile/", {"action": "iin", "iin": "850115300002"}).content.decode()
    assert said(language, "IIN for electronic signatures") in html
    message = said(
        language, "This is not a valid IIN: 12 digits, beginning with the date of birth, with a check digit."
    )
    assert message in html
    assert (
        message != "This is not a valid IIN: 12 digits, beginning with the date of birth, with a check digit."
    )


def test_an_administrator_corrects_an_iin_on_the_admin_site_with_the_same_checks(admin_client, member, chair):
    set_iin(chair.user, actor=chair.user, iin=OTHER_IIN)
    url = f"/admin/alqa/user/{member.user.pk}/change/"
    form = {
        "email": member.user.email,
        "full_name": member.user.full_name,
        "language": "ru",
        "is_active": "on",
    }
    bad = admin_client.post(url, form | {"iin": "850115300002"})
    assert "This is not a valid IIN" in bad.content.decode()
    taken = admin_client.post(url, form | {"iin": OTHER_IIN})
    assert "This IIN is on another user&#x27;s profile." in taken.content.decode()
    member.user.refresh_from_db()
    assert member.user.iin == ""
    assert admin_client.post(url, form | {"iin": SIGNER_IIN}).status_code == 302
    member.user.refresh_from_db()
    assert member.user.iin == SIGNER_IIN
    assert "iin" in AuditEvent.objects.filter(action="admin.changed").latest("pk").data["fields"]


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_roots(
    admin_client, admin_user, body, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alqa.domain.trusted_roots import add_revocation_list, add_trusted_root

    first = make_ca("Root 1", key_index=0)
    add_trusted_root(name="Root 1", certificate=first.pem.encode(), body=None, actor=admin_user)
    add_revocation_list(crl=make_crl(first, {}, issued=datetime(2026, 6, 1, tzinfo=UTC)), actor=admin_user)
    admin_client.get(URL)  # the header and the session are read once
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(URL).status_code == 200
    with_one = len(one.captured_queries)  # read now: the next request empties the connection's log
    for index in (1, 2):
        root = make_ca(f"Root {index + 1}", key_index=index)
        add_trusted_root(name=f"Root {index + 1}", certificate=root.pem.encode(), body=body, actor=admin_user)
        add_revocation_list(
            crl=make_crl(
                root, {5: datetime(2026, 6, 1, tzinfo=UTC)}, issued=datetime(2026, 6, 1, tzinfo=UTC)
            ),
            actor=admin_user,
        )
    admin_client.get(URL)
    with django_assert_max_num_queries(with_one):
        html = admin_client.get(URL).content.decode()
    assert html.count('class="trusted-root"') == 3
    assert html.count('class="revocation-list"') == 3
