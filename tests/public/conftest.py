import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files written by the tests (meeting documents) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
