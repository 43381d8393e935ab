"""Files written all or nothing: a draft beside the target, moved into place once complete.

A target is first checked as the shell's ``>`` would check it (a directory that exists, a
file the user may write), and more: never the file being read (by name or by device and
inode, standard input included), never a file open in LibreOffice or Excel (its lock file
beside it). A replaced file keeps its mode (and, where the user may, its owner); a failed
or interrupted run (an error, SIGTERM, SIGHUP) leaves the target as it was and no draft.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import tempfile
from collections.abc import Iterable
from contextlib import AbstractContextManager, suppress
from pathlib import Path
from types import FrameType

from hzcity.errors import BadInput, os_reason
from hzcity.i18n import Phrase

STDIN = "-"  # an input read from standard input
_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def lock_of(path: Path) -> Path | None:
    """The lock file LibreOffice (``.~lock.NAME#``) or Excel and WPS (``~$NAME``) keep beside
    ``path`` while they have it open, if there is one: the file on disk is not what the
    person sees, and will be written over when they save."""
    for name in (f".~lock.{path.name}#", f"~${path.name}"):
        lock = path.with_name(name)
        if os.path.lexists(lock):
            return lock
    return None


def check_target(target: Path, inputs: Iterable[str] = ()) -> None:
    """Refuse, before anything is written or read, a ``target`` that must not be replaced:
    its directory missing, one of ``inputs`` (``-``: standard input) by any name, a file
    open in an office program, or one the user may not write (as the shell's ``>`` says)."""
    directory = target.parent
    if not directory.is_dir():
        raise BadInput(
            Phrase(
                "{path}: no such directory {directory!r}",
                path=str(target),
                directory=str(directory),
            )
        )
    for name in inputs:
        if _same_file(target, name):
            raise BadInput(
                Phrase(
                    "{path}: is the input file; write the answer to another file", path=str(target)
                )
            )
    real = Path(os.path.realpath(target))
    for place in dict.fromkeys((target, real)):
        lock = lock_of(place)
        if lock is not None:
            raise BadInput(
                Phrase(
                    "{path}: the file is open in another program ({lock} beside it); close "
                    "it or choose another name",
                    path=str(target),
                    lock=lock.name,
                )
            )
    exists = os.path.lexists(real)
    if not os.access(real if exists else real.parent, os.W_OK):
        denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        raise BadInput(
            Phrase("{path}: cannot write: {why}", path=str(target), why=os_reason(denied))
        )


def _same_file(target: Path, name: str) -> bool:
    """Whether ``target`` is the input ``name`` (``-``: whatever standard input reads): the
    same path, or the same device and inode (a link, another spelling, a redirection)."""
    try:
        if not target.exists():
            return False
        if name == STDIN:
            ours, theirs = os.stat(target), os.fstat(0)
            return (ours.st_dev, ours.st_ino) == (theirs.st_dev, theirs.st_ino)
        return target.resolve() == Path(name).resolve() or os.path.samefile(target, name)
    except OSError:  # no standard input, an input gone: nothing to overwrite
        return False


class Draft(AbstractContextManager["Draft"]):
    """A hidden file beside ``target`` (``path``) that ``commit`` moves into place; leaving the
    ``with`` block without ``commit`` (an error), SIGTERM or SIGHUP removes it. With
    ``replace=False`` a file that appeared at ``target`` meanwhile is never written over."""

    def __init__(self, target: Path, *, replace: bool = True) -> None:
        # a link is written through, as the shell's > does: the draft goes beside its file
        self.target, self._replace = Path(os.path.realpath(target)), replace
        self._shown = target  # the name the user gave, for messages
        # a signal between making the draft and taking the signals would leave the draft:
        # they wait until the handler that removes it is in place
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            try:
                handle, temporary = tempfile.mkstemp(
                    prefix=f".{self.target.name}.", dir=self.target.parent
                )
            except OSError as exc:
                raise self._cannot(exc) from None
            os.close(handle)
            self.path, self._done = Path(temporary), False
            self._previous = {sig: signal.getsignal(sig) for sig in _SIGNALS}
            try:
                for sig in _SIGNALS:
                    signal.signal(sig, self._killed)
            except ValueError:  # not the main thread: signals are not ours to take
                self._previous = {}
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def commit(self) -> None:
        """Move the finished draft into place, with the mode of the file it replaces (else
        the user's umask's); a failure removes it and leaves the target as it was."""
        if self._done:
            return
        try:
            self._take_mode()
            if self._replace:
                self.path.replace(self.target)
            else:
                self._place_new()
        except OSError as exc:
            self.discard()
            raise self._cannot(exc) from None
        self._done = True
        self._restore()

    def _place_new(self) -> None:
        """The draft as ``target``, failing (FileExistsError) rather than replace a file."""
        try:
            os.link(self.path, self.target)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links (FAT): the check cannot be atomic
            if os.path.lexists(self.target):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST)) from None
            self.path.replace(self.target)
        else:
            self.path.unlink()

    def discard(self) -> None:
        """Remove the draft; the target is left as it was."""
        if not self._done:
            self._done = True
            self.path.unlink(missing_ok=True)
        self._restore()

    def __exit__(self, *raised: object) -> None:
        self.discard()  # after commit, nothing to do

    def _take_mode(self) -> None:
        """mkstemp's 0600 is for the draft only: the answer gets the replaced file's mode and,
        where the user may give it (root, or a group of theirs), its owner and group."""
        try:
            old = os.stat(self.target)
        except FileNotFoundError:
            self.path.chmod(0o666 & ~_umask())
            return
        if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
            with suppress(OSError):
                os.chown(self.path, old.st_uid, old.st_gid)
        self.path.chmod(stat.S_IMODE(old.st_mode) & 0o777)

    def _cannot(self, exc: OSError) -> BadInput:
        return BadInput(
            Phrase("{path}: cannot write: {why}", path=str(self._shown), why=os_reason(exc))
        )

    def _killed(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM or SIGHUP: remove the draft, then die of the signal as asked."""
        self.path.unlink(missing_ok=True)
        self._done = True
        self._restore()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    def _restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous = {}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
