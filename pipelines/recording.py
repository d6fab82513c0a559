"""How a command's run shows in the Dagster UI: under the code location the UI loads, with
tags that say what the run did.

``execute_in_process`` records a run without a code location, and the UI's Overview
timeline leaves such runs out (it draws one row per job of a code location); the Runs
page lists them. So a command's run is recorded as a run of the job ``forebyg`` in the
location ``workspace.yaml`` loads, as the sensor's and the schedule's runs are.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from dagster._core.remote_origin import (
    ManagedGrpcPythonEnvCodeLocationOrigin,
    RemoteJobOrigin,
    RemoteRepositoryOrigin,
)
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

ROOT = Path(__file__).resolve().parents[1]
LOCATION = "pipelines.definitions"  # workspace.yaml loads this module, which names the location
REPOSITORY = "__repository__"  # the repository of a module's Definitions
KIND_TAG = "forebyg/koersel"  # what the run did
# per command; a run of the sensor, the schedule or the UI keeps the job's own "fuld"
KINDS = {"report": "rapport", "opfoelgning": "opfølgning", "rebuild": "genopbygning"}
REJECTED_TAG = "forebyg/afviste_filer"  # set by the intake when it rejected files


def job_origin(job_name: str) -> RemoteJobOrigin:
    target = LoadableTargetOrigin(
        executable_path=sys.executable, module_name=LOCATION, working_directory=str(ROOT)
    )
    location = ManagedGrpcPythonEnvCodeLocationOrigin(target, LOCATION)
    return RemoteJobOrigin(RemoteRepositoryOrigin(location, REPOSITORY), job_name)


@contextlib.contextmanager
def in_location(instance: dg.DagsterInstance, job_name: str) -> Iterator[dg.DagsterInstance]:
    """``instance``, whose runs of ``job_name`` created meanwhile carry the job's origin."""
    create = instance.create_run_for_job
    origin = job_origin(job_name)

    def with_origin(**kwargs):
        return create(**{"remote_job_origin": origin, **kwargs})

    instance.create_run_for_job = with_origin  # type: ignore[method-assign]
    try:
        yield instance
    finally:
        del instance.create_run_for_job  # the class's own method again
