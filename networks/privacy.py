"""Networks' part of a person's data export and erasure (GDPR Art. 15 and 17).

- Prospects' contact persons (name and address typed in the acquisition): exported; erased, together with the
  notes about them and the address a one-pager went to. The prospect stays (it is the company's).
- Posts' authors (a trainee presenting their occupation): exported; the post stays with its reach (the campaign's
  figures), the author's name, function and address go.
- Fair-stand leads: exported; anonymised (the count of leads at a stand stays, name, address and interest go).
- Contact persons of memberships are CRM people: the links are exported and removed here, the person is erased by
  contacts.
"""

from django.utils import timezone

from core.privacy import ANONYMISED, DataSubject, register_privacy
from networks.models import Lead, NetworkMembership, Post, Prospect, ProspectActivity, Support


def _prospects(subject: DataSubject):
    return Prospect.objects.filter(contact_email__iexact=subject.normalised_email)


def _posts(subject: DataSubject):
    return Post.objects.filter(author_email__iexact=subject.normalised_email)


def _leads(subject: DataSubject):
    return Lead.objects.filter(email__iexact=subject.normalised_email, anonymised_at__isnull=True)


def export(subject: DataSubject) -> dict:
    data = {
        "prospects": [
            {
                "company": p.organisation.name,
                "for": p.target_name,
                "contact_name": p.contact_name,
                "contact_email": p.contact_email,
                "stage": p.stage,
                "notes": p.notes,
                "created_at": p.created_at,
            }  # fmt: skip
            for p in _prospects(subject).select_related("organisation", "network")
        ],
        "onepagers_received": [
            {"company": a.prospect.organisation.name, "sent_at": a.at}
            for a in ProspectActivity.objects.filter(recipient__iexact=subject.normalised_email).select_related(
                "prospect__organisation"
            )
        ],
        "campaign_posts": [
            {
                "campaign": p.campaign.name,
                "published_on": p.published_on,
                "author_name": p.author_name,
                "author_role": p.author_role,
                "link": p.link,
            }  # fmt: skip
            for p in _posts(subject).select_related("campaign")
        ],
        "fair_leads": [
            {
                "stand": lead.stand.name,
                "name": lead.name,
                "email": lead.email,
                "interest": lead.interest,
                "occupation": lead.occupation_name,
                "consent_contact": lead.consent_contact,
                "consent_newsletter": lead.consent_newsletter,
                "consent_wording": lead.consent_wording,
                "created_at": lead.created_at,
            }  # fmt: skip
            for lead in _leads(subject).select_related("stand")
        ],
    }
    if subject.person is not None:
        data["contact_person_of"] = [
            {"network": m.network.name, "company": m.organisation.name}
            for m in NetworkMembership.objects.filter(contact_persons=subject.person).select_related(
                "network", "organisation"
            )
        ] + [
            {"initiative_year": s.year, "company": s.organisation.name}
            for s in Support.objects.filter(contact_persons=subject.person).select_related("organisation")
        ]
    return data


def erase(subject: DataSubject) -> int:
    now = timezone.now()
    count = _prospects(subject).update(contact_name="", contact_email="", notes="")
    count += ProspectActivity.objects.filter(recipient__iexact=subject.normalised_email).update(recipient="")
    count += _posts(subject).update(author_name=ANONYMISED, author_role="", author_email="", anonymised_at=now)
    count += _leads(subject).update(name=ANONYMISED, email="", interest="", consent_wording="", anonymised_at=now)
    if subject.person is not None:
        memberships = NetworkMembership.contact_persons.through.objects.filter(person=subject.person)
        supports = Support.contact_persons.through.objects.filter(person=subject.person)
        count += memberships.delete()[0] + supports.delete()[0]
    return count


register_privacy("networks", export=export, erase=erase)
