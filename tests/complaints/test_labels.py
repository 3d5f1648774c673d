"""``get_FOO_display()`` of complaints comes from a table built once per field (``core.models.ChoiceLabels``): it
must still follow the active language and give back a value that is not among the choices."""

from django.utils import translation

from amanah.complaints.models import Channel, Complaint, ComplaintEvent, EventKind, Status


def test_labels_follow_the_active_language():
    c = Complaint(status=Status.ANSWERED, channel=Channel.WALK_IN)
    with translation.override("id"):
        assert c.get_status_display() == "Sudah dijawab"
        indonesian_channel = c.get_channel_display()
    with translation.override("en"):
        assert c.get_status_display() == "Answered"
        assert c.get_channel_display() != indonesian_channel
    assert ComplaintEvent(kind=EventKind.NOTE).get_kind_display() == str(EventKind.NOTE.label)


def test_an_unknown_value_is_shown_as_it_is():
    assert Complaint(status="tidak_ada").get_status_display() == "tidak_ada"
    assert Complaint(tier="").get_tier_display() == ""
