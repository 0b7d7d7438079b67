"""Import of directory updates from CSV or XLSX (interface; implementation in progress)."""

from dataclasses import dataclass, field


@dataclass
class RowResult:
    line: int  # line number in the file as a spreadsheet user sees it (header = 1)
    action: str  # "create" | "update" | "reject"
    label: str  # what the row is about, e.g. "OMH de Lévis – 25, rue X"
    reasons: list[str] = field(default_factory=list)  # French reasons, for rejections


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)  # French, file-level (nothing imported)

    def counts(self) -> dict:
        return {
            "created": sum(r.action == "create" for r in self.rows),
            "updated": sum(r.action == "update" for r in self.rows),
            "rejected": sum(r.action == "reject" for r in self.rows),
        }


def check_directory_file(content: bytes, filename: str) -> ImportReport:
    raise NotImplementedError


def apply_directory_file(*, user, content: bytes, filename: str) -> ImportReport:
    raise NotImplementedError
