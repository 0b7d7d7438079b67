"""Synthetic case files (tiny scales) and the casework bench suite."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Max

from tremplin.accounts.roles import Role
from tremplin.bench.casework import CaseworkSuite, bench_people
from tremplin.bench.synthetic.casework import CASEWORK_SCALES, TODAY
from tremplin.bench.tests.fixtures import tiny_data
from tremplin.casework import permissions
from tremplin.casework.models import Consent, FollowUp, Intervention, Person, Referral

tiny = tiny_data(CaseworkSuite())


def test_it_generates_consistent_case_files(tiny):
    shape = CASEWORK_SCALES["tiny"]
    assert tiny["interventions"] == Intervention.objects.count() == shape.interventions
    assert tiny["follow_ups"] == FollowUp.objects.count()
    assert 0.9 * shape.follow_ups <= tiny["follow_ups"] <= shape.follow_ups
    assert tiny["persons"] == Person.objects.count() == Consent.objects.count()
    assert tiny["referrals"] == Referral.objects.count()
    assert FollowUp.workers.through.objects.count() == tiny["follow_ups"]
    # The summary equals what services.follow_up_refresh would compute from the rows.
    for fu in FollowUp.objects.annotate(
        n=Count("interventions"), last=Max("interventions__occurred_on")
    ):
        assert fu.intervention_count == fu.n
        assert fu.last_intervention_on == fu.last
        latest = fu.interventions.order_by("-occurred_on", "-id").first()
        assert fu.next_step_on == (latest.next_step_on if latest else None)
        end = fu.closed_on or TODAY
        assert not fu.interventions.filter(occurred_on__lt=fu.started_on).exists()
        assert not fu.interventions.filter(occurred_on__gt=end).exists()
        assert (fu.status == "open") == (fu.closed_on is None)
    # Notes decrypt (pooled tokens) and say they are fictitious.
    assert all("fictive" in i.note for i in Intervention.objects.all()[:50])
    # Every worker belongs to a supervisor's team, and sees only their follow-ups.
    workers = get_user_model().objects.filter(membership__role=Role.WORKER)
    assert workers.count() == 2 * CASEWORK_SCALES["tiny"].workers
    for w in workers:
        assert w.membership.supervisor is not None
        mine = set(FollowUp.objects.filter(workers=w).values_list("pk", flat=True))
        assert set(permissions.follow_ups_in_scope(w).values_list("pk", flat=True)) == mine


def test_it_measures_the_caseload_and_the_file_within_the_targets(tiny, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    lines = []
    suite = CaseworkSuite()
    suite.run(scale="tiny", repeat=3, emit=lines.append)
    assert [line["measure"] for line in lines] == list(suite.list_measures)
    for line in lines:
        assert line["queries"] <= 25, line
    worker, supervisor, person, n, _open = bench_people()
    assert person.follow_ups.filter(workers=worker).exists()
    assert n == max(
        sum(f.intervention_count for f in FollowUp.objects.filter(person=p, workers=worker))
        for p in Person.objects.filter(follow_ups__workers=worker).distinct()
    )
    targets = suite.targets(lines)
    assert targets["pages_at_most_25_queries"] is True
