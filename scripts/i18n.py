"""Keep the catalogues in step with the code.

    python scripts/i18n.py           extract, update nl/en/ar, fill nl (the source language)
    python scripts/i18n.py compile   compile .po to .mo (the Docker image does this)

Dutch is the source language: message ids are Dutch, so the nl catalogue's
translations are the ids themselves (a proofreader may still improve them there).
New or changed entries in en and ar are left empty (or fuzzy) for a translator,
and `kks-bot check` fails until they are done.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
POT = LOCALES / "messages.pot"


def run(*args: str) -> None:
    subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def extract() -> None:
    run("extract", "-F", "babel.cfg", "-k", "N_", "-k", "NP_:1,2", "--no-default-keywords",
        "--project", "kks-bot", "--copyright-holder", "KKS-bot developers",
        "--msgid-bugs-address", "-", "-w", "100", "-o", str(POT), "kks_bot", "conversations")


def update() -> None:
    for locale in ("nl", "en", "ar"):
        po = LOCALES / locale / "LC_MESSAGES" / "messages.po"
        if po.exists():
            run("update", "-i", str(POT), "-d", str(LOCALES), "-l", locale, "-w", "100",
                "--ignore-obsolete")
        else:
            run("init", "-i", str(POT), "-d", str(LOCALES), "-l", locale, "-w", "100")


def fill_source() -> None:
    po = LOCALES / "nl" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, width=100)


def compile_all(locales: Path = LOCALES, *, quiet: bool = False) -> None:
    run(*(["-q"] * quiet), "compile", "-d", str(locales), "-D", "messages",
        *(["--statistics"] * (not quiet)))


def compiled_copy(folder: Path) -> Path:
    """A copy of locales/ in ``folder`` with each catalogue compiled, as the image has them
    (for the benchmarks and the test that the compiled catalogues say the same)."""
    target = folder / "locales"
    shutil.copytree(LOCALES, target)
    compile_all(target, quiet=True)
    return target


if __name__ == "__main__":
    if sys.argv[1:] == ["compile"]:
        compile_all()
    else:
        extract()
        update()
        fill_source()
