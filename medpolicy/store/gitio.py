"""Talking to git: one runner with a clean environment, a persistent object reader, and the
tree/commit object formats we build ourselves.

Every git invocation goes through `Git.run`, which pins the repository with `--git-dir` (so a
store folder inside another repository never resolves to the outer one), drops environment
variables that would redirect git elsewhere, and turns pathspecs literal. Values that come
from documents never appear on a command line: they reach git through stdin or after
`--end-of-options` / `--`.

A store may come from someone else, and git runs code a repository names: hooks (also through
`core.hooksPath`), `core.fsmonitor`, the filter drivers `.gitattributes` selects, `gpg.program`
through `log.showSignature`. Every git we start has all of these switched off (`SAFE_CONFIG`,
plus `neutral_filters` for the one command that writes a work tree), passed as command-scope
configuration, which outranks anything in the repository's own config. Pinning `--git-dir`
skips git's own ownership check (`safe.directory`), so `check_owner` makes it.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotFoundError, StoreError, errno_in_message, storage_errno

# Variables that would make git read or write somewhere other than the store we name.
_SCRUB = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
          "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES",
          "GIT_REPLACE_REF_BASE", "GIT_GRAFT_FILE", "GIT_SHALLOW_FILE", "GIT_QUARANTINE_PATH")

# fsync objects and refs whenever git itself writes them (git >= 2.36 understands this).
FSYNC_CONFIG = ("-c", "core.fsync=committed", "-c", "core.fsyncMethod=fsync")

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


# Configuration that stops git running anything a repository names (see the module docstring).
# git has no "no text conversion" switch; none of the commands we run applies textconv
# (`log` without `-p`, `cat-file` without `--textconv`).
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.hooksPath", "/dev/null"),
    ("core.fsmonitor", "false"),
    ("log.showSignature", "false"),
    ("submodule.recurse", "false"),
)


def _env(extra_config: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env["GIT_LITERAL_PATHSPECS"] = "1"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_NO_REPLACE_OBJECTS"] = "1"  # replace refs would let a clone show other content
    env["LC_ALL"] = "C"  # also makes git's strerror() texts the ones `errors.os_error_of` knows
    env["GIT_ATTR_NOSYSTEM"] = "1"
    _add_config(env, SAFE_CONFIG + extra_config)
    return env


def _add_config(env: dict[str, str], pairs: tuple[tuple[str, str], ...]) -> None:
    """Command-scope configuration through GIT_CONFIG_COUNT (git >= 2.31): after the user's own
    such settings, so ours win; and no quoting problems, whatever a name contains."""
    try:
        count = int(env.get("GIT_CONFIG_COUNT", "0"))
    except ValueError:
        count = 0
    for key, value in pairs:
        env[f"GIT_CONFIG_KEY_{count}"] = key
        env[f"GIT_CONFIG_VALUE_{count}"] = value
        count += 1
    env["GIT_CONFIG_COUNT"] = str(count)


def find_git_dir(path: Path) -> tuple[Path, Path | None]:
    """(git dir, work tree or None) of the repository whose top is exactly `path`.

    Raises StoreError when `path` is not the top of a git repository: we never walk up to a
    parent repository, which is what plain `git -C path` would do."""
    dot = path / ".git"
    if dot.is_dir():
        return dot, path
    if dot.is_file():  # a linked worktree or submodule: "gitdir: <path>"
        text = dot.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:"):].strip())
            return (target if target.is_absolute() else (path / target)).resolve(), path
    if (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir():
        return path, None
    raise StoreError("not a git repository (run `medpolicy init` to create a store)", path=str(path))


class GitError(StoreError):
    """A git command failed; `stderr` holds git's own words, `errno` the storage condition they
    name (a full disk, a read-only file system...), if any."""

    def __init__(self, message: str, *, stderr: str = "", returncode: int = 0, probe: Path | None = None):
        super().__init__(message)
        self.stderr = stderr
        self.returncode = returncode
        self.errno = errno_in_message(stderr)
        if self.errno is None and probe is not None:
            self.errno = probe_storage(probe)


def probe_storage(folder: Path) -> int | None:
    """Some git messages name a failed write without its reason ("couldn't write 'x.lock'"):
    ask the file system by writing a small file into `folder`. The storage errno, if that fails."""
    probe = folder / f".medpolicy-probe-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"\0" * 64)
            os.fsync(fd)
        finally:
            os.close(fd)
            probe.unlink()
    except OSError as exc:
        return storage_errno(exc)
    return None


def neutral_filters(git_dir: Path) -> tuple[tuple[str, str], ...]:
    """Settings that turn every filter driver the configuration defines into no filter, for git
    commands that write or compare a work tree (a repository's `.gitattributes` picks drivers
    by name, and a driver is a command)."""
    proc = subprocess.run(["git", f"--git-dir={git_dir}", "config", "--null", "--name-only", "--get-regexp",
                           r"^filter\..*\.(smudge|clean|process|required)$"], capture_output=True, env=_env(),
                          cwd=git_dir)
    names = {raw.rsplit(".", 1)[0] for raw in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if raw}
    return tuple((f"{name}.{key}", value) for name in sorted(names)
                 for key, value in (("smudge", ""), ("clean", ""), ("process", ""), ("required", "false")))


def check_owner(git_dir: Path, work_tree: Path | None) -> None:
    """Refuse, as git itself does, a repository owned by another user unless git's
    `safe.directory` (in system, global or command-line configuration) lists it: its config
    could otherwise point git at programs of that user's choosing."""
    allowed = {os.geteuid()}
    if os.geteuid() == 0 and os.environ.get("SUDO_UID", "").isdigit():
        allowed.add(int(os.environ["SUDO_UID"]))  # git trusts what the sudo caller owns
    for path in (p for p in (git_dir, work_tree) if p is not None):
        try:
            owner = path.stat().st_uid
        except OSError:
            continue
        if owner in allowed:
            continue
        top = work_tree or git_dir
        if _listed_safe(top):
            return
        raise StoreError(f"is owned by another user (uid {owner}), so medpolicy will not use it; if you trust "
                         f"it: git config --global --add safe.directory {top}", path=str(top))


def _listed_safe(path: Path) -> bool:
    proc = subprocess.run(["git", "config", "--show-scope", "--get-all", "safe.directory"], capture_output=True,
                          env=_env(), cwd="/")  # outside any repository: only protected scopes count
    listed: list[str] = []
    for line in proc.stdout.decode("utf-8", "surrogateescape").splitlines():
        scope, _, value = line.partition("\t")
        if scope not in ("system", "global", "command"):
            continue
        if value == "":
            listed = []  # an empty value resets the list, as in git
        else:
            listed.append(value)
    here = os.path.realpath(path)
    for value in listed:
        if value == "*" or os.path.realpath(os.path.expanduser(value)) == here:
            return True
    return False


class Git:
    """Runs git against one repository."""

    def __init__(self, git_dir: Path, work_tree: Path | None = None):
        self.git_dir = git_dir
        self.work_tree = work_tree
        self.env = _env(neutral_filters(git_dir) if work_tree is not None else ())

    def argv(self, *args: str, config: tuple[str, ...] = ()) -> list[str]:
        base = ["git", f"--git-dir={self.git_dir}"]
        if self.work_tree is not None:
            base.append(f"--work-tree={self.work_tree}")
        return base + list(config) + list(args)

    def run(self, *args: str, input: bytes | None = None, check: bool = True,
            config: tuple[str, ...] = (), detached: bool = False) -> subprocess.CompletedProcess:
        """Run git; `detached` puts it in a session of its own, out of reach of a Ctrl-C typed
        at the terminal (for a step that must finish: see shield.py)."""
        try:
            proc = subprocess.run(self.argv(*args, config=config), input=input, capture_output=True,
                                  env=self.env, cwd=self.work_tree or self.git_dir, start_new_session=detached)
        except FileNotFoundError as exc:
            raise StoreError("git is not installed or not on PATH") from exc
        if check and proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"git {args[0]} failed: {err.splitlines()[-1] if err else proc.returncode}",
                           stderr=err, returncode=proc.returncode)
        return proc

    def out(self, *args: str, input: bytes | None = None) -> str:
        return self.run(*args, input=input).stdout.decode("utf-8", "replace")

    def rev_parse(self, rev: str) -> str | None:
        """Full object id of `rev`, or None when it does not name an object."""
        proc = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", rev, check=False)
        if proc.returncode != 0:
            return None
        return proc.stdout.decode().strip() or None


class CatFile:
    """A persistent `git cat-file --batch`: object reads cost one pipe round trip, not a process.

    Queries are written to stdin (`<rev>:<path>` or an object id), so nothing read from a
    document is ever parsed as a command-line option."""

    def __init__(self, git: Git):
        self._git = git
        self._proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self._proc is None or self._proc.poll() is not None:
            try:
                self._proc = subprocess.Popen(self._git.argv("cat-file", "--batch"), stdin=subprocess.PIPE,
                                              stdout=subprocess.PIPE, env=self._git.env,
                                              cwd=self._git.work_tree or self._git.git_dir)
            except FileNotFoundError as exc:
                raise StoreError("git is not installed or not on PATH") from exc
        return self._proc

    def read(self, spec: str) -> tuple[str, str, bytes] | None:
        """(object id, type, content) of `spec`, or None when it does not exist."""
        if "\n" in spec:
            raise NotFoundError(f"invalid object name {spec!r}")
        proc = self._start()
        assert proc.stdin and proc.stdout
        try:
            proc.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline()
        except BrokenPipeError as exc:
            raise StoreError("git cat-file stopped unexpectedly") from exc
        if not header:
            raise StoreError("git cat-file stopped unexpectedly")
        parts = header.split()
        if len(parts) != 3 or parts[1] in (b"missing", b"ambiguous"):
            return None
        size = int(parts[2])
        data = proc.stdout.read(size + 1)[:size]
        return parts[0].decode(), parts[1].decode(), data

    def blob(self, spec: str) -> bytes | None:
        got = self.read(spec)
        return got[2] if got and got[1] == "blob" else None

    def tree(self, spec: str) -> dict[str, tuple[str, str]] | None:
        got = self.read(spec)
        return parse_tree(got[2]) if got and got[1] == "tree" else None

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.stdin:
                self._proc.stdin.close()
            self._proc.wait()
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc = None


# --- object formats -------------------------------------------------------------------------

TREE_MODE = "40000"
BLOB_MODE = "100644"


def parse_tree(data: bytes) -> dict[str, tuple[str, str]]:
    """name -> (mode, hex id) of a raw tree object."""
    entries: dict[str, tuple[str, str]] = {}
    i = 0
    n = len(data)
    while i < n:
        sp = data.index(b" ", i)
        nul = data.index(b"\0", sp)
        mode = data[i:sp].decode()
        name = data[sp + 1:nul].decode("utf-8", "surrogateescape")
        entries[name] = (mode, data[nul + 1:nul + 21].hex())
        i = nul + 21
    return entries


def format_tree(entries: dict[str, tuple[str, str]]) -> bytes:
    """The raw tree object for `entries`, in git's order (a tree sorts as if named `name/`)."""
    def order(name: str) -> bytes:
        raw = name.encode("utf-8", "surrogateescape")
        return raw + b"/" if entries[name][0] == TREE_MODE else raw

    out = bytearray()
    for name in sorted(entries, key=order):
        mode, oid = entries[name]
        out += mode.encode() + b" " + name.encode("utf-8", "surrogateescape") + b"\0" + bytes.fromhex(oid)
    return bytes(out)


@dataclass(frozen=True)
class Signature:
    name: str
    email: str

    def line(self, when: int) -> str:
        return f"{self.name} <{self.email}> {when} +0000"


def format_commit(tree: str, parents: list[str], author: Signature, when: int, message: str) -> bytes:
    lines = [f"tree {tree}"] + [f"parent {p}" for p in parents]
    lines += [f"author {author.line(when)}", f"committer {author.line(when)}", "", message]
    text = "\n".join(lines)
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")
