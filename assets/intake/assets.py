"""Intake: new files in the inbox (or, on rebuild, the archive) → ``raw`` tables."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import dagster as dg
import pandas as pd
import pandera.pandas as pa
from pydantic import Field

from assets.intake.archive import archived
from assets.intake.extract import format_kr, parse_file
from assets.intake.inbox import sha256, stable
from assets.intake.load import (
    control_sum_oere,
    create_schemas,
    insert_rows,
    next_delivery_number,
)
from assets.intake.problems import Problem
from pipelines.resources import Warehouse
from schemas.extracts import MODELS
from schemas.frames import as_model_types


class IntakeConfig(dg.Config):
    kilde: str = "indbakke"  # "arkiv" rebuilds the warehouse from the archive alone
    genberegn_uden_nye_filer: bool = Field(
        default=True,
        description=(
            "Uden nye filer i indbakken: byg core, mart og rapporterne igen af lageret "
            "(true, som 'Materialize all'), eller spring resten af kørslen over (false: den "
            "natlige kørsel, sensoren og 'forebyg run')."
        ),
    )


def run_id(context: dg.AssetExecutionContext) -> str:
    """The Dagster run's id; an asset called directly (notebook, test) has no run."""
    try:
        return context.run.run_id
    except dg.DagsterError:
        return "direkte"


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _record(con, nr, name, digest, kind, received, status, rows, reason, run) -> None:
    con.execute(
        "INSERT INTO raw.leverancer VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [nr, name, digest, kind, received, status, rows, reason, run],
    )


@dg.asset(
    key="indbakke",
    group_name="intake",
    kinds={"python", "excel", "duckdb"},
    description=(
        "Læser nye filer i indbakke/ (eller hele arkiv/ ved genopbygning), genkender "
        "udtrækstypen ud fra overskrifterne, validerer med pandera og gemmer de godkendte "
        "rækker i raw-tabellerne. Afviste filer registreres med danske begrundelser. "
        "Er der intet nyt, springes resten af kørslen over: lageret er allerede gældende."
    ),
    output_required=False,
)
def indbakke(context: dg.AssetExecutionContext, config: IntakeConfig, warehouse: Warehouse):
    home = warehouse.paths
    if config.kilde == "arkiv":
        warehouse.start_empty()
        files = [(a.path, a.name, a.received) for a in archived(home.arkiv)]
    else:
        files = [(f.path, f.name, _now()) for f in stable(home.indbakke)]
        if not files and home.warehouse.exists() and not config.genberegn_uden_nye_filer:
            context.log.info("Ingen nye filer i indbakke/; intet at gøre.")
            return
    counts: Counter[str] = Counter()
    with warehouse.connect() as con:
        create_schemas(con)
        if files:  # a run with nothing to read leaves no trace in the warehouse
            con.execute(
                "INSERT INTO raw.koersler VALUES (?, ?, ?)",
                [run_id(context), config.kilde, _now()],
            )
        loaded = {
            r[0]
            for r in con.sql(
                "SELECT sha256 FROM raw.leverancer WHERE status = 'accepteret'"
            ).fetchall()
        }
        for path, name, received in files:
            digest = sha256(path)
            nr = next_delivery_number(con)
            if digest in loaded:
                _record(
                    con,
                    nr,
                    name,
                    digest,
                    None,
                    received,
                    "dublet",
                    0,
                    "Samme indhold er allerede indlæst; filen ændrer intet.",
                    run_id(context),
                )
                counts["dublet"] += 1
                continue
            extract = parse_file(path, name)
            kind = extract.kind.kind if extract.kind else None
            if not extract.accepted:
                reasons = "\n".join(p.text() for p in extract.problems)
                _record(
                    con,
                    nr,
                    name,
                    digest,
                    kind,
                    received,
                    "afvist",
                    extract.rows(),
                    reasons,
                    run_id(context),
                )
                context.log.warning(f"{name} afvist: {len(extract.problems)} fejl")
                counts["afvist"] += 1
                continue
            con.begin()
            for table, frame in extract.tables.items():
                insert_rows(con, table, frame, nr)
                oere = control_sum_oere(frame)
                con.execute(
                    "INSERT INTO raw.kontrolsummer VALUES (?, ?, ?, ?)",
                    [nr, table, len(frame), None if oere is None else Decimal(oere) / 100],
                )
            _record(
                con,
                nr,
                name,
                digest,
                kind,
                received,
                "accepteret",
                extract.rows(),
                None,
                run_id(context),
            )
            con.commit()
            loaded.add(digest)
            counts["accepteret"] += 1
    yield dg.MaterializeResult(
        metadata={
            "filer": len(files),
            "accepteret": counts["accepteret"],
            "afvist": counts["afvist"],
            "dublet": counts["dublet"],
        }
    )


def _kr(amount: Decimal | None) -> str:
    return "–" if amount is None else format_kr(int(amount * 100))


def _run_rows(con, table: str, run_id: str) -> pd.DataFrame:
    return con.execute(
        f"SELECT r.* EXCLUDE (leverance_nr), l.filnavn FROM raw.{table} r "
        "JOIN raw.leverancer l USING (leverance_nr) WHERE l.koersel = ?",
        [run_id],
    ).df()


@dg.asset_check(
    asset=indbakke,
    name="skema",
    blocking=True,
    description="Rækkerne, der netop er indlæst, overholder pandera-skemaet.",
)
def indbakke_skema(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    problems: list[str] = []
    with warehouse.connect() as con:
        for table, model in MODELS.items():
            rows = _run_rows(con, table, context.run.run_id)
            if rows.empty:
                continue
            frame = as_model_types(rows.drop(columns="filnavn"), model)
            try:
                model.validate(frame, lazy=True)
            except pa.errors.SchemaErrors as err:
                for case in err.failure_cases.head(20).itertuples(index=False):
                    row = rows.iloc[int(case.index)] if case.index is not None else None
                    problems.append(
                        Problem(
                            file=row["filnavn"] if row is not None else table,
                            expected=f"{case.check}",
                            sheet=None if row is None else row["kilde_ark"],
                            row=None if row is None else int(row["kilde_raekke"]),
                            column=str(case.column),
                            value=case.failure_case,
                        ).text()
                    )
    return dg.AssetCheckResult(
        passed=not problems,
        description="Alle indlæste rækker overholder skemaet." if not problems else problems[0],
        metadata={"fejl": len(problems), "eksempler": "\n".join(problems[:20])},
    )


@dg.asset_check(
    asset=indbakke,
    name="afstemning",
    blocking=True,
    description="Hver fils indlæste beløb summer til filens egen total, til øren.",
)
def indbakke_afstemning(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    union = " UNION ALL ".join(
        f"SELECT leverance_nr, '{t}' AS tabel, count(*) AS raekker, "
        f"{'sum(beloeb)' if 'beloeb' in MODELS[t].to_schema().columns else 'NULL'} AS beloeb "
        f"FROM raw.{t} GROUP BY leverance_nr"
        for t in MODELS
    )
    with warehouse.connect() as con:
        off = con.execute(
            f"""
            SELECT l.filnavn, k.tabel, k.raekker, coalesce(w.raekker, 0), k.beloeb, w.beloeb
            FROM raw.kontrolsummer k
            JOIN raw.leverancer l USING (leverance_nr)
            LEFT JOIN ({union}) w USING (leverance_nr, tabel)
            WHERE l.koersel = ?
              AND (k.raekker <> coalesce(w.raekker, 0) OR k.beloeb IS DISTINCT FROM w.beloeb)
            """,
            [context.run.run_id],
        ).fetchall()
    lines = [
        f"{f} ({t}): filen har {r} rækker og {_kr(b)} kr., lageret {wr} rækker og {_kr(wb)} kr."
        for f, t, r, wr, b, wb in off
    ]
    return dg.AssetCheckResult(
        passed=not off,
        description="Alle filer stemmer til øren." if not off else lines[0],
        metadata={"afvigelser": len(off), "detaljer": "\n".join(lines)},
    )
