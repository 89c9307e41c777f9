"""Every question set about agency pages, side by side in one run: right, wrong, declined, dialogues, short answers.

    python benchmarks/page_sets.py [--json OUT.json] [--compare EARLIER.json] [--mode hybrid]

The sets: the bundled page's (`corpus/questions*.jsonl`, asked of the bundled corpus) and the agency page sets
(`benchmarks/agency-pages*/questions.jsonl`, each asked of its own `docs/`). Each collection is indexed once
into a temporary folder and every set is answered in this process, scored as `docqa eval SET --mode hybrid`
scores it (docqa.index.evaluation.evaluate.evaluate_questions). Prints a line a set and the totals:
answerable questions answered right / wrong / declined, unanswerable ones declined, dialogues answered right,
and right answers whose short answer holds the expected text. `--json` writes the figures; `--compare` prints
the sets whose figures differ from an earlier `--json` output (same sets, another tree, model or setting).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from docqa.index.retrieval.search import DEFAULT_MODE, MODES  # noqa: E402

FIGURES = (
    ("right", "answerable_correct"),
    ("wrong", "answerable_wrong"),
    ("declined_answerable", "answerable_declined"),
    ("answerable", "answerable"),
    ("declined", "unanswerable_declined"),
    ("unanswerable", "unanswerable"),
    ("dialogues_right", "dialogues_correct"),
    ("dialogues", "dialogues"),
    ("short_holding", "short_answers_holding"),
)
"""(name printed and saved, the `docqa eval` metric it is)."""


def collections() -> list[tuple[Path, list[Path]]]:
    """(documents folder, its question sets) for the bundled page and each agency page set."""
    found = [(REPO / "corpus", sorted((REPO / "corpus").glob("questions*.jsonl")))]
    for folder in sorted(REPO.glob("benchmarks/agency-pages*")):
        if (folder / "questions.jsonl").is_file():
            found.append((folder / "docs", [folder / "questions.jsonl"]))
    return found


def set_name(path: Path) -> str:
    """A set's name: its file's stem, or its folder's name for a `questions.jsonl` beside its documents."""
    return path.parent.name if path.parent.parent.name == "benchmarks" else path.stem


def measure(groups: list[tuple[Path, list[Path]]], *, embedder, mode: str, echo: bool = True) -> dict[str, dict[str, int]]:
    """{set name: figures} for every set of `groups` ((documents folder, its sets), as `collections()` gives), in order."""
    from docqa.index.assistant import Assistant
    from docqa.index.evaluation.evaluate import evaluate_questions, load_questions
    from docqa.ingest.pipeline import ingest

    figures: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="docqa-page-sets-") as scratch:
        for n, (docs, sets) in enumerate(groups):
            root = Path(scratch) / str(n)
            ingest([docs], index_root=root, embedder=embedder)
            assistant = Assistant(root, embedder=embedder)
            for path in sets:
                metrics = evaluate_questions(assistant, load_questions(path), modes=[mode]).modes[mode].metrics
                name = set_name(path)
                figures[name] = {figure: int(metrics.get(key, 0)) for figure, key in FIGURES}
                if echo:
                    print(line(name, figures[name]), flush=True)
    return figures


def line(name: str, f: dict[str, int]) -> str:
    return (
        f"{name:32s} right {f['right']:4d} / {f['answerable']:<4d} wrong {f['wrong']:3d}  declined {f['declined']:3d} / "
        f"{f['unanswerable']:<4d} dialogues {f['dialogues_right']:3d} / {f['dialogues']:<3d} short {f['short_holding']:4d}"
    )


def totals(figures: dict[str, dict[str, int]]) -> dict[str, int]:
    return {name: sum(f[name] for f in figures.values()) for name, _ in FIGURES}


def save(path: Path, figures: dict[str, dict[str, int]], *, mode: str) -> None:
    path.write_text(json.dumps({"mode": mode, "sets": figures, "total": totals(figures)}, indent=1) + "\n", encoding="utf-8")


def load(path: Path) -> dict[str, dict[str, int]]:
    """The sets' figures of a `save`d file."""
    return {name: {key: int(value) for key, value in f.items()} for name, f in json.loads(path.read_text(encoding="utf-8"))["sets"].items()}


def changes(earlier: dict[str, dict[str, int]], now: dict[str, dict[str, int]]) -> list[str]:
    """A line for each set whose figures differ between `earlier` and `now` (or that only `now` has)."""
    found = []
    for name, figures in now.items():
        before = earlier.get(name)
        if before is None:
            found.append(f"{name}: new set")
        elif before != figures:
            found.append(f"{name}: " + ", ".join(f"{key} {before.get(key)} → {value}" for key, value in figures.items() if before.get(key) != value))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--compare", type=Path, help="an earlier --json output: print the sets whose figures differ")
    parser.add_argument("--mode", default=DEFAULT_MODE, choices=MODES)
    args = parser.parse_args(argv)
    try:
        earlier = load(args.compare) if args.compare else None  # before the long run: a wrong file fails at once
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        parser.error(f"--compare {args.compare}: cannot be read as a page_sets.py --json output ({type(error).__name__}: {error})")

    from docqa.index.embedding.embedder import get_embedder

    figures = measure(collections(), embedder=get_embedder(), mode=args.mode)
    print(line("TOTAL", totals(figures)))
    if earlier is not None:
        print(f"\nChanged against {args.compare}:")
        for change in changes(earlier, figures) or ["nothing"]:
            print("  " + change)
        print(line("TOTAL before", totals({name: f for name, f in earlier.items() if name in figures})))
    if args.json:
        save(args.json, figures, mode=args.mode)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
