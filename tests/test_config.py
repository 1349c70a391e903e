"""``base_url``: what is accepted (and how it is normalised), and the exact message for what is not.

The same check serves ``[tool.microsite] base_url`` (a project problem with its line, exit
status 1) and ``build --base-url`` (wrong usage, exit status 2).
"""

from __future__ import annotations

import json

import pytest

from conftest import article, make_project
from microsite.config import BaseUrlError, Config, load_project, parse_base_url

NOT_HTTP = "is not an absolute http(s) URL: it must start with http:// or https://, as in https://user.github.io/repo/"
ENDS = "a base URL ends with its path, as in https://user.github.io/repo/"

# value -> what is wrong with it, as both messages say it.
BAD = {
    "": "is empty",
    "not a url": NOT_HTTP,
    "example.org/repo/": NOT_HTTP,
    "ftp://example.org/": NOT_HTTP,
    "http:example.org": NOT_HTTP,
    "https://example.org/first film/": "contains a space at character 26",
    " https://example.org/": "contains a space at character 1",
    "https://example.org/\u00a0": "contains a space character (U+00A0) at character 21",
    "https://example.org/repo/\n": "contains a control character (U+000A) at character 26",
    "https://example.org/\tx/": "contains a control character (U+0009) at character 21",
    "https://example.org/\x7f/": "contains a control character (U+007F) at character 21",
    "https://exa\u200bmple.org/": "contains an invisible formatting character (U+200B) at character 12",
    "https://example.org\\repo/": "contains a backslash at character 20; URLs use '/'",
    "http://example.org:99999/": "has port 99999, which is not in 1..65535",
    "http://example.org:0/": "has port 0, which is not in 1..65535",
    "http://example.org:http/": "has a port that is not a number ('http')",
    "https://user:secret@example.org/repo/": "contains a user name or password (before '@'); they would be "
                                             "published in every canonical link and feed entry",
    "https://token@example.org/": "contains a user name or password (before '@'); they would be "
                                  "published in every canonical link and feed entry",
    "https://example.org/a/../b/": "has a '..' segment in its path",
    "https://example.org/repo/..": "has a '..' segment in its path",
    "https://example.org/./repo/": "has a '.' segment in its path",
    "https://example.org/a/%2e%2E/": "has a '..' segment in its path, written '%2e%2E'",
    "https://example.org/.%2e/": "has a '..' segment in its path, written '.%2e'",
    "https://example.org//repo/": "has an empty segment ('//') in its path",
    "https://example.org/a%zz/": "has a '%' that does not start a %XX escape in its path",
    "https://example.org/repo/?utm=1": f"has a query ('?utm=1'); {ENDS}",
    "https://example.org/repo/?": f"has a query ('?'); {ENDS}",
    "https://example.org/repo/#top": f"has a fragment ('#top'); {ENDS}",
    "http://[::1/": "has a malformed IPv6 host '[::1': it has no closing ']'",
    "http://[::1]x/": "has a malformed host '[::1]x': only ':port' may follow ']'",
    "http://[fe80::zz]/": "has a malformed IPv6 host '[fe80::zz]': 'fe80::zz' is not an IPv6 address",
    "http://::1:8000/": "has a malformed host '::1:8000': an IPv6 address is written in brackets, "
                        "as in http://[::1]:8000/",
    "https:///repo/": "has no host",
    "https://:8000/": "has no host",
    "https://exa<mple.org/": "has an invalid host name 'exa<mple.org': a host name is words of letters, digits "
                             "and '-' (at most 63 characters each) joined by '.'",
    "https://example..org/": "has an invalid host name 'example..org': a host name is words of letters, digits "
                             "and '-' (at most 63 characters each) joined by '.'",
}

# value -> the base URL every link is made from.
GOOD = {
    "https://example.org": "https://example.org/",
    "http://127.0.0.1:8000/": "http://127.0.0.1:8000/",
    "https://user.github.io/first-film": "https://user.github.io/first-film/",
    "HTTPS://User.GitHub.IO/Repo/": "https://user.github.io/Repo/",  # the path keeps its case: it is the server's
    "http://[::1]:8000/": "http://[::1]:8000/",
    "http://[::1]/preview": "http://[::1]/preview/",
    "http://example.org:/": "http://example.org/",
    "https://bücher.example/kosmos/": "https://xn--bcher-kva.example/kosmos/",
    "https://example.org/café/": "https://example.org/caf%C3%A9/",
    "https://bücher.example/café": "https://xn--bcher-kva.example/caf%C3%A9/",
    "https://example.org/caf%c3%a9/": "https://example.org/caf%C3%A9/",
    "https://example.org/%7Erepo/": "https://example.org/~repo/",
    "https://example.org/first+film/": "https://example.org/first+film/",
    "https://example.org/c(x)/": "https://example.org/c(x)/",
    "https://example.org/a%2Fb/": "https://example.org/a%2Fb/",
    "https://example.org/say\"hi\"/": "https://example.org/say%22hi%22/",
    "https://example.org./": "https://example.org./",
}


def shown(value: str) -> str:
    """How messages quote the value: repr, with any password hidden."""
    return repr(value.replace("user:secret@", "***@").replace("token@", "***@"))


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value)


@pytest.mark.parametrize("value", BAD, ids=range(len(BAD)))
def test_bad_base_url_in_the_configuration_is_a_problem_with_its_line(tmp_path, cli, value):
    pyproject = f'[tool.microsite]\ntitle = "T"\nbase_url = {toml_string(value)}\n'
    project = make_project(tmp_path / "p", pyproject=pyproject, templates=False)
    result = cli(project, "check")  # check too: nothing may print a traceback
    assert result.status == 1
    assert result.err == f"pyproject.toml:3: [tool.microsite] base_url {BAD[value]}\n  hint: got {shown(value)}\n"


@pytest.mark.parametrize("value", BAD, ids=range(len(BAD)))
def test_bad_base_url_on_the_command_line_is_wrong_usage(tmp_path, cli, value):
    project = make_project(tmp_path / "p", templates=False)
    result = cli(project, "build", "--base-url", value)
    assert result.status == 2
    assert result.err == f"build.py: error: --base-url {shown(value)} {BAD[value]}\n"
    assert not (project / "site").exists()


def test_a_password_is_never_printed(tmp_path, cli):
    project = make_project(tmp_path / "p", templates=False)
    for value in ("https://user:secret@example.org:99999/", "https://user:secret@example.org/ x"):
        result = cli(project, "build", "--base-url", value)
        assert result.status == 2 and "secret" not in result.err, result.err


@pytest.mark.parametrize("value", GOOD)
def test_good_base_urls_are_normalised(value):
    assert parse_base_url(value) == GOOD[value]
    assert parse_base_url(GOOD[value]) == GOOD[value]  # normal already: unchanged


def test_every_bad_value_is_refused_by_the_function_itself():
    for value, reason in BAD.items():
        with pytest.raises(BaseUrlError) as caught:
            parse_base_url(value)
        assert str(caught.value) == reason


def test_good_base_url_in_the_configuration_is_normalised(tmp_path):
    for value, normal in GOOD.items():
        root = make_project(tmp_path / "p", pyproject=f"[tool.microsite]\nbase_url = {toml_string(value)}\n",
                            templates=False)
        assert load_project(root).config.base_url == normal


@pytest.mark.parametrize(("value", "prefix"), [("http://[::1]:8000/", "/"),
                                               ("https://bücher.example/café", "/caf%C3%A9/")])
def test_good_base_url_on_the_command_line_builds(tmp_path, cli, value, prefix):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", "Text.")})
    result = cli(project, "build", "--base-url", value, "--no-cache")
    assert result.status == 0, result.err
    assert f" for {GOOD[value]} in " in result.out
    home = (project / "site" / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{GOOD[value]}">' in home
    assert f'href="{prefix}articles/a/"' in home


def test_default_base_url_is_normal():
    assert parse_base_url(Config().base_url) == Config().base_url


def test_base_url_must_be_a_string(tmp_path, cli):
    project = make_project(tmp_path / "p", pyproject="[tool.microsite]\nbase_url = 8000\n", templates=False)
    result = cli(project, "check")
    assert result.err == ('pyproject.toml:2: [tool.microsite] base_url must be an absolute http(s) URL such as '
                          '"https://user.github.io/repo/"\n  hint: got 8000\n')

