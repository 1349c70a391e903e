"""The command line: ``python build.py [command]`` and the ``microsite`` console script.

Exit status: 0 success; 1 content or template problems, each printed as
``path:line: message``; 2 wrong usage. Problems never print a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from dataclasses import replace
from pathlib import Path

from . import __version__
from .config import BaseUrlError, Project, find_project_root, load_project, parse_base_url, shown_url
from .errors import MicrositeError, Problem, ProjectError, UsageError

# Each command imports the stages it runs, inside its handler: a no-op build (the
# common case in an editor's loop and in CI) answers from the build cache before the
# pipeline, Markdown, Jinja and the language libraries are even imported.
KINDS = ("article", "page", "person", "topic")  # what "new" creates (scaffold.KIND_FOLDERS)

# What each command does, and examples; shown by "python build.py COMMAND --help".
HELP = {
    "build": ("Import new seeds, then render the whole site into site/ (or --out), replacing it in one step. "
              "A failed build leaves the last site as it was. Without a command, build.py runs this one, "
              "with any of its options.",
              ["python build.py", "python build.py --drafts",
               "python build.py build --base-url https://user.github.io/first-film/",
               "python build.py --out /tmp/preview --no-cache"]),
    "import": ("Convert every seed in seeds/ that has no article yet into content/articles/. An article you "
               "deleted stays deleted (seeds/imported.toml remembers it); --force imports one seed again.",
               ["python build.py import", "python build.py import --force seeds/004_3df36105f315903a.txt --dry-run",
                "python build.py import --force seeds/004_3df36105f315903a.txt"]),
    "check": ("Report every problem of every file (errors and warnings, with file and line) without writing "
              "anything: the problems build reports, from the same stages. Exit status 1 when there is an error.",
              ["python build.py check", "python build.py check --drafts"]),
    "suggest": ("List the names in articles that no person or topic page covers, with their other spellings, "
                "and spellings close to an existing alias. With --write, create draft pages for chosen names.",
                ['python build.py suggest',
                 'python build.py suggest --write person "Akihiko Hoshide" --write topic "Blue Origin"']),
    "serve": ("Live preview: build into a temporary folder, serve it on http://HOST:PORT/, and rebuild and "
              "reload the browser on every change to content/, templates/, seeds/ or pyproject.toml. "
              "Problems show in the browser until fixed.",
              ["python build.py serve", "python build.py serve --port 8080"]),
    "new": ("Create a content file with valid front matter, as a draft: an article, a free page, or a person "
            "or topic page (a person's aliases come from the parts of the name).",
            ['python build.py new article "Crew lands in Kazakhstan"', 'python build.py new page "Glossary"',
             'python build.py new person "Mark Vande Hei"', 'python build.py new topic "Soyuz MS-18"']),
}
HELP["mv"] = ("Rename a content file: every link to it in content/ is rewritten (relative links, links from the "
              "site root, the slugs facts, events and articles cite), and its old address redirects to the new "
              "one (redirect_from:). After a rename by hand (git mv), give the old and the new path: the links "
              "are rewritten.",
              ["python build.py mv content/articles/old-name.md content/articles/new-name.md --dry-run",
               "python build.py mv content/people/klim-shipenko.md content/people/klim-shipenko-director.md"])
HELP["rm"] = ("Delete a content file. Lists what cites it and deletes nothing while anything does; with --unlink, "
              "those links become plain text and the citations are dropped, then the file is deleted. An "
              "imported article stays deleted (seeds/imported.toml remembers its seed).",
              ["python build.py rm content/articles/old-report.md",
               "python build.py rm content/articles/old-report.md --unlink --dry-run"])
COMMANDS = tuple(HELP)


def _command(commands: argparse._SubParsersAction, name: str, summary: str) -> argparse.ArgumentParser:
    description, examples = HELP[name]
    return commands.add_parser(name, help=summary, description=description,
                               epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per stage a user runs."""
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the microsite about the first feature film shot in orbit. "
        "Without a command, runs 'build' (with any of build's options).",
        epilog="Each command has its own help: python build.py COMMAND --help",
    )
    parser.add_argument("-C", "--project", type=Path, metavar="DIR",
                        help="the project folder (default: the one holding build.py, or found from the current folder)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="command")
    build_cmd = _command(commands, "build", "import new seeds, then render the site into site/")
    build_cmd.add_argument("--base-url", metavar="URL",
                           help="absolute URL the site is published at, e.g. https://user.github.io/repo/")
    build_cmd.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: site/)")
    build_cmd.add_argument("--drafts", action="store_true", help="include pages marked draft: true")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="ignore and do not update the build cache in .cache/microsite/")
    build_cmd.add_argument("--timings", action="store_true", help="print the seconds each stage took")
    import_cmd = _command(commands, "import", "convert seeds/*.txt that have no content file yet")
    import_cmd.add_argument("--force", metavar="SEED", help="import this one seed again over its content file: "
                            "shows what changes and keeps the file as it was beside it (FILE.md.bak)")
    import_cmd.add_argument("--dry-run", action="store_true", help="show what would be imported or changed; write "
                            "nothing")
    check_cmd = _command(commands, "check", "validate everything and report every problem; writes nothing")
    check_cmd.add_argument("--drafts", action="store_true", help="check pages marked draft: true as build --drafts "
                           "would build them")
    suggest_cmd = _command(commands, "suggest", "list names in articles that have no person or topic page yet")
    suggest_cmd.add_argument("--write", nargs=2, action="append", metavar=("KIND", "NAME"), default=[],
                             help="create a draft page (KIND: person or topic) for a suggested NAME, with its "
                             "spellings as aliases; may be repeated")
    serve_cmd = _command(commands, "serve", "live preview: rebuild on every change and reload the browser")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve_cmd.add_argument("--out", type=Path, metavar="DIR", help="folder for the preview (default: a temporary one)")
    mv_cmd = _command(commands, "mv", "rename a content file and rewrite every link to it")
    mv_cmd.add_argument("old", help="the file now (or before a rename by hand), e.g. content/articles/x.md")
    mv_cmd.add_argument("new", help="its new path, in the same folder")
    mv_cmd.add_argument("--dry-run", action="store_true", help="show the changes as diffs; write nothing")
    rm_cmd = _command(commands, "rm", "delete a content file, with what cites it")
    rm_cmd.add_argument("path", help="the content file, e.g. content/articles/x.md")
    rm_cmd.add_argument("--unlink", action="store_true", help="also turn the links to it into plain text and "
                        "drop the citations of it")
    rm_cmd.add_argument("--dry-run", action="store_true", help="show the changes as diffs; write nothing")
    new_cmd = _command(commands, "new", "create a draft content file with valid front matter")
    new_cmd.add_argument("kind", choices=KINDS, help="what to create")
    new_cmd.add_argument("title", help="the title of the article or page, or the name of the person or topic")
    return parser


def main(argv: list[str] | None = None, default_root: Path | None = None) -> int:
    """Run one command; return the exit status."""
    parser = make_parser()
    _complete(parser, default_root)
    argv = with_command(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    try:
        project = _project(args, default_root)
        command = args.command
        handlers = {"build": _build, "import": _import, "check": _check, "suggest": _suggest, "serve": _serve,
                    "new": _new, "mv": _mv, "rm": _rm}
        return handlers[command](project, args)
    except ProjectError as exc:
        _print_problems(exc.problems)
        return 1
    except UsageError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except MicrositeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _complete(parser: argparse.ArgumentParser, default_root: Path | None) -> None:
    """Shell completion of commands, options and content files, when the shell asks for it
    (argcomplete: ``eval "$(register-python-argcomplete build.py)"``; see the README)."""
    import os

    if "_ARGCOMPLETE" not in os.environ:
        return  # the usual case: nothing to import
    import argcomplete

    words = os.environ.get("COMP_LINE", "").split()
    given = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-C", "--project")), None)
    root = Path(given) if given else default_root or find_project_root(Path.cwd())

    def content_files(prefix: str, **_: object) -> list[str]:
        return sorted(p.relative_to(root).as_posix() for p in (root / "content").glob("*/*.md")
                      if p.relative_to(root).as_posix().startswith(prefix))

    def seed_files(prefix: str, **_: object) -> list[str]:
        return sorted(f"seeds/{p.name}" for p in (root / "seeds").glob("*.txt") if f"seeds/{p.name}".startswith(prefix))

    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for name, sub in action.choices.items():
            for argument in sub._actions:
                if argument.dest in ("old", "new", "path"):
                    argument.completer = content_files  # type: ignore[attr-defined]
                elif name == "import" and argument.dest == "force":
                    argument.completer = seed_files  # type: ignore[attr-defined]
    argcomplete.autocomplete(parser)


def with_command(argv: list[str]) -> list[str]:
    """``argv`` with "build" put in where no command is named: "build.py --drafts" is
    "build.py build --drafts", as the help says. Global options (-C DIR) stay in front;
    a word that is no command is left for argparse to refuse with the list of commands."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("-C", "--project"):
            i += 2
        elif word.startswith("--project=") or (word.startswith("-C") and len(word) > 2):
            i += 1
        elif word in ("-h", "--help", "--version") or word in COMMANDS or not word.startswith("-"):
            return argv
        else:
            break
    return [*argv[:i], "build", *argv[i:]]


def _project(args: argparse.Namespace, default_root: Path | None) -> Project:
    """Load the project and apply command-line overrides of its configuration."""
    root = args.project or default_root or find_project_root(Path.cwd())
    if not (root / "pyproject.toml").is_file():
        raise UsageError(f"{root} has no pyproject.toml; pass the project folder with --project")
    if not _is_microsite(root):
        raise UsageError(f"{root} is not a microsite: its pyproject.toml has no [tool.microsite] table and it has "
                         "no content/ or templates/ folder; pass the project folder with -C")
    project = load_project(root.resolve())
    config = project.config
    if getattr(args, "base_url", None) is not None:  # an empty --base-url "" is a mistake, not "no flag"
        try:
            base_url = parse_base_url(args.base_url)
        except BaseUrlError as exc:  # checked as [tool.microsite] base_url is, with the same words
            raise UsageError(f"--base-url {shown_url(args.base_url)} {exc}") from None
        config = replace(config, base_url=base_url)
    if getattr(args, "drafts", False):
        config = replace(config, drafts=True)
    return replace(project, config=config)


def _is_microsite(root: Path) -> bool:
    """A folder is a microsite with [tool.microsite] in its pyproject.toml, or content/ or templates/
    (a new project may have no settings yet); anything else is some other Python project."""
    if (root / "content").is_dir() or (root / "templates").is_dir():
        return True
    try:
        settings = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # load_project reports what is wrong with the file, with its line
    return isinstance(settings.get("tool", {}).get("microsite"), dict)


def _build(project: Project, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out = args.out.absolute() if getattr(args, "out", None) else None
    out_dir = out or project.site
    where = project.rel(out_dir)
    previous = None if args.no_cache else _up_to_date(project, out_dir)
    if previous is not None:
        _print_problems(previous["warnings"])
        print(f"{where}/ is up to date ({previous['pages']} pages for {project.config.base_url}; "
              f"nothing changed since the last build; checked in {time.perf_counter() - started:.2f} s)")
        return 0
    from .pipeline import build

    result = build(project, out, use_cache=not args.no_cache)
    _print_imports(result.imported)
    _print_problems(result.warnings)
    elapsed = time.perf_counter() - started
    if args.timings:
        print("stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.stages))
    if result.written:
        print(f"built {result.pages} pages into {where}/ for {project.config.base_url} in {elapsed:.2f} s")
    else:
        print(f"{where}/ is up to date ({result.pages} pages for {project.config.base_url}; "
              f"nothing changed since the last build; checked in {elapsed:.2f} s)")
    return 0


def _up_to_date(project: Project, out_dir: Path) -> dict | None:
    """The last build's pages and warnings when nothing changed since it: what Builder.build
    finds first, found here before the pipeline is imported. (When something did change,
    the Builder looks again: 0.06 s at 5,000 articles, against a build of seconds.)"""
    from .cache import BuildCache, build_options

    return BuildCache(project).unchanged(project.root, build_options(project, out_dir), out_dir)


def _import(project: Project, args: argparse.Namespace) -> int:
    from .seeds import import_seeds

    result = import_seeds(project, force=args.force, dry_run=args.dry_run)
    for diff in result.diffs:
        print(diff or "no change: the file already holds what the seed imports to", end="" if diff else "\n")
    _print_imports(result)
    for target, backup in result.backups:
        print(f"kept the file as it was in {backup}; to put it back: mv {backup} {target}")
    _print_problems(result.problems)
    if args.dry_run:
        print("dry run: nothing was written")
    elif args.force and result.diffs and not any(result.diffs):
        pass  # "no change" said above: nothing written, no backup
    elif not result.written and not result.problems:
        print("nothing to import: every seed is imported already (see seeds/imported.toml)")
    return 1 if any(p.is_error for p in result.problems) else 0


def _check(project: Project, args: argparse.Namespace) -> int:
    from .check import check

    problems = check(project)
    _print_problems(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(f"check: {errors} error(s), {warnings} warning(s)", file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def _suggest(project: Project, args: argparse.Namespace) -> int:
    for kind, _ in args.write:
        if kind not in ("person", "topic"):
            raise UsageError(f"--write {kind!r}: the kind is 'person' or 'topic'")
    from .content import load_site
    from .linking import build_index
    from .pipeline import link
    from .scaffold import draft_entity
    from .suggest import format_suggestions, suggest

    site, _ = load_site(project)
    index = build_index(site)
    suggestions = suggest(link(site, passages=True)[0], index)
    if not args.write:
        print(format_suggestions(suggestions))
        return 0
    chosen = []
    for kind, name in args.write:
        found = next((s for s in suggestions if name.casefold() in {n.casefold() for n in (s.name, *s.spellings)}),
                     None)
        if found is None:
            raise UsageError(f"{name!r} is not among the suggested names; run 'python build.py suggest' to see them")
        chosen.append((kind, found))
    for kind, found in chosen:
        path = draft_entity(project, kind, found.name, found.spellings, found.sentences)
        print(f"created {project.rel(path)} (draft) with aliases: {', '.join((found.name, *found.spellings))}")
    return 0


def _serve(project: Project, args: argparse.Namespace) -> int:
    from .output import check_out_dir
    from .pipeline import protected
    from .serve import serve  # tornado and livereload load only for this command

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} is not a port number (1-65535)")
    if args.out:  # refused before anything starts, as build refuses it: exit 2, no server left running
        check_out_dir(args.out.absolute(), protected(project))
    return serve(project, args.host, args.port, args.out.absolute() if args.out else None)


def _mv(project: Project, args: argparse.Namespace) -> int:
    from . import moves

    plan = moves.plan_move(project, args.old, args.new)
    if args.dry_run:
        print(plan.diff(), end="")
        print("\n".join(plan.notes + ["dry run: nothing was written"]))
        return 0
    moves.apply(project, plan)
    if plan.rename:
        print(f"renamed {plan.rename[0]} -> {plan.rename[1]}")
    moved = dict([plan.rename]) if plan.rename else {}
    links = [moved.get(c.path, c.path) for c in plan.changes.values() if c.path != moves.LEDGER]
    print(f"rewrote links in {len(links)} file(s)" + (": " + ", ".join(sorted(links)) if links else ""))
    print("\n".join(plan.notes))
    return 0


def _rm(project: Project, args: argparse.Namespace) -> int:
    from . import moves

    plan = moves.plan_remove(project, args.path, args.unlink)
    (target,) = [c.path for c in plan.changes.values() if c.after is None]
    if plan.citations and not args.unlink:
        print("\n".join(plan.citations), file=sys.stderr)
        print(f"{target} is cited in {len(plan.citations)} place(s) above, and was not deleted; to turn those "
              f"links into plain text and drop the citations as well: python build.py rm {target} --unlink "
              "(add --dry-run to see the changes)", file=sys.stderr)
        return 1
    if args.dry_run:
        print(plan.diff(), end="")
        print(f"would delete {target}\ndry run: nothing was written")
        return 0
    moves.apply(project, plan)
    changed = sorted(c.path for c in plan.changes.values() if c.after is not None)
    print(f"deleted {target}" + (f"; unlinked it in {len(changed)} file(s): {', '.join(changed)}" if changed else ""))
    return 0


def _new(project: Project, args: argparse.Namespace) -> int:
    from .scaffold import new_file

    path = new_file(project, args.kind, args.title)
    print(f"created {project.rel(path)}")
    return 0


def _print_imports(result) -> None:
    from .seeds import LEDGER

    for seed, target in result.written:
        print(f"imported {seed} -> {target}")
    for seed in result.recorded:
        print(f"recorded {seed} as imported in {LEDGER} (an article records it)")


def _print_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
