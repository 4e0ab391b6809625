"""Every write to a meeting's file that carries a rule: attendance of entitled
members, quorum, decisions and elections. The admin and every later interface
call these functions."""

import dataclasses
import math
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assembly.audit import bulk_create_with_history, bulk_update_with_history
from assembly.models import Body
from members.models import Membership

from .models import Attendance, Candidate, Decision, Election, Majority, Meeting, MeetingRules
from .selectors import entitled_memberships


def meeting_rules(body: Body) -> MeetingRules:
    """The body's rules, or the defaults (an unsaved instance) when it has none."""
    try:
        return body.meeting_rules
    except MeetingRules.DoesNotExist:
        return MeetingRules(body=body)


@dataclasses.dataclass(frozen=True)
class Quorum:
    entitled: int
    present: int
    required: int
    rule: str

    @property
    def met(self) -> bool:
        return self.entitled > 0 and self.present >= self.required


def _required(count: int, comparison: str, numerator: int, denominator: int) -> int:
    """The smallest whole number that is `comparison` numerator/denominator of count."""
    if comparison == MeetingRules.Comparison.AT_LEAST:
        return math.ceil(count * numerator / denominator)
    return count * numerator // denominator + 1


def meeting_quorum(meeting: Meeting) -> Quorum:
    """Entitled and present members, and how many must be present under the body's rule."""
    rules = meeting_rules(meeting.body)
    entitled_qs = entitled_memberships(meeting)
    entitled = entitled_qs.count()
    # A row left over from a membership corrected afterwards must not count as present.
    present = meeting.attendance.filter(status__in=Attendance.ATTENDED, membership__in=entitled_qs).count()
    required = _required(entitled, rules.quorum_comparison, rules.quorum_numerator, rules.quorum_denominator)
    rule = rules.quorum_rule_display()
    return Quorum(entitled=entitled, present=present, required=required, rule=rule)


@transaction.atomic
def attendance_mark_all_present(*, meeting: Meeting) -> int:
    """Record every entitled member as present, keeping statuses already entered.
    Returns the number of rows added."""
    # No ordering: the default one joins the persons only to sort, which a set does not need.
    recorded = set(meeting.attendance.order_by().values_list("membership_id", flat=True))
    new_rows = [
        Attendance(meeting=meeting, membership_id=pk, status=Attendance.Status.PRESENT)
        for pk in entitled_memberships(meeting).order_by().values_list("pk", flat=True)
        if pk not in recorded
    ]
    bulk_create_with_history(new_rows, Attendance)
    return len(new_rows)


@transaction.atomic
def attendance_set(*, meeting: Meeting, statuses: Mapping[int, str]) -> None:
    """Set the status of each membership id in ``statuses``; every one must be entitled."""
    entitled = set(entitled_memberships(meeting).filter(pk__in=statuses).values_list("pk", flat=True))
    not_entitled = sorted(set(statuses) - entitled)
    if not_entitled:
        names = ", ".join(
            str(m.person) for m in Membership.objects.filter(pk__in=not_entitled).select_related("person")
        )
        raise ValidationError(
            _("Not a member of this body on %(date)s: %(names)s.")
            % {"date": meeting.start_date.strftime("%d.%m.%Y"), "names": names}
        )
    invalid = {status for status in statuses.values() if status not in Attendance.Status.values}
    if invalid:
        raise ValidationError(_("Unknown attendance status: %(statuses)s.") % {"statuses": ", ".join(sorted(invalid))})
    existing = {row.membership_id: row for row in meeting.attendance.filter(membership_id__in=statuses)}
    changed, added = [], []
    for membership_id, status in statuses.items():
        row = existing.get(membership_id)
        if row is None:
            added.append(Attendance(meeting=meeting, membership_id=membership_id, status=status))
        elif row.status != status:
            row.status = status
            changed.append(row)
    bulk_create_with_history(added, Attendance)
    bulk_update_with_history(changed, Attendance, ["status"])


def votes_needed(majority: str, *, entitled: int, present: int) -> int:
    """The smallest number of votes in favour that carries a decision."""
    if majority == Majority.SIMPLE_PRESENT:
        return present // 2 + 1
    if majority == Majority.TWO_THIRDS_PRESENT:
        return math.ceil(present * 2 / 3)
    if majority == Majority.MAJORITY_ALL:
        return entitled // 2 + 1
    if majority == Majority.TWO_THIRDS_ALL:
        return math.ceil(entitled * 2 / 3)
    raise ValidationError({"required_majority": _("Unknown majority rule.")})


def _require_quorum(meeting: Meeting) -> Quorum:
    quorum = meeting_quorum(meeting)
    if not quorum.met:
        raise ValidationError(
            _(
                "The meeting has no quorum: %(present)s of %(entitled)s members present, %(required)s needed "
                "(%(rule)s). Record the attendance first."
            )
            % {"present": quorum.present, "entitled": quorum.entitled, "required": quorum.required, "rule": quorum.rule}
        )
    return quorum


@transaction.atomic
def decision_record(*, decision: Decision) -> Decision:
    """Compute and store the result of a (new or corrected) decision.

    Refused when the meeting has no quorum, or more members voted than were present.
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body__meeting_rules")
        .get(pk=decision.meeting_id)
    )
    quorum = _require_quorum(meeting)
    votes_cast = decision.votes_for + decision.votes_against + decision.votes_abstained
    if votes_cast > quorum.present:
        raise ValidationError(
            _("%(votes)s votes recorded, but only %(present)s members were present.")
            % {"votes": votes_cast, "present": quorum.present}
        )
    decision.members_entitled = quorum.entitled
    decision.members_present = quorum.present
    decision.votes_needed = votes_needed(decision.required_majority, entitled=quorum.entitled, present=quorum.present)
    decision.result = (
        Decision.Result.ADOPTED if decision.votes_for >= decision.votes_needed else Decision.Result.REJECTED
    )
    decision.full_clean()
    decision.save()
    return decision


def _is_national_council(body: Body | None) -> bool:
    """The Assembly's Council itself; a regional council does not nominate to Parliament."""
    return body is not None and body.kind == Body.Kind.COUNCIL and body.region_id is None


def _check_election(election: Election, candidates: list[Candidate]) -> None:
    meeting = election.meeting
    if election.kind == Election.Kind.MAZHILIS:
        if meeting.body.kind != Body.Kind.ASSEMBLY or meeting.body.region_id is not None:
            raise ValidationError(_("Deputies of the Mazhilis are elected at a session of the Assembly."))
        if election.rule != Election.Rule.ABSOLUTE_MAJORITY:
            raise ValidationError(_("Deputies of the Mazhilis are elected by more than half of the votes cast."))
        if any(not _is_national_council(c.nominated_by_body) for c in candidates):
            raise ValidationError(_("Only the Council nominates candidates for the Mazhilis."))
    if election.kind == Election.Kind.SENATE_PROPOSAL and not _is_national_council(meeting.body):
        raise ValidationError(_("Proposals for the Senate are made by the Council."))
    valid = election.ballots_cast - election.ballots_invalid
    over = [c for c in candidates if (c.votes or 0) > valid]
    if over:
        raise ValidationError(
            _("A candidate cannot have more votes than there are valid ballots (%(valid)s): %(names)s.")
            % {"valid": valid, "names": ", ".join(str(c.person) for c in over)}
        )
    if sum(c.votes or 0 for c in candidates) > valid * election.seats:
        raise ValidationError(_("More votes in total than the valid ballots allow."))


@transaction.atomic
def election_compute(*, election: Election) -> Election:
    """Decide who is elected, and store it with an honest account of ties and unfilled seats.

    Under the absolute-majority rule a candidate needs more than half of the ballots
    cast (the members who took part); under plurality, the most votes. If candidates
    tie for the last seats and not all of them fit, none of the tied is elected and
    the seats stay unfilled.
    """
    election.full_clean()
    election.save()
    candidates = list(election.candidates.select_related("person", "nominated_by_body"))
    _check_election(election, candidates)

    if election.rule == Election.Rule.ABSOLUTE_MAJORITY:
        eligible = [c for c in candidates if c.votes is not None and c.votes * 2 > election.ballots_cast]
    else:
        eligible = [c for c in candidates if c.votes]
    eligible.sort(key=lambda c: c.votes, reverse=True)

    elected: list[Candidate] = []
    tie = False
    for votes in sorted({c.votes for c in eligible}, reverse=True):
        group = [c for c in eligible if c.votes == votes]
        if len(elected) + len(group) <= election.seats:
            elected.extend(group)
        else:
            tie = len(elected) < election.seats
            break
    elected_ids = {c.pk for c in elected}
    for candidate in candidates:
        candidate.elected = candidate.pk in elected_ids
    bulk_update_with_history(candidates, Candidate, ["elected"])

    election.seats_filled = len(elected)
    election.tie = tie
    election.result_note = election.result_summary()
    election.save(update_fields=["seats_filled", "tie", "result_note"])
    return election


@transaction.atomic
def election_set_votes(*, election: Election, votes: Mapping[int, int | None]) -> Election:
    """Enter the votes per candidate id, then compute the result."""
    candidates = {c.pk: c for c in election.candidates.all()}
    unknown = set(votes) - set(candidates)
    if unknown:
        raise ValidationError(_("These candidates are not in this election."))
    for pk, value in votes.items():
        if value is not None and value < 0:
            raise ValidationError(_("Votes cannot be negative."))
        candidates[pk].votes = value
    bulk_update_with_history(candidates.values(), Candidate, ["votes"])
    return election_compute(election=election)
