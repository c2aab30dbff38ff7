"""Factories shared by every app's tests."""

import factory
from django.utils.text import slugify

from accounts.models import User
from accounts.services import user_set_roles
from contacts.models import District, Organisation, OrganisationEditor, OrganisationRole, Person
from core.roles import Role

PASSWORD = "test-passwort-123"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            user_set_roles(user=self, roles=list(extracted))
        self.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    name = factory.Iterator(["Münster", "Borken", "Coesfeld", "Steinfurt", "Warendorf"])
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testfirma {n} Maschinenbau")
    legal_form = "GmbH"
    street = "Industriestraße 1"
    postcode = "48143"
    city = "Münster"
    district = factory.SubFactory(DistrictFactory)
    wz_code = "28.22"
    employees = 42


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class OrganisationRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationRole

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = OrganisationRole.Kind.HR


def make_editor(organisation: Organisation, email: str) -> User:
    user = UserFactory(email=email, roles=[Role.EDITOR])
    OrganisationEditor.objects.get_or_create(user=user, organisation=organisation)
    return user
