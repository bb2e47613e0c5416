"""What a build did, and the lines `assistant index` prints about it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BuildReport:
    documents: int = 0
    chunks: int = 0
    vectors: int = 0
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    up_to_date: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    generation: str | None = None


def format_report(report: BuildReport) -> list[str]:
    """The lines `assistant index` prints."""
    lines = [f"skipped {path}: {why}" for path, why in report.problems]
    if report.up_to_date:
        lines.append(
            f"index is up to date: {report.documents} documents, {report.chunks} chunks "
            f"(nothing to embed) in {report.seconds:.1f} s"
        )
        return lines
    changes = []
    for label, names in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        if names:
            changes.append(f"{len(names)} {label}")
    lines.append(
        f"indexed {report.documents} documents, {report.chunks} chunks, {report.vectors} vectors "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s"
        + (f"; {', '.join(changes)}" if changes else "")
    )
    return lines
