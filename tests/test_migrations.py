"""What the data migrations load: the regions of the reference file, the bodies and
their posts, and the Secretariat's staff groups."""

import csv
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from assembly.models import Body, Post
from regional.models import Region

pytestmark = pytest.mark.django_db

REGIONS_CSV = Path(settings.BASE_DIR) / "tests" / "data" / "reference" / "regions.csv"
FOUNDED = datetime.date(1995, 3, 1)

REGISTER_MODELS = {
    "assembly": ["legalact", "body", "post"],
    "members": ["ethnicgroup", "association", "person", "membership"],
}
READ_ONLY_MODELS = {"regional": ["region"]}


def reference_regions() -> dict[str, dict]:
    with REGIONS_CSV.open(encoding="utf-8", newline="") as file:
        return {row["kato"]: row for row in csv.DictReader(file)}


def codenames(permissions) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions.select_related("content_type")}


def expected(models_by_app: dict, actions: list[str]) -> set[str]:
    return {
        f"{app}.{action}_{model}" for app, models in models_by_app.items() for model in models for action in actions
    }


def test_the_twenty_regions_of_the_reference_file():
    reference = reference_regions()
    assert len(reference) == 20
    regions = {region.kato: region for region in Region.objects.all()}
    assert set(regions) == set(reference)
    for kato, row in reference.items():
        region = regions[kato]
        loaded = (
            region.kind,
            region.name_kk,
            region.name_ru,
            region.name_en,
            region.centre_en,
            region.valid_from,
            region.valid_until,
        )
        valid_from = datetime.date.fromisoformat(row["valid_from"]) if row["valid_from"] else None
        assert loaded == (
            row["kind"],
            row["name_kk"],
            row["name_ru"],
            row["name_en"],
            row["centre_en"],
            valid_from,
            None,
        ), kato
        assert region.name == row["name_kk"]  # Kazakh is the default language
        region.full_clean()


def test_regions_have_unique_slugs_from_their_english_names():
    slugs = list(Region.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 20
    assert Region.objects.get(kato="75").slug == "almaty"


def test_three_national_bodies():
    national = {body.slug: body for body in Body.objects.national()}
    assert set(national) == {"assembly", "council", "secretariat"}
    assert [national[slug].kind for slug in ("assembly", "council", "secretariat")] == [
        "assembly",
        "council",
        "secretariat",
    ]
    assert national["assembly"].parent is None
    assert national["council"].parent == national["assembly"]
    assert national["secretariat"].parent == national["assembly"]
    assert {body.founded for body in national.values()} == {FOUNDED}
    assert national["assembly"].name_kk == "Қазақстан халқы Ассамблеясы"
    assert national["assembly"].name_ru == "Ассамблея народа Казахстана"
    assert national["assembly"].name_en == "Assembly of the People of Kazakhstan"


def test_three_bodies_per_region():
    assert Body.objects.count() == 3 + 3 * 20
    assembly = Body.objects.get(slug="assembly")
    for region in Region.objects.all():
        bodies = {body.kind: body for body in Body.objects.of_region(region)}
        assert set(bodies) == {"assembly", "council", "secretariat"}, region.kato
        assert bodies["assembly"].parent == assembly
        assert bodies["council"].parent == bodies["assembly"]
        assert bodies["secretariat"].parent == bodies["assembly"]
        founded = max(FOUNDED, region.valid_from) if region.valid_from else FOUNDED
        assert {body.founded for body in bodies.values()} == {founded}, region.kato
        for body in bodies.values():
            assert body.dissolved is None
            assert region.name_kk in body.name_kk and region.name_en in body.name_en
            assert body.name_ru and body.name == body.name_kk
            body.full_clean()


def test_every_assembly_has_a_single_seat_chairman_and_three_deputy_chairmen():
    assemblies = Body.objects.filter(kind=Body.Kind.ASSEMBLY)
    assert assemblies.count() == 21
    for body in assemblies:
        posts = {post.role: post for post in body.posts.all()}
        assert set(posts) == {Post.Role.CHAIRMAN, Post.Role.DEPUTY_CHAIRMAN, Post.Role.MEMBER}, body.slug
        assert posts[Post.Role.CHAIRMAN].seats == 1
        assert posts[Post.Role.DEPUTY_CHAIRMAN].seats == 3
        assert posts[Post.Role.MEMBER].seats is None
        # Chairs first in every composition.
        assert [post.role for post in body.posts.order_by("sort_order")] == ["chairman", "deputy_chairman", "member"]


def test_councils_and_secretariats_have_their_posts():
    for body in Body.objects.filter(kind=Body.Kind.COUNCIL):
        assert {(post.role, post.seats) for post in body.posts.all()} == {("chairman", 1), ("member", None)}
    for body in Body.objects.filter(kind=Body.Kind.SECRETARIAT):
        assert {(post.role, post.seats) for post in body.posts.all()} == {
            ("head", 1),
            ("deputy_head", None),
            ("staff", None),
        }
    assert Post.objects.count() == 21 * 3 + 21 * 2 + 21 * 3


def test_every_post_is_labelled_in_three_languages():
    assert not Post.objects.filter(label_kk="").exists()
    assert not Post.objects.filter(label_ru="").exists()
    assert not Post.objects.filter(label_en="").exists()
    assert post_label("assembly", "chairman") == ("Төраға", "Председатель", "Chairman")


def post_label(body_slug: str, role: str) -> tuple[str, str, str]:
    post = Post.objects.get(body__slug=body_slug, role=role)
    return post.label_kk, post.label_ru, post.label_en


def test_the_viewer_group_only_views():
    viewer = Group.objects.get(name="Secretariat viewer")
    assert all(permission.codename.startswith("view_") for permission in viewer.permissions.all())
    in_register = viewer.permissions.filter(content_type__app_label__in=["assembly", "members", "regional"])
    assert codenames(in_register) == expected({**REGISTER_MODELS, **READ_ONLY_MODELS}, ["view"])


def test_the_editor_group_edits_the_register_and_reads_the_regions():
    editor = Group.objects.get(name="Secretariat editor")
    in_register = editor.permissions.filter(content_type__app_label__in=["assembly", "members", "regional"])
    assert codenames(in_register) == expected(REGISTER_MODELS, ["add", "change", "delete", "view"]) | expected(
        READ_ONLY_MODELS, ["view"]
    )


def test_neither_group_manages_users_or_the_site():
    for group in Group.objects.filter(name__in=["Secretariat editor", "Secretariat viewer"]):
        assert not group.permissions.filter(
            content_type__app_label__in=["auth", "admin", "contenttypes", "sessions"]
        ).exists(), group.name
    assert Permission.objects.filter(group__name="Secretariat editor").count() > 0
