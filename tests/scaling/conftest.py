import runpy

import pytest
from django.conf import settings

# The variables of this part of the settings: unset for each load unless a test sets them.
SCALING_VARIABLES = (
    "DEBUG",
    "DATABASE_REPLICA_URL",
    "S3_BUCKET",
    "S3_PRIVATE_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_ADDRESSING_STYLE",
    "S3_CUSTOM_DOMAIN",
)


@pytest.fixture
def load_settings(monkeypatch):
    """Run ``assembly/settings.py`` afresh in the environment given (and an external primary
    database), as a production server would; return its names."""

    def load(**environment: str) -> dict:
        for name in SCALING_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("SECRET_KEY", "settings-test-key")
        monkeypatch.setenv("DATABASE_URL", "postgresql://assembly:secret@primary.internal:5432/assembly")
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(settings.BASE_DIR / "assembly" / "settings.py"))

    return load
