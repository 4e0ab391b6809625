"""The open data sets: what each holds, its columns and their meaning, and the query that
reads its rows. The export (``assembly.opendata.writers``), the Popolo export
(``assembly.opendata.popolo``) and the open data page (``assembly.opendata.views``) all read
these definitions, so that the files and their data dictionary cannot drift apart.

Only what the public pages show. Persons: those who have held a membership
(``members.selectors.public_persons``), with their public fields only; a person's ethnic
group only when ``ethnicity_public``; ethnic groups otherwise only as totals, small groups
pooled (``assembly.selectors.pooled_ethnic_groups``). Meetings: ``sessions.selectors
.public_meetings``, without their documents, attendance lists or internal notes. Never an
IIN, a date of birth, a phone, an e-mail, a home address or a nomination.

Rows are read with ``values()`` or ``only()`` and ``iterator()``, in chunks, so that a
national register (a million memberships) is written in constant memory.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, F, When
from django.db.models.functions import NullIf
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assembly.models import Body, LegalAct, Post
from assembly.selectors import POOLED_GROUPS, SMALL_GROUP, pooled_ethnic_groups
from members.models import Association, EthnicGroup, Membership, Person
from members.selectors import public_persons
from regional.models import Region
from sessions.models import AgendaItem, Decision, Election, Majority, Meeting
from sessions.selectors import (
    election_result_summary,
    public_agenda_items,
    public_candidates,
    public_decisions,
    public_elections,
    public_meetings,
)

LANGUAGES = ("kk", "ru", "en")
# Rows fetched from the database at a time: memory stays flat however large the register.
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    """A column of a data set. A translated column is written as one CSV column per language
    (``name_kk``, ``name_ru``, ``name_en``) and in JSON as ``{"kk": …, "ru": …, "en": …}``."""

    name: str
    description: Promise
    # A Table Schema type (https://specs.frictionlessdata.io/table-schema/#types-and-formats).
    datatype: str = "string"
    translated: bool = False
    choices: type[models.Choices] | None = None

    @property
    def keys(self) -> list[str]:
        """The keys of the column in a row (and its CSV headers)."""
        return translated(self.name) if self.translated else [self.name]

    @property
    def type_label(self) -> Promise:
        return TYPE_LABELS[self.datatype]


TYPE_LABELS = {
    "string": _("text"),
    "integer": _("whole number"),
    "date": _("date (YYYY-MM-DD)"),
    "boolean": _("true or false"),
}


@dataclass(frozen=True)
class ExportContext:
    """What every data set is read against: the day of the export (for the figures that
    hold on a date) and the site's public address, if known (for absolute links)."""

    date: datetime.date
    base_url: str = ""

    def absolute(self, path: str) -> str:
        return f"{self.base_url}{path}" if self.base_url and path.startswith("/") else path


@dataclass(frozen=True)
class Dataset:
    """A data set, written as ``<name>.csv`` and ``<name>.json``. ``rows`` yields one dict per
    row, keyed by the columns' ``keys``."""

    name: str
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    rows: Callable[[ExportContext], Iterator[dict]] = field(repr=False)

    @property
    def keys(self) -> list[str]:
        return [key for column in self.columns for key in column.keys]


def translated(name: str) -> list[str]:
    """The per-language fields of a translated model field (django-modeltranslation)."""
    return [f"{name}_{code}" for code in LANGUAGES]


def _rows(queryset: models.QuerySet, *fields: str, **renamed: str | models.Expression) -> Iterator[dict]:
    """The rows of ``queryset`` in chunks: ``fields`` as they are, and each column of
    ``renamed`` from a lookup (a related object's slug, say) or an expression."""
    sources = {}
    for column, source in renamed.items():
        if isinstance(source, str):
            sources[column] = source
        else:
            # An annotation may not take the name of a model field, so it takes one of its own.
            sources[column] = f"opendata_{column}"
            queryset = queryset.annotate(**{sources[column]: source})
    for row in queryset.values(*fields, *sources.values()).iterator(chunk_size=CHUNK):
        for column, source in sources.items():
            row[column] = row.pop(source)
        yield row


def _languages_row(name: str, render: Callable[[], object]) -> dict[str, str]:
    """The keys of the translated column ``name``, each with ``render()`` in its language (a
    title built from translated words, say)."""
    values = {}
    for code in LANGUAGES:
        with translation.override(code):
            values[f"{name}_{code}"] = str(render())
    return values


# The register ---------------------------------------------------------------------------


def region_rows(context: ExportContext) -> Iterator[dict]:
    return _rows(
        Region.objects.order_by("kato"),
        "slug", "kato", "kind", *translated("name"), *translated("centre"), "valid_from", "valid_until",
    )  # fmt: skip


def body_rows(context: ExportContext) -> Iterator[dict]:
    return _rows(
        Body.objects.order_by("pk"),
        "slug", "kind", *translated("name"), "founded", "dissolved",
        parent="parent__slug", region="region__slug", successor="successor__slug",
    )  # fmt: skip


def post_rows(context: ExportContext) -> Iterator[dict]:
    return _rows(Post.objects.order_by("pk"), "id", "role", *translated("label"), "seats", body="body__slug")


PERSON_NAME_FIELDS = (
    "surname", "given_name", "patronymic", "surname_ru", "given_name_ru", "patronymic_ru",
    "surname_latin", "given_name_latin", "patronymic_latin",
)  # fmt: skip


def person_rows(context: ExportContext) -> Iterator[dict]:
    # Only the public fields are read at all; the ethnic group leaves the database only with consent.
    persons = (
        public_persons()
        .annotate(public_ethnic_group=Case(When(ethnicity_public=True, then=F("ethnic_group__slug"))))
        .only("slug", "gender", "photo", *PERSON_NAME_FIELDS, *translated("position"), *translated("biography"))
        .order_by("pk")
    )
    for person in persons.iterator(chunk_size=CHUNK):
        row = {name: getattr(person, name) for name in ("slug", *PERSON_NAME_FIELDS, "gender")}
        row.update(_languages_row("name", lambda person=person: person.display_name))
        for name in ("position", "biography"):
            row.update({key: getattr(person, key) for key in translated(name)})
        row["ethnic_group"] = person.public_ethnic_group
        row["photo"] = context.absolute(person.photo.url) if person.photo else None
        yield row


def membership_rows(context: ExportContext) -> Iterator[dict]:
    return _rows(
        Membership.objects.order_by("pk"),
        "id", "basis", "start_date", "end_date",
        person="person__slug", body="body__slug", post="post_id", on_behalf_of="on_behalf_of__slug",
        end_reason=NullIf("end_reason", models.Value("")),
    )  # fmt: skip


def association_rows(context: ExportContext) -> Iterator[dict]:
    return _rows(
        Association.objects.order_by("pk"),
        "slug", *translated("name"), "kind", "level", "founded",
        region="region__slug", ethnic_group="ethnic_group__slug",
    )  # fmt: skip


def ethnic_group_rows(context: ExportContext) -> Iterator[dict]:
    """The composition page's ethnic group counts (small groups pooled) for every assembly and
    council, on the day of the export. The counts come in Kazakh; each row is matched to its
    group by the Kazakh name for the other languages and the slug."""
    groups = {group["name_kk"]: group for group in EthnicGroup.objects.values("slug", *translated("name"))}
    pooled = _languages_row("name", lambda: POOLED_GROUPS % {"n": SMALL_GROUP})
    bodies = Body.objects.filter(kind__in=[Body.Kind.ASSEMBLY, Body.Kind.COUNCIL]).only("slug").order_by("pk")
    for body in bodies.iterator(chunk_size=CHUNK):
        with translation.override("kk"):
            counts = pooled_ethnic_groups(body=body, date=context.date)
        for label, members in counts:
            group = groups.get(label)
            names = {key: group[key] for key in translated("name")} if group else pooled
            yield {
                "body": body.slug,
                "date": context.date,
                "ethnic_group": group["slug"] if group else None,
                **names,
                "members": members,
            }


# Sessions and meetings ------------------------------------------------------------------


def meeting_rows(context: ExportContext) -> Iterator[dict]:
    # The note is for the staff: not even read.
    meetings = public_meetings().defer("note").order_by("pk")
    for meeting in meetings.iterator(chunk_size=CHUNK):
        act = meeting.convened_by
        yield {
            "id": meeting.pk,
            "body": meeting.body.slug,
            "number": meeting.number,
            **_languages_row("title", lambda meeting=meeting: meeting.title),
            "kind": meeting.kind,
            "status": meeting.status,
            "start_date": meeting.start_date,
            "end_date": meeting.end_date,
            **{key: getattr(meeting, key) for key in (*translated("venue"), *translated("theme"))},
            "convening_act_kind": act.kind if act else None,
            "convening_act_number": (act.number or None) if act else None,
            "convening_act_date": act.date if act else None,
        }


def agenda_item_rows(context: ExportContext) -> Iterator[dict]:
    return _rows(
        public_agenda_items(),
        "id", "order", "kind", *translated("title"),
        meeting="meeting_id", parent="parent_id",
    )  # fmt: skip


def decision_rows(context: ExportContext) -> Iterator[dict]:
    return _rows(
        public_decisions(),
        "id", "number", *translated("text"), "required_majority", "votes_for", "votes_against", "votes_abstained",
        "members_entitled", "members_present", "votes_needed", "result",
        meeting="meeting_id", agenda_item="agenda_item_id",
    )  # fmt: skip


ELECTION_FIELDS = (
    "kind", "seats", "rule", "secret_ballot", "ballots_issued", "ballots_cast", "ballots_invalid", "seats_filled",
    "tie",
)  # fmt: skip


def election_rows(context: ExportContext) -> Iterator[dict]:
    # The candidates are a data set of their own, read in chunks too.
    elections = public_elections().prefetch_related(None)
    for election in elections.iterator(chunk_size=CHUNK):
        yield {
            "id": election.pk,
            "meeting": election.meeting_id,
            "agenda_item": election.agenda_item_id,
            **{key: getattr(election, key) for key in translated("title")},
            **{name: getattr(election, name) for name in ELECTION_FIELDS},
            **_languages_row("result", lambda election=election: election_result_summary(election)),
        }


def candidate_rows(context: ExportContext) -> Iterator[dict]:
    # Named as on the meeting's page; linked to the persons data set only if the person is public.
    candidates = (
        public_candidates()
        .filter(election__in=public_elections())
        .select_related("nominated_by_body")
        .only(
            "election", "votes", "elected", "nominated_by_body__slug",
            *(f"person__{name}" for name in ("slug", *PERSON_NAME_FIELDS)),
        )
        .order_by("election_id", "-votes", "pk")
    )  # fmt: skip
    for candidate in candidates.iterator(chunk_size=CHUNK):
        person = candidate.person
        yield {
            "id": candidate.pk,
            "election": candidate.election_id,
            "person": person.slug if candidate.person_is_public else None,
            **_languages_row("name", lambda person=person: person.display_name),
            "nominated_by": candidate.nominated_by_body.slug if candidate.nominated_by_body else None,
            "votes": candidate.votes,
            "elected": candidate.elected,
        }


# The definitions ------------------------------------------------------------------------


def _ethnic_groups_description() -> str:
    return gettext(
        "How many members of each assembly and council belong to each ethnic group, on the day the files were "
        "generated. Totals only: groups with fewer than %(n)s members in a body are counted together in one "
        "row without an ethnic group, so that no count singles a person out. Members whose ethnic group is "
        "not recorded are not counted."
    ) % {"n": SMALL_GROUP}


_SLUG = _("The identifier, also in the addresses of the public pages and the API.")
_ID = _("The identifier (a number), also in the addresses of the public pages and the API.")

DATASETS = (
    Dataset(
        name="regions",
        title=_("Regions"),
        description=_("The regions (oblasts, cities of republican significance and the capital) with an assembly."),
        columns=(
            Column("slug", _SLUG),
            Column("kato", _("The code of the region in the classifier of administrative-territorial objects (KATO).")),
            Column("kind", _("The kind of region."), choices=Region.Kind),
            Column("name", _("The name."), translated=True),
            Column("centre", _("The administrative centre."), translated=True),
            Column("valid_from", _("The day the region came into being, if recent."), "date"),
            Column("valid_until", _("The last day of a region that no longer exists."), "date"),
        ),
        rows=region_rows,
    ),
    Dataset(
        name="bodies",
        title=_("Bodies"),
        description=_(
            "The bodies of the Assembly at every level: the Assembly, its Council and Secretariat, the regional "
            "assemblies and theirs."
        ),
        columns=(
            Column("slug", _SLUG),
            Column("kind", _("The kind of body."), choices=Body.Kind),
            Column("name", _("The name."), translated=True),
            Column("parent", _("The body this body belongs to (its slug), if any.")),
            Column("region", _("The region of a regional body (its slug); empty for the national bodies.")),
            Column("founded", _("The day the body was founded."), "date"),
            Column("dissolved", _("The day the body was dissolved."), "date"),
            Column("successor", _("The body that took over from a dissolved body (its slug).")),
        ),
        rows=body_rows,
    ),
    Dataset(
        name="posts",
        title=_("Posts"),
        description=_("The posts of each body, such as its chairman or an ordinary member."),
        columns=(
            Column("id", _ID, "integer"),
            Column("body", _("The body of the post (its slug).")),
            Column("role", _("The role of the post."), choices=Post.Role),
            Column("label", _("The name of the post."), translated=True),
            Column("seats", _("How many people may hold the post at once; empty when not fixed."), "integer"),
        ),
        rows=post_rows,
    ),
    Dataset(
        name="persons",
        title=_("Persons"),
        description=_(
            "Everyone who is or was a member of a body, with the public fields of the register only. Persons who "
            "never held a membership are not published."
        ),
        columns=(
            Column("slug", _SLUG),
            Column("surname", _("The surname in Kazakh Cyrillic.")),
            Column("given_name", _("The given name in Kazakh Cyrillic.")),
            Column("patronymic", _("The patronymic in Kazakh Cyrillic.")),
            Column("surname_ru", _("The surname in the Russian spelling, where it differs.")),
            Column("given_name_ru", _("The given name in the Russian spelling, where it differs.")),
            Column("patronymic_ru", _("The patronymic in the Russian spelling, where it differs.")),
            Column("surname_latin", _("The surname in the 2021 Kazakh Latin alphabet.")),
            Column("given_name_latin", _("The given name in the 2021 Kazakh Latin alphabet.")),
            Column("patronymic_latin", _("The patronymic in the 2021 Kazakh Latin alphabet.")),
            Column(
                "name",
                _("The full name as the pages show it: Kazakh Cyrillic (kk), Russian spelling (ru), Latin (en)."),
                translated=True,
            ),
            Column("gender", _("The gender."), choices=Person.Gender),
            Column("position", _("The position and workplace."), translated=True),
            Column("biography", _("The public biography."), translated=True),
            Column(
                "ethnic_group",
                _("The ethnic group (its slug), only if the person agreed to publish it; otherwise empty."),
            ),
            Column("photo", _("The address of the photo, if any.")),
        ),
        rows=person_rows,
    ),
    Dataset(
        name="memberships",
        title=_("Memberships"),
        description=_(
            "Who held which post in which body, representing whom, from when until when and why it ended. "
            "Both dates are included; a membership without an end date is current."
        ),
        columns=(
            Column("id", _ID, "integer"),
            Column("person", _("The member (the slug of a person).")),
            Column("body", _("The body (its slug).")),
            Column("post", _("The post (its id in the posts data set)."), "integer"),
            Column("basis", _("On what basis the person is a member."), choices=Membership.Basis),
            Column("on_behalf_of", _("The association or state body the member represents (its slug), if any.")),
            Column("start_date", _("The first day of the membership."), "date"),
            Column("end_date", _("The last day of the membership; empty while it lasts."), "date"),
            Column("end_reason", _("Why the membership ended; empty while it lasts."), choices=Membership.EndReason),
        ),
        rows=membership_rows,
    ),
    Dataset(
        name="associations",
        title=_("Associations"),
        description=_("The ethnocultural and other public associations and state bodies that members represent."),
        columns=(
            Column("slug", _SLUG),
            Column("name", _("The name."), translated=True),
            Column("kind", _("The kind of organisation."), choices=Association.Kind),
            Column("level", _("Republican or regional."), choices=Association.Level),
            Column("region", _("The region of a regional association (its slug).")),
            Column("ethnic_group", _("The ethnic group of an ethnocultural association (its slug).")),
            Column("founded", _("The day the association was founded."), "date"),
        ),
        rows=association_rows,
    ),
    Dataset(
        name="ethnic-groups",
        title=_("Ethnic groups (totals)"),
        description=lazy(_ethnic_groups_description, str)(),
        columns=(
            Column("body", _("The body (its slug).")),
            Column("date", _("The day of the count."), "date"),
            Column("ethnic_group", _("The ethnic group (its slug); empty for the row of the small groups.")),
            Column("name", _("The name of the ethnic group, or of the row of the small groups."), translated=True),
            Column("members", _("The number of members."), "integer"),
        ),
        rows=ethnic_group_rows,
    ),
    Dataset(
        name="sessions",
        title=_("Sessions and meetings"),
        description=_("The sessions and meetings of every body, held, planned or cancelled."),
        columns=(
            Column("id", _ID, "integer"),
            Column("body", _("The body that meets (its slug).")),
            Column("number", _("The number of the session or meeting, if numbered."), "integer"),
            Column("title", _("The title, as the pages show it."), translated=True),
            Column("kind", _("Regular or extraordinary."), choices=Meeting.Kind),
            Column("status", _("Planned, held or cancelled."), choices=Meeting.Status),
            Column("start_date", _("The first day."), "date"),
            Column("end_date", _("The last day of a meeting of several days."), "date"),
            Column("venue", _("The venue."), translated=True),
            Column("theme", _("The theme."), translated=True),
            Column("convening_act_kind", _("The kind of act that convened it."), choices=LegalAct.Kind),
            Column("convening_act_number", _("The number of the act that convened it.")),
            Column("convening_act_date", _("The date of the act that convened it."), "date"),
        ),
        rows=meeting_rows,
    ),
    Dataset(
        name="agenda-items",
        title=_("Agenda items"),
        description=_("The items of the agendas; an item may have sub-items."),
        columns=(
            Column("id", _ID, "integer"),
            Column("meeting", _("The session or meeting (its id in the sessions data set)."), "integer"),
            Column("parent", _("The item this is a sub-item of (its id), if any."), "integer"),
            Column("order", _("The position on the agenda, among the items of the same parent."), "integer"),
            Column("kind", _("The kind of item."), choices=AgendaItem.Kind),
            Column("title", _("The title."), translated=True),
        ),
        rows=agenda_item_rows,
    ),
    Dataset(
        name="decisions",
        title=_("Decisions"),
        description=_("The decisions voted at sessions and meetings, with the votes and the result."),
        columns=(
            Column("id", _ID, "integer"),
            Column("meeting", _("The session or meeting (its id in the sessions data set)."), "integer"),
            Column("agenda_item", _("The agenda item (its id), if any."), "integer"),
            Column("number", _("The number of the decision.")),
            Column("text", _("The text."), translated=True),
            Column("required_majority", _("The majority the decision needed."), choices=Majority),
            Column("votes_for", _("Votes for."), "integer"),
            Column("votes_against", _("Votes against."), "integer"),
            Column("votes_abstained", _("Abstentions."), "integer"),
            Column("members_entitled", _("The members entitled to vote."), "integer"),
            Column("members_present", _("The members present."), "integer"),
            Column("votes_needed", _("The votes for that the decision needed."), "integer"),
            Column("result", _("Adopted or rejected."), choices=Decision.Result),
        ),
        rows=decision_rows,
    ),
    Dataset(
        name="elections",
        title=_("Elections"),
        description=_(
            "Elections and votes on proposals at sessions and meetings, with the ballots and the result; the "
            "candidates are in the candidates data set."
        ),
        columns=(
            Column("id", _ID, "integer"),
            Column("meeting", _("The session or meeting (its id in the sessions data set)."), "integer"),
            Column("agenda_item", _("The agenda item (its id), if any."), "integer"),
            Column("title", _("The title."), translated=True),
            Column("kind", _("The kind of election."), choices=Election.Kind),
            Column("seats", _("The seats to fill."), "integer"),
            Column("rule", _("Who is elected."), choices=Election.Rule),
            Column("secret_ballot", _("Whether the ballot was secret."), "boolean"),
            Column("ballots_issued", _("Ballots issued."), "integer"),
            Column("ballots_cast", _("Ballots cast."), "integer"),
            Column("ballots_invalid", _("Invalid ballots."), "integer"),
            Column("seats_filled", _("The seats filled."), "integer"),
            Column("tie", _("Whether candidates tied for the last seat."), "boolean"),
            Column("result", _("The result in words; empty until it is computed."), translated=True),
        ),
        rows=election_rows,
    ),
    Dataset(
        name="candidates",
        title=_("Candidates"),
        description=_("The candidates of each election, with their votes and whether they were elected."),
        columns=(
            Column("id", _ID, "integer"),
            Column("election", _("The election (its id in the elections data set)."), "integer"),
            Column(
                "person",
                _("The candidate in the persons data set (a slug), if the candidate is or was a member; else empty."),
            ),
            Column("name", _("The candidate's full name, as the pages show it."), translated=True),
            Column("nominated_by", _("The body that nominated the candidate (its slug), if recorded.")),
            Column("votes", _("The votes the candidate received."), "integer"),
            Column("elected", _("Whether the candidate was elected."), "boolean"),
        ),
        rows=candidate_rows,
    ),
)

DATASETS_BY_NAME = {dataset.name: dataset for dataset in DATASETS}
