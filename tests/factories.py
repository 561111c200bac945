"""factory_boy factories for accounts; apps add theirs in tests/<app>/factories.py."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from accounts.models import EscalationContact, Membership, Role, Team, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    timezone = "Europe/London"
    oncall_phone = factory.Sequence(lambda n: f"+4477009{n:05d}")

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    timezone = "Europe/London"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.ENGINEER


class EscalationContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EscalationContact

    team = factory.SubFactory(TeamFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Escalation {n}")
    role = "Engineering manager"
    phone = "+442079460000"
