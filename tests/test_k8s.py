"""deploy/k8s/ offline: the plain manifests against Kubernetes' own schemas
(kubernetes-validate ships them), and the parts of the Helm values that forebyg and Dagster
read against Dagster's config schemas of the pinned release; the names the values refer
to exist in the manifests."""

from __future__ import annotations

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from dagster._config import Shape, process_config
from dagster._core.instance.config import dagster_instance_config_schema

from pipelines.launcher import ForebygRunCoordinator
from runtime import kommuner

K8S = Path(__file__).resolve().parents[1] / "deploy" / "k8s"
VERSION = "1.30.0"  # the oldest Kubernetes with CronJob's timeZone as stable


def _manifests() -> list[dict]:
    return [d for d in yaml.safe_load_all((K8S / "forebyg.yaml").read_text()) if d]


def _values() -> dict:
    return yaml.safe_load((K8S / "values.yaml").read_text())


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_every_manifest_is_valid_kubernetes_strictly():
    kinds = []
    for manifest in _manifests():
        kubernetes_validate.validate(manifest, VERSION, strict=True)
        kinds.append(manifest["kind"])
    assert kinds == [
        "PersistentVolumeClaim",
        "PersistentVolumeClaim",
        "ConfigMap",
        "ConfigMap",
        "CronJob",
    ]


def test_the_validator_rejects_a_broken_manifest():
    claim = _manifests()[0]
    claim["spec"]["accessMode"] = claim["spec"].pop("accessModes")  # a typo
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(claim, VERSION, strict=True)


def test_the_data_homes_are_shared_by_every_pod_that_reads_them():
    claims = {
        m["metadata"]["name"]: m for m in _manifests() if m["kind"] == "PersistentVolumeClaim"
    }
    # many pods on many nodes mount them at once
    assert all(c["spec"]["accessModes"] == ["ReadWriteMany"] for c in claims.values())
    values = _values()
    (code,) = values["dagster-user-deployments"]["deployments"]
    assert code["dagsterApiGrpcArgs"] == ["--module-name", "pipelines.definitions"]
    assert code["includeConfigInLaunchedRuns"]["enabled"]  # run pods get its volumes
    used = {
        v["persistentVolumeClaim"]["claimName"]
        for v in code["volumes"]
        if "persistentVolumeClaim" in v
    }
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    used |= {v["persistentVolumeClaim"]["claimName"] for v in launcher["volumes"]}
    assert used == set(claims)


def test_the_municipality_list_on_the_configmap_loads_and_lies_on_the_data_volume(tmp_path):
    maps = {m["metadata"]["name"]: m for m in _manifests() if m["kind"] == "ConfigMap"}
    listed = tmp_path / "kommuner.toml"
    listed.write_text(maps["forebyg-kommuner"]["data"]["kommuner.toml"], encoding="utf-8")
    loaded = kommuner.load(listed)
    assert list(loaded) == ["860", "813"]
    (code,) = _values()["dagster-user-deployments"]["deployments"]
    mounts = {m["name"]: m["mountPath"] for m in code["volumeMounts"]}
    assert all(k.home.root.is_relative_to(mounts["datahjem"]) for k in loaded.values())
    env = maps["forebyg-env"]["data"]
    assert env["FOREBYG_KOMMUNER"] == f"{mounts['kommuneliste']}/kommuner.toml"


@pytest.mark.slow
def test_the_queue_is_forebygs_with_one_run_per_municipality():
    daemon = _values()["dagsterDaemon"]
    coordinator = daemon["runCoordinator"]["config"]["customRunCoordinator"]
    assert (coordinator["module"], coordinator["class"]) == (
        "pipelines.launcher",
        "ForebygRunCoordinator",
    )
    checked = process_config(Shape(ForebygRunCoordinator.config_type()), coordinator["config"])
    assert checked.success, checked.errors
    assert coordinator["config"]["tag_concurrency_limits"] == [
        {"key": "forebyg/kommune", "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
    ]


@pytest.mark.slow
def test_run_monitoring_and_step_logs_are_valid_instance_settings():
    values = _values()
    monitoring = {_snake(k): v for k, v in values["dagsterDaemon"]["runMonitoring"].items()}
    logs = values["computeLogManager"]["config"]["customComputeLogManager"]
    instance = {
        "run_monitoring": monitoring,
        "compute_logs": {k: logs[k] for k in ("module", "class", "config")},
    }
    checked = process_config(dagster_instance_config_schema(), instance)
    assert checked.success, checked.errors
    assert monitoring["max_resume_run_attempts"] == 0  # failed, never resumed halfway


@pytest.mark.slow
def test_the_run_launcher_settings_fit_dagster_k8s():
    from dagster_k8s import K8sRunLauncher

    launcher = _values()["runLauncher"]
    assert launcher["type"] == "K8sRunLauncher"
    settings = launcher["config"]["k8sRunLauncher"]
    # the chart passes these through under Dagster's own (snake_case) names
    config = {
        "load_incluster_config": settings["loadInclusterConfig"],
        "env_config_maps": [m["name"] for m in settings["envConfigMaps"]],
        "env_secrets": [s["name"] for s in settings["envSecrets"]],
        "volumes": settings["volumes"],
        "volume_mounts": settings["volumeMounts"],
        "run_k8s_config": {_snake(k): v for k, v in settings["runK8sConfig"].items()},
        "service_account_name": "forebyg",
        "instance_config_map": "forebyg-instance",
        "job_namespace": "forebyg",
    }
    checked = process_config(Shape(K8sRunLauncher.config_type()), config)
    assert checked.success, checked.errors
