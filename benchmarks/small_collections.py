"""Answers on small collections like the bundled page: a SQuAD 2.0 part cut into collections of a few paragraphs.

    python benchmarks/small_collections.py [DATA.json] [--part check|fit] [--paragraphs 3]

DATA defaults to ../shared/datasets/squad2-a/dev-a-v2.0.json. Each article of the part (`squad.select_part`,
as benchmarks/squad_answers.py splits it) is cut into runs of --paragraphs consecutive paragraphs (a shorter last
run is left out); each run is one document, indexed alone (cached under ~/.cache/docqa/squad), and asked the
questions of its paragraphs. The figures are squad_eval's over all runs together: answerable correct,
unanswerable declined, AUC of `confidence`, short-answer EM / F1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "squad2-a" / "dev-a-v2.0.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--part", choices=("fit", "check"), default="check")
    parser.add_argument("--paragraphs", type=int, default=3, help="paragraphs per collection")
    args = parser.parse_args()

    from docqa.config import default_cache_dir
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder
    from docqa.index.evaluation import squad_eval
    from docqa.ingest import squad
    from docqa.ingest.loaders import Document

    whole = squad.read_squad(args.data)
    part = squad.select_part(whole, args.part)
    contexts = {d.doc_id: d.text.split(squad.PARAGRAPH_SEPARATOR) for d in part.documents}  # an article's paragraphs, in order
    embedder = get_embedder()
    rows, collections = [], 0
    for title in sorted({q.title for q in part.questions}):
        paragraphs = contexts[title]
        for first in range(0, len(paragraphs) - args.paragraphs + 1, args.paragraphs):
            run = range(first, first + args.paragraphs)
            questions = tuple(q for q in part.questions if q.title == title and q.paragraph in run)
            if not questions:
                continue
            document = Document(doc_id=f"{title}-{first}", title=title.replace("_", " "), source=title, text="\n\n".join(paragraphs[i] for i in run))
            small = squad.SquadSet(path=args.data, version=whole.version, documents=(document,), questions=questions)
            root = squad.prepare_index(small, embedder=embedder, cache=default_cache_dir(), name=f"{args.data.stem}-{args.part}-small{args.paragraphs}-{collections}")
            asked, _ = squad_eval.ask_all(Assistant(root, embedder=embedder), list(questions), mode=None)
            rows += asked
            collections += 1
    f = squad_eval.figures(rows)
    print(f"{collections} collections of {args.paragraphs} paragraphs, {len(rows)} questions ({args.part} part)")
    print(f"answerable correct {100 * f.answerable_correct:.1f}% / unanswerable declined {100 * f.unanswerable_declined:.1f}% / "
          f"AUC {f.auc_answerable:.3f} / short-answer EM {f.short_em:.1f} F1 {f.short_f1:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
