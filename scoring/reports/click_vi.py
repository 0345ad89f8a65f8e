"""What every ``parindex`` command shares: Vietnamese words (click's own too), and one way to fail.

- click asks ``gettext`` for every word it prints ("Usage:", "Options:", "[required]", "Missing
  option", "Error: …"); ``install()`` gives its modules a ``gettext`` that answers from ``WORDS``.
- ``option``/``argument`` name values in Vietnamese (``--rubric TỆP``) and an option by its long
  name in errors; ``Choice`` shows Vietnamese values and still takes the English ones.
- ``Main.main`` is the one error handler: a usage mistake, bad input (``InputError``), a file that
  cannot be read or written (``OSError``), a locked or broken campaign file — each problem one
  “lỗi: …” line on stderr, exit code 2, never a traceback.
- ``LazyGroup`` lists a group of commands that lives in another module and imports it only when one
  of its commands runs (click's lazy-loading pattern), so ``parindex --help`` loads click alone.

Only click is imported here: the command line starts fast."""

from __future__ import annotations

import functools
import importlib
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

WORDS = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
    "Show the version and exit.": "In số phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "required": "bắt buộc",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "(dynamic)": "(tùy lúc chạy)",
    "deprecated": "không còn dùng",
    "Error: {message}": "lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: {command} {option}",
    "Aborted!": "Đã dừng.",
    "Missing command.": "thiếu lệnh.",
    "Missing argument": "thiếu tham số",
    "Missing option": "thiếu tùy chọn bắt buộc",
    "Missing parameter": "thiếu tham số",
    "Missing parameter: {param_name}": "thiếu tham số {param_name}",
    "Missing {param_type}": "thiếu {param_type}",
    "No such option {name!r}.": "không có tùy chọn {name}",
    "No such command {name!r}.": "không có lệnh “{name}”",
    "Did you mean {possibility}?": "(có phải {possibility}?)",
    "(Did you mean one of: {possibilities}?)": "(có thể là: {possibilities})",
    "Option {name!r} requires an argument.": "tùy chọn {name} cần một giá trị",
    "Option {name!r} requires {nargs} arguments.": "tùy chọn {name} cần {nargs} giá trị",
    "Option {name!r} does not take a value.": "tùy chọn {name} không nhận giá trị",
    "Argument {name!r} takes {nargs} values.": "tham số {name} cần {nargs} giá trị",
    "Got unexpected extra argument ({args})": "thừa tham số: {args}",
    "Got unexpected extra arguments ({args})": "thừa tham số: {args}",
    "Invalid value for {param_hint}: {message}": "giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "giá trị không hợp lệ: {message}",
    "{value!r} is not one of {choices}.": "“{value}” không thuộc {choices}",
    "{value!r} is not {choice}.": "“{value}” không phải {choice}",
    "{value!r} is not a valid {number_type}.": "“{value}” không phải số",
    "{value} is not in the range {range}.": "{value} không thuộc khoảng {range}",
    "{value!r} is not a valid boolean. Recognized values: {states}": "“{value}” không phải có/không; dùng: {states}",
    "{name} {filename!r} does not exist.": "không tìm thấy “{filename}”",
    "{name} {filename!r} is a file.": "“{filename}” là một tệp, cần thư mục",
    "{name} {filename!r} is a directory.": "“{filename}” là một thư mục, cần tệp",
    "{name} {filename!r} is not readable.": "không đọc được “{filename}”",
    "{name} {filename!r} is not writable.": "không ghi được “{filename}”",
    "Could not open file {filename!r}: {message}": "không mở được tệp “{filename}”: {message}",
    "Value must be an iterable.": "cần một dãy giá trị",
    "Takes {nargs} values but 1 was given.": "cần {nargs} giá trị, nhận được 1",
    "Takes {nargs} values but {len} were given.": "cần {nargs} giá trị, nhận được {len}",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "Do you want to continue?": "Tiếp tục?",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "lỗi: hai giá trị đã nhập không khớp.",
    "Error: invalid input": "lỗi: giá trị không hợp lệ",
    "Press any key to continue...": "Nhấn một phím để tiếp tục...",
    "unknown error": "lỗi không rõ",
}
METAVARS = {"path": "TỆP", "text": "GIÁ_TRỊ", "integer": "SỐ", "float": "SỐ", "filename": "TỆP"}


def gettext(message: str) -> str:
    return WORDS.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Give each of click's modules the Vietnamese ``gettext`` (they bound theirs when imported)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("click.") and hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
            if hasattr(module, "ngettext"):
                module.ngettext = ngettext  # type: ignore[attr-defined]


class Option(click.Option):
    """An option whose value is named in Vietnamese and whose errors name its long spelling only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.metavar is None and not self.is_flag and self.type.name in METAVARS:
            self.metavar = METAVARS[self.type.name]

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return max(self.opts, key=len)


class Argument(click.Argument):
    """A positional argument named by its metavar (``TỆP``, ``ĐƠN_VỊ``) in errors too."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return (self.metavar or self.name.upper()).strip("[].")  # type: ignore[union-attr]


class Choice(click.Choice):
    """Vietnamese values shown and taken; the English ones (``aliases``) are taken too. The value
    handed on is the library's (English) word: ``Choice({"khac-phuc": "remediation"})``."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(list(values))
        self.values = values

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.values.values():
            return value
        return self.values[super().convert(value, param, ctx)]


class Command(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)


Group.group_class = Group
install()
option = functools.partial(click.option, cls=Option)
argument = functools.partial(click.argument, cls=Argument)
FILE = click.Path(path_type=Path)
say = click.echo


def note(text: str) -> None:
    click.echo(text, err=True)


def fail(*lines: str, code: int = 2) -> NoReturn:
    """The one way a command stops on an error: each problem as “lỗi: …” on stderr, exit 2."""
    for line in lines:
        note(f"lỗi: {line}")
    sys.exit(code)


def problems(exc: BaseException) -> list[str] | None:
    """An error's lines for the user: bad input, a file that cannot be read or written, a locked or
    broken campaign file; None for anything else (a defect, left to show its traceback)."""
    if isinstance(exc, OSError):
        from criteria.files import os_reason  # the words for system errors, loaded on the error path

        return [f"{exc.filename}: {os_reason(exc)}" if exc.filename else os_reason(exc)]
    sqlite3 = sys.modules.get("sqlite3")  # a campaign's database error: only once a command loaded sqlite3
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        return ["tệp chiến dịch " + ("đang được một lệnh khác ghi; hãy chạy lại sau ít phút" if "locked" in str(exc)
                                     else "không dùng được: tệp hỏng hoặc không phải tệp chiến dịch")]
    errors = sys.modules.get("criteria.errors")  # no input was read if criteria was never loaded
    if errors is not None and isinstance(exc, errors.InputError):
        return [str(problem) for problem in exc.problems]
    return None


class Main(Group):
    """Every error ends here: usage mistakes and bad input alike, in Vietnamese, exit code 2."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # a bare group: its help, as click shows it
            click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "parindex"
            note(f"lỗi: {exc.format_message()}")
            note(f"Xem hướng dẫn: {command} --help")
            sys.exit(2)
        except click.ClickException as exc:
            fail(exc.format_message(), code=exc.exit_code)
        except click.Abort:
            note("Đã dừng.")
            sys.exit(1)
        except Exception as exc:
            lines = problems(exc)
            if lines is None:
                raise
            fail(*lines)




class LazyGroup(Group):
    """A group whose commands are defined in ``module`` (as ``attribute``), imported on first use;
    its own help line is given here, so listing it costs nothing."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name, help=help)
        self.target = target

    @functools.cached_property
    def loaded(self) -> click.Group:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self.loaded.list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.loaded.get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        return self.loaded.invoke(ctx)  # the loaded group's own handling (the campaign's damaged-file answer)


class LazyCommand(click.Command):
    """A command defined in ``module`` (as ``attribute``), imported only when it runs or shows its
    help; its help line in the list of commands is given here."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name, help=help)
        self.target = target

    @functools.cached_property
    def loaded(self) -> click.Command:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        return self.loaded.make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        return self.loaded.invoke(ctx)
