"""Company editors: formatted descriptions (Word paste cleaned), occupations by search, preview; staff see a diff."""

import pytest
from django.urls import reverse

from portal import selectors
from portal.models import ChangeRequest
from portal.tests.factories import OfferFactory, SiteFactory, occupation
from portal.validators import ALLOWED_TAGS, html_clean

pytestmark = pytest.mark.django_db

WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><style><!-- p.MsoNormal {margin:0cm; font-family:"Calibri"} --></style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]--></head>
<body lang=DE style='tab-interval:35.4pt'>
<h1 class=MsoTitle>Über uns</h1>
<p class=MsoNormal style='margin-bottom:0cm'><b><span style='font-size:12.0pt;font-family:"Arial",sans-serif;
mso-fareast-language:DE'>Seit 1950</span></b><span style='font-size:12.0pt'> bauen wir <i>Förderanlagen</i>.<o:p></o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>Mechatronik<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>Elektronik<o:p></o:p></p>
<script>alert("x")</script><p onclick="steal()">Mehr auf <a href="javascript:alert(1)">hier</a> und
<a href="https://www.drahtwerk.example/ausbildung" style="color:red" target="_blank">unserer Website</a>.</p>
<img src=x onerror=alert(1)><table><tr><td>Tabelle</td></tr></table>
</body></html>"""


def _profile_post(profile, **overrides):
    data = {
        "name": profile.name, "short_description": "Drähte aus Coesfeld", "description": "<p>Seit 1950.</p>",
        "sector": "metall", "employees": "120", "founded_year": "1950", "website": "", "linkedin_url": "",
        "instagram_url": "", "facebook_url": "", "youtube_url": "", "occupations": [occupation().pk],
    }  # fmt: skip
    data.update(overrides)
    return data


def test_word_text_is_stored_as_clean_formatting(login, editor_a, portal_a):
    """A description pasted from Word (styles, spans, <o:p>, a script) keeps only bold, italic, lists and links."""
    response = login(editor_a).post(
        reverse("portal:profile_edit", args=[portal_a.pk]), _profile_post(portal_a, description=WORD_HTML)
    )
    assert response.status_code == 302
    portal_a.refresh_from_db()
    stored = portal_a.description
    assert "<b>Seit 1950</b> bauen wir <i>Förderanlagen</i>." in stored
    assert "<ul><li>Mechatronik</li>" in stored and "<li>Elektronik</li>" in stored and "</ul>" in stored
    assert (
        '<a href="https://www.drahtwerk.example/ausbildung" rel="noopener noreferrer nofollow">unserer Website</a>'
        in stored
    )
    for gone in ("style", "class=", "<span", "o:p", "<script", "alert", "onclick", "onerror", "<img", "mso-",
                 "javascript:", "<table", "target=", "&nbsp;</p>", "<p></p>", "<h1"):  # fmt: skip
        assert gone not in stored, gone
    assert set(__import__("re").findall(r"<([a-z0-9]+)", stored)) <= ALLOWED_TAGS
    # the editor is told that more than layout was removed (the script, the event handlers)
    follow = login(editor_a).get(reverse("portal:editor_dashboard", args=[portal_a.pk]))
    assert "wurden aus der Beschreibung entfernt" in follow.content.decode()


def test_clean_editor_output_is_stored_unchanged_and_without_warning(login, editor_a, portal_a):
    html = "<h3>Ausbildung</h3><p><b>Fett</b> und <i>kursiv</i></p><ol><li>eins</li><li>zwei</li></ol><h4>Kontakt</h4>"
    editor = login(editor_a)
    editor.post(reverse("portal:profile_edit", args=[portal_a.pk]), _profile_post(portal_a, description=html))
    portal_a.refresh_from_db()
    assert portal_a.description == html
    assert "entfernt" not in editor.get(reverse("portal:editor_dashboard", args=[portal_a.pk])).content.decode()
    assert html_clean("<p><br></p><p>&nbsp;</p>") == ""


def test_without_javascript_the_description_is_a_textarea_with_the_allowed_tags_named(login, editor_a, portal_a):
    body = login(editor_a).get(reverse("portal:profile_edit", args=[portal_a.pk])).content.decode()
    assert '<textarea name="description"' in body and "data-rich-text" in body
    assert 'data-rich-text-for="id_description" hidden' in body  # the toolbar appears only with JavaScript
    assert "&lt;strong&gt;" in body and "&lt;h3&gt;/&lt;h4&gt;" in body
    assert "<script>" not in body and "onclick" not in body
    assert 'src="/static/portal/editor.js" defer' in body and 'src="/static/vendor/squire.js" defer' in body


def test_occupations_are_chips_and_are_added_by_name(login, editor_a, portal_a):
    editor = login(editor_a)
    mechatronics = occupation()
    portal_a.occupations.add(mechatronics)
    page = editor.get(reverse("portal:profile_edit", args=[portal_a.pk])).content.decode()
    assert f'<input type="checkbox" name="occupations" value="{mechatronics.pk}" checked> Mechatroniker/-in' in page
    assert page.count('type="checkbox" name="occupations"') == 1  # not 52 checkboxes
    assert '<datalist id="id_occupations_alle">' in page and 'hx-get="/portal/berufe-vorschlaege/"' in page
    # unticking removes; a typed name adds (the form works without JavaScript)
    response = editor.post(
        reverse("portal:profile_edit", args=[portal_a.pk]),
        _profile_post(portal_a, occupations=[], occupations_neu="Kauffrau für Büromanagement; Chemikantin"),
    )
    assert response.status_code == 302
    assert sorted(portal_a.occupations.values_list("name", flat=True)) == [
        "Chemikant/-in", "Kaufmann/-frau für Büromanagement",
    ]  # fmt: skip


def test_unknown_or_ambiguous_occupations_are_explained_and_nothing_changes(login, editor_a, portal_a):
    editor = login(editor_a)
    portal_a.occupations.add(occupation())
    response = editor.post(
        reverse("portal:profile_edit", args=[portal_a.pk]),
        _profile_post(portal_a, short_description="Neu", occupations_neu="Astronaut; Mechaniker"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "„Astronaut“ ist kein Ausbildungsberuf der Liste." in body
    assert "„Mechaniker“ passt zu mehreren Berufen" in body and "Industriemechaniker/-in" in body
    assert 'value="Astronaut; Mechaniker"' in body  # what was typed stays
    portal_a.refresh_from_db()
    assert portal_a.short_description != "Neu" and portal_a.occupations.count() == 1
    forged = editor.post(
        reverse("portal:profile_edit", args=[portal_a.pk]), _profile_post(portal_a, occupations=["999999"])
    )
    assert forged.status_code == 400


def test_occupation_suggestions_find_female_forms_and_leave_out_chosen_ones(client):
    mechatronics = occupation()
    body = client.get(reverse("portal:occupation_suggestions"), {"occupations_neu": "Mechatronikerin"}).content.decode()
    first = body.index('data-name="')
    assert body[first:].startswith('data-name="Mechatroniker/-in"')  # before Kfz-Mechatroniker/-in
    assert f'data-occupation="{mechatronics.pk}"' in body and "Vorschläge:" in body
    body = client.get(
        reverse("portal:occupation_suggestions"), {"occupations_neu": "mechatron", "occupations": [mechatronics.pk]}
    ).content.decode()
    assert f'data-occupation="{mechatronics.pk}"' not in body and 'data-name="Kfz-Mechatroniker/-in"' in body
    assert (
        "Kein Ausbildungsberuf passt"
        in client.get(reverse("portal:occupation_suggestions"), {"occupations_neu": "Astronaut"}).content.decode()
    )
    assert (
        "Industriekaufmann/-frau"
        in client.get(reverse("portal:occupation_suggestions"), {"occupations_neu": "Kauffrau"}).content.decode()
    )


def test_preview_shows_the_public_page_with_the_changes_and_stores_nothing(login, editor_a, portal_a):
    editor = login(editor_a)
    html = "<p><b>Neu: eigene Lehrwerkstatt</b></p><ul><li>Drehen</li><li>Fräsen</li></ul>"
    response = editor.post(
        reverse("portal:profile_edit", args=[portal_a.pk]),
        _profile_post(portal_a, description=html, short_description="Vorschau-Text", vorschau="1"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vorschau: so sieht Ihre öffentliche Seite" in body
    assert (
        '<div class="rich-text"><p><b>Neu: eigene Lehrwerkstatt</b></p><ul><li>Drehen</li><li>Fräsen</li></ul></div>'
        in body
    )
    assert '<p class="lead">Vorschau-Text</p>' in body and "Mechatroniker/-in</a>" in body
    portal_a.refresh_from_db()
    assert portal_a.short_description != "Vorschau-Text" and "Lehrwerkstatt" not in portal_a.description
    assert not ChangeRequest.objects.exists()


def test_a_pending_change_can_be_previewed_by_its_editor_and_staff_only(login, editor_a, editor_b, staff, portal_a):
    portal_a.review_required = True
    portal_a.save()
    login(editor_a).post(
        reverse("portal:profile_edit", args=[portal_a.pk]),
        _profile_post(portal_a, description="<p><b>Wartet</b> auf Freigabe</p>"),
    )
    change = ChangeRequest.objects.get()
    url = reverse("portal:change_preview", args=[change.pk])
    body = login(editor_a).get(url).content.decode()
    assert "Vorschau einer Änderung, die auf Prüfung wartet" in body and "<b>Wartet</b> auf Freigabe" in body
    assert "<b>Wartet</b>" in login(staff).get(url).content.decode()
    assert login(editor_b).get(url).status_code == 404
    # an offer waiting for review, too
    offer = OfferFactory(profile=portal_a)
    change.status = ChangeRequest.Status.REJECTED
    change.save()
    offer_change = ChangeRequest.objects.create(
        profile=portal_a, kind=ChangeRequest.Kind.OFFER, target_id=offer.pk, author=editor_a, summary="Angebot",
        data={"kind": "ausbildung", "occupation": offer.occupation_id, "title": "Mechatronik mit Abitur",
              "start_date": offer.start_date.isoformat(), "places": 3, "apply_email": "jobs@firma-a.example"},
    )  # fmt: skip
    body = login(editor_a).get(reverse("portal:change_preview", args=[offer_change.pk])).content.decode()
    assert "<h1>Mechatronik mit Abitur</h1>" in body and "Per E-Mail bewerben" in body
    assert login(editor_a).get(url).status_code == 404  # a decided change has no preview


def test_review_shows_german_labels_and_what_changed(login, staff, editor_a, portal_a):
    portal_a.review_required = True
    portal_a.short_description = "Drähte aus Coesfeld"
    portal_a.description = "<p>Wir bilden seit 1950 aus.</p>"
    portal_a.save()
    site = SiteFactory(profile=portal_a)
    login(editor_a).post(
        reverse("portal:profile_edit", args=[portal_a.pk]),
        _profile_post(portal_a, short_description="Drähte und Seile aus Coesfeld", sector="chemie",
                      description="<p>Wir bilden seit 1960 aus.</p><ul><li>Neu</li></ul>",
                      occupations=[occupation().pk, occupation("Chemikant/-in").pk]),
    )  # fmt: skip
    ChangeRequest.objects.create(
        profile=portal_a, kind=ChangeRequest.Kind.SITE_DELETE, target_id=site.pk, author=editor_a, summary="weg"
    )
    body = login(staff).get(reverse("portal:staff_reviews")).content.decode()
    assert "short_description" not in body and "founded_year" not in body
    assert '<th scope="row">Kurzbeschreibung</th>' in body
    assert "<td>Drähte aus Coesfeld</td>" in body and "<td>Drähte und Seile aus Coesfeld</td>" in body
    assert (
        '<th scope="row">Branche</th>' in body and "<td>Metall und Maschinenbau</td>" not in body
    )  # "sonstige" before
    assert "<td>Chemie und Pharma</td>" in body
    assert '<th scope="row">Ausbildungsberufe</th>' in body and "<td>Chemikant/-in, Mechatroniker/-in</td>" in body
    # the description as a word diff: 1950 removed, 1960 and the list item added
    assert '<del><span class="visually-hidden">[entfernt:</span>1950' in body
    assert '<ins><span class="visually-hidden">[neu:</span>1960' in body and "• Neu" in body
    assert '<th scope="row">Gründungsjahr</th>' in body  # empty before, 1950 now
    assert '<th scope="row">Name</th>' not in body  # unchanged fields are left out
    # a site to be deleted shows what goes
    assert '<th scope="row">Straße und Hausnummer</th><td>Werkstraße 5</td>' in body.replace("\n", "")
    assert "Vorschau der öffentlichen Seite" in body


def test_review_queue_reads_a_fixed_number_of_queries(staff, editor_a, portal_a, django_assert_num_queries):
    site = SiteFactory(profile=portal_a)
    offer = OfferFactory(profile=portal_a, site=site)
    for kind, target, data in [
        (ChangeRequest.Kind.PROFILE, None, {"short_description": "Neu", "occupations": [occupation().pk]}),
        (ChangeRequest.Kind.SITE, site.pk, {"name": "Werk Süd", "district": site.district_id}),
        (ChangeRequest.Kind.SITE_DELETE, site.pk, {}),
        (ChangeRequest.Kind.OFFER, offer.pk, {"title": "Neu", "site": site.pk, "occupation": offer.occupation_id}),
        (ChangeRequest.Kind.OFFER_DELETE, offer.pk, {}),
    ] * 3:
        ChangeRequest.objects.create(
            profile=portal_a, kind=kind, target_id=target, data=data, author=editor_a, summary="x"
        )
    selectors.occupation_names(), selectors.district_choices()
    # changes, sites, offers, the profiles' occupations (contacts only when an offer names one)
    with django_assert_num_queries(4):
        queue = selectors.review_queue()
    assert len(queue) == 15 and all(rows for _change, rows in queue)
