"""Keep ``Membership.single_seat`` equal to ``post.seats = 1`` whatever writes the rows.

The exclusion constraint ``membership_single_seat_one_holder`` is partial on that
column, so a raw INSERT cannot slip a second holder into a single-seat post.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION members_membership_set_single_seat() RETURNS trigger AS $$
BEGIN
    NEW.single_seat := COALESCE((SELECT seats = 1 FROM assembly_post WHERE id = NEW.post_id), false);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER members_membership_single_seat
    BEFORE INSERT OR UPDATE OF post_id, single_seat ON members_membership
    FOR EACH ROW EXECUTE FUNCTION members_membership_set_single_seat();

CREATE FUNCTION assembly_post_propagate_single_seat() RETURNS trigger AS $$
BEGIN
    UPDATE members_membership SET single_seat = (NEW.seats = 1) WHERE post_id = NEW.id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER assembly_post_single_seat
    AFTER UPDATE OF seats ON assembly_post
    FOR EACH ROW WHEN (OLD.seats IS DISTINCT FROM NEW.seats)
    EXECUTE FUNCTION assembly_post_propagate_single_seat();
"""

REVERSE = """
DROP TRIGGER IF EXISTS assembly_post_single_seat ON assembly_post;
DROP FUNCTION IF EXISTS assembly_post_propagate_single_seat();
DROP TRIGGER IF EXISTS members_membership_single_seat ON members_membership;
DROP FUNCTION IF EXISTS members_membership_set_single_seat();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("assembly", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
