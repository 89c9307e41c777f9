"""README.md and ARCHITECTURE.md against the code: every `docqa ...` command line the README shows names a
command and flags that exist, the flag list of "Configuration" is true, the Python example runs, and
ARCHITECTURE.md's module map names every module of the tree and nothing else. (The settings table is
tests/test_config.py's.)"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
import typer

from docqa.server import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
PACKAGES = ("docqa", "ingest", "index", "server")


def documented_command_lines() -> list[str]:
    """Each `docqa ...` command in README.md: fenced lines (continuations joined) and inline code spans."""
    lines: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S):
        lines += block.replace("\\\n", " ").splitlines()
    lines += re.findall(r"`([^`\n]+)`", README)
    commands = []
    for line in lines:
        found = re.search(r"(?:^|[\s&;(])docqa ([a-z].*)", line.split("#", 1)[0])
        if found:
            commands.append(found.group(1))
    return commands


def resolve(words: list[str]) -> tuple[typer.main.TyperCommand, str]:
    """The click command the words name (groups followed down), and its name."""
    command = typer.main.get_command(cli.app)
    path = []
    for word in words:
        if word not in getattr(command, "commands", {}):  # a group (typer may vendor its own click)
            break
        command = command.commands[word]
        path.append(word)
    return command, " ".join(path)


def option_names(command: typer.main.TyperCommand) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)}


def test_every_documented_command_and_flag_exists() -> None:
    checked, wrong = 0, []
    for line in documented_command_lines():
        words = line.split()
        command, path = resolve(words)
        flags = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", line))
        if not path or (hasattr(command, "commands") and len(words) > len(path.split())):  # a group, then a word
            wrong.append(f"docqa {line!r}: no such command")
            continue
        unknown = sorted(flags - option_names(command) - {"--help"})
        if unknown:
            wrong.append(f"docqa {line!r}: {path} has no {', '.join(unknown)}")
        checked += 1
    assert checked >= 25, "README's command lines were not found"
    assert wrong == [], "\n".join(wrong)


def test_the_configuration_section_lists_the_flags_each_command_has() -> None:
    """"a few also have a flag ...: `--model` (`ingest`, `serve`, ...)": those commands, exactly."""
    sentence = README.split("a few also have a flag", 1)[1].split("This table", 1)[0]
    for flag in ("--model", "--host", "--port", "--chunk-tokens", "--ray"):
        listed = re.search(rf"`{flag}`[^(]*\(([^)]*)\)", sentence)
        assert listed, f"{flag} is not in the sentence"
        documented = set(re.findall(r"`([a-z]+)`", listed.group(1)))
        group = typer.main.get_command(cli.app)
        having = {name for name, command in group.commands.items() if flag in option_names(command)}
        assert documented == having, f"{flag}: README says {sorted(documented)}, the commands with it are {sorted(having)}"


def module_map() -> str:
    return ARCHITECTURE.split("```\n", 1)[1].split("```", 1)[0]


def test_the_module_map_names_every_module_and_no_missing_one() -> None:
    named = set(re.findall(r"\b([a-z_][a-z0-9_]*\.py)\b", module_map())) - {"__init__.py"}
    named -= {p.name for folder in ("tests", "benchmarks") for p in (ROOT / folder).glob("*.py")}  # named beside them
    tree = {p.name for package in PACKAGES for p in (ROOT / package).rglob("*.py") if p.name != "__init__.py"}
    migrations = {p.name for p in (ROOT / "server" / "questions" / "migrations").rglob("*.py")}  # "migrations/": Alembic's
    assert sorted(tree - named - migrations) == [], "modules missing from ARCHITECTURE.md's map"
    assert sorted(named - tree) == [], "ARCHITECTURE.md's map names modules that do not exist"


@pytest.mark.model
def test_the_readme_python_example_runs(tmp_path, monkeypatch) -> None:
    example = re.search(r"From Python:\n\n```python\n(.*?)```", README, flags=re.S)
    assert example, "README's Python example is gone"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example.group(1), "README.md", "exec"), {})
    assert printed.getvalue().startswith("end of 2017 ") and (tmp_path / "my-index" / "CURRENT").is_file()
