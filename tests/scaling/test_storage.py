"""Media on S3-compatible storage when ``S3_BUCKET`` is set, and what depends on where they are:
the nomination documents' private storage, the document views, the backup command.

No test here reaches a network: the S3 backends are built and asked for addresses only, with
every socket and botocore's HTTP sending made to fail."""

import socket

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.core.files.storage.handler import StorageHandler
from django.core.management import CommandError, call_command
from django.utils import translation
from storages.backends.s3 import S3Storage

from assembly import backups
from regional.models import private_storage
from tests.factories import PDF_BYTES, DocumentFactory, NominationFactory

S3 = "storages.backends.s3.S3Storage"
IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
S3_ENVIRONMENT = {
    "S3_BUCKET": "apk-media",
    "S3_PRIVATE_BUCKET": "apk-private",
    "S3_ENDPOINT_URL": "https://s3.example.kz",
    "S3_REGION": "kz-1",
    "S3_ACCESS_KEY_ID": "access-key-for-tests",
    "S3_SECRET_ACCESS_KEY": "secret-key-for-tests",
    "S3_ADDRESSING_STYLE": "path",
}


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr("botocore.httpsession.URLLib3Session.send", refuse)


def s3_options(**options) -> dict:
    return {
        "BACKEND": S3,
        "OPTIONS": {"bucket_name": "apk-private", "access_key": "a", "secret_key": "b", **options},
    }


# The settings -------------------------------------------------------------------------------


def test_without_s3_the_media_stay_in_local_folders(load_settings):
    storages = load_settings()["STORAGES"]

    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert "private" not in storages
    assert storages["staticfiles"] == {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def test_s3_puts_the_media_in_the_bucket_under_plain_addresses(load_settings, no_network):
    configured = load_settings(**S3_ENVIRONMENT)["STORAGES"]

    assert configured["default"]["BACKEND"] == S3
    media = StorageHandler(configured)["default"]
    assert isinstance(media, S3Storage)
    assert (media.bucket_name, media.location, media.endpoint_url, media.region_name) == (
        "apk-media",
        "media",
        "https://s3.example.kz",
        "kz-1",
    )
    assert (media.access_key, media.secret_key) == ("access-key-for-tests", "secret-key-for-tests")
    # Nothing is granted by an ACL (the bucket policy grants the photos); nothing is overwritten.
    assert media.default_acl is None
    assert media.file_overwrite is False
    # A photo's address lasts: no signature that would expire in cached pages and open data.
    assert media.querystring_auth is False
    assert media.url("persons/photo.jpg") == "https://s3.example.kz/apk-media/media/persons/photo.jpg"
    # The static files stay with WhiteNoise.
    assert configured["staticfiles"] == {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def test_s3_with_a_custom_domain_gives_addresses_on_that_domain(load_settings, no_network):
    configured = load_settings(**S3_ENVIRONMENT, S3_CUSTOM_DOMAIN="media.example.kz")["STORAGES"]

    media = StorageHandler(configured)["default"]
    assert media.url("persons/photo.jpg") == "https://media.example.kz/media/persons/photo.jpg"
    # Never for the private files.
    assert "custom_domain" not in configured["private"]["OPTIONS"]


def test_s3_puts_the_nomination_documents_in_the_private_bucket(load_settings, no_network):
    configured = load_settings(**S3_ENVIRONMENT)["STORAGES"]

    private = StorageHandler(configured)["private"]
    assert isinstance(private, S3Storage)
    assert (private.bucket_name, private.location, private.endpoint_url) == (
        "apk-private",
        "private-media",
        "https://s3.example.kz",
    )
    assert private.default_acl is None
    assert private.file_overwrite is False
    assert private.querystring_auth is True
    assert private.custom_domain is None


def test_without_a_private_bucket_the_documents_go_to_the_media_bucket_under_their_own_prefix(load_settings):
    environment = {name: value for name, value in S3_ENVIRONMENT.items() if name != "S3_PRIVATE_BUCKET"}
    configured = load_settings(**environment)["STORAGES"]

    assert configured["private"]["OPTIONS"]["bucket_name"] == "apk-media"
    assert configured["private"]["OPTIONS"]["location"] == "private-media"
    assert configured["default"]["OPTIONS"]["location"] == "media"


def test_credentials_left_unset_are_left_to_boto3(load_settings):
    environment = {name: value for name, value in S3_ENVIRONMENT.items() if not name.endswith(("_KEY_ID", "_KEY"))}
    configured = load_settings(**environment)["STORAGES"]

    for alias in ("default", "private"):
        assert "access_key" not in configured[alias]["OPTIONS"]
        assert "secret_key" not in configured[alias]["OPTIONS"]


def image_sources(names: dict) -> list[str] | None:
    return names["CONTENT_SECURITY_POLICY"]["DIRECTIVES"].get("img-src")


def test_pages_may_show_images_from_the_media_host_only_with_s3(load_settings):
    # Without S3 the photos are the site's own: default-src 'self' covers them.
    assert image_sources(load_settings()) is None
    assert image_sources(load_settings(**S3_ENVIRONMENT)) == [
        "'self'",
        "https://s3.example.kz",
        "https://*.s3.example.kz",
    ]
    assert image_sources(load_settings(**S3_ENVIRONMENT, S3_CUSTOM_DOMAIN="media.example.kz")) == [
        "'self'",
        "https://media.example.kz",
    ]
    on_aws = {name: value for name, value in S3_ENVIRONMENT.items() if name != "S3_ENDPOINT_URL"}
    assert image_sources(load_settings(**on_aws)) == [
        "'self'",
        "https://apk-media.s3.amazonaws.com",
        "https://apk-media.s3.kz-1.amazonaws.com",
    ]


# The nomination documents' storage ------------------------------------------------------------


def test_the_private_storage_is_the_private_folder_without_s3(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path

    assert isinstance(private_storage.backend, FileSystemStorage)
    assert private_storage.location == str(tmp_path)


def test_the_private_storage_is_the_private_bucket_with_s3_and_still_has_no_url(settings, no_network):
    settings.STORAGES = {**settings.STORAGES, "private": s3_options(location="private-media", querystring_auth=True)}

    assert isinstance(private_storage.backend, S3Storage)
    assert private_storage.location == "private-media"
    with pytest.raises(ValueError, match="no URL"):
        private_storage.url("nominations/1/file.pdf")


@pytest.mark.django_db
def test_nomination_documents_are_kept_and_served_from_the_configured_private_storage(client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.STORAGES = {**settings.STORAGES, "private": IN_MEMORY}

    nomination = NominationFactory()
    document = nomination.documents.get()

    backend = private_storage.backend
    assert isinstance(backend, InMemoryStorage)
    assert backend.exists(document.file.name)
    assert not settings.PRIVATE_MEDIA_ROOT.exists()
    client.force_login(nomination.created_by)
    response = client.get(f"/kk/portal/{nomination.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


# Meeting documents from any storage ----------------------------------------------------------------


@pytest.mark.django_db
def test_meeting_documents_are_served_by_their_view_from_the_configured_storage(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY}

    public = DocumentFactory(is_public=True, file=ContentFile(b"%PDF-1.4 public", name="public.pdf"))
    restricted = DocumentFactory(is_public=False, file=ContentFile(b"%PDF-1.4 restricted", name="restricted.pdf"))

    assert not settings.MEDIA_ROOT.exists()
    response = client.get(f"/kk/sessions/documents/{public.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 public"
    assert client.get(f"/kk/sessions/documents/{restricted.pk}/").status_code == 404


# The backup command ---------------------------------------------------------------------------------


def test_the_backup_holds_the_local_media_folders(settings, tmp_path):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private-media"

    assert set(backups.media_roots()) == {"media", "private-media"}


@pytest.mark.parametrize("alias", ["default", "private"])
def test_the_backup_refuses_media_in_object_storage_and_says_what_to_do(settings, tmp_path, alias, no_network):
    settings.STORAGES = {**settings.STORAGES, alias: s3_options()}

    with translation.override("en"), pytest.raises(backups.BackupError, match="S3") as refused:
        backups.media_roots()
    assert alias in str(refused.value)
    assert "bucket with its own tools" in str(refused.value)
    with translation.override("en"), pytest.raises(CommandError, match="object storage"):
        call_command("backup", output=tmp_path)
    assert list(tmp_path.iterdir()) == []
