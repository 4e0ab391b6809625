"""Demo meetings on top of the demo register.

For the Assembly's Council and every regional assembly and council: a few meetings a
year over the recent years and the next ones planned, each with its convening act and
a nested agenda; attendance of the members entitled on the day, decisions under every
majority rule with both results, a regional session and a regional council meeting
without a quorum (and so without decisions), and one meeting cancelled. At
the known sessions XXIII (2016) and XXVIII (2021) the Assembly elects the nine
deputies of the Mazhilis; in January 2023 the Council proposes five names for the
Senate; the regional assemblies hold smaller elections, one with a tie for the last
seat and one with a seat left unfilled.

Every rule goes through ``sessions.services``. The result depends only on the
register, ``rng`` and ``today``.
"""

import dataclasses
import datetime
import random
from collections import Counter
from collections.abc import Collection, Iterable
from typing import TextIO

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from assembly.audit import bulk_create_with_history
from assembly.models import Body, LegalAct
from members.models import Membership, Person
from members.services import legal_act_get_or_create

from . import services
from .models import AgendaItem, Attendance, Candidate, Decision, Election, Majority, Meeting
from .selectors import entitled_memberships

# (kk, ru, en) texts.
Text = tuple[str, str, str]

SESSION_THEMES: list[Text] = [
    ("Бірлік пен келісім — ел болашағының негізі", "Единство и согласие — основа будущего страны",
     "Unity and accord: the foundation of the country's future"),
    ("Тіл — ұлт бірлігінің тірегі", "Язык — опора единства народа", "Language: the pillar of the nation's unity"),
    ("Жастар — бірлік пен келісімнің жаршысы", "Молодёжь — проводник единства и согласия",
     "Young people as heralds of unity and accord"),
    ("Қоғамдық келісім және медиация", "Общественное согласие и медиация", "Public accord and mediation"),
    ("Әділетті Қазақстан: бірлік, тұрақтылық, даму", "Справедливый Казахстан: единство, стабильность, развитие",
     "Just Kazakhstan: unity, stability, development"),
]  # fmt: skip

REPORTS: list[Text] = [
    ("Ассамблеяның өткен кезеңдегі қызметінің қорытындылары туралы",
     "Об итогах деятельности Ассамблеи за прошедший период",
     "On the results of the Assembly's work in the past period"),
    ("Этномәдени бірлестіктердің мемлекеттік тілді дамытудағы рөлі туралы",
     "О роли этнокультурных объединений в развитии государственного языка",
     "On the role of ethnocultural associations in developing the state language"),
    ("Қоғамдық келісім кеңестерінің жұмысы туралы", "О работе советов общественного согласия",
     "On the work of the Councils of Public Accord"),
    ("Жастар арасында этносаралық келісімді нығайту туралы", "Об укреплении межэтнического согласия среди молодёжи",
     "On strengthening interethnic accord among young people"),
    ("Медиация орталықтарының қызметі туралы", "О деятельности центров медиации",
     "On the work of the mediation centres"),
    ("Достық үйлерінің жұмысы туралы", "О работе Домов дружбы", "On the work of the Houses of Friendship"),
]  # fmt: skip

SUB_ITEMS: list[Text] = [
    ("Төрағаның баяндамасы", "Доклад председателя", "Report of the Chairman"),
    ("Хатшылық меңгерушісінің ақпараты", "Информация заведующего Секретариатом",
     "Information from the Head of the Secretariat"),
    ("Жарыссөз", "Прения", "Debate"),
]  # fmt: skip

DECISIONS: list[Text] = [
    ("Келесі жылға арналған жұмыс жоспарын бекіту туралы", "Об утверждении плана работы на следующий год",
     "Approval of the work plan for the next year"),
    ("Ассамблея мүшелігіне кандидаттарды ұсыну туралы", "О выдвижении кандидатов в члены Ассамблеи",
     "Nomination of candidates for membership of the Assembly"),
    ("Ротация тәртібімен мүшелікті тоқтату туралы", "О прекращении членства в порядке ротации",
     "Ending memberships by rotation"),
    ("Сессия қарарын қабылдау туралы", "О принятии резолюции сессии", "Adoption of the session's resolution"),
    ("Этномәдени бірлестіктерді қолдау бағдарламасы туралы", "О программе поддержки этнокультурных объединений",
     "Programme of support for ethnocultural associations"),
    ("Ғылыми-сараптамалық кеңестің құрамына өзгерістер енгізу туралы",
     "О внесении изменений в состав Научно-экспертного совета",
     "Changes to the composition of the Scientific-Expert Council"),
    ("Ассамблея жарғысының жаңа редакциясы туралы", "О новой редакции положения об Ассамблее",
     "A new version of the regulation of the assembly"),
]  # fmt: skip

MAZHILIS_TITLE: Text = (
    "Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын сайлау",
    "Выборы депутатов Мажилиса Парламента Республики Казахстан",
    "Election of deputies of the Mazhilis of the Parliament of the Republic of Kazakhstan",
)
SENATE_TITLE: Text = (
    "Парламент Сенатының депутаттығына кандидатураларды Президентке ұсыну",
    "Внесение Президенту предложений по кандидатурам в депутаты Сената Парламента",
    "Proposals to the President of candidates for deputies of the Senate of Parliament",
)
REGIONAL_ELECTION_TITLE: Text = (
    "Аналар кеңесі төралқасының мүшелерін сайлау",
    "Выборы членов президиума Совета матерей",
    "Election of the members of the presidium of the Council of Mothers",
)
NO_QUORUM_NOTE = "Кворум болмады: күн тәртібіндегі мәселелер келесі отырысқа ауыстырылды. (Демо)"
CANCELLED_NOTE = "Отырыс өткізілмеді: жаңа күні белгіленеді. (Демо)"

# The known sessions at which the Assembly elected the Mazhilis deputies.
MAZHILIS_SESSIONS = [(23, datetime.date(2016, 3, 21)), (28, datetime.date(2021, 1, 11))]
MAZHILIS_SEATS = 9
# The Council's meeting on the first proposals for the Senate (appointed 24 January 2023).
SENATE_MEETING_DAY = datetime.date(2023, 1, 13)
SENATE_SEATS = 5
REGIONAL_SEATS = 3
# Ballots when the register holds too few members on the day to vote.
FALLBACK_ASSEMBLY_BALLOTS = 380
FALLBACK_COUNCIL_BALLOTS = 70
# The vote counts below stay distinct where they must from these many ballots on.
FEWEST_BALLOTS = 12
FEWEST_BALLOTS_FOR_A_TIE = 20


def _text(field: str, text: Text) -> dict[str, str]:
    kk, ru, en = text
    return {f"{field}_kk": kk, f"{field}_ru": ru, f"{field}_en": en}


def _workday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _day_in(rng: random.Random, year: int, months: tuple[int, int]) -> datetime.date:
    return _workday(datetime.date(year, rng.randint(*months), rng.randint(1, 26)))


@dataclasses.dataclass
class _Plan:
    body: Body
    start_date: datetime.date
    kind: str = Meeting.Kind.REGULAR
    senate: bool = False
    meeting: Meeting | None = None
    decisions: list[Text] = dataclasses.field(default_factory=list)
    decision_items: list[AgendaItem] = dataclasses.field(default_factory=list)


class _Builder:
    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today
        self.counts: Counter[str] = Counter()
        # Each (majority, result) pair the demo still has to show.
        self.pending = [(majority, result) for majority in Majority.values for result in Decision.Result.values]
        self.no_quorum_kinds: set[str] = set()
        self.special_election_cases = ["tie", "unfilled"]
        self.cancelled = False

    # Meetings, their convening acts and agendas: created in bulk (with their history rows),
    # the database checking the constraints.

    def schedule(self, body: Body) -> list[_Plan]:
        rng, first_year = self.rng, self.today.year - 3
        plans = []
        for year in range(first_year, self.today.year + 1):
            if body.kind == Body.Kind.ASSEMBLY:
                plans.append(_Plan(body, _day_in(rng, year, (2, 4))))
                if rng.random() < 0.25:
                    plans.append(_Plan(body, _day_in(rng, year, (9, 11)), kind=Meeting.Kind.EXTRAORDINARY))
            else:
                plans.append(_Plan(body, _day_in(rng, year, (2, 5))))
                plans.append(_Plan(body, _day_in(rng, year, (9, 12))))
        plans.append(_Plan(body, _day_in(rng, self.today.year + 1, (2, 3))))
        if body.region_id is None and SENATE_MEETING_DAY <= self.today:
            plans.append(_Plan(body, SENATE_MEETING_DAY, kind=Meeting.Kind.EXTRAORDINARY, senate=True))
        plans = [plan for plan in plans if body.is_active_on(plan.start_date)]
        plans.sort(key=lambda plan: plan.start_date)
        for plan in plans:
            plan.decisions = rng.sample(DECISIONS, rng.randint(1, 2) if body.region_id is None else 1)
        return plans

    def create_meetings(self, schedules: list[tuple[Body, list[_Plan]]]) -> None:
        taken = set(LegalAct.objects.filter(kind=LegalAct.Kind.ORDER).values_list("number", "date"))
        acts, meetings = [], []
        for body, plans in schedules:
            past = [plan for plan in plans if plan.start_date <= self.today]
            cancelled = None
            if not self.cancelled and body.kind == Body.Kind.COUNCIL and body.region_id is not None and len(past) > 2:
                cancelled, self.cancelled = past[-2], True
            # Numbers go on from the body's founding: about one session or two council meetings a year.
            founded = body.founded or plans[0].start_date
            number = max(1, (plans[0].start_date.year - founded.year) * (1 if body.kind == Body.Kind.ASSEMBLY else 2))
            for plan in plans:
                if plan is cancelled:
                    status, note, meeting_number = Meeting.Status.CANCELLED, CANCELLED_NOTE, None
                else:
                    status = Meeting.Status.HELD if plan.start_date <= self.today else Meeting.Status.PLANNED
                    note, meeting_number, number = "", number, number + 1
                act = self._act(plan, taken)
                acts.append(act)
                plan.meeting = Meeting(
                    body=body,
                    number=meeting_number,
                    kind=plan.kind,
                    status=status,
                    convened_by=act,
                    start_date=plan.start_date,
                    note=note,
                    **_text("venue", _venue(body)),
                    **_text("theme", _theme(body, plan)),
                )
                meetings.append(plan.meeting)
                self.counts[f"meetings_{status}"] += 1
        bulk_create_with_history(acts, LegalAct)
        bulk_create_with_history(meetings, Meeting)
        self.counts["acts"] += len(acts)
        self.counts["meetings"] += len(meetings)

    def _act(self, plan: _Plan, taken: set[tuple[str, datetime.date]]) -> LegalAct:
        body, date = plan.body, plan.start_date - datetime.timedelta(days=self.rng.randint(14, 35))
        number = str(self.rng.randint(10, 480))
        while (number, date) in taken:
            number = str(self.rng.randint(10, 480))
        taken.add((number, date))
        if body.kind == Body.Kind.ASSEMBLY:
            issuer, title = f"{body.region.name_kk} әкімі", "Ассамблея сессиясын шақыру туралы"
        else:
            issuer, title = f"{body.name_kk} төрағасы", "Кеңес отырысын шақыру туралы"
        return LegalAct(kind=LegalAct.Kind.ORDER, number=number, date=date, issuer=issuer, title=title)

    def create_agendas(self, plans: list[_Plan]) -> None:
        """Reports with their sub-items, then an item per decision to be taken."""
        top, reports = [], []
        for plan in plans:
            meeting, order = plan.meeting, 1
            for position, report in enumerate(self.rng.sample(REPORTS, self.rng.randint(1, 2))):
                kind = AgendaItem.Kind.REPORT if position == 0 else AgendaItem.Kind.DISCUSSION
                item = AgendaItem(meeting=meeting, order=order, kind=kind, **_text("title", report))
                top.append(item)
                if position == 0:
                    reports.append(item)
                order += 1
            for decision in plan.decisions:
                item = AgendaItem(
                    meeting=meeting, order=order, kind=AgendaItem.Kind.DECISION, **_text("title", decision)
                )
                plan.decision_items.append(item)
                top.append(item)
                order += 1
        bulk_create_with_history(top, AgendaItem)
        children = [
            AgendaItem(meeting=item.meeting, parent=item, order=order, **_text("title", sub_item))
            for item in reports
            for order, sub_item in enumerate(SUB_ITEMS[: self.rng.randint(2, 3)], start=1)
        ]
        bulk_create_with_history(children, AgendaItem)
        self.counts["agenda_items"] += len(top) + len(children)

    # Attendance and decisions, through the services.

    def attend(self, meeting: Meeting, *, no_quorum: bool = False) -> services.Quorum | None:
        """All present, then the exceptions — as the Secretariat enters them. None when no one is entitled."""
        added = services.attendance_mark_all_present(meeting=meeting)
        if not added:
            return None
        self.counts["attendance"] += added
        member_ids = list(entitled_memberships(meeting).order_by("pk").values_list("pk", flat=True))
        statuses = {}
        if no_quorum and len(member_ids) >= 3:
            required = services.meeting_quorum(meeting).required
            for membership_id in self.rng.sample(member_ids, len(member_ids) - required + 1):
                statuses[membership_id] = self.rng.choice([Attendance.Status.ABSENT, Attendance.Status.EXCUSED])
        else:
            for membership_id in member_ids:
                draw = self.rng.random()
                if draw < 0.04:
                    statuses[membership_id] = Attendance.Status.ABSENT
                elif draw < 0.08:
                    statuses[membership_id] = Attendance.Status.EXCUSED
                elif draw < 0.11:
                    statuses[membership_id] = Attendance.Status.LEFT_EARLY
        if statuses:
            services.attendance_set(meeting=meeting, statuses=statuses)
        return services.meeting_quorum(meeting)

    def hold(self, plan: _Plan, *, last_held: bool) -> services.Quorum | None:
        meeting = plan.meeting
        # One regional session and one regional council meeting go without a quorum; not the last
        # one held, which the regional elections use.
        no_quorum = meeting.body.region_id is not None and meeting.body.kind not in self.no_quorum_kinds
        quorum = self.attend(meeting, no_quorum=no_quorum and not last_held)
        if quorum is None:
            return None
        if not quorum.met:
            self.no_quorum_kinds.add(meeting.body.kind)
            self.counts["meetings_without_quorum"] += 1
            meeting.note = NO_QUORUM_NOTE
            meeting.save(update_fields=["note"])
            return quorum
        default = services.meeting_rules(meeting.body).default_majority
        for position, (text, item) in enumerate(zip(plan.decisions, plan.decision_items, strict=True), start=1):
            majority, adopted = self._majority_and_result(default, quorum)
            self._decide(meeting, item, f"{meeting.number}/{position}", text, majority, adopted, quorum)
        return quorum

    def _majority_and_result(self, default: str, quorum: services.Quorum) -> tuple[str, bool]:
        """The next (majority, result) pair still to be shown that this meeting can give, else the body's usual."""
        for majority, result in self.pending:
            needed = services.votes_needed(majority, entitled=quorum.entitled, present=quorum.present)
            if result == Decision.Result.REJECTED or needed <= quorum.present:
                self.pending.remove((majority, result))
                return majority, result == Decision.Result.ADOPTED
        return default, self.rng.random() < 0.9

    def _decide(
        self,
        meeting: Meeting,
        item: AgendaItem,
        number: str,
        text: Text,
        majority: str,
        adopted: bool,
        quorum: services.Quorum,
    ) -> None:
        present, rng = quorum.present, self.rng
        needed = services.votes_needed(majority, entitled=quorum.entitled, present=present)
        if adopted and needed <= present:
            votes_for = rng.randint(max(needed, present * 4 // 5), present)
        else:
            most = min(needed - 1, present)
            votes_for = rng.randint(max(0, most - present // 5), most)
        against = rng.randint(0, present - votes_for)
        abstained = rng.randint(0, present - votes_for - against)
        decision = services.decision_record(
            decision=Decision(
                meeting=meeting,
                agenda_item=item,
                number=number,
                required_majority=majority,
                votes_for=votes_for,
                votes_against=against,
                votes_abstained=abstained,
                **_text("text", text),
            )
        )
        self.counts["decisions"] += 1
        self.counts[f"decisions_{decision.result}"] += 1

    # Elections.

    def _election(self, meeting: Meeting, *, kind: str, title: Text, seats: int, rule: str, issued: int) -> Election:
        order = meeting.agenda.filter(parent=None).count() + 1
        item = AgendaItem.objects.create(
            meeting=meeting, order=order, kind=AgendaItem.Kind.ELECTION, **_text("title", title)
        )
        cast = issued - self.rng.randint(0, min(3, issued // 10))
        election = Election(
            meeting=meeting,
            agenda_item=item,
            kind=kind,
            seats=seats,
            rule=rule,
            secret_ballot=True,
            ballots_issued=issued,
            ballots_cast=cast,
            ballots_invalid=self.rng.randint(0, min(2, cast // 20)),
            **_text("title", title),
        )
        election.full_clean()
        election.save()
        self.counts["agenda_items"] += 1
        self.counts["elections"] += 1
        return election

    def _vote(self, election: Election, nominations: list[tuple[int, Body, LegalAct | None]], votes: list[int]) -> None:
        candidates = []
        for person_id, body, act in nominations:
            candidate = Candidate(election=election, person_id=person_id, nominated_by_body=body, nominating_act=act)
            candidate.full_clean()
            candidate.save()
            candidates.append(candidate)
        self.counts["candidates"] += len(candidates)
        services.election_set_votes(election=election, votes={c.pk: v for c, v in zip(candidates, votes, strict=True)})

    def _nomination(self, body: Body, date: datetime.date, title: str) -> LegalAct:
        self.counts["acts"] += 1
        return legal_act_get_or_create(
            kind=LegalAct.Kind.DECISION, number="", date=date, issuer=body.name_kk, title=title
        )

    def _people(self, preferred: Iterable[int], count: int, exclude: Collection[int] = ()) -> list[int]:
        """``count`` distinct persons, from ``preferred`` first, then from the whole register."""
        pool = [pk for pk in dict.fromkeys(preferred) if pk not in exclude]
        chosen = self.rng.sample(pool, min(count, len(pool)))
        if len(chosen) < count:
            others = Person.objects.exclude(pk__in=[*chosen, *exclude]).order_by("pk").values_list("pk", flat=True)
            rest = list(others[: count * 5])
            chosen += self.rng.sample(rest, min(count - len(chosen), len(rest)))
        return chosen

    def mazhilis(self, assembly: Body, council: Body) -> None:
        """The nine deputies at the known sessions: Council nominees, all elected by a wide margin."""
        for number, day in MAZHILIS_SESSIONS:
            meeting = Meeting.objects.filter(body=assembly, number=number, start_date=day).first()
            if meeting is None or meeting.elections.exists():
                continue
            quorum = self.attend(meeting)
            members = entitled_memberships(meeting).order_by("pk").values_list("person_id", flat=True)
            councillors = Membership.objects.filter(body=council).on(day).order_by("pk")
            people = self._people([*members, *councillors.values_list("person_id", flat=True)], MAZHILIS_SEATS)
            if len(people) < MAZHILIS_SEATS:
                continue
            if quorum is not None and quorum.present >= FEWEST_BALLOTS:
                issued = quorum.present
            else:
                issued = FALLBACK_ASSEMBLY_BALLOTS - self.rng.randint(0, 20)
            election = self._election(
                meeting, kind=Election.Kind.MAZHILIS, title=MAZHILIS_TITLE, seats=MAZHILIS_SEATS,
                rule=Election.Rule.ABSOLUTE_MAJORITY, issued=issued,
            )  # fmt: skip
            act = self._nomination(
                council, day - datetime.timedelta(days=self.rng.randint(10, 20)),
                "Парламент Мәжілісінің депутаттығына кандидаттарды ұсыну туралы",
            )  # fmt: skip
            valid, majority = election.ballots_cast - election.ballots_invalid, election.ballots_cast // 2 + 1
            votes = [self.rng.randint(max(valid * 17 // 20, majority), valid) for _ in people]
            self._vote(election, [(person, council, act) for person in people], votes)

    def senate(self, meeting: Meeting, quorum: services.Quorum | None) -> None:
        """Seven names from the regional assemblies; the Council proposes the five with the most votes."""
        regions = Body.objects.filter(kind=Body.Kind.ASSEMBLY, region__isnull=False).active_on(meeting.start_date)
        regions = list(regions.order_by("pk"))
        nominations: list[tuple[int, Body, LegalAct | None]] = []
        chosen: set[int] = set()
        for body in self.rng.sample(regions, min(7, len(regions))):
            members = Membership.objects.filter(body=body).on(meeting.start_date).order_by("pk")
            people = self._people(members.values_list("person_id", flat=True), 1, exclude=chosen)
            if people:
                chosen.add(people[0])
                act = self._nomination(
                    body, meeting.start_date - datetime.timedelta(days=self.rng.randint(20, 40)),
                    "Парламент Сенатының депутаттығына кандидатураларды ұсыну туралы",
                )  # fmt: skip
                nominations.append((people[0], body, act))
        if len(nominations) <= SENATE_SEATS:
            return
        if quorum is not None and quorum.present >= FEWEST_BALLOTS:
            issued = quorum.present
        else:
            issued = FALLBACK_COUNCIL_BALLOTS - self.rng.randint(0, 10)
        election = self._election(
            meeting, kind=Election.Kind.SENATE_PROPOSAL, title=SENATE_TITLE, seats=SENATE_SEATS,
            rule=Election.Rule.PLURALITY, issued=issued,
        )  # fmt: skip
        valid = election.ballots_cast - election.ballots_invalid
        # Each member votes for up to five names: the total stays within five votes a ballot.
        votes = sorted(self.rng.sample(range(valid // 10, valid * 2 // 3 + 1), len(nominations)), reverse=True)
        self._vote(election, nominations, votes)

    def regional_election(self, meeting: Meeting, quorum: services.Quorum | None) -> None:
        """Three seats by absolute majority; the first assemblies large enough show a tie and an unfilled seat."""
        if quorum is None or quorum.present < FEWEST_BALLOTS:
            return
        members = list(entitled_memberships(meeting).order_by("pk").values_list("person_id", flat=True))
        case = "normal"
        if self.special_election_cases and quorum.present >= FEWEST_BALLOTS_FOR_A_TIE:
            case = self.special_election_cases.pop(0)
        people = self._people(members, 5 if case == "tie" else 4)
        election = self._election(
            meeting, kind=Election.Kind.OTHER, title=REGIONAL_ELECTION_TITLE, seats=REGIONAL_SEATS,
            rule=Election.Rule.ABSOLUTE_MAJORITY, issued=quorum.present,
        )  # fmt: skip
        valid = election.ballots_cast - election.ballots_invalid
        # More than half of the ballots cast elects, invalid ones included.
        majority = election.ballots_cast // 2 + 1
        if case == "tie":
            votes = [valid * 3 // 4, valid * 13 // 20, majority, majority, valid // 10]
        elif case == "unfilled":
            votes = [valid * 3 // 4, valid * 3 // 5, valid * 2 // 5, valid // 4]
        else:
            elected = sorted(self.rng.sample(range(majority, valid * 4 // 5 + 1), REGIONAL_SEATS), reverse=True)
            votes = [*elected, self.rng.randint(0, valid // 5)]
        self._vote(election, [(person, meeting.body, None) for person in people], votes)


def _venue(body: Body) -> Text:
    if body.region is None:
        return ("Астана, Ақорда", "Астана, Акорда", "Akorda, Astana")
    region = body.region
    kk, ru, en = (
        region.centre_kk or region.name_kk,
        region.centre_ru or region.name_ru,
        region.centre_en or region.name_en,
    )
    return (f"{kk}, Достық үйі", f"{ru}, Дом дружбы", f"House of Friendship, {en}")


def _theme(body: Body, plan: _Plan) -> Text:
    if body.kind == Body.Kind.ASSEMBLY:
        return SESSION_THEMES[(plan.start_date.year + body.pk) % len(SESSION_THEMES)]
    return ("", "", "")


def build_demo_meetings(*, rng: random.Random, today: datetime.date, stdout: TextIO | None = None) -> dict[str, int]:
    """Create the demo meetings (see the module's docstring) and return counts of what was created.

    Bodies that already have meetings are left alone, and so are the known sessions that
    already have elections: a second run adds nothing.
    """
    with translation.override("kk"), transaction.atomic():
        builder = _Builder(rng, today)
        bodies = (
            Body.objects.filter(
                Q(region__isnull=True, kind=Body.Kind.COUNCIL)
                | Q(region__isnull=False, kind__in=[Body.Kind.ASSEMBLY, Body.Kind.COUNCIL])
            )
            .filter(meetings__isnull=True)
            .select_related("region")
            .order_by("pk")
        )
        schedules = [(body, plans) for body in bodies if (plans := builder.schedule(body))]
        builder.create_meetings(schedules)
        builder.create_agendas([plan for body, plans in schedules for plan in plans])

        for body, plans in schedules:
            held = [plan for plan in plans if plan.meeting.status == Meeting.Status.HELD]
            quorum = None
            for plan in held:
                quorum = builder.hold(plan, last_held=plan is held[-1])
                if plan.senate:
                    builder.senate(plan.meeting, quorum)
            if body.kind == Body.Kind.ASSEMBLY and quorum is not None and quorum.met:
                builder.regional_election(held[-1].meeting, quorum)

        national = {body.slug: body for body in Body.objects.filter(slug__in=["assembly", "council"])}
        if len(national) == 2:
            builder.mazhilis(national["assembly"], national["council"])

    counts = dict(sorted(builder.counts.items()))
    if stdout is not None:
        stdout.write(
            _("Demo meetings: %(counts)s.") % {"counts": ", ".join(f"{name} {count}" for name, count in counts.items())}
        )
    return counts
