"""Outputs and exit codes under faults (issue 10): outputs never touch inputs or devices, are all written or
none is, keep the umask's or the file's mode and are removed on a signal; environment errors (permission,
read-only or full disk, closed or broken standard out) are exit 2 with one Swedish line naming the path and
the reason, never exit 0 and never exit 3; standard out gets UTF-8 whatever the locale; standard input is
a case (`-`); a file of errors prints at most 100 of them.

The tests run as root in CI containers, where permission bits stop nothing: a read-only or full disk is a
tiny tmpfs mounted in a private mount namespace (`unshare -m`) where the platform allows it, else the same
failure simulated in process (the test says which with its id)."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from brocheck.cli import assess as assess_command
from tests.conftest import BORAS, GOLDEN, ROOT

Cli = Callable[..., tuple[int, str, str]]
CASE = "cases/boras-2025.yaml"


PRIVATE_MOUNTS = ["unshare", "--mount", "--propagation", "private"]


def brocheck(*args: str, stdout: Any = subprocess.PIPE, shell: str | None = None, before: Sequence[str] = (),
             env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """Run brocheck in a process of its own (from the project root); `shell` wraps the command, with the
    command as "$@" (e.g. `exec "$@" >&-` to close standard out), and `before` runs the shell."""
    command = [sys.executable, "-m", "brocheck", *args]
    if shell is not None:
        command = [*before, "sh", "-c", shell, "sh", *command]
    return subprocess.run(command, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=timeout,
                          check=False)


def leftovers(*directories: Path) -> list[str]:
    """Temporary files left behind in the directories."""
    return [p.name for d in directories for p in d.iterdir() if p.name.endswith(".tmp")]


# --- outputs never touch inputs or devices ------------------------------------------------------


def _same_path(case: Path, tmp: Path) -> list[str]:
    return [str(case), "--output", f"markdown={case}"]


def _relative_path(case: Path, tmp: Path) -> list[str]:
    return [str(case), "--output", f"json={tmp / '.' / 'x' / '..' / case.name}"]


def _symbolic_link(case: Path, tmp: Path) -> list[str]:
    (tmp / "lank.md").symlink_to(case)
    return [str(case), "--output", f"sarif={tmp / 'lank.md'}"]


def _hard_link(case: Path, tmp: Path) -> list[str]:
    os.link(case, tmp / "hard.md")
    return [str(case), "--output", f"junit={tmp / 'hard.md'}"]


def _in_a_directory(case: Path, tmp: Path) -> list[str]:
    return [str(tmp), "--format", "json", "--output", str(case)]


def _rule_file(case: Path, tmp: Path) -> list[str]:
    from brocheck.resources import data_dir

    return [str(case), "--output", f"markdown={data_dir('rules') / 'ruleset.yaml'}"]


@pytest.mark.parametrize("given", [_same_path, _relative_path, _symbolic_link, _hard_link, _in_a_directory,
                                   _rule_file])
def test_an_input_is_never_an_output(cli: Cli, tmp_path: Path, given: Callable[[Path, Path], list[str]]) -> None:
    (tmp_path / "x").mkdir()
    case = tmp_path / "c.yaml"
    shutil.copy(BORAS, case)
    args = given(case, tmp_path)
    target = args[-1].split("=")[-1]
    before = {p: p.read_bytes() for p in [case, Path(target)] if p.is_file()}
    code, out, err = cli("assess", *args)
    assert (code, out) == (2, "")
    assert err == f"{target}: är en av indatafilerna: brocheck skriver aldrig över det den läser; ange en " \
                  "annan fil för --output\n"
    assert {p: p.read_bytes() for p in before} == before
    assert leftovers(tmp_path) == []


def test_standard_input_redirected_from_the_output(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = tmp_path / "c.yaml"
    shutil.copy(BORAS, case)
    with case.open("rb") as raw:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
        code, _, err = cli("assess", "-", "--output", f"markdown={case}")
    assert code == 2 and "är en av indatafilerna" in err
    assert case.read_bytes() == BORAS.read_bytes()


def null_device(folder: Path) -> Path:
    """A character device like /dev/null. As root (CI containers), a copy of it made in `folder`: a broken
    implementation then replaces that copy, never the system's /dev/null (which is what the defect did).
    Without the right to make devices, the system's own, which such a process cannot replace either."""
    copy = folder / "null"
    try:
        os.mknod(copy, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        return Path(os.devnull)
    return copy


@pytest.mark.parametrize(("make", "kind"), [(null_device, "en teckenenhet"),
                                            (lambda tmp: tmp / "fifo", "ett namngivet rör (FIFO)")])
def test_a_target_that_is_not_a_regular_file_is_refused(cli: Cli, tmp_path: Path, make: Callable[[Path], Path],
                                                        kind: str) -> None:
    os.mkfifo(tmp_path / "fifo")
    target = make(tmp_path)
    code, out, err = cli("assess", str(BORAS), "--output", f"json={target}")
    assert (code, out) == (2, "")
    assert err == (f"{target}: är {kind}, inte en vanlig fil: brocheck ersätter bara vanliga filer; ange en vanlig "
                   "fil för --output\n")
    assert stat.S_ISCHR(target.stat().st_mode) or stat.S_ISFIFO(target.stat().st_mode)  # still what it was


def test_a_loop_of_symbolic_links_is_an_environment_error(cli: Cli, tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    code, out, err = cli("assess", str(BORAS), "--output", f"json={loop}")
    assert (code, out, err) == (2, "", f"{loop}: kan inte skrivas: för många symboliska länkar i sökvägen (ELOOP): "
                                       "kontrollera länkarna\n")
    code, out, err = cli("assess", str(loop), "--output", f"json={tmp_path / 'r.json'}")
    assert (code, out) == (2, "") and err.startswith(f"{loop}: filen kan inte läsas: för många symboliska länkar")


def test_targets_are_checked_before_any_case_is_assessed(cli: Cli, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("assessed before the outputs were checked")

    monkeypatch.setattr(assess_command, "assess_each", never)
    monkeypatch.setattr(assess_command, "load_ruleset", never)
    for bad in (f"json={tmp_path / 'saknas' / 'x.json'}", f"json={null_device(tmp_path)}", f"markdown={BORAS}"):
        code, _, err = cli("assess", str(BORAS), "--output", f"sarif={tmp_path / 'ok.sarif'}", "--output", bad)
        assert code == 2 and err.count("\n") == 1, err
    simulated_failure(monkeypatch, "mkstemp", errno.EACCES)
    code, _, err = cli("assess", str(BORAS), "--output", f"sarif={tmp_path / 'ok.sarif'}")
    assert code == 2 and "åtkomst nekas (EACCES)" in err
    assert [p.name for p in tmp_path.iterdir() if not stat.S_ISCHR(p.stat().st_mode)] == []  # nothing written


# --- environment errors: exit 2, one line, nothing written --------------------------------------


def simulated_failure(monkeypatch: pytest.MonkeyPatch, where: str, code: int, directory: Path | None = None) -> None:
    """Make creating a temporary file (`mkstemp`), or syncing a written one (`fsync`: where a full network
    disk reports ENOSPC), fail with `code` – in `directory` only, when given."""
    made: dict[int, Path] = {}
    real_mkstemp, real_fsync = tempfile.mkstemp, os.fsync

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if where == "mkstemp" and directory in (None, Path(kwargs["dir"])):
            raise OSError(code, os.strerror(code))
        fd, name = real_mkstemp(*args, **kwargs)
        made[fd] = Path(name).parent
        return fd, name

    def fsync(fd: int) -> None:
        if where == "fsync" and directory in (None, made.get(fd)):
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(os, "fsync", fsync)


@pytest.fixture(scope="session")
def tiny_fs_works(tmp_path_factory: pytest.TempPathFactory) -> bool:
    """Whether a tmpfs can be mounted in a private mount namespace here (root with CAP_SYS_ADMIN)."""
    probe = tmp_path_factory.mktemp("probe")
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run([*PRIVATE_MOUNTS, "sh", "-c", f"mount -t tmpfs -o size=16k tmpfs '{probe}'"],
                          capture_output=True, check=False)
    return done.returncode == 0


def on_tiny_fs(directory: Path, options: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """brocheck with a tmpfs (`options`: size, ro) mounted on `directory`, seen only by this process (a mount
    namespace of its own, gone when it ends)."""
    return brocheck(*args, shell=f'mount -t tmpfs -o {options} tmpfs "{directory}" && exec "$@"',
                    before=PRIVATE_MOUNTS)


@pytest.fixture(params=["tiny-fs", "simulated"])
def disk(request: pytest.FixtureRequest, tiny_fs_works: bool, cli: Cli,
         monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    """`disk(failure, directory, *args)`: brocheck whose writes into `directory` fail with `failure`
    ("full" or "read-only"): on a real tiny file system where the platform allows, else simulated."""

    def run(failure: str, directory: Path, *args: str) -> tuple[int, str, str]:
        if request.param == "tiny-fs" and tiny_fs_works:
            done = on_tiny_fs(directory, "size=16k" if failure == "full" else "ro", *args)
            return done.returncode, done.stdout.decode(), done.stderr.decode()
        code = errno.ENOSPC if failure == "full" else errno.EROFS
        simulated_failure(monkeypatch, "fsync" if failure == "full" else "mkstemp", code, directory)
        return cli(*args)  # type: ignore[no-any-return]

    return run


def test_full_disk_writes_no_output(disk: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    full, other = tmp_path / "full", tmp_path / "other"
    full.mkdir()
    other.mkdir()
    (other / "r.json").write_text("förra körningen\n", encoding="utf-8")
    code, out, err = disk("full", full, "assess", str(BORAS), "--format", "github",
                          "--output", f"json={other / 'r.json'}", "--output", f"markdown={full / 'r.md'}")
    assert (code, out) == (2, "")  # not even standard out's report
    assert err == f"{full / 'r.md'}: kan inte skrivas: disken är full (ENOSPC): frigör utrymme eller välj en " \
                  "annan disk\n"
    assert (other / "r.json").read_text(encoding="utf-8") == "förra körningen\n"  # all or nothing
    assert sorted(p.name for p in other.iterdir()) == ["r.json"] and list(full.iterdir()) == []


def test_read_only_directory(disk: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    code, out, err = disk("read-only", tmp_path, "assess", str(BORAS), "--output", f"json={tmp_path / 'r.json'}")
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'r.json'}: kan inte skrivas: filsystemet är skrivskyddat (EROFS): välj en plats " \
                  "som går att skriva till\n"


def test_permission_denied(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    simulated_failure(monkeypatch, "mkstemp", errno.EACCES)  # as root, permission bits deny nothing
    code, out, err = cli("assess", str(BORAS), "--output", f"json={tmp_path / 'r.json'}")
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'r.json'}: kan inte skrivas: åtkomst nekas (EACCES): kontrollera rättigheterna " \
                  "eller välj en annan plats\n"


def test_other_os_errors_are_exit_2_and_bugs_exit_3(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "/opt/brocheck/rules/ruleset.yaml")

    monkeypatch.setattr(assess_command, "load_ruleset", unreadable)
    code, out, err = cli("assess", str(BORAS))
    assert (code, out) == (2, "")
    assert err.startswith("/opt/brocheck/rules/ruleset.yaml: fel vid läsning eller skrivning: åtkomst nekas (EACCES)")

    def bug(*args: object) -> None:
        raise KeyError("oj")

    monkeypatch.setattr(assess_command, "load_ruleset", bug)
    code, _, err = cli("assess", str(BORAS))
    assert code == 3 and "internt fel (KeyError" in err


# --- standard out and error ---------------------------------------------------------------------


STDOUT_CLOSED = "<stdout>: kan inte skrivas: är stängd (EBADF): starta brocheck med den öppen, eller använd en fil\n"


@pytest.mark.parametrize("args", [["assess", CASE], ["assess", CASE, "--format", "docx"], ["check", CASE],
                                  ["explain", CASE, "T1.1"], ["schema"], ["--version"]])
def test_closed_standard_out_is_exit_2(args: list[str]) -> None:
    done = brocheck(*args, shell='exec "$@" >&-')
    assert (done.returncode, done.stderr.decode()) == (2, STDOUT_CLOSED)


def test_closed_standard_out_for_help_is_exit_2() -> None:
    done = brocheck("assess", "--help", shell='exec "$@" >&-')  # written by click, not by brocheck
    assert (done.returncode, done.stderr.decode()) == (2, STDOUT_CLOSED)


def test_closed_pipe_is_exit_2(tmp_path: Path) -> None:
    reader = subprocess.Popen([sys.executable, "-m", "brocheck", "assess", CASE, "--output",
                               f"json={tmp_path / 'r.json'}", "--format", "markdown"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # the reader goes away before brocheck writes
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=120) == 2
    assert err == ("<stdout>: kan inte skrivas: mottagaren slutade läsa innan allt var skrivet (EPIPE): låt "
                   "mottagaren läsa allt, eller skriv till en fil med --output\n")
    assert not (tmp_path / "r.json").exists() and leftovers(tmp_path) == []


def test_full_disk_on_standard_out_is_exit_2() -> None:
    with open("/dev/full", "wb") as full:  # every write: ENOSPC
        done = brocheck("assess", CASE, stdout=full)
    assert (done.returncode, done.stderr.decode()) == (
        2, "<stdout>: kan inte skrivas: disken är full (ENOSPC): frigör utrymme eller välj en annan disk\n")


def test_usage_errors_show_control_characters(cli: Cli) -> None:
    code, out, err = cli("assess", str(BORAS), "--fo\x07\x9b2J\u202e")  # click prints the option as given
    assert (code, out) == (2, "")
    assert "okänd flagga --fo\\x07\\x9b2J\\u202e" in err


def test_failed_write_to_standard_out_in_process(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sys, "stdout", Full())
    code, _, err = cli("check", str(BORAS))
    assert code == 2 and err.startswith("<stdout>: kan inte skrivas: disken är full (ENOSPC)")
    monkeypatch.setattr(sys, "stdout", None)
    code, _, err = cli("assess", str(BORAS))
    assert (code, err) == (2, STDOUT_CLOSED)


def test_standard_out_gets_utf8_whatever_the_locale() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C", "PYTHONUTF8": "0"}
    done = brocheck("assess", CASE, "--format", "markdown", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == (GOLDEN / "boras-2025.md").read_text(encoding="utf-8")
    done = brocheck("check", "saknas-å.yaml", env=env)
    assert (done.returncode, done.stderr.decode("utf-8")) == (2, "saknas-å.yaml: filen finns inte: kontrollera "
                                                                 "sökvägen\n")


# --- files: modes and signals -------------------------------------------------------------------


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o027)
    yield
    os.umask(old)


@pytest.mark.usefixtures("umask")
def test_new_files_get_the_umask_mode_existing_files_keep_theirs(cli: Cli, tmp_path: Path) -> None:
    new, old = tmp_path / "ny.json", tmp_path / "gammal.md"
    old.write_text("förra körningen\n", encoding="utf-8")
    old.chmod(0o604)
    code, _, _ = cli("assess", str(BORAS), "--output", f"json={new}", "--output", f"markdown={old}")
    assert code == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o640  # 0666 & ~027, not mkstemp's 0600
    assert stat.S_IMODE(old.stat().st_mode) == 0o604
    assert old.read_text(encoding="utf-8").startswith("# Borås Stad")
    case = tmp_path / "ny-kommun.yaml"
    assert cli("init", str(case), "--kommun", "Exempelby kommun", "--kod", "9999")[0] == 0
    assert stat.S_IMODE(case.stat().st_mode) == 0o640  # brocheck init too


def _default_signals() -> None:
    """In the child: SIGINT and SIGTERM as a shell starts them (a background job may inherit them ignored)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_removes_the_temporary_files(tmp_path: Path, signum: int, code: int) -> None:
    cases, out = tmp_path / "cases", tmp_path / "ut"
    cases.mkdir()
    out.mkdir()
    for i in range(200):  # seconds of work: the signal comes while the cases are assessed
        shutil.copy(BORAS, cases / f"k{i:03}.yaml")
    run = subprocess.Popen([sys.executable, "-m", "brocheck", "assess", str(cases), "--output",
                            f"json={out / 'r.json'}", "--output", f"markdown={out / 'r.md'}"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_default_signals)
    deadline = time.monotonic() + 60
    while len(leftovers(out)) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the temporary files are opened before any case is assessed
    assert len(leftovers(out)) == 2, "brocheck ended before the signal"
    status = Path(f"/proc/{run.pid}/status")
    masks = [ln for ln in status.read_text().splitlines() if ln.startswith("Sig")] if status.exists() else []
    run.send_signal(signum)
    _, err = run.communicate(timeout=60)
    assert (run.returncode, err.decode()) == (code, "avbrutet\n"), (masks, sorted(p.name for p in out.iterdir()))
    assert list(out.iterdir()) == []


# --- standard input -----------------------------------------------------------------------------


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> Callable[[bytes], None]:
    def give(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="latin-1"))

    return give


def test_a_case_from_standard_input(cli: Cli, stdin: Callable[[bytes], None]) -> None:
    stdin(BORAS.read_bytes())
    assert cli("check", "-") == (0, "<stdin>: OK\n", "")
    stdin(BORAS.read_bytes())
    code, out, _ = cli("assess", "-", "--format", "json")
    assert code == 0 and json.loads(out)["file"] == "<stdin>" and json.loads(out)["municipality"] == "Borås Stad"
    stdin(BORAS.read_bytes().replace(b"  datum: 2025-03-20", b"  datum: 2025-13-01"))
    code, out, err = cli("assess", "-")
    assert (code, out) == (2, "") and err.startswith("<stdin>:") and "ogiltigt datum '2025-13-01'" in err


def test_standard_input_once_and_open(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = cli("check", "-", str(BORAS), "-")
    assert (code, err) == (2, "brocheck: '-' (standard in) kan bara anges en gång: ange filer för övriga ärenden\n")
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = cli("check", "-")
    assert (code, err) == (2, "<stdin>: filen kan inte läsas: är stängd (EBADF): starta brocheck med den öppen, "
                              "eller använd en fil\n")


# --- bounded output -----------------------------------------------------------------------------


def test_a_file_of_errors_prints_at_most_100(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "fel.yaml"
    text = BORAS.read_text(encoding="utf-8")
    path.write_text(text.replace("kallor:\n", "kallor:\n" + "  - {}\n" * 1000, 1), encoding="utf-8")
    for command in ("check", "assess"):
        code, out, err = cli(command, str(path), str(BORAS))
        assert (code, out) == (2, f"{BORAS}: OK\n" if command == "check" else "")
        lines = err.splitlines()
        assert len(lines) == 101, command
        assert all(ln.startswith(f"{path}:") for ln in lines)
        assert lines[-1] == f"{path}: … och 2 900 fel till i filen (de första 100 visas ovan)"
