"""Running an exercise's check and turning whatever happens into a verdict a trainee can read.

A check is a function in a Python file of the course, ``check(context) -> items``, where each
item is ``(passed, message_en, message_fr)``, ``(passed, message_en, message_fr, message_ar)``
or a :class:`CheckItem`; without Arabic, an Arabic workspace is shown the English message.
It may raise :class:`CheckFailed` to stop at a problem that makes the rest meaningless. Any other
exception, whether raised by the trainee's code or by the check, becomes a failed item in
plain words ("your file could not be checked: ..."), never a traceback; so does a
``sys.exit()`` in the trainee's code. :func:`check_items` runs a check in the current
process; :mod:`observatory.workshop.runner` runs it in a worker process with a time limit.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from observatory.errors import ObservatoryError, ProjectFileError, error_message
from observatory.io.tables import read_toml
from observatory.io.workshop import load_python_file, read_text_file
from observatory.report.i18n import translator
from observatory.workshop.manifest import Course, Exercise
from observatory.workshop.toml_hints import answer_line_hint

#: Results shared by checks across calls in one process (engine runs are the slow part).
_SHARED_RESULTS: dict[Any, Any] = {}
_REASON_LENGTH = 240
#: What the usual Python errors mean, in English, French and Arabic (by exception type name;
#: a subclass takes its nearest listed base).
ERROR_MEANINGS = {
    "ZeroDivisionError": ("a division by zero", "une division par zéro", "قسمة على صفر"),
    "KeyError": (
        "a key or column that does not exist (check its spelling)",
        "une clé ou une colonne qui n'existe pas (vérifiez son orthographe)",
        "مفتاح أو عمود غير موجود (تحقق من كتابته)",
    ),
    "IndexError": (
        "a position past the end of a list or table",
        "une position hors de la liste ou du tableau",
        "موضع خارج حدود القائمة أو الجدول",
    ),
    "UnboundLocalError": (
        "a variable used before it was given a value",
        "une variable utilisée avant d'avoir reçu une valeur",
        "متغير استُعمل قبل أن تُعطى له قيمة",
    ),
    "NameError": (
        "a name Python does not know (a typo, or a missing import or definition)",
        "un nom que Python ne connaît pas (une faute de frappe, ou un import ou une "
        "définition qui manque)",
        "اسم لا تعرفه Python (خطأ في الكتابة، أو import أو تعريف ناقص)",
    ),
    "AttributeError": (
        "an attribute or method that this kind of object does not have",
        "un attribut ou une méthode que ce type d'objet n'a pas",
        "خاصية أو دالة لا يملكها هذا النوع من الكائنات",
    ),
    "ModuleNotFoundError": (
        "a module that cannot be imported",
        "un module introuvable à l'import",
        "وحدة (module) لا يمكن استيرادها",
    ),
    "ImportError": ("an import that failed", "un import qui a échoué", "استيراد (import) فشل"),
    "FileNotFoundError": (
        "a file that does not exist",
        "un fichier qui n'existe pas",
        "ملف غير موجود",
    ),
    "TypeError": (
        "an operation on a value of the wrong type (a text for a number, a missing argument...)",
        "une opération sur une valeur du mauvais type (un texte pour un nombre, un argument "
        "qui manque...)",
        "عملية على قيمة من نوع خاطئ (نص مكان عدد، أو وسيط ناقص...)",
    ),
    "ValueError": (
        "a value that does not fit",
        "une valeur qui ne convient pas",
        "قيمة غير مناسبة",
    ),
    "RecursionError": (
        "a function that calls itself without end",
        "une fonction qui s'appelle elle-même sans fin",
        "دالة تستدعي نفسها بلا نهاية",
    ),
    "Warning": (
        "a warning treated as an error",
        "un avertissement traité comme une erreur",
        "تحذير عومل كخطأ",
    ),
}
#: Messages of errors that have a known cause in the exercises, and what to do.
ERROR_ADVICE = {
    "truth value of an array": (
        "'and', 'or' or 'if' on a whole array: combine arrays of True/False with & and |",
        "« and », « or » ou « if » sur un tableau entier : combinez des tableaux de "
        "True/False avec & et |",
        "'and' أو 'or' أو 'if' على مصفوفة كاملة: اجمع مصفوفات True/False بـ & و |",
    ),
    "truth value of a Series is ambiguous": (
        "'and', 'or' or 'if' on a whole Series: combine conditions with & and |, each in "
        "parentheses",
        "« and », « or » ou « if » sur une Series entière : combinez les conditions avec & et "
        "|, chacune entre parenthèses",
        "'and' أو 'or' أو 'if' على Series كاملة: اجمع الشروط بـ & و |، كل شرط بين قوسين",
    ),
}
#: Where the trainee's code failed, by language.
LOCATION = {
    "en": " ({file}, line {line})",
    "fr": " ({file}, ligne {line})",
    "ar": " ({file}، السطر {line})",
}


class CheckFailed(Exception):
    """Raised by a check to fail with a message in English and French (and Arabic)."""

    def __init__(self, message_en: str, message_fr: str, message_ar: str = "") -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_fr = message_fr
        self.message_ar = message_ar


@dataclass(frozen=True)
class CheckItem:
    """One thing a check looked at: passed or not, said in English, French and Arabic.

    ``message_ar`` may be empty: an Arabic workspace is then shown the English message.
    """

    passed: bool
    message_en: str
    message_fr: str
    message_ar: str = ""

    def message(self, language: str) -> str:
        if language == "fr":
            return self.message_fr
        if language == "ar" and self.message_ar:
            return self.message_ar
        return self.message_en


@dataclass
class Verdict:
    """The outcome of one check: its items, passed when there is at least one and all pass."""

    exercise: Exercise
    items: list[CheckItem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.items) and all(item.passed for item in self.items)


@dataclass
class CheckContext:
    """What a check receives: where the trainee's workspace is, and helpers to read it.

    Attributes
    ----------
    workspace : Path
        The trainee's workspace folder.
    exercise : Exercise
        The exercise being checked.
    clock_stopped : callable
        ``clock_stopped()`` is a context manager during which the time limit does not run
        (see :meth:`shared`); by default it does nothing.
    """

    workspace: Path
    exercise: Exercise
    clock_stopped: Callable[[], AbstractContextManager[Any]] = field(
        default=nullcontext, repr=False
    )

    @property
    def data(self) -> Path:
        """The sample project folder of the workspace."""
        return self.workspace / "data"

    @property
    def project_file(self) -> Path:
        return self.data / "observatory.toml"

    def path(self, relative: str) -> Path:
        """A path of the workspace, e.g. ``"03_population/zonal.py"``."""
        return self.workspace / relative

    def load_module(self, relative: str) -> ModuleType:
        """Import the trainee's Python file ``relative`` (its latest version)."""
        name = "trainee_" + Path(relative).with_suffix("").as_posix().replace("/", "_")
        return load_python_file(self.path(relative), module_name=name)

    def answers(self, relative: str) -> dict[str, Any]:
        """The trainee's answer file (TOML) as a dict; a syntax error fails the check."""
        try:
            return read_toml(self.path(relative))
        except ProjectFileError as error:
            reason = error_message(error)
            slip = answer_line_hint(read_text_file(self.path(relative)), str(error))
            if slip is not None:
                number, line, (hint_en, hint_fr, hint_ar) = slip
                raise CheckFailed(
                    f"{relative}, line {number} ({line}): {hint_en}.",
                    f"{relative}, ligne {number} ({line}) : {hint_fr}.",
                    f"{relative}، السطر {number} ({line}): {hint_ar}.",
                ) from None
            raise CheckFailed(
                f"{relative} is not valid TOML: {reason}",
                f"{relative} n'est pas un TOML valide : {translator('fr').text(reason)}",
                f"{relative} ليس ملف TOML صالحاً: {translator('ar').text(reason)}",
            ) from None

    def shared(self, key: Any, factory: Callable[[], Any]) -> Any:
        """``factory()`` computed once per process for ``key`` and this workspace's data.

        For results that do not depend on the trainee's files (reference values computed
        with the library on the sample data), so that repeated checks stay fast. The time
        limit of the check does not run while ``factory`` does.
        """
        full_key = (str(self.data.resolve()), key)
        if full_key not in _SHARED_RESULTS:
            with self.clock_stopped():
                _SHARED_RESULTS[full_key] = factory()
        return _SHARED_RESULTS[full_key]


def _short(text: str) -> str:
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return first_line if len(first_line) <= _REASON_LENGTH else first_line[:_REASON_LENGTH] + "…"


def _trainee_location(error: BaseException, workspace: Path) -> tuple[str, str, str]:
    """`` (file, line N)`` of the deepest frame in the workspace, in English, French and
    Arabic (empty texts when no frame is in the workspace)."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve().is_relative_to(workspace.resolve())
    ]
    if not frames:
        return "", "", ""
    frame = frames[-1]
    relative = Path(frame.filename).resolve().relative_to(workspace.resolve()).as_posix()
    en, fr, ar = (LOCATION[language] for language in ("en", "fr", "ar"))
    return tuple(text.format(file=relative, line=frame.lineno) for text in (en, fr, ar))


def _error_words(error: BaseException) -> tuple[str, str, str]:
    """What a Python error means, in English, French and Arabic, with its type and message.

    Python's own message stays in English; French and Arabic say it is Python's.
    """
    message = _short(str(error))
    for pattern, advice in ERROR_ADVICE.items():
        if pattern in message:
            words = advice
            break
    else:
        kind = next((k for k in type(error).__mro__ if k.__name__ in ERROR_MEANINGS), None)
        words = ERROR_MEANINGS[kind.__name__] if kind else ("an error", "une erreur", "خطأ")
    name = type(error).__name__
    if not message:
        return tuple(f"{word} ({name})" for word in words)
    return (
        f"{words[0]} ({name}: {message})",
        f"{words[1]} (erreur Python : {name} : « {message} »)",
        f"{words[2]} (خطأ Python: {name}: \u00ab{message}\u00bb)",
    )


def explain_error(error: BaseException, workspace: Path) -> CheckItem:
    """A failed item describing an unexpected error in words, without a traceback."""
    where_en, where_fr, where_ar = _trainee_location(error, workspace)
    if isinstance(error, SyntaxError):
        file = Path(error.filename or "?").name
        return CheckItem(
            False,
            f"Python cannot read your file ({file}, line {error.lineno}: {error.msg}). Fix that "
            "line and check again.",
            f"Python ne peut pas lire votre fichier ({file}, ligne {error.lineno}, erreur "
            f"Python : {error.msg}). Corrigez cette ligne et relancez la vérification.",
            f"لا تستطيع Python قراءة ملفك ({file}، السطر {error.lineno}، خطأ Python: "
            f"{error.msg}). صحح هذا السطر وأعد التحقق.",
        )
    if isinstance(error, NotImplementedError):
        reason = _short(str(error)) or "a TODO"
        return CheckItem(
            False,
            f"Not finished yet{where_en}: {reason}. Replace the TODO with your code.",
            f"Pas encore terminé{where_fr} : {reason}. Remplacez le TODO par votre code.",
            f"لم ينته بعد{where_ar}: {reason}. عوّض TODO بشيفرتك.",
        )
    if isinstance(error, ObservatoryError):
        reason = error_message(error)
        return CheckItem(
            False,
            f"Observatory stopped with an error{where_en}: {_short(reason)}",
            f"Observatory s'est arrêté sur une erreur{where_fr} : "
            f"{_short(translator('fr').text(reason))}",
            f"توقف Observatory بسبب خطأ{where_ar}: {_short(translator('ar').text(reason))}",
        )
    words_en, words_fr, words_ar = _error_words(error)
    return CheckItem(
        False,
        f"Your file could not be checked{where_en}: {words_en}. Read the line it points to, "
        "or ask for a hint.",
        f"Votre fichier n'a pas pu être vérifié{where_fr} : {words_fr}. Relisez la ligne "
        "indiquée ou demandez un indice.",
        f"تعذر التحقق من ملفك{where_ar}: {words_ar}. اقرأ السطر المشار إليه، أو اطلب تلميحاً.",
    )


def explain_exit(stop: SystemExit, workspace: Path) -> CheckItem:
    """A failed item saying that the code called ``sys.exit`` (or ``exit()``, ``quit()``)."""
    where_en, where_fr, where_ar = _trainee_location(stop, workspace)
    call = "sys.exit()" if stop.code is None else f"sys.exit({stop.code!r})"
    return CheckItem(
        False,
        f"Your code called {call}{where_en}, which stops Python: remove that call (and any "
        "exit() or quit()); a check needs your file to run to its end.",
        f"Votre code appelle {call}{where_fr}, ce qui arrête Python : supprimez cet appel (et "
        "tout exit() ou quit()) ; une vérification a besoin que votre fichier aille "
        "jusqu'au bout.",
        f"شيفرتك تستدعي {call}{where_ar}، وهذا يوقف Python: احذف هذا الاستدعاء (وكل exit() "
        "أو quit())؛ يحتاج التحقق إلى أن يشتغل ملفك حتى نهايته.",
    )


def _items(returned: Iterable[Any] | None) -> list[CheckItem]:
    items = []
    for item in returned or []:
        if isinstance(item, CheckItem):
            items.append(item)
        else:
            passed, *messages = item
            items.append(CheckItem(bool(passed), *(str(message) for message in messages)))
    return items


def load_check(course: Course, exercise: Exercise) -> Callable[[CheckContext], Any]:
    """The check function of ``exercise``, imported from the course folder."""
    name = "observatory_course_" + Path(exercise.check_file).with_suffix("").as_posix()
    module = load_python_file(course.root / exercise.check_file, module_name=name.replace("/", "_"))
    function = getattr(module, exercise.check_function, None)
    if not callable(function):
        raise ProjectFileError(
            f"{course.root / exercise.check_file} has no function {exercise.check_function}; "
            "fix 'check' in exercises.toml."
        )
    return function


def check_items(
    course: Course,
    exercise: Exercise,
    workspace: Path,
    *,
    clock_stopped: Callable[[], AbstractContextManager[Any]] = nullcontext,
) -> list[CheckItem]:
    """Run the check of ``exercise`` on the trainee's ``workspace`` in this process.

    Never raises for the trainee's mistakes, ``sys.exit()`` included (only for a broken
    course); a ``KeyboardInterrupt`` is not caught. ``clock_stopped`` is given to the
    :class:`CheckContext`.
    """
    check = load_check(course, exercise)
    context = CheckContext(Path(workspace), exercise, clock_stopped=clock_stopped)
    try:
        items = _items(check(context))
    except CheckFailed as failure:
        items = [CheckItem(False, failure.message_en, failure.message_fr, failure.message_ar)]
    except SystemExit as stop:
        items = [explain_exit(stop, Path(workspace))]
    except Exception as error:  # anything else is explained in words, never a traceback
        items = [explain_error(error, Path(workspace))]
    return items or [
        CheckItem(
            False, "The check found nothing to look at.", "Rien à vérifier.", "لا شيء للتحقق منه."
        )
    ]
