"""Intake: new files in the inbox (or, on rebuild, the archive) → ``raw`` tables.

Each file is judged on its own: whatever happens to one file ends as that file's
rejection (``deliver``), and the other files of the run go on. The closed follow-ups and
the plausibility of the accepted files are steps of their own after this one
(``assets.followups.asset``, ``assets.plausibility.asset``).
"""

import logging
from collections import Counter

import dagster as dg
import pandas as pd
import pandera.pandas as pa
from pydantic import Field

from assets.files.archive import DAMAGED, archived
from assets.files.inbox import (
    Changed,
    Skipped,
    Unreadable,
    private_copy,
    scan,
    stable,
)
from assets.files.manifest import Copies, write_manifest
from assets.files.names import suffix
from assets.files.receipts import note_skipped
from assets.intake.loading import schema_sql
from assets.intake.loading.deliver import (
    CPR_NAME,
    UNFORESEEN,
    Outcome,
    load,
    now,
    reconciliation,
    rejected,
    technical,
)
from assets.intake.loading.duplicates import in_force
from assets.intake.loading.load import create_schemas, next_delivery_number
from assets.intake.parsing import names
from assets.intake.parsing.extract import parse_file
from assets.intake.problems import Problem
from assets.intake.reading.limits import too_large
from assets.intake.reading.parts import written_in
from assets.intake.reading.readers import SUFFIXES
from runtime.resources import Warehouse, environment_fault
from schemas import rules_sql
from schemas.extracts import MODELS, row_rules_sql
from schemas.frames import as_model_types

LOG = logging.getLogger("forebyg")


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
    filer: list[str] | None = Field(
        default=None,
        description=(
            "Kun disse filer i indbakken (navne i forhold til indbakke/); de andre bliver "
            "liggende urørt. Tom: alle færdigskrevne filer. Sættes, når en fejlet kørsel "
            "finder den fil, der fik et senere trin til at fejle (pipelines/isolation.py)."
        ),
    )
    afvis: dict[str, str] = Field(
        default={},
        description=(
            "Filer i indbakken, der afvises uden at blive læst, med begrundelsen: filer, "
            "som fik et trin efter indlæsningen til at fejle."
        ),
    )


def run_id(context: dg.AssetExecutionContext) -> str:
    """The Dagster run's id; an asset called directly (notebook, test) has no run."""
    try:
        return context.run.run_id
    except dg.DagsterError:
        return "direkte"


def _record(con, *, nr: int, name: str, digest: str, received, outcome: Outcome, run: str):
    """One delivery's line in raw.leverancer (keywords only: six values of one kind)."""
    con.execute(
        "INSERT INTO raw.leverancer VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [nr, name, digest, outcome.kind, received, outcome.status, outcome.rows,
         outcome.reason, run],
    )  # fmt: skip


def _judge(con, nr: int, name: str, path, accepted_now: dict[str, int], digest: str) -> Outcome:
    """One file's outcome; an error nobody foresaw is the file's rejection, not the run's.

    Only a file identical to the one in force is a duplicate (``duplicates``)."""
    if (same := in_force(con, digest, accepted_now)) is not None:
        return Outcome(
            "dublet",
            reason=f"Samme indhold som {same}, der gælder nu; filen ændrer intet.",
        )
    try:
        extract = parse_file(path, name)
        if not extract.accepted:
            reasons = "\n".join(p.text() for p in extract.problems)
            kind = extract.kind.kind if extract.kind else None
            return Outcome("afvist", kind, extract.rows(), reasons)
        return load(con, nr, name, extract)
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        if fault := environment_fault(exc):
            raise fault from exc
        return rejected(name, UNFORESEEN, technical(exc))


def _skip(context, home, skipped: list[Skipped]) -> None:
    for s in skipped:
        shown = names.shown(s.name, 0)
        context.log.warning(f"{shown} læses ikke: {s.reason}")
        note_skipped(home.kvitteringer, shown, s.reason)


@dg.asset(
    key="indbakke",
    group_name="intake",
    kinds={"python", "excel", "duckdb"},
    description=(
        "Læser nye filer i indbakke/ (eller hele arkiv/ ved genopbygning), genkender "
        "udtrækstypen ud fra overskrifterne, validerer med pandera og gemmer de godkendte "
        "rækker i raw-tabellerne. Hver fil bedømmes for sig: en fil, der ikke kan læses, "
        "valideres eller afstemmes, afvises alene, og de andre filer indlæses. "
        "Er der intet nyt, springes resten af kørslen over: lageret er allerede gældende."
    ),
    output_required=False,
)
def indbakke(
    context: dg.AssetExecutionContext, config: IntakeConfig, warehouse: dg.ResourceParam[Warehouse]
):
    home = warehouse.paths
    damaged: list[str] = []  # archived files a rebuild leaves out, in Danish
    if config.kilde == "arkiv":
        warehouse.start_empty()
        index = archived(home.arkiv, SUFFIXES)
        damaged += index.damaged
        files = [(a.path, a.name, a.received, a.nr) for a in index.deliveries]
        digests = {a.path: a.digest for a in index.deliveries}  # checked against the bytes
    else:
        _skip(context, home, scan(home.indbakke)[1])
        chosen = None if config.filer is None else {*config.filer, *config.afvis}
        files = [
            (f, f.name, now(), None)
            for f in stable(home.indbakke) if chosen is None or f.name in chosen
        ]
        if not files and home.warehouse.exists() and not config.genberegn_uden_nye_filer:
            context.log.info("Ingen nye filer i indbakke/; intet at gøre.")
            return
    counts: Counter[str] = Counter()
    copies: Copies = {}
    # a big sheet's parts (parts.py) are written in the home's private work folder
    with warehouse.connect() as con, written_in(home.work):
        create_schemas(con)
        for line in damaged:
            context.log.warning(line)
            LOG.warning("%s", line)
        if files:  # a run with nothing to read leaves no trace in the warehouse
            con.execute(
                "INSERT INTO raw.koersler VALUES (?, ?, ?)", [run_id(context), config.kilde, now()]
            )
        accepted_now: dict[str, int] = {}  # kind → its latest delivery accepted in this run
        for source, raw_name, received, kept_nr in files:
            # a rebuild keeps each file's delivery number, so its receipt still matches
            nr = kept_nr or next_delivery_number(con)
            name = names.shown(raw_name, nr)
            over = None  # why a file is refused by its size alone (before any copy)
            if config.kilde == "arkiv":
                path, digest = source, digests[source]
            else:
                home.files.mkdir(mode=0o700, parents=True, exist_ok=True)
                path = home.files / f"{nr}{suffix(name)}"
                over = too_large(source.size)  # read and hashed, never copied
                try:
                    digest = private_copy(source, None if over else path)
                except Changed:
                    context.log.info(f"{name} ændrede sig under kopieringen; den venter.")
                    continue
                except Unreadable:
                    _skip(context, home, [Skipped(source.path, raw_name, "adgang")])
                    continue
                except OSError as exc:  # a full disk while copying is the machine's fault
                    path.unlink(missing_ok=True)
                    # named by the work folder: the inbox file's own name may hold anything
                    fault = environment_fault(OSError(exc.errno, exc.strerror, str(home.files)))
                    raise (fault or exc) from exc
                copies[nr] = (source.inode, None if over else path.name)
            if names.cpr_like(raw_name):
                outcome = rejected(name, CPR_NAME)
            elif over:
                outcome = rejected(name, over)
            elif raw_name in config.afvis:  # it broke a later step (pipelines/isolation.py)
                outcome = rejected(name, config.afvis[raw_name])
            else:
                outcome = _judge(con, nr, name, path, accepted_now, digest)
            _record(
                con,
                nr=nr,
                name=name,
                digest=digest,
                received=received,
                outcome=outcome,
                run=run_id(context),
            )
            if outcome.detail:
                context.log.error(f"{name}: uventet fejl under indlæsning\n{outcome.detail}")
                LOG.error("%s: uventet fejl under indlæsning\n%s", name, outcome.detail)
            if outcome.status == "afvist":
                context.log.warning(f"{name} afvist")
            if outcome.status == "accepteret":
                accepted_now[outcome.kind] = nr
            counts[outcome.status] += 1
    if copies:
        write_manifest(home.files, copies)
    yield dg.MaterializeResult(
        metadata={
            "filer": len(files),
            "accepteret": counts["accepteret"],
            "afvist": counts["afvist"],
            "dublet": counts["dublet"],
            **({DAMAGED: "\n".join(damaged)} if damaged else {}),
        }
    )


def _run_rows(con, table: str, run_id: str) -> pd.DataFrame:
    return con.execute(
        f"SELECT r.* EXCLUDE (leverance_nr), l.filnavn FROM raw.{table} r "
        "JOIN raw.leverancer l USING (leverance_nr) WHERE l.koersel = ?",
        [run_id],
    ).df()


def _raw_columns(con) -> dict[str, set[str]]:
    """Each raw table's columns but the delivery number, in one look at the catalogue."""
    stored: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'raw' "
        "AND column_name <> 'leverance_nr'"
    ).fetchall():
        stored.setdefault(table, set()).add(column)
    return stored


def _column_problems(stored: set[str], table: str, model) -> list[str]:
    """The table's columns (``stored``) are the model's (pandera's ``strict``)."""
    wanted = set(model.to_schema().columns)
    return [
        Problem(table, check, column=c, value=c).text()
        for check, names in (("column_in_schema", stored - wanted), ("column_in_dataframe",
                             wanted - stored))
        for c in sorted(names)
    ]  # fmt: skip


def _pandera_problems(con, table: str, model, run: str) -> list[str]:
    """The run's rows of a model whose rules are not all SQL, validated by pandera."""
    rows = _run_rows(con, table, run)
    if rows.empty:
        return []
    frame = as_model_types(rows.drop(columns="filnavn"), model)
    problems = []
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
    return problems


@dg.asset_check(
    asset=indbakke,
    name="skema",
    blocking=True,
    description=(
        "Rækkerne, der netop er indlæst, overholder pandera-skemaet (modellens regler som "
        "SQL over rækkerne i lageret, hvor de kan udtrykkes sådan)."
    ),
)
def indbakke_skema(
    context: dg.AssetCheckExecutionContext, warehouse: dg.ResourceParam[Warehouse]
) -> dg.AssetCheckResult:
    problems: list[str] = []
    with warehouse.connect() as con:
        columns = _raw_columns(con)
        for table, model in MODELS.items():
            in_sql = rules_sql.rules(model)
            if in_sql is None:
                holds = schema_sql.predicates(model, row_rules_sql(table))
                if holds is not None and schema_sql.kept(con, table, holds, context.run.run_id):
                    problems += _column_problems(columns.get(table, set()), table, model)
                else:  # pandera decides, and its failure cases are the messages
                    problems += _pandera_problems(con, table, model, context.run.run_id)
                continue
            problems += _column_problems(columns.get(table, set()), table, model)
            problems += [
                Problem(file, rule.check, sheet, int(row), rule.column, value).text()
                for rule, file, sheet, row, value in schema_sql.broken(
                    con, table, in_sql, context.run.run_id
                )
            ]
    return dg.AssetCheckResult(
        passed=not problems,
        description="Alle indlæste rækker overholder skemaet." if not problems else problems[0],
        metadata={"fejl": len(problems), "eksempler": "\n".join(problems[:20])},
    )


@dg.asset_check(
    asset=indbakke,
    name="afstemning",
    blocking=True,
    description=(
        "Hver fils indlæste beløb summer til filens egen total, til øren. Hver fil afstemmes "
        "allerede, før den godkendes (en fil, der ikke stemmer, afvises alene); tjekket er "
        "sikringen bagefter."
    ),
)
def indbakke_afstemning(
    context: dg.AssetCheckExecutionContext, warehouse: dg.ResourceParam[Warehouse]
) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        off = reconciliation(
            con,
            "k.leverance_nr IN (SELECT leverance_nr FROM raw.leverancer WHERE koersel = ?)",
            [context.run.run_id],
        )
        files = dict(con.execute("SELECT leverance_nr, filnavn FROM raw.leverancer").fetchall())
    lines = [f"{files[nr]} ({t}): {text}" for nr, t, text in off]
    return dg.AssetCheckResult(
        passed=not off,
        description="Alle filer stemmer til øren." if not off else lines[0],
        metadata={"afvigelser": len(off), "detaljer": "\n".join(lines)},
    )
