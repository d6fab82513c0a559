"""The deployment files in deploy/: the production instance, the service script, the
systemd units, the container (built when a Docker engine answers) and the nginx configs
(checked with `nginx -t` when nginx is installed)."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pipelines import instance as instance_module
from pipelines.instance import EARLIER_MINIMAL, PG_SETTINGS, dagster_home, minimal_yaml
from runtime import settings
from runtime.resources import Stop
from tests.pg import pg_settings  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


@pytest.fixture
def no_pg(monkeypatch):
    for name in PG_SETTINGS:
        monkeypatch.delenv(name, raising=False)


def test_without_postgresql_a_home_gets_the_minimal_instance(tmp_path, no_pg):
    path = dagster_home(tmp_path)
    assert (path / "dagster.yaml").read_text() == minimal_yaml(path)
    with instance_module.instance(tmp_path) as dagster:
        assert type(dagster.event_log_storage).__name__ == "PooledSqliteEventLogStorage"
        assert type(dagster.run_storage).__name__ == "SqliteRunStorage"
        # the event log's files are where Dagster's default keeps them
        assert Path(dagster.event_log_storage._base_dir) == path / "history" / "runs"


def test_forebygs_earlier_minimal_instance_is_brought_up_to_date(tmp_path, no_pg):
    (tmp_path / ".dagster").mkdir()
    (tmp_path / ".dagster" / "dagster.yaml").write_text(EARLIER_MINIMAL)
    path = dagster_home(tmp_path)
    assert (path / "dagster.yaml").read_text() == minimal_yaml(path)


def test_a_moved_home_gets_its_own_paths_in_its_instance(tmp_path, no_pg):
    dagster_home(tmp_path / "før")
    (tmp_path / "før").rename(tmp_path / "efter")
    path = dagster_home(tmp_path / "efter")
    assert (path / "dagster.yaml").read_text() == minimal_yaml(path)
    assert "før" not in (path / "dagster.yaml").read_text()


def test_an_operators_own_dagster_yaml_is_kept(tmp_path, monkeypatch):
    own = "telemetry:\n  enabled: true\n"
    (tmp_path / ".dagster").mkdir()
    (tmp_path / ".dagster" / "dagster.yaml").write_text(own)
    monkeypatch.setenv("FOREBYG_PG_HOST", "db.kommune.test")
    assert (dagster_home(tmp_path) / "dagster.yaml").read_text() == own


def test_missing_postgresql_settings_are_named_in_danish(tmp_path, no_pg, monkeypatch):
    monkeypatch.setenv("FOREBYG_PG_HOST", "db.kommune.test")
    monkeypatch.setenv("FOREBYG_PG_DB", "dagster")
    with pytest.raises(Stop) as stop:
        dagster_home(tmp_path)
    assert "FOREBYG_PG_PORT, FOREBYG_PG_USER, FOREBYG_MAX_CONCURRENT_RUNS mangler" in str(
        stop.value
    )
    assert not (tmp_path / ".dagster" / "dagster.yaml").exists()


@pytest.mark.slow
def test_the_production_instance_runs_on_postgresql_with_a_queue(tmp_path, pg_settings):  # noqa: F811
    # `instance` is what the commands record their runs in (pipelines/cli.py)
    (tmp_path / ".dagster").mkdir()
    (tmp_path / ".dagster" / "dagster.yaml").write_text(EARLIER_MINIMAL)  # a trial before
    with instance_module.instance(tmp_path) as dagster:
        assert type(dagster.run_storage).__name__ == "PostgresRunStorage"
        assert type(dagster.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(dagster.schedule_storage).__name__ == "PostgresScheduleStorage"
        queue = dagster.run_coordinator.get_run_queue_config()
        assert queue.max_concurrent_runs == int(pg_settings["FOREBYG_MAX_CONCURRENT_RUNS"])
        # one run at a time per home, whoever started it: the queue sets forebyg/kommune
        # from the run's partition (tests/test_operations.py)
        assert type(dagster.run_coordinator).__name__ == "ForebygRunCoordinator"
        assert queue.tag_concurrency_limits == [
            {"key": "forebyg/kommune", "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
        ]
        # a dead run worker is seen at the next poll, a minute at most
        assert dagster.run_launcher.supports_check_run_worker_health
        assert dagster.run_monitoring_enabled
        assert dagster.run_monitoring_poll_interval_seconds == 60
        assert dagster.run_monitoring_max_resume_run_attempts == 0
    # the upgrade step of docs/drift.md, on the same database
    env = {**os.environ, "FOREBYG_HOME": str(tmp_path)}
    done = subprocess.run(
        [DEPLOY / "dagster-service", "migrate"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_no_secret_is_written_in_the_instance_template():
    text = (DEPLOY / "dagster.yaml").read_text()
    read = set(re.findall(r"\{env: (\w+)\}", text))
    assert read == set(PG_SETTINGS)
    assert "password: {env: FOREBYG_PG_PASSWORD}" in text


def test_every_setting_read_is_in_the_environment_example():
    example = (DEPLOY / "forebyg.env.example").read_text()
    listed = set(re.findall(r"^(\w+)=", example, re.M))
    read = {
        s.name for s in settings.SETTINGS if re.match(r"FOREBYG_(PG|ALERT|DAGSTER|MAX)", s.name)
    }
    assert len(read) == 15  # 5 PG_, MAX_CONCURRENT_RUNS, 8 ALERT_ and DAGSTER_URL
    assert read <= listed, read - listed
    assert re.search(r"^FOREBYG_PG_PASSWORD=$", example, re.M)  # empty: never a real one


@pytest.mark.slow
def test_the_service_script_refuses_an_unknown_service(tmp_path, no_pg):
    script = DEPLOY / "dagster-service"
    assert os.access(script, os.X_OK)
    env = {**os.environ, "FOREBYG_HOME": str(tmp_path / "hjem")}
    done = subprocess.run([script, "noget"], env=env, capture_output=True, text=True)
    assert done.returncode == 2 and "brug:" in done.stderr
    env.pop("FOREBYG_HOME")
    done = subprocess.run([script, "daemon"], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "FOREBYG_HOME skal pege på datahjemmet" in done.stderr


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "systemd" / name)
    return unit


def test_systemd_units_start_the_service_script_with_the_environment_file():
    for name, service in (
        ("forebyg-dagster-daemon.service", "daemon"),
        ("forebyg-dagster-webserver.service", "webserver"),
    ):
        unit = _unit(name)["Service"]
        assert unit["ExecStart"] == f"/opt/forebyg/deploy/dagster-service {service}"
        assert unit["EnvironmentFile"] == "/etc/forebyg/forebyg.env"
        assert unit["User"] == "forebyg" and unit["UMask"] == "0007"
    web = _unit("forebyg-dagster-webserver.service")["Service"]["Environment"]
    assert "FOREBYG_WEB_HOST=127.0.0.1" in web  # only the proxy reaches it
    timer = _unit("forebyg-oprydning.timer")["Timer"]
    assert timer["OnCalendar"]


def test_compose_has_the_services_and_keeps_the_ui_behind_the_proxy():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "daemon", "webserver", "proxy"}
    for name in ("daemon", "webserver"):
        service = services[name]
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert service["command"] == [name]
        assert service["environment"]["FOREBYG_PG_HOST"] == "postgres"
        assert any(v.endswith(":/srv/forebyg") for v in service["volumes"])
        assert "dagster-tmp:/tmp" in service["volumes"]  # Terminate reaches the code server
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert not any("3000" in p for p in services["webserver"]["ports"])
    assert services["proxy"]["network_mode"] == "service:webserver"
    mounted = [v.split(":")[0] for v in services["proxy"]["volumes"]]
    assert "./nginx/${FOREBYG_NGINX_CONF" in mounted[0]
    assert "postgres" in compose["volumes"]


def test_the_dockerfile_copies_files_that_exist():
    text = (DEPLOY / "Dockerfile").read_text()
    copied = [
        source for line in re.findall(r"^COPY (.+)$", text, re.M) for source in line.split()[:-1]
    ]
    assert copied and all((ROOT / s).exists() for s in copied), copied
    assert '"/opt/forebyg/deploy/dagster-service"' in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and "deploy/forebyg.env" in ignored


def _docker_engine() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except subprocess.TimeoutExpired:
        return False


@pytest.mark.slow
def test_the_container_builds():
    if not _docker_engine():
        pytest.skip("ingen Docker-motor: `docker info` svarer ikke, så billedet bygges ikke")
    tag = f"forebyg-test:{os.getpid()}"
    try:
        subprocess.run(
            ["docker", "build", "-f", "deploy/Dockerfile", "-t", tag, "."],
            cwd=ROOT,
            check=True,
            timeout=900,
        )
        done = subprocess.run(
            ["docker", "run", "--rm", "--entrypoint", "forebyg", tag, "--help"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0 and "forebyg" in done.stdout
    finally:
        subprocess.run(["docker", "image", "rm", "-f", tag], capture_output=True)


@pytest.mark.slow
@pytest.mark.parametrize("config", ["forebyg.conf", "forebyg-sso.conf"])
def test_nginx_accepts_the_proxy_configs(tmp_path, config):
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if not (nginx and openssl):
        if os.environ.get("FOREBYG_REQUIRE_TOOLS"):
            pytest.fail("nginx and openssl are required here but not installed")
        pytest.skip("nginx or openssl is not installed")
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=forebyg.kommune.test", "-keyout", str(tmp_path / "privkey.pem")),
            *("-out", str(tmp_path / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / config).read_text().replace("/etc/ssl/forebyg", str(tmp_path))
    site = site.replace("/var/log/nginx", str(tmp_path))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


def test_forebyg_log_rotates(home, monkeypatch):
    import logging

    from pipelines import cli

    monkeypatch.setattr(cli, "LOG_BYTES", 1000)
    path = cli._log_to(home)
    try:
        for i in range(100):  # about 100 × 90 bytes: nine times the limit
            cli.LOG.error("linje %03d %s", i, "x" * 50)
    finally:
        for handler in [h for h in cli.LOG.handlers if isinstance(h, logging.FileHandler)]:
            cli.LOG.removeHandler(handler)
            handler.close()
    kept = sorted(p.name for p in home.root.glob("forebyg.log*"))
    assert kept == ["forebyg.log", *(f"forebyg.log.{n}" for n in range(1, cli.LOG_BACKUPS + 1))]
    assert all(p.stat().st_size <= 1000 for p in home.root.glob("forebyg.log*"))
    assert "linje 099" in path.read_text()  # the newest lines are in forebyg.log


def test_an_upgrade_brings_the_new_production_instance(tmp_path, monkeypatch):
    from pipelines.instance import PRODUCTION_MARK, PRODUCTION_YAML

    for name in PG_SETTINGS:
        monkeypatch.setenv(name, "x")
    (tmp_path / ".dagster").mkdir()
    earlier = f"{PRODUCTION_MARK} (an earlier version)\nrun_monitoring: {{}}\n"
    (tmp_path / ".dagster" / "dagster.yaml").write_text(earlier)
    assert (dagster_home(tmp_path) / "dagster.yaml").read_text() == PRODUCTION_YAML.read_text()
    # without PostgreSQL's settings (a command started without the environment) it stays
    monkeypatch.delenv("FOREBYG_PG_HOST")
    (tmp_path / ".dagster" / "dagster.yaml").write_text(earlier)
    assert (dagster_home(tmp_path) / "dagster.yaml").read_text() == earlier


def test_the_webserver_shares_the_daemons_tmp_for_terminate():
    web = _unit("forebyg-dagster-webserver.service")
    daemon = _unit("forebyg-dagster-daemon.service")
    # the code server's socket is in the daemon's private /tmp
    assert web["Unit"]["JoinsNamespaceOf"] == "forebyg-dagster-daemon.service"
    assert web["Service"]["PrivateTmp"] == daemon["Service"]["PrivateTmp"] == "true"
    assert "forebyg-dagster-daemon.service" in web["Unit"]["After"]


@pytest.mark.slow
def test_the_sso_access_log_names_the_signed_in_user(tmp_path):
    """nginx with forebyg-sso.conf in front of two stand-ins: oauth2-proxy answering 202
    with the user's e-mail, and the UI. One request; the access log names the user."""
    import http.server
    import threading

    from tests.alert_servers import free_port

    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if not (nginx and openssl):
        if os.environ.get("FOREBYG_REQUIRE_TOOLS"):
            pytest.fail("nginx and openssl are required here but not installed")
        pytest.skip("nginx or openssl is not installed")

    class StandIn(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            auth = self.path.startswith("/oauth2/auth")
            self.send_response(202 if auth else 200)
            if auth:
                self.send_header("X-Auth-Request-Email", "bruger@kommune.test")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    standin = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=standin.serve_forever, daemon=True).start()
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=forebyg.kommune.test", "-keyout", str(tmp_path / "privkey.pem")),
            *("-out", str(tmp_path / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
    )
    https, http_port, upstream = free_port(), free_port(), standin.server_address[1]
    site = (DEPLOY / "nginx" / "forebyg-sso.conf").read_text()
    site = site.replace("/etc/ssl/forebyg", str(tmp_path)).replace("/var/log/nginx", str(tmp_path))
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https} ssl;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("127.0.0.1:4180", f"127.0.0.1:{upstream}")
    site = site.replace("127.0.0.1:3000", f"127.0.0.1:{upstream}")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "daemon off;\nevents {}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    server = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stderr=subprocess.PIPE,
    )
    try:
        import ssl
        import time
        import urllib.request

        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        status = None
        for _ in range(100):  # nginx listens within a moment; a give-up limit only
            try:
                with urllib.request.urlopen(
                    f"https://127.0.0.1:{https}/runs", context=context, timeout=10
                ) as answer:
                    status = answer.status
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        log = tmp_path / "forebyg.access.log"
        for _ in range(100):  # written as the request ends, maybe after the answer
            if log.exists() and log.read_text():
                break
            time.sleep(0.1)
        text = log.read_text()
        assert " - bruger@kommune.test [" in text and '"GET /runs HTTP/1.1" 200' in text
    finally:
        server.terminate()
        server.wait(timeout=15)
        standin.shutdown()
