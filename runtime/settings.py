"""Every setting forebyg takes from the environment, and the folders of its own code.

Each ``FOREBYG_*`` variable is declared here once, with its default and its meaning in
Danish; the program reads it only through this module (``tests/test_layers.py``), and
docs/drift.md's table of settings is this list (``python -m runtime.settings`` prints it;
``tests/test_settings.py`` compares the two). Variables only the deployment files read
(``read_by``) are listed too, so an operator finds every setting in one table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

PROGRAM = "forebyg"  # read_by: the program itself


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # what an unset variable means ("" = nothing)
    meaning: str  # Danish, one line: docs/drift.md's table
    read_by: str = PROGRAM  # or the deployment file that reads it

    def get(self) -> str:
        """The variable's value when set (even empty), else the default; read at each call,
        so a changed environment counts."""
        return os.environ.get(self.name, self.default)

    def is_set(self) -> bool:
        return self.name in os.environ


PG_READERS = "forebyg, deploy/dagster.yaml"
HOME = Setting(
    "FOREBYG_HOME",
    "forebyg-data",
    "datahjemmet (indbakke/, arkiv/, forebyg.duckdb …); `--home` går forud",
)
KOMMUNER = Setting(
    "FOREBYG_KOMMUNER",
    "",
    "kommunelisten (TOML), når én installation har flere kommuner (afsnit 5)",
)
ADVARSEL_PROCENT = Setting(
    "FOREBYG_ADVARSEL_PROCENT",
    "25",
    'grænsen i procent for advarsler om en måneds nettotal ("Grænsen for advarsler")',
)
LOG = Setting(
    "FOREBYG_LOG",
    "CRITICAL",
    "niveauet for Dagsters egen log på kommandolinjen (fx `DEBUG`); sat: ingen fremdriftslinje",
)
PG_HOST = Setting(
    "FOREBYG_PG_HOST",
    "",
    "Dagsters database (PostgreSQL); tom: SQLite-filer i `<datahjem>/.dagster`",
    PG_READERS,
)
PG_PORT = Setting(
    "FOREBYG_PG_PORT",
    "",
    "porten til Dagsters database",
    PG_READERS,
)
PG_DB = Setting(
    "FOREBYG_PG_DB",
    "",
    "navnet på Dagsters database",
    PG_READERS,
)
PG_USER = Setting(
    "FOREBYG_PG_USER",
    "",
    "brugeren i Dagsters database",
    PG_READERS,
)
PG_PASSWORD = Setting(
    "FOREBYG_PG_PASSWORD",
    "",
    "adgangskoden til Dagsters database (må være tom)",
    PG_READERS,
)
MAX_CONCURRENT_RUNS = Setting(
    "FOREBYG_MAX_CONCURRENT_RUNS",
    "",
    "højst så mange kørsler ad gangen (fx antal kerner)",
    PG_READERS,
)
GENFORSOEG_SEKUNDER = Setting(
    "FOREBYG_GENFORSOEG_SEKUNDER",
    "300",
    'første ventetid i sekunder, før filer fra en fejlet kørsel prøves igen ("Filer venter")',
)
SENSOR_SEKUNDER = Setting(
    "FOREBYG_SENSOR_SEKUNDER",
    "30",
    "sekunder mellem sensorernes kig (indbakken, fejlede kørsler, alarmer)",
)
ALERT_SMTP_HOST = Setting(
    "FOREBYG_ALERT_SMTP_HOST",
    "",
    "mailserveren til alarmer; mail sendes kun, når både den og modtagerne er sat",
)
ALERT_SMTP_PORT = Setting(
    "FOREBYG_ALERT_SMTP_PORT",
    "25",
    "mailserverens port",
)
ALERT_SMTP_STARTTLS = Setting(
    "FOREBYG_ALERT_SMTP_STARTTLS",
    "0",
    "`1`: STARTTLS før afsendelse",
)
ALERT_SMTP_USER = Setting(
    "FOREBYG_ALERT_SMTP_USER",
    "",
    "login på mailserveren, hvis den kræver det",
)
ALERT_SMTP_PASSWORD = Setting(
    "FOREBYG_ALERT_SMTP_PASSWORD",
    "",
    "adgangskoden til mailserveren",
)
ALERT_FROM = Setting(
    "FOREBYG_ALERT_FROM",
    "",
    "afsenderen af alarmer; tom: `forebyg@<maskinens navn>`",
)
ALERT_TO = Setting(
    "FOREBYG_ALERT_TO",
    "",
    "modtagerne af alarmer, kommasepareret",
)
ALERT_WEBHOOK_URL = Setting(
    "FOREBYG_ALERT_WEBHOOK_URL",
    "",
    'en Teams- eller Slack-webhook; får `{"text": "…"}` som JSON',
)
DAGSTER_URL = Setting(
    "FOREBYG_DAGSTER_URL",
    "",
    "UI'ets adresse for brugerne, til linket i en alarm",
)
LOG_DAYS = Setting(
    "FOREBYG_LOG_DAYS",
    "90",
    "dage, Dagsters trin-logfiler gemmes",
    "deploy/systemd, deploy/k8s",
)
WEB_HOST = Setting(
    "FOREBYG_WEB_HOST",
    "127.0.0.1",
    "adressen, webserveren lytter på",
    "deploy/dagster-service",
)
WEB_PORT = Setting(
    "FOREBYG_WEB_PORT",
    "3000",
    "porten, webserveren lytter på",
    "deploy/dagster-service",
)
DATA_DIR = Setting(
    "FOREBYG_DATA_DIR",
    "/srv/forebyg",
    "værtens mappe med datahjemmet, når det hele kører i containere",
    "deploy/compose.yaml",
)
NGINX_CONF = Setting(
    "FOREBYG_NGINX_CONF",
    "forebyg.conf",
    "nginx' opsætning i containerne (`forebyg-sso.conf`: single sign-on)",
    "deploy/compose.yaml",
)

SETTINGS = tuple(v for v in dict(globals()).values() if isinstance(v, Setting))

# The folders of forebyg's own code and shipped files, wherever it is installed.
PACKAGES = Path(__file__).resolve().parents[1]
ASSETS = PACKAGES / "assets"
SQL_FOLDERS = {"makroer": "macros", "core": "core/sql", "mart": "marts/sql"}  # in ASSETS
MART_SQL = ASSETS / SQL_FOLDERS["mart"]
SCHEMAS = PACKAGES / "schemas"


def shipped(package: str) -> Path:
    """A folder shipped as package data (``sample_data``, ``deploy``), wherever forebyg is
    installed: a checkout, an editable install or a wheel."""
    return Path(str(resources.files(package)))


def table() -> str:
    """docs/drift.md's table of settings, in Danish."""
    lines = ["| variabel | standard | betydning | læses af |", "|---|---|---|---|"]
    lines += [
        f"| `{s.name}` | {f'`{s.default}`' if s.default else '–'} | {s.meaning} | {s.read_by} |"
        for s in SETTINGS
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
