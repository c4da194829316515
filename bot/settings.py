"""One typed settings object, read from the environment (and ``.env``) at start-up."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from store.db import DEFAULT_URL


class ConfigError(RuntimeError):
    """Settings are missing or wrong; the message says what to set."""


class Settings(BaseSettings):
    """Everything Chaser reads from its environment. No credential has a default."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(DEFAULT_URL, validation_alias="CHASER_DATABASE_URL")
    host: str = Field("127.0.0.1", validation_alias="CHASER_HOST")
    port: int = Field(3978, validation_alias="CHASER_PORT")
    timezone: str = Field("Europe/London", validation_alias="CHASER_TIMEZONE")
    log_level: str = Field("INFO", validation_alias="CHASER_LOG_LEVEL")
    log_json: bool = Field(False, validation_alias="CHASER_LOG_JSON")
    scheduler_enabled: bool = Field(True, validation_alias="CHASER_SCHEDULER")
    sweep_seconds: int = Field(60, validation_alias="CHASER_SWEEP_SECONDS")

    slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="SLACK_API_URL")
    slack_client_id: str | None = Field(None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, validation_alias="SLACK_CLIENT_SECRET")

    teams_app_id: str | None = Field(
        None, validation_alias=AliasChoices("MicrosoftAppId", "MICROSOFT_APP_ID")
    )
    teams_app_password: SecretStr | None = Field(
        None, validation_alias=AliasChoices("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD")
    )
    teams_app_type: str = Field(
        "MultiTenant", validation_alias=AliasChoices("MicrosoftAppType", "MICROSOFT_APP_TYPE")
    )
    teams_tenant_id: str | None = Field(
        None, validation_alias=AliasChoices("MicrosoftAppTenantId", "MICROSOFT_APP_TENANT_ID")
    )

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None or self.slack_client_id is not None

    def require_slack(self) -> None:
        """Fail with a clear message when Slack is half configured."""
        if self.slack_signing_secret is None and self.slack_app_token is None:
            raise ConfigError("SLACK_SIGNING_SECRET is required to receive Slack requests")
        if self.slack_client_id and self.slack_client_secret is None:
            raise ConfigError("SLACK_CLIENT_SECRET is required when SLACK_CLIENT_ID is set")

    def require_teams(self) -> None:
        """An app id needs its password: Teams auth is on whenever an app id is set."""
        if self.teams_app_id and self.teams_app_password is None:
            raise ConfigError("MicrosoftAppPassword is required when MicrosoftAppId is set")


def load_settings() -> Settings:
    """Read the settings, turning validation errors into one clear line."""
    try:
        return Settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ConfigError(f"bad configuration: {exc}") from exc
