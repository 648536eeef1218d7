"""The command line: scripting and administration of vaults (``intake-app vault …``, ``audit …``).

Passphrases come from a prompt, or for scripts and tests from INTAKE_PASSPHRASE (and
INTAKE_NEW_PASSPHRASE, INTAKE_RECOVERY_KEY_PASSPHRASE). Messages are in Dutch, for officers.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from intake_app.i18n import Catalog

COMMANDS = ("vault", "audit", "recovery-key", "translations", "pip", "sync", "import-coa", "demo", "cases", "transfer")
CASE_COMMANDS = ("import-coa", "demo", "cases", "transfer")

_CATALOG = Catalog("nl")
_ = _CATALOG.gettext


def _secret(env: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise SystemExit(_("Geen wachtwoord: typ het in of zet {env}.").format(env=env))
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Nogmaals: ")) != first:
        raise SystemExit(_("De wachtwoorden zijn niet gelijk."))
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake-app", description=_("Brede intake en concept-PIP."))
    sub = parser.add_subparsers(dest="command", required=True)

    vault = sub.add_parser("vault", help=_("kluis aanmaken, herstellen, controleren"))
    vault_sub = vault.add_subparsers(dest="action", required=True)
    create = vault_sub.add_parser("create", help=_("een nieuwe kluis aanmaken"))
    create.add_argument("--vault", type=Path, required=True)
    create.add_argument("--officer", required=True)
    create.add_argument("--recovery-public-key", type=Path)
    recover = vault_sub.add_parser("recover", help=_("openen met de gemeentelijke herstelsleutel"))
    recover.add_argument("--vault", type=Path, required=True)
    recover.add_argument("--recovery-key", type=Path, required=True)
    recover.add_argument("--officer", required=True, help=_("wie een nieuw wachtwoord krijgt"))
    check = vault_sub.add_parser("check", help=_("de kluis volledig controleren"))
    check.add_argument("--vault", type=Path, required=True)
    check.add_argument("--officer", required=True)
    restore = vault_sub.add_parser("restore-backup", help=_("de nieuwste reservekopie terugzetten"))
    restore.add_argument("--vault", type=Path, required=True)

    audit = sub.add_parser("audit", help=_("het logboek controleren"))
    audit_sub = audit.add_subparsers(dest="action", required=True)
    verify = audit_sub.add_parser("verify", help=_("de hashketen van het logboek nalopen"))
    verify.add_argument("--vault", type=Path, required=True)
    verify.add_argument("--officer", required=True)

    recovery = sub.add_parser("recovery-key", help=_("gemeentelijke herstelsleutel"))
    recovery_sub = recovery.add_subparsers(dest="action", required=True)
    generate = recovery_sub.add_parser("generate", help=_("een nieuw sleutelpaar maken"))
    generate.add_argument("--private-out", type=Path, required=True)
    generate.add_argument("--public-out", type=Path, required=True)

    translations = sub.add_parser("translations", help=_("vertalingen: voortgang en controle"))
    translations_sub = translations.add_subparsers(dest="action", required=True)
    status = translations_sub.add_parser("status", help=_("per taal: vertaald, gecontroleerd, verouderd, ontbrekend"))
    status.add_argument("--translations", type=Path, help=_("map met de catalogi (standaard: die van de app)"))

    pip = sub.add_parser("pip", help=_("het PIP (nieuwste versie) als PDF schrijven"))
    pip.add_argument("--vault", type=Path, required=True)
    pip.add_argument("--officer", required=True)
    pip.add_argument("--case", required=True, help=_("dossiernummer"))
    pip.add_argument("--lang", default="nl", help=_("taal van het PDF: nl (bindend) of de taal van de cliënt"))
    pip.add_argument("--out", type=Path, required=True, help=_("waar het PDF komt"))
    pip.add_argument("--version", type=int, help=_("versienummer (standaard: de nieuwste)"))

    sync = sub.add_parser("sync", help=_("wijzigingen uitwisselen met de server"))
    sync.add_argument("--vault", type=Path, required=True)
    sync.add_argument("--officer", required=True)
    sync.add_argument("--server", help=_("adres van de server (standaard: dat van de koppeling)"))
    sync.add_argument("--enrol", metavar="CODE", help=_("deze laptop eerst koppelen met een eenmalige koppelcode"))
    sync.add_argument("--tries", type=int, default=5, help=_("pogingen bij netwerkfouten (standaard 5)"))
    _add_case_commands(sub)
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from intake_app.services.errors import UserError, describe_error

    try:
        return _run(args)
    except UserError as error:
        report = describe_error(error)
        print(_(report.msgid).format(**report.params), file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "translations":
        return _translations_status(args.translations)
    if args.command == "pip":
        return _pip(args)
    if args.command == "sync":
        return _sync(args)
    if args.command in CASE_COMMANDS:
        return _case_command(args)
    from intake_app.services import vault_service as service

    if args.command == "vault" and args.action == "create":
        from intake_app.storage.passphrase import check_passphrase

        passphrase = _secret("INTAKE_PASSPHRASE", _("Wachtwoord: "), confirm=True)
        verdict = check_passphrase(passphrase, officer_name=args.officer)
        if not verdict.acceptable:
            print(_(verdict.message).format(**verdict.params), file=sys.stderr)
            return 2
        session = service.create_vault(
            args.vault, args.officer, passphrase, recovery_public_key=args.recovery_public_key
        )
        session.lock()
        print(_("Kluis aangemaakt in {folder}.").format(folder=args.vault))
        return 0
    if args.command == "vault" and args.action == "recover":
        new = _secret("INTAKE_NEW_PASSPHRASE", _("Nieuw wachtwoord: "), confirm=True)
        key_passphrase = os.environ.get("INTAKE_RECOVERY_KEY_PASSPHRASE")
        session = service.recover_vault(
            args.vault, args.recovery_key, args.officer, new, key_passphrase=key_passphrase
        )
        cases = len(session.list_cases())
        session.lock()
        print(_("Kluis hersteld: {officer} heeft een nieuw wachtwoord; {cases} dossiers.").format(
            officer=args.officer, cases=cases))
        return 0
    if args.command == "vault" and args.action == "check":
        session = service.unlock_vault(args.vault, args.officer, _secret("INTAKE_PASSPHRASE", _("Wachtwoord: ")))
        problems = session.integrity_problems()
        session.lock()
        if problems:
            print(_("De kluis is beschadigd ({count} meldingen).").format(count=len(problems)))
            return 1
        print(_("De kluis is in orde."))
        return 0
    if args.command == "vault" and args.action == "restore-backup":
        aside = service.restore_newest_backup(args.vault)
        print(_("Reservekopie teruggezet. De beschadigde bestanden staan in {folder}.").format(folder=aside))
        return 0
    if args.command == "audit" and args.action == "verify":
        session = service.unlock_vault(args.vault, args.officer, _secret("INTAKE_PASSPHRASE", _("Wachtwoord: ")))
        problems = session.verify_audit()
        session.lock()
        if problems:
            for problem in problems:
                print(_("Regel {seq}: {description}").format(seq=problem.seq, description=problem.description))
            print(_("Het logboek is aangetast."))
            return 1
        print(_("Het logboek is ongeschonden."))
        return 0
    if args.command == "recovery-key" and args.action == "generate":
        from intake_app.storage import keys

        private = keys.generate_recovery_key()
        key_passphrase = os.environ.get("INTAKE_RECOVERY_KEY_PASSPHRASE")
        keys.save_recovery_private_key(private, args.private_out, key_passphrase)
        keys.save_recovery_public_key(private.public_key(), args.public_out)
        print(_("Vingerafdruk: {fingerprint}").format(
            fingerprint=keys.recovery_key_fingerprint(private.public_key())))
        return 0
    raise AssertionError(args)


def _translations_status(folder: Path | None) -> int:
    from intake_app.i18n.catalog import TRANSLATIONS_DIR
    from intake_app.i18n.languages import CLIENT_LANGUAGES, OFFICER_LANGUAGES, SOURCE_LOCALE
    from intake_app.i18n.status import collect, format_table

    folder = folder or TRANSLATIONS_DIR
    for domain, languages in (("client", CLIENT_LANGUAGES), ("officer", OFFICER_LANGUAGES)):
        print(_("Domein {domain} ({template})").format(domain=domain, template=folder / f"{domain}.pot"))
        if not (folder / f"{domain}.pot").is_file():
            print(_("Geen sjabloon: maak het met python -m intake_app.i18n.extract."), end="\n\n")
            continue
        statuses = collect(domain, [locale for locale in languages if locale != SOURCE_LOCALE], folder)
        if domain == "officer":  # the officer UI is Dutch until a translation is begun
            statuses = [status for status in statuses if status.exists]
        print(format_table(statuses, _) if statuses else _("Nog geen catalogi."))
        print()
    return 0


def _pip(args: argparse.Namespace) -> int:
    """Write the stored PDF of the plan's latest version (rendered and stored once if needed); audited."""
    from intake_app.services import plan_service, vault_service

    if not args.out.parent.is_dir():
        print(_("De map {folder} bestaat niet.").format(folder=args.out.parent), file=sys.stderr)
        return 2
    try:
        plan_service.check_language(args.lang)
    except plan_service.PlanValidationError as error:
        print(str(error), file=sys.stderr)
        return 2
    session = vault_service.unlock_vault(args.vault, args.officer, _secret("INTAKE_PASSPHRASE", _("Wachtwoord: ")))
    try:
        document = plan_service.export_pdf(session, args.case, args.lang, args.out, args.version)
    except plan_service.PlanValidationError as error:
        print(str(error), file=sys.stderr)
        return 2
    finally:
        session.lock()
    print(_("PIP versie {version} ({language}) geschreven naar {path}.").format(
        version=document.number, language=document.language, path=args.out))
    return 0


def _sync(args: argparse.Namespace) -> int:
    """Push this laptop's changes, pull the others'; the token is kept in the vault."""
    from intake_app.services import sync_service, vault_service

    session = vault_service.unlock_vault(args.vault, args.officer, _secret("INTAKE_PASSPHRASE", _("Wachtwoord: ")))
    try:
        if args.enrol:
            if not args.server:
                print(_("Geef met --server het adres van de server op."), file=sys.stderr)
                return 2
            officer = sync_service.enrol(session, args.server, args.enrol)
            print(_("Deze laptop is gekoppeld aan de server (medewerker: {officer}).").format(officer=officer))

        def show(progress: sync_service.Progress) -> None:
            label = _("Versturen") if progress.phase is sync_service.Phase.PUSH else _("Ophalen")
            print(f"\r{label}: {progress.done}/{progress.total}", end="", file=sys.stderr, flush=True)

        retry = sync_service.RetryPolicy(attempts=max(1, args.tries))
        report = sync_service.sync(session, args.server, progress=show, retry=retry)
    except sync_service.SyncError as error:
        print(file=sys.stderr)
        print(_(error.message).format(**error.params), file=sys.stderr)
        return 1
    finally:
        session.lock()
    print(file=sys.stderr)
    print(_("Klaar: {pushed} verstuurd, {pulled} opgehaald, {conflicts} conflicten.").format(
        pushed=report.pushed, pulled=report.pulled, conflicts=report.conflicts))
    return 0


# -- cases: COA import, demo vault, the case list, transfers -------------------------------------


def _add_case_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    officer_help = _("medewerker (standaard: de enige in de kluis)")
    coa = sub.add_parser("import-coa", help=_("een COA-overdracht (JSON) importeren als nieuw dossier"))
    coa.add_argument("--vault", type=Path, required=True)
    coa.add_argument("--officer", help=officer_help)
    coa.add_argument("--dry-run", action="store_true", help=_("alleen controleren, niets opslaan"))
    coa.add_argument("--undo", action="store_true", help=_("de import van dit bestand ongedaan maken"))
    coa.add_argument("file", type=Path, metavar="BESTAND")

    demo = sub.add_parser("demo", help=_("demokluis met fictieve dossiers"))
    demo_sub = demo.add_subparsers(dest="action", required=True)
    demo_create = demo_sub.add_parser("create", help=_("een demokluis aanmaken"))
    demo_create.add_argument("--vault", type=Path, required=True)
    demo_create.add_argument("--officer", default="Demo Consulent")
    demo_create.add_argument("--count", type=int, default=30, help=_("aantal dossiers (standaard 30)"))

    cases = sub.add_parser("cases", help=_("de dossiers: nummer, status, doelgroep, taal, volgende termijn"))
    cases.add_argument("--vault", type=Path, required=True)
    cases.add_argument("--officer", help=officer_help)
    cases.add_argument("--json", action="store_true", help=_("als JSON (voor scripts)"))

    transfer = sub.add_parser("transfer", help=_("dossier overdragen aan of ontvangen van een andere gemeente"))
    transfer_sub = transfer.add_subparsers(dest="action", required=True)
    export = transfer_sub.add_parser("export", help=_("versleuteld overdrachtsbestand maken"))
    export.add_argument("--vault", type=Path, required=True)
    export.add_argument("--officer", help=officer_help)
    export.add_argument("--case", required=True, help=_("dossiernummer"))
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--public-key", type=Path, help=_("openbare sleutel van de ontvangende gemeente (PEM); "
                                                         "zonder: wachtwoord uit INTAKE_TRANSFER_PASSPHRASE"))
    export.add_argument("--from-municipality", default="", help=_("naam van uw gemeente (afzender)"))
    receive = transfer_sub.add_parser("import", help=_("overdrachtsbestand inlezen als nieuw dossier"))
    receive.add_argument("--vault", type=Path, required=True)
    receive.add_argument("--officer", help=officer_help)
    receive.add_argument("--private-key", type=Path, help=_("privésleutel van uw gemeente (PEM); zonder: "
                                                           "wachtwoord uit INTAKE_TRANSFER_PASSPHRASE"))
    receive.add_argument("file", type=Path, metavar="BESTAND")


def _officer(folder: Path, officer: str | None) -> str:
    if officer:
        return officer
    from intake_app.storage.keys import KEY_FILE_NAME, KeyFile

    names = KeyFile.load(folder / KEY_FILE_NAME).officer_names() if (folder / KEY_FILE_NAME).is_file() else []
    if len(names) != 1:
        raise SystemExit(_("Geef met --officer aan wie de kluis opent."))
    return names[0]


def _unlock(args: argparse.Namespace) -> Any:
    from intake_app.services import vault_service

    officer = _officer(args.vault, args.officer)
    return vault_service.unlock_vault(args.vault, officer, _secret("INTAKE_PASSPHRASE", _("Wachtwoord: ")))


def _case_command(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from intake_app.services.demo import create_demo_vault

        passphrase = _secret("INTAKE_PASSPHRASE", _("Wachtwoord: "), confirm=True)
        created = create_demo_vault(args.vault, passphrase, args.officer, count=args.count, with_plans=True)
        print(_("Demokluis met {count} fictieve dossiers aangemaakt in {folder}.").format(
            count=len(created), folder=args.vault))
        return 0
    session = _unlock(args)
    try:
        if args.command == "import-coa":
            return _import_coa(session, args)
        if args.command == "cases":
            return _list_cases(session, args.json)
        return _transfer(session, args)
    finally:
        session.lock()


def _import_coa(session: Any, args: argparse.Namespace) -> int:
    from intake_app.services import coa_import

    if args.undo:
        import hashlib

        record = session.cases.find_import(hashlib.sha256(args.file.read_bytes()).hexdigest())
        if record is None:
            print(_("Dit bestand is niet geïmporteerd (of de import is al ongedaan gemaakt)."), file=sys.stderr)
            return 1
        coa_import.undo_import(session, record.import_id)
        print(_("Import ongedaan gemaakt: dossier {case} is verwijderd.").format(case=record.case_id))
        return 0
    preview = coa_import.preview(session, args.file)
    for problem in preview.problems:
        label = _("fout") if problem.severity is coa_import.Severity.ERROR else _("let op")
        print(f"{label}: {problem.render(_)}", file=sys.stderr)
    if preview.errors:
        count = len(preview.errors)
        text = _CATALOG.ngettext("Niet geïmporteerd: {count} fout. Er is niets opgeslagen.",
                                 "Niet geïmporteerd: {count} fouten. Er is niets opgeslagen.", count)
        print(text.format(count=count), file=sys.stderr)
        return 1
    if args.dry_run:
        print(_("In orde: {count} antwoorden zouden worden geïmporteerd.").format(count=len(preview.answers)))
        return 0
    result = coa_import.import_preview(session, preview)
    print(_("Geïmporteerd: dossier {case} met {count} antwoorden.").format(case=result.case_id, count=result.answers))
    return 0


def _list_cases(session: Any, as_json: bool) -> int:
    """No names or numbers of people: only what a script needs to find its way."""
    import json

    rows = [
        {"id": row.id, "status": row.status, "target_group": row.target_group,
         "client_language": row.client_language, "next_deadline": row.next_deadline,
         "deadline_kind": row.deadline_kind, "demo": bool(row.is_demo)}
        for row in session.cases.rows()
    ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    header = (_("dossier"), _("status"), _("doelgroep"), _("taal"), _("volgende termijn"))
    table = [header] + [
        (row["id"], row["status"], row["target_group"] or "-", row["client_language"], row["next_deadline"] or "-")
        for row in rows
    ]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(header))]
    for line in table:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    print(_("{count} dossiers.").format(count=len(rows)))
    return 0


def _transfer(session: Any, args: argparse.Namespace) -> int:
    from intake_app.services import transfer

    if args.action == "export":
        if args.public_key:
            protection = transfer.Protection(public_key=transfer.load_public_key(args.public_key))
        else:
            protection = transfer.Protection(passphrase=_secret(
                "INTAKE_TRANSFER_PASSPHRASE", _("Wachtwoord voor de overdracht: "), confirm=True))
        transfer.export_case(session, args.case, args.out, protection, sending_municipality=args.from_municipality)
        print(_("Overdrachtsbestand geschreven naar {path}; het dossier staat op ‘overgedragen’.").format(
            path=args.out))
        return 0
    key = transfer.load_private_key(args.private_key, os.environ.get("INTAKE_RECOVERY_KEY_PASSPHRASE")) \
        if args.private_key else None
    passphrase = None if key else _secret("INTAKE_TRANSFER_PASSPHRASE", _("Wachtwoord van de overdracht: "))
    preview = transfer.read_package(args.file, passphrase=passphrase, private_key=key)
    case_id = transfer.import_package(session, preview)
    print(_("Overdracht ingelezen: dossier {case} ({count} antwoorden, {versions} planversies).").format(
        case=case_id, count=preview.answer_count, versions=preview.plan_versions))
    return 0
