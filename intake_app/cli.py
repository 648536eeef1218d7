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

from intake_app.i18n import Catalog

COMMANDS = ("vault", "audit", "recovery-key", "translations")

_ = Catalog("nl").gettext


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
