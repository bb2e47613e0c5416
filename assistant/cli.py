"""The `assistant` command: build the index, serve, search and ask from a terminal.

Settings come from `ASSISTANT_*` environment variables, overridden by flags. A user error (missing
folder, no index yet, bad setting, bad input) prints one line and exits with status 1; nothing
prints a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import AssistantError, reason
from .text.controls import strip_controls

F = TypeVar("F", bound=Callable[..., Any])
INDEX_DIR = click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder (default: index/).",
)


def _echo(message: str = "", **options: Any) -> None:
    """click.echo without control characters: a document's or a manifest's ESC sequences never
    reach the terminal."""
    click.echo(strip_controls(message), **options)


def _secho(message: str, **options: Any) -> None:
    click.secho(strip_controls(message), **options)


def _friendly(command: F) -> F:
    """Turn the product's errors into one line on stderr and exit status 1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AssistantError as exc:
            _echo(f"error: {exc.message}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            _echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # the reader stopped reading (`| head`): nothing more to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            sys.exit(1)
        except OSError as exc:  # the system refused: say what and where
            _echo(f"error: {reason(exc)}", err=True)
            sys.exit(1)
        except Exception as exc:  # a bug: say so in one line; ASSISTANT_DEBUG=1 shows the traceback
            if os.environ.get("ASSISTANT_DEBUG"):
                raise
            _echo(f"error: unexpected failure ({type(exc).__name__}: {exc}); rerun with ASSISTANT_DEBUG=1", err=True)
            sys.exit(1)

    return run  # type: ignore[return-value]


class _Interrupted:
    """Ctrl-C during a build: raised where it lands, and remembered, so that a build whose stages
    swallowed it (a distributed engine may catch it inside its own loop) is still not published."""

    def __init__(self) -> None:
        self.seen = False

    def watch(self) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, self._caught)

    def _caught(self, signum: int, frame: object) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="assistant")
def main() -> None:
    """A retrieval assistant: answers from your documents with cited passages and figures."""


@main.command()
@click.argument("corpus_dir", required=False, type=click.Path(path_type=Path))
@INDEX_DIR
@click.option("--force", is_flag=True, help="Redo every document (embeddings still come from the cache).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--workers", type=click.IntRange(1, 256), default=None, help="Processes reading documents (default: cores)."
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default=None,
    help="Where documents are read, cut and embedded: here, or on Ray Data (ASSISTANT_RAY_ADDRESS; default: local).",
)
@_friendly
def index(
    corpus_dir: Path | None, index_dir: Path | None, force: bool, quiet: bool, workers: int | None, engine: str | None
) -> None:
    """Build or update the index of CORPUS_DIR (default: corpus/) in the index folder.

    Unchanged documents are reused and unchanged passages are never embedded again; the new index
    replaces the old one only once it is complete. Files that cannot be read are listed and skipped.
    """
    from .ingest import build_index, format_report
    from .ingest.engines import Engine, open_engine
    from .settings import load_settings
    from .store.embedding import Embedder, load_embedder

    settings = load_settings(corpus_dir=corpus_dir, index_dir=index_dir, workers=workers, engine=engine)
    progress = not quiet and sys.stderr.isatty()

    interrupted = _Interrupted()

    def started(embedder: Embedder) -> Engine:
        running = open_engine(settings, embedder, progress)
        interrupted.watch()  # after the engine started: Ray's start may set signal handlers of its own
        if not quiet and settings.engine != "local":
            _echo(f"building on {running.description}", err=True)
        return running

    report = build_index(
        settings,
        lambda: load_embedder(settings, bulk=True),
        progress=progress,
        force=force,
        engine=started,
        before_publish=interrupted.check,
    )
    for line in format_report(report):
        _echo(line)


@main.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@INDEX_DIR
@_friendly
def serve(host: str | None, port: int | None, index_dir: Path | None) -> None:
    """Serve the pages and the JSON API (http://127.0.0.1:8000 by default)."""
    from .server.app import create_app
    from .server.http import bind, serve
    from .service import Assistant
    from .settings import load_settings

    settings = load_settings(host=host, port=port, index_dir=index_dir)
    sock = bind(settings)
    assistant = Assistant.load(settings)
    _echo(f"serving {settings.index_dir} on http://{settings.host}:{settings.port}", err=True)
    serve(create_app(settings, assistant), settings, sock)


@main.command()
@click.argument("query")
@click.option("-k", type=click.IntRange(1, 50), default=10, show_default=True, help="How many passages.")
@click.option("--doc", multiple=True, help="Restrict to this document id (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as GET /api/search.")
@INDEX_DIR
@_friendly
def search(query: str, k: int, doc: tuple[str, ...], as_json: bool, index_dir: Path | None) -> None:
    """Print the passages that best match QUERY."""
    from .server.api import result_model
    from .server.schemas import SearchResponse, checked_query

    query = _checked(checked_query, query, "query")
    assistant = _assistant(index_dir)
    result = assistant.search(query, k, list(doc) or None)
    response = SearchResponse(
        query=result.query,
        took_ms=result.took_ms,
        results=[result_model(result.reader, hit, rank) for rank, hit in enumerate(result.hits, 1)],
    )
    if as_json:
        _echo(response.model_dump_json(indent=2))
        return
    for item in response.results:
        where = f", p. {item.page}" if item.page else ""
        _secho(f"[{item.rank}] {item.title}{where}  (score {item.score:.2f}, {item.chunk_id})", bold=True)
        _echo(_indent(item.text))


@main.command()
@click.argument("question")
@click.option("--history", multiple=True, help="An earlier user turn, oldest first (repeatable).")
@click.option("-k", type=click.IntRange(1, 20), default=5, show_default=True, help="How many passages to cite.")
@click.option("--doc", multiple=True, help="Answer from this document id only (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as POST /api/ask.")
@INDEX_DIR
@_friendly
def ask(
    question: str, history: tuple[str, ...], k: int, doc: tuple[str, ...], as_json: bool, index_dir: Path | None
) -> None:
    """Answer QUESTION with sentences and figures from the sources, and the passages they cite."""
    from .server.api import ask_response
    from .server.schemas import AskRequest

    def checked(q: str) -> AskRequest:
        return AskRequest(question=q, history=list(history), k=k, doc=list(doc) or None)

    request = _checked(checked, question, "question")
    assistant = _assistant(index_dir)
    response = ask_response(assistant.ask(request.question, request.history, request.k, request.doc))
    if as_json:
        _echo(response.model_dump_json(indent=2))
        return
    if response.resolved_query != response.question:
        _echo(f"(understood as: {response.resolved_query})")
    if not response.answerable:
        _echo(f"The documents don't say. Searched for: {response.resolved_query}")
        _echo("The closest passages, for checking:")
    else:
        _echo(f"(confidence {response.confidence:.0%})")
    for sentence in response.answer:
        marks = "".join(f"[{n}]" for n in sentence.citations)
        _echo(f"{'Computed: ' if sentence.computed else ''}{sentence.text} {marks}")
    if response.figures:
        _echo()
        _echo(_figure_table(response.figures))
    _echo()
    for passage in response.passages:
        where = f", p. {passage.page}" if passage.page else ""
        _secho(f"[{passage.n}] {passage.title}{where}", bold=True)
        _echo(_indent(passage.text))


def _figure_table(figures: list[Any]) -> str:
    from .server.wording import citations_of, operands_text

    rows = [("figure", "qualifier", "what", "source")]
    work = []
    for figure in figures:
        cited = "".join(f"[{n}]" for n in citations_of(figure))
        rows.append(
            (figure.text, "computed" if figure.qualifier == "derived" else figure.qualifier, figure.label, cited)
        )
        if figure.formula:
            work.append(f"{figure.text} = {figure.formula.rpartition(' = ')[0]}, from {operands_text(figure)}")
    widths = [min(max(len(row[i]) for row in rows), 60) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell[:60].ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join([*lines, *(f"computed: {line}" for line in work)])


def _assistant(index_dir: Path | None) -> Any:
    from .service import Assistant
    from .settings import load_settings

    return Assistant.load(load_settings(index_dir=index_dir))


def _checked(check: Callable[[str], Any], value: str, name: str) -> Any:
    from pydantic import ValidationError

    from .errors import BadRequest
    from .server.schemas import readable_errors

    try:
        return check(value)
    except (ValueError, ValidationError) as exc:
        message = readable_errors(exc.errors()) if isinstance(exc, ValidationError) else str(exc)
        raise BadRequest(f"{name}: {message}") from None


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


if __name__ == "__main__":
    main()
